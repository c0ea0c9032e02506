// A typed REST client over fetch, speaking the OpenAPI document's wire form.
// Each operation of the contract that REST carries becomes a method; errors
// come back as the same classes the implementation threw.
import { credentialHeader, type CallOptions } from './context.js';
import type { ContractDescriptor, OperationDesc, TypeDesc } from './descriptor.js';
import { ApigenError, CancelledError, createError, describeViolations, type ErrorClass, type Violation } from './errors.js';
import { decodeJson, encodeJson } from './json.js';
import { errorOfProblem } from './rest-problem.js';
import { queryEncoding } from './rest-query.js';
import type { JsonValue } from './values.js';

export interface RestClientOptions {
  /** The service's base URL (REST is served at its root): `http://localhost:8080`. */
  baseUrl: string;
  /** Credentials by the contract's scheme name, without prefix: `{ bearer: token }`. */
  credentials?: Record<string, string>;
  /** A fetch implementation (default: the global one). */
  fetch?: typeof fetch;
}

export type RestMethod = (input: unknown, options?: CallOptions) => unknown;

export function createRestClient(
  contract: ContractDescriptor,
  errorClasses: Record<string, ErrorClass>,
  options: RestClientOptions,
): Record<string, RestMethod> {
  const client: Record<string, RestMethod> = {};
  for (const op of contract.operations) {
    if (!op.styles.includes('rest')) continue;
    client[op.name] =
      op.output.kind === 'stream'
        ? (input, callOptions) => streamCall(contract, errorClasses, options, op, input, callOptions)
        : (input, callOptions) => unaryCall(contract, errorClasses, options, op, input, callOptions);
  }
  return client;
}

function request(
  contract: ContractDescriptor,
  errorClasses: Record<string, ErrorClass>,
  options: RestClientOptions,
  op: OperationDesc,
  input: unknown,
  callOptions: CallOptions | undefined,
  accept: string,
) {
  const values = (input ?? {}) as Record<string, unknown>;
  const fields = op.input.kind === 'fields' ? op.input.fields : [];
  const field = (name: string) => fields.find((f) => f.name === name)!;
  // A URL has no form for a missing path parameter: answer as the server would have.
  const missing: Violation[] = op.http.pathParams.filter((name) => values[name] === undefined).map((name) => ({ path: name, message: 'is required' }));
  if (missing.length > 0) throw createError(errorClasses.InvalidArgument!, `invalid input: ${describeViolations(missing)}`, {});
  let path = op.http.path;
  for (const name of op.http.pathParams) {
    path = path.replace(`{${name}}`, encodeURIComponent(wireText(contract, field(name).type, values[name])));
  }
  const url = new URL(options.baseUrl.replace(/\/+$/, '') + path);
  for (const name of op.http.queryParams) {
    const value = values[name];
    if (value === undefined) continue;
    const type = field(name).type;
    switch (queryEncoding(field(name))) {
      case 'plain':
        url.searchParams.append(name, wireText(contract, type, value));
        break;
      case 'repeated':
        for (const element of value as unknown[]) url.searchParams.append(name, wireText(contract, (type as { element: TypeDesc }).element, element));
        break;
      case 'json':
        url.searchParams.append(name, JSON.stringify(encodeJson(contract, type, value)));
        break;
    }
  }
  const headers: Record<string, string> = { Accept: accept, ...(callOptions?.metadata ?? {}), ...credentialHeader(contract, op, options.credentials, callOptions?.credentials) };
  let body: string | undefined;
  if (op.http.bodyFields.length > 0) {
    const json: Record<string, JsonValue> = {};
    for (const name of op.http.bodyFields) {
      if (values[name] !== undefined) json[name] = encodeJson(contract, field(name).type, values[name]);
    }
    body = JSON.stringify(json);
    headers['Content-Type'] = 'application/json';
  }
  return { url, init: { method: op.http.method, headers, body, signal: callOptions?.signal } satisfies RequestInit };
}

