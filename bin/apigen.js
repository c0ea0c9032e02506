#!/usr/bin/env node
// The CLI bundled with its libraries into dist/bundle/ (built by `npm run build`, and by `npm ci`
// through the prepare script; scripts/build-cli.js says why).
import { setFlagsFromString } from 'node:v8';

// V8 lets the heap grow up to 4x what survived the last full collection before collecting again; a
// run's garbage (parsed YAML, intermediate output) then lifts the peak memory far above what it keeps.
// 1.5x costs a few percent of time and keeps the peak near twice the live data (L.yaml: 350 -> 270 MiB).
setFlagsFromString('--heap-growing-percent=50');
const { main } = await import('../dist/bundle/main.js');

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (err) {
  process.stderr.write(`apigen: internal error: ${err instanceof Error ? (process.env.APIGEN_DEBUG ? err.stack : err.message) : String(err)}\n`);
  process.exitCode = 1;
}
