#!/usr/bin/env node
// Builds docs/mapping.md, the one concept-by-style table, from the fragments
// each spec emitter documents in docs/mapping/<target>.md (one
// `- <concept>: <text>` line per concept, in CONCEPTS order). `--check` exits 1
// when docs/mapping.md is not what this script would write.
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

export const CONCEPTS = [
  'service', 'query operation', 'mutation operation', 'input fields', 'path/query/body parameters', 'output',
  'optional output', 'no output', 'server stream', 'client stream', 'bidirectional stream', 'event', 'event key',
  'object type', 'enum', 'union', 'list', 'map', 'optional field', 'readOnly field', 'constraints', 'default',
  'deprecation', 'description', 'string', 'boolean', 'int32', 'int64', 'float32', 'float64', 'decimal', 'bytes',
  'date', 'datetime', 'uuid', 'json', 'declared error', 'INVALID_ARGUMENT/INTERNAL', 'error fields', 'auth bearer',
  'auth apiKey', 'auth basic', 'names',
];

export const STYLES = [
  { target: 'openapi', title: 'OpenAPI 3.1 (REST)' },
  { target: 'graphql', title: 'GraphQL SDL' },
  { target: 'proto', title: 'proto3 / gRPC' },
  { target: 'wsdl', title: 'WSDL 1.1 / SOAP' },
  { target: 'asyncapi', title: 'AsyncAPI 3.0' },
  { target: 'trpc', title: 'tRPC (TypeScript)' },
  { target: 'webrtc', title: 'WebRTC data channel (TypeScript)' },
];

/** Reads one fragment; throws naming the file and the concept when it does not follow CONCEPTS. */
export function readFragment(target) {
  const file = join(ROOT, 'docs/mapping', `${target}.md`);
  const lines = readFileSync(file, 'utf8').split('\n').filter((l) => l.startsWith('- '));
  const cells = new Map();
  for (const line of lines) {
    const concept = CONCEPTS.find((c) => line.startsWith(`- ${c}: `));
    if (concept === undefined) throw new Error(`${file}: not a concept line: ${line.slice(0, 60)}`);
    if (cells.has(concept)) throw new Error(`${file}: "${concept}" twice`);
    cells.set(concept, line.slice(concept.length + 4).trim());
  }
  const missing = CONCEPTS.filter((c) => !cells.has(c));
  if (missing.length > 0) throw new Error(`${file}: missing ${missing.join(', ')}`);
  return cells;
}

export function buildMapping() {
  const columns = STYLES.map((s) => ({ ...s, cells: readFragment(s.target) }));
  const cell = (text) => text.replaceAll('|', '\\|');
  const out = [
    '<!-- Built by `npm run docs` from docs/mapping/<target>.md; edit those, not this file. -->',
    '',
    '# How the contract maps to each style',
    '',
    'One row per contract concept, one column per spec. Where a style cannot express a concept, the cell says so and',
    'what apigen does instead; `apigen generate` also warns (`style-cannot-express`) naming the operation and the style.',
    'The JSON encoding of scalars (REST bodies, SSE, webhooks, AsyncAPI payloads, GraphQL custom scalars) is the same',
    'everywhere: int64 and decimal as strings, bytes as padded base64, date and datetime as RFC 3339 text.',
    '',
    `| concept | ${columns.map((c) => c.title).join(' | ')} |`,
    `|---|${columns.map(() => '---').join('|')}|`,
    ...CONCEPTS.map((concept) => `| **${concept}** | ${columns.map((c) => cell(c.cells.get(concept))).join(' | ')} |`),
    '',
    // The rules that hold across styles (names, null, keys, signatures), written once.
    readFileSync(join(ROOT, 'docs/mapping/rules.md'), 'utf8').trimEnd(),
    '',
  ];
  return out.join('\n');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const text = buildMapping();
  const file = join(ROOT, 'docs/mapping.md');
  if (process.argv.includes('--check')) {
    let current = '';
    try {
      current = readFileSync(file, 'utf8');
    } catch {}
    if (current !== text) {
      console.error('docs/mapping.md is stale: run `npm run docs`');
      process.exit(1);
    }
  } else {
    writeFileSync(file, text);
    console.log('wrote docs/mapping.md');
  }
}
