// The CLI as bin/apigen.js runs it: src/cli/main.ts and everything it imports,
// yaml, yargs and graphql included, bundled into one CommonJS script,
// dist/bundle/main.cjs (run after tsc, by `npm run build`). Loading one file
// instead of a few hundred is most of apigen's start-up time, and one classic
// script is what Node 20 can keep V8's compiled code of between runs
// (src/cli/code-cache.ts; ES modules get no such cache before Node 22).
//
// Nothing runs before it is needed: esbuild wraps every module reached only
// through a dynamic import (the commands, the pipeline, each emitter and its
// libraries) in a function named after its source path that runs on the
// first import, so `--version` and `validate` still evaluate no emitter
// (test/startup.test.ts reads those functions' calls from V8's coverage).
//
// dist/bundle/meta.json lists the sources the bundle holds.
import { build } from 'esbuild';
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const outdir = `${root}dist/bundle`;

// Earlier builds wrote ES module chunks here; nothing runs them any more.
mkdirSync(outdir, { recursive: true });
for (const name of readdirSync(outdir)) if (name.endsWith('.js')) rmSync(`${outdir}/${name}`);

const result = await build({
  absWorkingDir: root,
  entryPoints: ['src/cli/main.ts'],
  outfile: `${outdir}/main.cjs`,
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  // The ESM builds of the libraries where they have one: esbuild then wraps them as lazily run
  // ES modules, with no CommonJS interop to run. yaml's ESM build is the same code as its Node one,
  // which differs in using process.emitWarning and Buffer (for YAML 1.1 binary tags, which contracts
  // never use).
  mainFields: ['module', 'main'],
  alias: { yaml: './node_modules/yaml/browser/index.js' },
  // The sources find package.json and the templates relative to import.meta.url; in the bundle that
  // is the bundle's own URL, two levels below the package as dist/cli/ is. The banner starts with the
  // strict directive, as esbuild's own "use strict" after it no longer counts as one.
  banner: { js: '"use strict";const __bundleUrl = require("node:url").pathToFileURL(__filename).href;' },
  // graphql-js, outside production, checks each failed instanceof for a second copy of itself (a
  // string comparison per check); the bundle holds exactly one copy, so the check can only cost time.
  define: { 'process.env.NODE_ENV': '"production"', 'import.meta.url': '__bundleUrl' },
  metafile: true,
  legalComments: 'none',
  minifyWhitespace: true,
  logLevel: 'warning',
});

const sources = Object.keys(result.metafile.outputs[`dist/bundle/main.cjs`]?.inputs ?? {}).sort();
if (sources.length === 0) throw new Error('esbuild reported no sources for dist/bundle/main.cjs');
writeFileSync(`${outdir}/meta.json`, `${JSON.stringify({ 'main.cjs': sources }, null, 1)}\n`);
