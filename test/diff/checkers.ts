// Each ecosystem's own breaking-change checker, run on the specs apigen
// generates for the old and the new contract: buf for the .proto, graphql-
// inspector for the SDL, oasdiff for OpenAPI. Each returns the findings it
// calls breaking, as short texts for the test's messages.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createRequire } from 'node:module';
import type { Model } from '../../src/contract/model.js';
import { EMITTERS } from '../../src/emit/registry.js';
import type { GeneratedFile } from '../../src/emit/types.js';
import { BUF } from '../support/buf.js';

export const ROOT = join(import.meta.dirname, '../..');

// graphql-inspector and the schema it compares must share one copy of graphql-js: both through Node's require.
const require = createRequire(import.meta.url);
const { diff: graphqlDiff, CriticalityLevel } = require('@graphql-inspector/core') as typeof import('@graphql-inspector/core');
const { buildSchema } = require('graphql') as typeof import('graphql');
export { BUF };

export type { Tool } from './intended.js';

export async function emit(target: string, model: Model): Promise<GeneratedFile[]> {
  const entry = EMITTERS.find((e) => e.target === target)!;
  const emitter = await entry.load();
  return emitter.emit(model, { warn: () => undefined, options: {} });
}

function writeAll(dir: string, files: GeneratedFile[]): void {
  for (const f of files) {
    mkdirSync(dirname(join(dir, f.path)), { recursive: true });
    writeFileSync(join(dir, f.path), f.content);
  }
}

/** A checker run: its exit status and output (the checkers exit non-zero when they find something). */
function run(command: string, args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

const BUF_CONFIG = JSON.stringify({ version: 'v2', breaking: { use: ['WIRE_JSON', 'FILE'] } });

/** The old side of many comparisons is the same contract: built once into a buf image. */
const bufImages = new Map<Model, Promise<string>>();

function bufImage(model: Model): Promise<string> {
  let image = bufImages.get(model);
  if (!image) {
    image = (async () => {
      const dir = mkdtempSync(join(tmpdir(), 'apigen-buf-old-'));
      writeAll(join(dir, 'proto'), await emit('proto', model));
      const file = join(dir, 'image.binpb');
      const built = await run(BUF, ['build', join(dir, 'proto'), '--config', BUF_CONFIG, '-o', file]);
      if (built.status !== 0) throw new Error(`buf build failed: ${built.stderr}`);
      return file;
    })();
    bufImages.set(model, image);
  }
  return image;
}

export async function bufBreaking(oldModel: Model, newModel: Model): Promise<string[]> {
  const dir = mkdtempSync(join(tmpdir(), 'apigen-buf-'));
  const against = await bufImage(oldModel);
  writeAll(join(dir, 'new'), await emit('proto', newModel));
  const result = await run(BUF, ['breaking', join(dir, 'new'), '--against', against, '--config', BUF_CONFIG, '--error-format', 'json']);
  if (result.status === 0) return [];
  const findings = result.stdout
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const f = JSON.parse(line) as { type: string; message: string };
      return `${f.type}: ${f.message}`;
    });
  if (findings.length === 0) throw new Error(`buf breaking failed without findings: ${result.stderr}`);
  return findings;
}

export async function graphqlBreaking(oldModel: Model, newModel: Model): Promise<string[]> {
  const sdl = async (m: Model): Promise<string> => (await emit('graphql', m)).find((f) => f.path.endsWith('.graphql'))!.content;
  const changes = await graphqlDiff(buildSchema(await sdl(oldModel)), buildSchema(await sdl(newModel)));
  return changes.filter((c) => c.criticality.level === CriticalityLevel.Breaking).map((c) => `${c.type}: ${c.message}`);
}

export function oasdiffPath(): string | undefined {
  try {
    const gopath = execFileSync('go', ['env', 'GOPATH'], { encoding: 'utf8' }).trim();
    const bin = join(gopath, 'bin/oasdiff');
    return existsSync(bin) ? bin : undefined;
  } catch {
    return undefined;
  }
}

export async function oasdiffBreaking(bin: string, oldModel: Model, newModel: Model): Promise<string[]> {
  const dir = mkdtempSync(join(tmpdir(), 'apigen-oasdiff-'));
  const spec = async (m: Model): Promise<string> => (await emit('openapi', m)).find((f) => f.path.endsWith('.yaml'))!.content;
  writeFileSync(join(dir, 'old.yaml'), await spec(oldModel));
  writeFileSync(join(dir, 'new.yaml'), await spec(newModel));
  const result = await run(bin, ['breaking', join(dir, 'old.yaml'), join(dir, 'new.yaml'), '--format', 'json']);
  if (result.status !== 0) throw new Error(`oasdiff failed: ${result.stderr}`);
  const found = JSON.parse(result.stdout || '[]') as { id: string; text: string; level: number; path?: string }[];
  // Level 3 is oasdiff's ERR (breaking); 2 (WARN) is its "potentially breaking", like apigen's dangerous.
  // oasdiff judges a webhook's payload as a request its callers send, while the service sends it and the
  // clients receive it (docs/breaking.md, "oasdiff and webhooks"): those findings are left out.
  return found
    .filter((f) => f.level === 3 && !(f.path?.startsWith('webhook:') && f.id.includes('request')))
    .map((f) => `${f.id}: ${f.text}`);
}
