// `npm run bench` (and `node bench/bundle-size.js`): how large each generated
// client is in a browser bundle. esbuild bundles a one-line page per client of
// generated-examples/bookstore for the browser, minified, and reports raw and
// gzip bytes, plus whether Node-only code (a `node:` import, Buffer, the
// WebSocket server) slipped in.
import { build } from 'esbuild';
import { gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

const root = fileURLToPath(new URL('..', import.meta.url));
const dir = join(root, 'generated-examples/bookstore/typescript');

/** Each client as a front end would use it: created and called once, so tree shaking keeps what a call needs. */
const clients = {
  rest: `import { createBookstoreRestClient } from './rest/client.ts'; export const c = createBookstoreRestClient({ baseUrl: location.origin });`,
  graphql: `import { createBookstoreGraphqlClient } from './graphql/client.ts'; export const c = createBookstoreGraphqlClient({ url: location.origin + '/graphql' });`,
  ws: `import { createBookstoreWsClient } from './ws/client.ts'; export const c = createBookstoreWsClient({ url: 'ws://' + location.host + '/ws' });`,
  sse: `import { createBookstoreSseClient } from './sse/client.ts'; export const c = createBookstoreSseClient({ baseUrl: location.origin });`,
};

/** Bundles `source` (resolved from the generated folder) for the browser; the minified text. */
export async function bundleClient(source) {
  const result = await build({
    stdin: { contents: source, resolveDir: dir, loader: 'ts', sourcefile: 'page.ts' },
    bundle: true,
    platform: 'browser',
    format: 'esm',
    minify: true,
    write: false,
    logLevel: 'silent',
  });
  return result.outputFiles[0].text;
}

/** What a browser bundle must not contain. */
export function nodeOnlyParts(text) {
  const found = [];
  if (/["']node:/.test(text)) found.push('node: import');
  if (/\bBuffer\b/.test(text)) found.push('Buffer');
  if (/WebSocketServer/.test(text)) found.push('WebSocketServer');
  return found;
}

export async function bundleSizes() {
  const rows = [];
  for (const [name, source] of Object.entries(clients)) {
    try {
      const text = await bundleClient(source);
      rows.push({ name, bytes: Buffer.byteLength(text), gzip: gzipSync(text).length, nodeOnly: nodeOnlyParts(text) });
    } catch (error) {
      rows.push({ name, error: String(error.message ?? error).split('\n')[0] });
    }
  }
  return rows;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  console.log('browser bundle size of each bookstore client (esbuild, platform browser, minified)');
  for (const row of await bundleSizes()) {
    if (row.error) console.log(`  ${row.name.padEnd(8)} does not bundle: ${row.error}`);
    else
      console.log(
        `  ${row.name.padEnd(8)} ${(row.bytes / 1024).toFixed(1).padStart(7)} KiB, gzip ${(row.gzip / 1024).toFixed(1).padStart(6)} KiB${row.nodeOnly.length ? `  (Node-only: ${row.nodeOnly.join(', ')})` : ''}`,
      );
  }
}
