// Every spec target of one model, emitted and judged by the third-party tool
// each community uses: swagger-parser and Redocly (OpenAPI), @asyncapi/parser,
// graphql-js, protoc and buf lint, xmllint and node-soap (WSDL). Returns the
// problems as text, empty when every tool accepts every document.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import SwaggerParser from '@apidevtools/swagger-parser';
import { Parser } from '@asyncapi/parser';
import { createConfig, lintFromString, type Config } from '@redocly/openapi-core';
import { buildSchema } from 'graphql';
import * as soap from 'soap';
import { parse } from 'yaml';
import type { Model } from '../../src/contract/model.js';
import { asyncapiEmitter } from '../../src/emit/asyncapi/index.js';
import { graphqlEmitter } from '../../src/emit/graphql/index.js';
import { openapiEmitter } from '../../src/emit/openapi/index.js';
import { protoEmitter } from '../../src/emit/proto/index.js';
import type { EmitContext } from '../../src/emit/types.js';
import { wsdlEmitter } from '../../src/emit/wsdl/index.js';
import { extractSchema } from '../support/wsdl-schema.js';
import { BUF } from '../support/buf.js';

const ROOT = resolve(import.meta.dirname, '../..');
const asyncapiParser = new Parser();
let redocly: Config | undefined;

export interface EmittedSpecs {
  openapi: string;
  asyncapi: string;
  graphql: string;
  proto: { path: string; content: string };
  wsdl: { path: string; content: string };
}

export async function emitSpecs(model: Model): Promise<EmittedSpecs> {
  const ctx: EmitContext = { warn: () => undefined, options: {} };
  const one = async (emitter: { emit: (m: Model, c: EmitContext) => Promise<{ path: string; content: string }[]> | { path: string; content: string }[] }) => (await emitter.emit(model, ctx))[0]!;
  return {
    openapi: (await one(openapiEmitter)).content,
    asyncapi: (await one(asyncapiEmitter)).content,
    graphql: (await one(graphqlEmitter)).content,
    proto: await one(protoEmitter),
    wsdl: await one(wsdlEmitter),
  };
}

/** What each tool finds wrong with the specs; [] when all accept them. */
export async function judgeSpecs(specs: EmittedSpecs): Promise<string[]> {
  const problems: string[] = [];
  const dir = mkdtempSync(join(tmpdir(), 'apigen-agreement-'));
  try {
    try {
      await SwaggerParser.validate(parse(specs.openapi) as never);
    } catch (e) {
      problems.push(`swagger-parser: ${(e as Error).message}`);
    }
    redocly ??= await createConfig({ extends: ['recommended'] });
    for (const p of await lintFromString({ source: specs.openapi, absoluteRef: '/virtual/openapi.yaml', config: redocly })) {
      if (p.severity === 'error') problems.push(`redocly ${p.ruleId}: ${p.message} at ${p.location[0]?.pointer ?? '?'}`);
    }
    const { diagnostics } = await asyncapiParser.parse(specs.asyncapi);
    for (const d of diagnostics) if (d.severity === 0) problems.push(`asyncapi ${d.code}: ${d.message} at ${d.path.join('.')}`);
    try {
      buildSchema(specs.graphql);
    } catch (e) {
      problems.push(`graphql-js: ${(e as Error).message}`);
    }
    const protoFile = join(dir, 'proto', specs.proto.path);
    mkdirSync(dirname(protoFile), { recursive: true });
    writeFileSync(protoFile, specs.proto.content);
    const protoc = spawnSync('/usr/bin/protoc', ['-I', '/usr/include', '-I', join(dir, 'proto'), '--descriptor_set_out=/dev/null', specs.proto.path], { encoding: 'utf8' });
    if (protoc.status !== 0 || protoc.stderr.trim() !== '') problems.push(`protoc: ${protoc.stderr.trim()}`);
    if (existsSync(BUF)) {
      writeFileSync(join(dir, 'proto', 'buf.yaml'), 'version: v2\nlint:\n  use: [STANDARD]\n');
      const lint = spawnSync(BUF, ['lint'], { cwd: join(dir, 'proto'), encoding: 'utf8' });
      if (lint.status !== 0) problems.push(`buf lint: ${lint.stdout.trim()} ${lint.stderr.trim()}`);
    }
    const wsdlFile = join(dir, specs.wsdl.path);
    writeFileSync(wsdlFile, specs.wsdl.content);
    const wellFormed = spawnSync('xmllint', ['--noout', wsdlFile], { encoding: 'utf8' });
    if (wellFormed.status !== 0) problems.push(`xmllint: ${wellFormed.stderr.trim()}`);
    const xsdFile = join(dir, 'schema.xsd');
    writeFileSync(xsdFile, extractSchema(specs.wsdl.content));
    const schemaCheck = spawnSync('xmllint', ['--noout', '--schema', xsdFile, xsdFile], { encoding: 'utf8' });
    // Validating the schema document against itself fails on its root element, not on the schema: only schema errors count.
    if (/failed to compile|Schemas parser error/.test(schemaCheck.stderr)) problems.push(`xmllint --schema: ${schemaCheck.stderr.trim()}`);
    try {
      await soap.createClientAsync(wsdlFile);
    } catch (e) {
      problems.push(`node-soap: ${(e as Error).message}`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return problems;
}
