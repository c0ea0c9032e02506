#!/usr/bin/env node
// The CLI bundled with its libraries into one script, dist/bundle/main.cjs (built by `npm run build`,
// and by `npm ci` through the prepare script; scripts/build-cli.js says why), run with the V8 code
// cache of an earlier run of the same command (dist/cli/code-cache.js; APIGEN_COMPILE_CACHE=0 turns it off).
import { fileURLToPath } from 'node:url';
import { cacheCommand, codeCacheDir, loadBundle } from '../dist/cli/code-cache.js';

const argv = process.argv.slice(2);
const bundle = loadBundle(fileURLToPath(new URL('../dist/bundle/main.cjs', import.meta.url)), cacheCommand(argv), codeCacheDir());
if (process.env.APIGEN_DEBUG) process.stderr.write(`apigen: code cache ${bundle.cache}\n`);

try {
  process.exitCode = await bundle.exports.main(argv);
} catch (err) {
  process.stderr.write(`apigen: internal error: ${err instanceof Error ? (process.env.APIGEN_DEBUG ? err.stack : err.message) : String(err)}\n`);
  process.exitCode = 1;
}
bundle.saveCodeCache();
