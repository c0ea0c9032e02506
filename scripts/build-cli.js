// The CLI as bin/apigen.js runs it: src/cli/main.ts and everything it imports,
// yaml, yargs and graphql included, bundled into dist/bundle/ (run after tsc,
// by `npm run build`). Loading a few files instead of a few hundred is most of
// apigen's start-up time. Every dynamic import (the commands, the pipeline,
// each emitter) stays its own chunk, so `--version` and `validate` still load
// no emitter and no emitter's library. All chunks sit in one folder two levels
// below the package, like dist/cli/, so `new URL('../../package.json',
// import.meta.url)` finds the same files from either.
//
// dist/bundle/meta.json lists which sources each chunk holds (test/startup.test.ts
// reads it to tell what a run has loaded).
import { build } from 'esbuild';
import { readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const outdir = `${root}dist/bundle`;

const result = await build({
  absWorkingDir: root,
  entryPoints: { main: 'src/cli/main.ts' },
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  // The ESM builds of the libraries where they have one: no CommonJS wrappers to run, and a dynamic
  // import('yaml') gets its named exports (esbuild gives a CommonJS module's only as `default`). yaml's
  // ESM build is the same code as its Node one, which differs in using process.emitWarning and Buffer
  // (for YAML 1.1 binary tags, which contracts never use).
  mainFields: ['module', 'main'],
  alias: { yaml: './node_modules/yaml/browser/index.js' },
  outdir,
  chunkNames: '[name]-[hash]',
  // graphql-js, outside production, checks each failed instanceof for a second copy of itself (a
  // string comparison per check); the bundle holds exactly one copy, so the check can only cost time.
  define: { 'process.env.NODE_ENV': '"production"' },
  metafile: true,
  legalComments: 'none',
  minifyWhitespace: true,
  logLevel: 'warning',
});

const chunks = {};
for (const [file, output] of Object.entries(result.metafile.outputs)) {
  if (!file.endsWith('.js')) continue;
  chunks[file.slice(file.lastIndexOf('/') + 1)] = Object.keys(output.inputs).sort();
}
writeFileSync(`${outdir}/meta.json`, `${JSON.stringify(chunks, null, 1)}\n`);

// Chunk names change with their content. A run that started before this build may still import the
// previous build's chunks, so those are removed only once they are an hour old (prepack removes dist/).
for (const name of readdirSync(outdir)) {
  if (name.endsWith('.js') && !(name in chunks) && Date.now() - statSync(`${outdir}/${name}`).mtimeMs > 3_600_000) rmSync(`${outdir}/${name}`);
}
