#!/usr/bin/env node
// The compiled CLI lives in dist/ (built by `npm run build`, and by `npm ci` through the prepare script).
import { main } from '../dist/cli/main.js';

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (err) {
  process.stderr.write(`apigen: internal error: ${err instanceof Error ? (process.env.APIGEN_DEBUG ? err.stack : err.message) : String(err)}\n`);
  process.exitCode = 1;
}
