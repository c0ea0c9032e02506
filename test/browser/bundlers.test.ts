// A front end bundles the generated clients as it bundles any module: esbuild
// (platform browser) and Vite (the Vite that vitest runs on) build the REST,
// GraphQL, WebSocket, SSE, tRPC and WebRTC clients of every example contract without a
// warning, and the bundles hold no Node-only code (a `node:` import, Buffer,
// the WebSocket server).
import { build as esbuild } from 'esbuild';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build as vite } from 'vite';
import { describe, expect, it } from 'vitest';
import { generateTypescript } from '../typescript/generated.js';

function nodeOnly(bundle: string): string[] {
  const found: string[] = [];
  if (/\bfrom\s*["']node:|import\(\s*["']node:|require\(\s*["']node:/.test(bundle)) found.push('a node: import');
  if (/\bBuffer\b/.test(bundle)) found.push('Buffer');
  if (/WebSocketServer/.test(bundle)) found.push('WebSocketServer');
  return found;
}

/** A page module using each browser client of the generated folder `dir`. */
async function writeEntry(dir: string): Promise<string> {
  const { contract } = await import(join(dir, 'contract.ts'));
  const service = contract.service.name as string;
  const lines: string[] = [];
  const names: string[] = [];
  for (const [folder, style] of [['rest', 'Rest'], ['graphql', 'Graphql'], ['ws', 'Ws'], ['sse', 'Sse'], ['trpc', 'Trpc'], ['webrtc', 'WebRtc']] as const) {
    if (!existsSync(join(dir, folder, 'client.ts'))) continue;
    lines.push(`import { create${service}${style}Client } from './${folder}/client.js';`);
    names.push(`create${service}${style}Client`);
  }
  lines.push(`export const clients = [${names.join(', ')}];`);
  const entry = join(dir, 'bundle-entry.ts');
  writeFileSync(entry, `${lines.join('\n')}\n`);
  return entry;
}

describe.each(['bookstore', 'clinic', 'edge'])('%s clients', (name) => {
  it('bundle with esbuild for the browser without a warning or Node-only code', async () => {
    const entry = await writeEntry(await generateTypescript(name));
    const result = await esbuild({ entryPoints: [entry], bundle: true, platform: 'browser', format: 'esm', minify: true, write: false, logLevel: 'silent' });
    expect(result.warnings.map((w) => w.text)).toEqual([]);
    expect(nodeOnly(result.outputFiles[0]!.text)).toEqual([]);
  });

  it('bundle with Vite without a warning or Node-only code', async () => {
    const dir = await generateTypescript(name);
    const entry = await writeEntry(dir);
    const out = mkdtempSync(join(tmpdir(), 'apigen-vite-'));
    const warnings: string[] = [];
    try {
      await vite({
        root: dir,
        configFile: false,
        logLevel: 'silent',
        build: {
          outDir: out,
          emptyOutDir: true,
          minify: true,
          lib: { entry, formats: ['es'], fileName: 'page' },
          rollupOptions: { onwarn: (warning) => void warnings.push(`${warning.code ?? ''} ${warning.message}`) },
        },
      });
      expect(warnings).toEqual([]);
      const files = readdirSync(out).filter((f) => /\.m?js$/.test(f));
      expect(files).toHaveLength(1);
      expect(nodeOnly(readFileSync(join(out, files[0]!), 'utf8'))).toEqual([]);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});
