// REST over node:http, exactly as the OpenAPI document describes it: the
// operation's method and path, path and query parameters, a JSON body,
// 200/204 responses, server streams as server-sent events, and errors as RFC
// 9457 problem details. The handler is a plain `(req, res)` function, so it
// serves on its own, as Express middleware (`app.use(handler)`: it calls
// `next()` for paths it does not own) and in Fastify (`reply.hijack();
// handler(request.raw, reply.raw)`, with a content-type parser that leaves the
// body unread); test/typescript/mounting.test.ts does both.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { LazyCallContext, type CallContext, type ServerOptions } from './context.js';
import type { AuthSchemeDesc, ContractDescriptor, FieldDesc, OperationDesc, TypeDesc } from './descriptor.js';
import { queryEncoding } from './rest-query.js';
import { Dispatcher } from './dispatch.js';
import { ApigenError, type ErrorClass, type Violation } from './errors.js';
import { checkedJsonTextEncoder, decodeFields, encodeJson, inputReader, isPlainObject, jsonTextEncoder } from './json.js';
import { problemOf, type Problem } from './rest-problem.js';
import { resolveLimits } from './limits.js';
import { discardBody, readBodyWithin } from './http-body.js';
import type { JsonValue } from './values.js';

export type RestHandler = (req: IncomingMessage, res: ServerResponse, next?: (error?: unknown) => void) => void;


interface Route {
  op: OperationDesc;
  pattern: RegExp;
  /** The path's text before its first parameter: a path that does not start with it is no match, without the pattern. */
  prefix: string;
  params: string[];
  /** Each path parameter's type, in the order of `params`. */
  paramTypes: TypeDesc[];
  /** The input fields by name. */
  fields: Map<string, FieldDesc>;
  /** Decodes and checks the input in one walk; undefined for an input it refuses (the separate walks then say why). */
  reader: ((json: unknown) => Record<string, unknown> | undefined) | undefined;
  /** Every input field travels in the body: the body object is read as the input itself, without a copy. */
  bodyIsInput: boolean;
  /** The result's JSON text (for a `value` output), written without a wire object in between. */
  encode: ((value: unknown) => string) | undefined;
  /** The same text with the output checked in the same walk; undefined for a result that breaks the contract. */
  encodeChecked: ((value: unknown) => string | undefined) | undefined;
}

/**
 * The parts of the request target the handler reads, shaped like URL's: the
 * query is parsed only when an operation reads a parameter, and a plain
 * target (`/books/123?x=1`) is split without a URL object at all.
 */
class RequestTarget {
  #params: URLSearchParams | undefined;
  constructor(
    readonly pathname: string,
    readonly search: string,
  ) {}

