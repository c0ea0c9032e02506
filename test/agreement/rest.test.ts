// Issue 18: the generated OpenAPI document, REST server and REST client agree,
// judged by a third-party JSON Schema validator (Ajv 2020-12, the dialect of
// OpenAPI 3.1) reading the document as any peer would:
// - every response the server sends (results, declared errors with their
//   fields, 400, 401, 500) conforms to the response the document declares;
// - the server refuses (400 InvalidArgument) requests the document forbids
//   (a wrong type, null for an optional field, an int64 out of range);
// - the client, against a mock built from the document, accepts what the
//   document allows (extra members, optional members left out, problem bodies
//   with only the required members) and maps unknown bodies by HTTP status.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import formats from 'ajv-formats';
import { createError, encodeJson, type AuthHook, type ContractDescriptor, type OperationDesc } from 'apigen-runtime';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadContract } from '../../src/contract/index.js';
import { openapiEmitter } from '../../src/emit/openapi/index.js';
import { exportMatching, loadGenerated, type GeneratedContract, type StyleClient } from '../conformance/adapter.js';
import { Script, scriptedService } from '../conformance/scripted-service.js';
import { objectValue, valueOf } from '../conformance/values.js';
import { CONTRACTS_DIR } from '../typescript/generated.js';

const CONTRACTS = ['bookstore', 'clinic', 'edge'];
const TOKEN = 'agreement-token';
const BASIC = Buffer.from('agreement:s3cret').toString('base64');

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
type Handler = (req: IncomingMessage, res: ServerResponse) => void;

interface Exchange {
  op: OperationDesc;
  status: number;
  contentType: string;
  body: string;
}

/** A JSON pointer segment, URI-encoded as Ajv reads `$ref` fragments. */
const segment = (s: string) => encodeURIComponent(s.replaceAll('~', '~0').replaceAll('/', '~1'));

class DocumentJudge {
  private readonly ajv = new Ajv2020({ strict: false, allErrors: true });
  constructor(readonly doc: Json) {
    (formats as unknown as { default: (ajv: Ajv2020) => void }).default(this.ajv);
    this.ajv.addFormat('decimal', true);
    this.ajv.addSchema(doc, 'openapi');
  }

  /** The document's schema at a JSON pointer, as a validator. */
  private validator(pointer: string[]) {
    const ref = `openapi#/${pointer.map(segment).join('/')}`;
    const v = this.ajv.getSchema(ref);
    if (!v) throw new Error(`no schema at ${ref}`);
    return v;
  }

  /** Why `value` is not what the document allows at the pointer; undefined when it is. */
  problems(pointer: string[], value: unknown): string | undefined {
    const v = this.validator(pointer);
    return v(value) ? undefined : this.ajv.errorsText(v.errors);
  }

  responsePointer(op: OperationDesc, status: number, mediaType: string): string[] {
    const responses = this.doc.paths[op.http.path][op.http.method.toLowerCase()].responses;
    if (!(String(status) in responses)) throw new Error(`${op.name}: status ${status} is not declared`);
    return ['paths', op.http.path, op.http.method.toLowerCase(), 'responses', String(status), 'content', mediaType, 'schema'];
  }

  bodyPointer(op: OperationDesc): string[] {
    return ['paths', op.http.path, op.http.method.toLowerCase(), 'requestBody', 'content', 'application/json', 'schema'];
  }
}

function authenticateFor(contract: ContractDescriptor): AuthHook {
  return (credentials) => {
    const scheme = contract.auth.schemes.find((s) => s.name === credentials.scheme);
    return scheme !== undefined && credentials.value === (scheme.type === 'basic' ? BASIC : TOKEN);
  };
}

const credentialsFor = (contract: ContractDescriptor) => Object.fromEntries(contract.auth.schemes.map((s) => [s.name, s.type === 'basic' ? BASIC : TOKEN]));

