#!/usr/bin/env node
// The CLI bundled with its libraries into dist/bundle/ (built by `npm run build`, and by `npm ci`
// through the prepare script; scripts/build-cli.js says why).
import module from 'node:module';

// Node 22.1+ keeps V8's compiled code of the bundle on disk (NODE_COMPILE_CACHE, else a folder in the
// system's temporary directory), so later runs skip most of compiling it. Node 20 has no such cache.
module.enableCompileCache?.();
const { main } = await import('../dist/bundle/main.js');

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (err) {
  process.stderr.write(`apigen: internal error: ${err instanceof Error ? (process.env.APIGEN_DEBUG ? err.stack : err.message) : String(err)}\n`);
  process.exitCode = 1;
}