  get searchParams(): URLSearchParams {
    return (this.#params ??= new URLSearchParams(this.search));
  }
}

// A path URL parsing would leave as it is: no dot segments, backslashes, or characters it percent-encodes.
const PLAIN_PATH = /^(?:\/(?!\.)[A-Za-z0-9\-_~!$&'()*+,;=:@%.]*)*$/;

function targetOf(raw: string): RequestTarget {
  const hash = raw.indexOf('#');
  const target = hash < 0 ? raw : raw.slice(0, hash);
  const q = target.indexOf('?');
  const pathname = q < 0 ? target : target.slice(0, q);
  if (PLAIN_PATH.test(pathname) && pathname !== '') return new RequestTarget(pathname, q < 0 || q === target.length - 1 ? '' : target.slice(q));
  const url = new URL(raw, 'http://localhost');
  return new RequestTarget(url.pathname, url.search);
}

const lowerCaseNames = new Map<string, string>();
/** A request header's single value, by its name in any case. */
function headerOf(req: IncomingMessage, name: string): string | undefined {
  let lower = lowerCaseNames.get(name);
  if (lower === undefined) lowerCaseNames.set(name, (lower = name.toLowerCase()));
  const value = req.headers[lower];
  return typeof value === 'string' ? value : undefined;
}

const schemeHeader = (req: IncomingMessage, scheme: AuthSchemeDesc): string | undefined => headerOf(req, scheme.httpHeader);

/** What every request of one handler shares. */
interface Served {
  contract: ContractDescriptor;
  dispatcher: Dispatcher;
  options: ServerOptions;
  maxBodyBytes: number;
}

export function createRestHandler(
  contract: ContractDescriptor,
  errorClasses: Record<string, ErrorClass>,
  implementation: object,
  options: ServerOptions = {},
): RestHandler {
  const dispatcher = new Dispatcher(contract, errorClasses, implementation, options);
  // Request bodies above this size are refused (413) before they are parsed.
  const served: Served = { contract, dispatcher, options, maxBodyBytes: resolveLimits(contract, options.limits).bodyBytes };
  const routes = contract.operations.filter((op) => op.styles.includes('rest')).map((op) => routeOf(contract, op));
  return (req, res, next) => {
    const url = targetOf(req.url ?? '/');
    // Routes match the encoded path, so an encoded `/` inside a parameter stays inside it.
    const path = url.pathname;
    let route: Route | undefined;
    let match: RegExpExecArray | null = null;
    let found = false;
    for (let i = 0; i < routes.length; i++) {
      const r = routes[i]!;
      if (!path.startsWith(r.prefix)) continue;
      const m = r.pattern.exec(path);
      if (m === null) continue;
      found = true;
      if (r.op.http.method === req.method) {
        route = r;
        match = m;
        break;
      }
    }
    if (!found) {
      if (next) return next();
      return sendProblem(res, { type: 'about:blank', title: 'Not Found', status: 404, detail: `no operation at ${path}`, code: 'NOT_FOUND', error: 'NotFound' });
    }
    if (!route) {
      const matching = routes.filter((r) => r.pattern.test(path));
      res.setHeader('Allow', [...new Set(matching.map((r) => r.op.http.method))].join(', '));
      return sendProblem(res, { type: 'about:blank', title: 'Method Not Allowed', status: 405, detail: `${req.method} is not allowed here`, code: 'UNIMPLEMENTED', error: 'MethodNotAllowed' });
    }
    void serve(served, route, match!, url, req, res);
  };
}

function routeOf(contract: ContractDescriptor, op: OperationDesc): Route {
  const params: string[] = [];
  const parts = op.http.path.split(/(\{[^}]+\})/);
  const source = parts
    .map((part) => {
      const m = /^\{([^}]+)\}$/.exec(part);
      if (!m) return part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      params.push(m[1]!);
      // An empty string is a value too: `/keywords//x`.
      return '([^/]*)';
    })
    .join('');
  const fields = new Map(op.input.kind === 'fields' ? op.input.fields.map((f) => [f.name, f]) : []);
  const reader = op.input.kind === 'fields' ? inputReader(contract, op.input.fields) : undefined;
  const bodyIsInput = op.input.kind === 'fields' && op.input.fields.length > 0 && op.input.fields.every((f) => op.http.bodyFields.includes(f.name));
  const paramTypes = params.map((name) => fields.get(name)!.type);
  const encode = op.output.kind === 'value' ? jsonTextEncoder(contract, op.output.type) : undefined;
  const encodeChecked = op.output.kind === 'value' ? checkedJsonTextEncoder(contract, op.output.type) : undefined;
  return { op, pattern: new RegExp(`^${source}/?$`), prefix: parts[0]!, params, paramTypes, fields, reader, bodyIsInput, encode, encodeChecked };
}

/** Answers one request; never rejects (a failure to answer at all destroys the response). */
async function serve(served: Served, route: Route, match: RegExpExecArray, url: RequestTarget, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const { contract, dispatcher } = served;
  const op = route.op;
  // Whether the caller went away is read from `res`: no close listener unless the implementation asks for the signal.
  const ctx = new LazyCallContext('rest', op, req.headers, res);
  try {
    // A hook that answers at once is not awaited.
    let credentials = dispatcher.authenticateFrom(op, req, schemeHeader);
    if (credentials instanceof Promise) credentials = await credentials;
    if (credentials) ctx.credentials = credentials;
    const refused = refuseBody(op, req, served.maxBodyBytes);
    if (refused?.status === 413) return sendProblem(res, refused, true);
    if (refused) {
      discardBody(req, served.maxBodyBytes);
      return sendProblem(res, refused);
    }
    let body: unknown;
    if (op.http.bodyFields.length > 0) body = await readBody(req, served.maxBodyBytes);
    else if (hasBody(req)) await drain(req);
    let input: Record<string, unknown> | undefined;
    let checked = false;
    if (op.input.kind !== 'fields') input = {};
    else if (route.bodyIsInput && isPlainObject(body) && (input = route.reader!(body)) !== undefined) checked = true;
    else {
      const wire = wireInput(dispatcher, route, match, url, body);
      input = route.reader!(wire);
      if (input !== undefined) checked = true;
      else {
        // Refused by the one-walk reader: the shape walk's violations, or (with none) the dispatcher's checks say why.
        const violations: Violation[] = [];
        input = decodeFields(contract, op.input.fields, wire, '', violations, 'input');
        dispatcher.rejectIfInvalid(violations);
      }
    }
    if (op.output.kind === 'stream') return await streamEvents(contract, dispatcher, op, input, ctx, res);
    // The result is checked as its text is written, not walked once more before (unless an interceptor must see the check fail).
    const checksWhileWriting = dispatcher.leavesOutputCheck;
    const result = await dispatcher.call(op, input, ctx, checked, checksWhileWriting);
    if (op.output.kind === 'none' || (op.output.kind === 'value' && op.output.optional && result === undefined)) {
      res.writeHead(204).end();
      return;
    }
    if (op.output.kind !== 'value') return;
    let text: string | undefined;
    if (checksWhileWriting && dispatcher.checksOutput()) {
      text = route.encodeChecked!(result);
      if (text === undefined) {
        const refusal = dispatcher.refusedOutput(op, result, ctx);
        if (refusal) throw refusal;
        text = route.encode!(result);
      }
    } else text = route.encode!(result);
    sendText(res, 200, JSON_TYPE, text);
  } catch (error) {
    try {
      if (res.headersSent) {
        res.destroy();
        return;
      }
      if (error instanceof BodyTooLarge) return sendProblem(res, tooLarge(served.maxBodyBytes));
      sendProblem(res, problemOf(contract, dispatcher.toContractError(op, error)));
    } catch (failure) {
      // A failure to write at all.
      served.options.onInternalError?.(failure, op);
      if (!res.headersSent) sendProblem(res, problemOf(contract, dispatcher.toContractError(op, failure)));
      else res.destroy();
    }
  }
}

/** The operation's input in its JSON wire form, from path, query and body; shape problems of the request itself are refused here. */
function wireInput(dispatcher: Dispatcher, route: Route, match: RegExpExecArray, url: RequestTarget, body: unknown): Record<string, unknown> {
  const { op } = route;
  const violations: Violation[] = [];
  const wire: Record<string, unknown> = {};
  const params = route.params;
  for (let i = 0; i < params.length; i++) {
    const name = params[i]!;
    let text = match[i + 1]!;
    if (text.includes('%')) {
      try {
        text = decodeURIComponent(text);
      } catch {
        violations.push({ path: name, message: 'is not valid percent-encoding' });
      }
    }
    wire[name] = textToWire(route.paramTypes[i]!, text);
  }
  if (!validPercentEncoding(url.search)) violations.push({ path: '', message: 'the query is not valid percent-encoding' });
  for (const name of op.http.queryParams) {
    const f = route.fields.get(name)!;
    const values = url.searchParams.getAll(name);
    const encoding = queryEncoding(f);
    // A repeated parameter is a required list: no parameter is the empty list.
    if (values.length === 0 && encoding === 'repeated') wire[name] = [];
    if (values.length === 0) continue;
    if (encoding === 'plain') wire[name] = textToWire(f.type, values[values.length - 1]!);
    else if (encoding === 'repeated') wire[name] = values.map((v) => textToWire((f.type as { element: TypeDesc }).element, v));
    else {
      try {
        wire[name] = JSON.parse(values[values.length - 1]!);
      } catch {
        violations.push({ path: name, message: 'must be JSON text' });
      }
    }
  }
  if (op.http.bodyFields.length > 0) {
    if (!isPlainObject(body)) violations.push({ path: '', message: 'the request body must be a JSON object' });
    else for (const name of op.http.bodyFields) if (Object.prototype.hasOwnProperty.call(body, name)) wire[name] = body[name];
  }
  if (violations.length > 0) throw dispatcher.invalidArgument(violations);
  return wire;
}

/**
 * As the OpenAPI document declares: scalars and enums plain; required lists
 * of them repeated (no parameter = the empty list); anything else JSON, so an
 * optional list's empty value stays distinct from an absent one.
 */

/** A parameter's text as its JSON wire value, for the JSON decoder to check like a body value. */
function textToWire(type: TypeDesc, text: string): unknown {
  if (type.kind !== 'scalar') return text;
  switch (type.scalar) {
    // Exactly the JSON number syntax (Number() would also take `0x1F4`, `+5`, ` 7`); other text fails the decoder's check.
    case 'int32':
      return /^-?[0-9]+$/.test(text) ? Number(text) : text;
    case 'float32':
    case 'float64':
      return /^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?$/.test(text) ? Number(text) : text;
    case 'boolean':
      return text === 'true' ? true : text === 'false' ? false : text;
    default:
      return text;
  }
}

/**
 * 413 for a declared length over the limit, 415 for a body that is not JSON
 * (the types a browser sends cross-site without a preflight among them):
 * before anything is read.
 */
function refuseBody(op: OperationDesc, req: IncomingMessage, maxBodyBytes: number): Problem | undefined {
  const length = Number(req.headers['content-length'] ?? 0);
  if (length > maxBodyBytes) return tooLarge(maxBodyBytes);
  const type = req.headers['content-type'];
  const hasBody = length > 0 || req.headers['transfer-encoding'] !== undefined;
  const json = type !== undefined && /^application\/([a-z0-9.+-]+\+)?json\s*(;|$)/i.test(type);
  if (json || (type === undefined && !hasBody)) return undefined;
  if (type === undefined && op.http.bodyFields.length === 0 && req.method === 'GET') return undefined;
  return {
    type: 'about:blank',
    title: 'Unsupported Media Type',
    status: 415,
    detail: `the request body must be application/json${type === undefined ? '' : `, not ${type}`}`,
    code: 'INVALID_ARGUMENT',
    error: 'InvalidArgument',
  };
}

function tooLarge(maxBodyBytes: number): Problem {
  return { type: 'about:blank', title: 'Content Too Large', status: 413, detail: `the request body exceeds ${maxBodyBytes} bytes`, code: 'RESOURCE_EXHAUSTED', error: 'ResourceExhausted' };
}

class BodyTooLarge extends Error {}

/** Whether every `%` of a query starts a percent-encoded UTF-8 sequence (URLSearchParams would put U+FFFD in silently). */
function validPercentEncoding(search: string): boolean {
  if (!search.includes('%')) return true;
  try {
    decodeURIComponent(search);
    return true;
  } catch {
    return false;
  }
}

async function readBody(req: IncomingMessage, maxBodyBytes: number): Promise<unknown> {
  const bytes = await readBodyWithin(req, maxBodyBytes);
  if (bytes === undefined) throw new BodyTooLarge();
  // An empty or blank body fails the parse like any other text that is no JSON.
  try {
    return JSON.parse(bytes.toString('utf8')) as unknown;
  } catch {
    return undefined;
  }
}

/** Whether the request says it has a body (a declared length above 0, or a chunked one). */
function hasBody(req: IncomingMessage): boolean {
  const length = req.headers['content-length'];
  return (length !== undefined && length !== '0') || req.headers['transfer-encoding'] !== undefined;
}

/** Reads a body nobody needs to its end. */
async function drain(req: IncomingMessage): Promise<void> {
  for await (const _ of req) void _;
}

/**
 * A server stream as server-sent events: one event per element (`data` is the
 * element's JSON), then an `end` event; a failure after the first element is
 * an `error` event whose data is the problem. A failure before it (bad input,
 * credentials) is an ordinary problem response.
 */
async function streamEvents(
  contract: ContractDescriptor,
  dispatcher: Dispatcher,
  op: OperationDesc,
  input: unknown,
  ctx: CallContext,
  res: ServerResponse,
): Promise<void> {
  if (op.output.kind !== 'stream') return;
  const element = op.output.element;
  const iterator = dispatcher.stream(op, input, ctx)[Symbol.asyncIterator]();
  let first: IteratorResult<unknown>;
  try {
    first = await iterator.next();
  } catch (error) {
    sendProblem(res, problemOf(contract, dispatcher.toContractError(op, error)));
    return;
  }
  res.writeHead(200, { 'Content-Type': 'text/event-stream; charset=utf-8', 'Cache-Control': 'no-cache', Connection: 'keep-alive' });
  res.flushHeaders();
  const write = (text: string) => {
    if (!res.destroyed) res.write(text);
  };
  try {
    for (let step = first; !step.done; step = await iterator.next()) {
      write(sseEvent(undefined, encodeJson(contract, element, step.value)));
    }
    write(sseEvent('end', null));
  } catch (error) {
    write(sseEvent('error', problemOf(contract, dispatcher.toContractError(op, error)) as unknown as JsonValue));
  } finally {
    res.end();
  }
}

function sseEvent(name: string | undefined, data: JsonValue): string {
  // JSON.stringify never emits a raw line break, so the data is one `data:` line.
  return `${name === undefined ? '' : `event: ${name}\n`}data: ${JSON.stringify(data)}\n\n`;
}

const JSON_TYPE = 'application/json; charset=utf-8';
const PROBLEM_TYPE = 'application/problem+json; charset=utf-8';

function sendJson(res: ServerResponse, status: number, contentType: string, body: JsonValue | Problem): void {
  sendText(res, status, contentType, JSON.stringify(body));
}

function sendText(res: ServerResponse, status: number, contentType: string, text: string): void {
  // A flat header list: node:http writes it as it is, without a headers object to walk.
  res.writeHead(status, ['Content-Type', contentType, 'Content-Length', String(Buffer.byteLength(text))]);
  res.end(text);
}

/** `close`: the body was not read, so the connection cannot carry another request. */
function sendProblem(res: ServerResponse, problem: Problem, close = false): void {
  if (problem.status === 401) res.setHeader('WWW-Authenticate', 'Bearer');
  if (close) res.setHeader('Connection', 'close');
  sendJson(res, problem.status, PROBLEM_TYPE, problem);
}