async function listen(handler: Handler): Promise<{ url: string; close: () => Promise<void> }> {
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

const unary = (op: OperationDesc) => op.styles.includes('rest') && op.stream === 'unary';

describe.each(CONTRACTS)('%s: OpenAPI document, REST server and REST client agree', (name) => {
  let g: GeneratedContract;
  let judge: DocumentJudge;
  let script: Script;
  let server: { url: string; close: () => Promise<void> };
  let createClient: (options: object) => StyleClient;
  const exchanges: Exchange[] = [];

  beforeAll(async () => {
    g = await loadGenerated(name);
    const loaded = await loadContract(join(CONTRACTS_DIR, `${name}.yaml`));
    const [file] = await openapiEmitter.emit(loaded.model!, { warn: () => undefined, options: {} });
    judge = new DocumentJudge(parse(file!.content) as Json);
    script = new Script();
    const createHandler = exportMatching<(impl: object, options: object) => Handler>(await import(join(g.dir, 'rest/server.ts')), /^create\w+RestHandler$/);
    createClient = exportMatching<(options: object) => StyleClient>(await import(join(g.dir, 'rest/client.ts')), /^create\w+RestClient$/);
    server = await listen(createHandler(scriptedService(g.contract, script), { authenticate: authenticateFor(g.contract) }));
  }, 300_000);
  afterAll(() => server?.close());

  /** A client whose every response is recorded for the judge. */
  const recordingClient = (credentials: Record<string, string> | undefined, op: OperationDesc) =>
    createClient({
      baseUrl: server.url,
      ...(credentials ? { credentials } : {}),
      fetch: async (input: RequestInfo | URL, init?: RequestInit) => {
        const response = await fetch(input, init);
        const body = await response.clone().text();
        exchanges.push({ op, status: response.status, contentType: response.headers.get('content-type') ?? '', body });
        return response;
      },
    });

  it('the server sends only responses the document declares, with bodies its schemas allow', async () => {
    exchanges.length = 0;
    const problems: string[] = [];
    for (const op of g.contract.operations.filter(unary)) {
      const input = op.input.kind === 'fields' ? objectValue(g.contract, op.input.fields, 'input', 1, 0) : undefined;
      const client = recordingClient(credentialsFor(g.contract), op);
      // A result, for a few variants of the output.
      for (let variant = 0; variant < 3; variant++) {
        script.reset();
        const output = op.output.kind === 'value' ? valueOf(g.contract, op.output.type, 'output', variant) : undefined;
        script.next(op.name, { output });
        await (client[op.name]!(input) as Promise<unknown>).catch((e: unknown) => problems.push(`${op.name} result: ${String(e)}`));
      }
      // Every declared error with its fields, and an unexpected failure (500).
      for (const errorName of [...op.errors, 'Internal']) {
        script.reset();
        const desc = g.contract.errors.find((e) => e.name === errorName)!;
        const thrown = errorName === 'Internal' ? new Error('boom') : createError(g.errorClasses[errorName]!, 'scripted', objectValue(g.contract, desc.fields, 'output', 1, 0));
        script.next(op.name, { throw: thrown });
        await (client[op.name]!(input) as Promise<unknown>).then(
          () => problems.push(`${op.name} ${errorName}: no error`),
          () => undefined,
        );
      }
      // No credentials: 401 where the operation takes them.
      if (op.auth.length > 0) {
        script.reset();
        await (recordingClient(undefined, op)[op.name]!(input) as Promise<unknown>).then(
          () => problems.push(`${op.name}: answered without credentials`),
          () => undefined,
        );
      }
    }
    for (const x of exchanges) {
      if (x.status === 204) continue;
      const mediaType = x.contentType.split(';')[0]!.trim();
      let pointer: string[];
      try {
        pointer = judge.responsePointer(x.op, x.status, mediaType);
      } catch (e) {
        problems.push(String(e));
        continue;
      }
      const why = judge.problems(pointer, JSON.parse(x.body));
      if (why) problems.push(`${x.op.name} ${x.status}: ${why} in ${x.body.slice(0, 300)}`);
    }
    expect(exchanges.length).toBeGreaterThan(0);
    expect(problems).toEqual([]);
  }, 300_000);

  it('the server streams only events the document describes', async () => {
    const problems: string[] = [];
    let judged = 0;
    for (const op of g.contract.operations.filter((o) => o.styles.includes('rest') && o.stream === 'server')) {
      const input = op.input.kind === 'fields' ? objectValue(g.contract, op.input.fields, 'input', 1, 0) : undefined;
      script.reset();
      const element = op.output.kind === 'stream' ? valueOf(g.contract, op.output.element, 'output', 1) : undefined;
      script.next(op.name, { stream: [element, element] });
      exchanges.length = 0;
      const client = recordingClient(credentialsFor(g.contract), op);
      for await (const _ of client[op.name]!(input) as AsyncIterable<unknown>) void _;
      const sse = exchanges.find((x) => x.contentType.startsWith('text/event-stream'));
      if (!sse) {
        problems.push(`${op.name}: no event stream`);
        continue;
      }
      const items = judge.responsePointer(op, 200, 'text/event-stream').concat('items');
      for (const block of sse.body.split('\n\n').filter((b) => b.trim() !== '' && !b.startsWith(':'))) {
        const event: Json = {};
        for (const line of block.split('\n')) {
          const [field, ...rest] = line.split(':');
          if (field === 'event' || field === 'data') event[field] = rest.join(':').replace(/^ /, '');
        }
        judged++;
        const why = judge.problems(items, event);
        if (why) problems.push(`${op.name} event ${block.slice(0, 200)}: ${why}`);
      }
    }
    expect(problems).toEqual([]);
    if (g.contract.operations.some((o) => o.styles.includes('rest') && o.stream === 'server')) expect(judged).toBeGreaterThan(0);
  }, 300_000);

  it('the server refuses with 400 what the document forbids', async () => {
    const problems: string[] = [];
    let judged = 0;
    for (const op of g.contract.operations.filter((o) => unary(o) && o.http.bodyFields.length > 0)) {
      if (op.input.kind !== 'fields') continue;
      const fields = op.input.fields.filter((f) => op.http.bodyFields.includes(f.name));
      const input = objectValue(g.contract, op.input.fields, 'input', 1, 0);
      const body: Json = {};
      for (const f of fields) if (input[f.name] !== undefined) body[f.name] = encodeJson(g.contract, f.type, input[f.name]);
      const mutations: [string, Json][] = [];
      for (const f of fields) {
        if (f.readOnly) continue;
        if (f.optional) mutations.push([`${f.name}: null`, { ...body, [f.name]: null }]);
        mutations.push([`${f.name}: a wrong type`, { ...body, [f.name]: f.type.kind === 'scalar' && f.type.scalar === 'string' ? 5 : f.type.kind === 'scalar' && f.type.scalar === 'json' ? undefined : 'not-this' }]);
        if (f.type.kind === 'scalar' && f.type.scalar === 'int64') mutations.push([`${f.name}: beyond int64`, { ...body, [f.name]: '9223372036854775808' }]);
      }
      let path = op.http.path;
      for (const p of op.http.pathParams) path = path.replace(`{${p}}`, encodeURIComponent(String(encodeJson(g.contract, op.input.fields.find((f) => f.name === p)!.type, input[p]))));
      for (const [label, mutated] of mutations) {
        if (Object.values(mutated).includes(undefined)) continue;
        // Only what the document itself forbids counts.
        if (judge.problems(judge.bodyPointer(op), mutated) === undefined) continue;
        judged++;
        script.reset();
        script.next(op.name, { output: op.output.kind === 'value' ? valueOf(g.contract, op.output.type, 'output', 0) : undefined });
        const auth = op.auth.length > 0 ? g.contract.auth.schemes.find((s) => s.name === op.auth[0])! : undefined;
        const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json, application/problem+json' };
        if (auth) headers[auth.httpHeader.toLowerCase()] = `${auth.valuePrefix}${auth.type === 'basic' ? BASIC : TOKEN}`;
        const response = await fetch(`${server.url}${path}`, { method: op.http.method, headers, body: JSON.stringify(mutated) });
        const text = await response.text();
        if (response.status !== 400) problems.push(`${op.name} (${label}): ${response.status} ${text.slice(0, 200)}`);
        else {
          const why = judge.problems(judge.responsePointer(op, 400, 'application/problem+json'), JSON.parse(text));
          if (why) problems.push(`${op.name} (${label}) 400 body: ${why}`);
        }
        if (script.calls.length > 0) problems.push(`${op.name} (${label}): reached the implementation`);
      }
      // A body that is not JSON: the 415 the document declares.
      const auth = op.auth.length > 0 ? g.contract.auth.schemes.find((s) => s.name === op.auth[0])! : undefined;
      const headers: Record<string, string> = { 'content-type': 'text/plain', accept: 'application/json, application/problem+json' };
      if (auth) headers[auth.httpHeader.toLowerCase()] = `${auth.valuePrefix}${auth.type === 'basic' ? BASIC : TOKEN}`;
      const response = await fetch(`${server.url}${path}`, { method: op.http.method, headers, body: JSON.stringify(body) });
      const text = await response.text();
      judged++;
      if (response.status !== 415) problems.push(`${op.name} (text/plain): ${response.status} ${text.slice(0, 200)}`);
      else {
        const why = judge.problems(judge.responsePointer(op, 415, 'application/problem+json'), JSON.parse(text));
        if (why) problems.push(`${op.name} (text/plain) 415 body: ${why}`);
      }
    }
    expect(problems).toEqual([]);
    if (g.contract.operations.some((o) => unary(o) && o.http.bodyFields.length > 0)) expect(judged).toBeGreaterThan(0);
  }, 300_000);

  it('the client accepts what the document allows, and judges unknown bodies by HTTP status', async () => {
    const problems: string[] = [];
    let answer: { status: number; contentType: string; body: string } = { status: 200, contentType: 'application/json', body: '{}' };
    const seenAccept: string[] = [];
    const mock = await listen((req, res) => {
      seenAccept.push(String(req.headers.accept));
      req.resume();
      req.on('end', () => {
        res.writeHead(answer.status, { 'content-type': answer.contentType });
        res.end(answer.body);
      });
    });
    try {
      for (const op of g.contract.operations.filter(unary)) {
        const input = op.input.kind === 'fields' ? objectValue(g.contract, op.input.fields, 'input', 1, 0) : undefined;
        const client = createClient({ baseUrl: mock.url, credentials: credentialsFor(g.contract) });
        const call = async () => {
          try {
            return { value: await client[op.name]!(input) };
          } catch (error) {
            return { error };
          }
        };
        // A result with an extra member the document does not forbid, optional members left out.
        if (op.output.kind === 'value') {
          const value = encodeJson(g.contract, op.output.type, valueOf(g.contract, op.output.type, 'output', 0));
          const withExtra = value !== null && typeof value === 'object' && !Array.isArray(value) ? { ...value, extraMember: 'ignored' } : value;
          const body = JSON.stringify(withExtra);
          if (judge.problems(judge.responsePointer(op, 200, 'application/json'), withExtra) === undefined) {
            answer = { status: 200, contentType: 'application/json', body };
            const r = await call();
            if ('error' in r) problems.push(`${op.name}: refused a 200 the document allows: ${String(r.error)}`);
          }
        }
        // Every declared error status with a minimal problem the document allows: the error class of the status.
        const responses = judge.doc.paths[op.http.path][op.http.method.toLowerCase()].responses as Json;
        for (const [status, response] of Object.entries(responses)) {
          if (!String(status).match(/^[45]/)) continue;
          const schema = response.content['application/problem+json'].schema;
          const refs: string[] = schema.$ref ? [schema.$ref] : schema.oneOf.map((s: Json) => s.$ref);
          for (const ref of refs) {
            const pinned = judge.doc.components.schemas[ref.split('/').pop()!].allOf[1];
            const errorName = pinned.properties.error.const as string;
            const desc = g.contract.errors.find((e) => e.name === errorName);
            const problem: Json = { title: 't', status: Number(status), code: pinned.properties.code.const, error: errorName };
            if (desc && desc.fields.length > 0) {
              const fields: Json = {};
              const value = objectValue(g.contract, desc.fields, 'output', 0, 0);
              for (const f of desc.fields) if (value[f.name] !== undefined) fields[f.name] = encodeJson(g.contract, f.type, value[f.name]);
              problem.fields = fields;
            }
            const why = judge.problems(judge.responsePointer(op, Number(status), 'application/problem+json'), problem);
            if (why) {
              problems.push(`${op.name} ${status} ${errorName}: the minimal problem is not allowed: ${why}`);
              continue;
            }
            answer = { status: Number(status), contentType: 'application/problem+json', body: JSON.stringify(problem) };
            const r = await call();
            // An error the runtime has no class for (ResourceExhausted, 413) is judged by its status: Internal.
            const expected = g.errorClasses[errorName] ?? g.errorClasses.Internal;
            if (!('error' in r) || !expected || !(r.error instanceof expected)) problems.push(`${op.name} ${status} ${errorName}: got ${'error' in r ? String(r.error) : 'a result'}`);
          }
        }
        // Bodies no document describes: the status decides (401 Unauthenticated, 400 InvalidArgument, else Internal).
        for (const [status, body, expected] of [
          [401, '{"code":"CANCELLED","error":"string","title":"x","status":401}', 'Unauthenticated'],
          [401, 'not json', 'Unauthenticated'],
          [400, '{"error":"NoSuchError"}', 'InvalidArgument'],
          [502, '<html>bad gateway</html>', 'Internal'],
        ] as const) {
          answer = { status, contentType: 'application/problem+json', body };
          const r = await call();
          if (!('error' in r) || !(r.error instanceof g.errorClasses[expected]!)) problems.push(`${op.name} ${status} ${body}: expected ${expected}, got ${'error' in r ? String(r.error) : 'a result'}`);
        }
      }
      expect(problems).toEqual([]);
      expect(seenAccept.length).toBeGreaterThan(0);
      for (const accept of seenAccept) expect(accept).toBe('application/json, application/problem+json');
    } finally {
      await mock.close();
    }
  }, 300_000);
});