/** A value's text in a path or query parameter: its JSON wire form, unquoted. */
function wireText(contract: ContractDescriptor, type: TypeDesc, value: unknown): string {
  const json = encodeJson(contract, type, value);
  return typeof json === 'string' ? json : JSON.stringify(json);
}

async function send(options: RestClientOptions, url: URL, init: RequestInit): Promise<Response> {
  try {
    return await (options.fetch ?? fetch)(url, init);
  } catch (error) {
    if (init.signal?.aborted) throw new CancelledError();
    throw error;
  }
}

async function unaryCall(
  contract: ContractDescriptor,
  errorClasses: Record<string, ErrorClass>,
  options: RestClientOptions,
  op: OperationDesc,
  input: unknown,
  callOptions?: CallOptions,
): Promise<unknown> {
  // Errors arrive as problem details; a server that honours Accept must be free to send them.
  const { url, init } = request(contract, errorClasses, options, op, input, callOptions, 'application/json, application/problem+json');
  const response = await send(options, url, init);
  if (!response.ok) throw await errorOf(contract, errorClasses, response);
  if (response.status === 204 || op.output.kind !== 'value') {
    await response.body?.cancel();
    return undefined;
  }
  return decodeOutput(contract, op.output.type, await response.json());
}

async function* streamCall(
  contract: ContractDescriptor,
  errorClasses: Record<string, ErrorClass>,
  options: RestClientOptions,
  op: OperationDesc,
  input: unknown,
  callOptions?: CallOptions,
): AsyncGenerator<unknown, void, undefined> {
  if (op.output.kind !== 'stream') return;
  const { url, init } = request(contract, errorClasses, options, op, input, callOptions, 'text/event-stream, application/problem+json');
  const response = await send(options, url, init);
  if (!response.ok) throw await errorOf(contract, errorClasses, response);
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  try {
    for (;;) {
      let chunk: Awaited<ReturnType<typeof reader.read>>;
      try {
        chunk = await reader.read();
      } catch (error) {
        if (callOptions?.signal?.aborted) throw new CancelledError();
        throw error;
      }
      if (chunk.done) throw createError(errorClasses.Internal!, 'the stream ended without its end event', {});
      buffer += chunk.value;
      let end: number;
      while ((end = buffer.search(/\r?\n\r?\n/)) !== -1) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end).replace(/^\r?\n\r?\n/, '');
        const event = parseEvent(block);
        if (event === undefined) continue;
        if (event.name === 'end') return;
        if (event.name === 'error') throw errorOfProblem(contract, errorClasses, JSON.parse(event.data), 500);
        yield decodeOutput(contract, op.output.element, JSON.parse(event.data));
      }
    }
  } finally {
    await reader.cancel().catch(() => {});
  }
}

function parseEvent(block: string): { name: string; data: string } | undefined {
  let name = 'message';
  const data: string[] = [];
  for (const line of block.split(/\r?\n/)) {
    if (line.startsWith(':') || line === '') continue;
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    const value = colon === -1 ? '' : line.slice(colon + 1).replace(/^ /, '');
    if (field === 'event') name = value;
    else if (field === 'data') data.push(value);
  }
  return data.length === 0 ? undefined : { name, data: data.join('\n') };
}

function decodeOutput(contract: ContractDescriptor, type: TypeDesc, json: unknown): unknown {
  const violations: Violation[] = [];
  const value = decodeJson(contract, type, json, '', violations, 'output');
  if (violations.length > 0) throw new TypeError(`the response does not match the contract: ${describeViolations(violations)}`);
  return value;
}

async function errorOf(contract: ContractDescriptor, errorClasses: Record<string, ErrorClass>, response: Response): Promise<ApigenError> {
  let body: unknown;
  try {
    body = await response.json();
  } catch {
    body = undefined;
  }
  return errorOfProblem(contract, errorClasses, body, response.status);
}
