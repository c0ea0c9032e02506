#!/usr/bin/env node
// The CLI bundled with its libraries into dist/bundle/ (built by `npm run build`, and by `npm ci`
// through the prepare script; scripts/build-cli.js says why).
const { main } = await import('../dist/bundle/main.js');

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (err) {
  process.stderr.write(`apigen: internal error: ${err instanceof Error ? (process.env.APIGEN_DEBUG ? err.stack : err.message) : String(err)}\n`);
  process.exitCode = 1;
}
