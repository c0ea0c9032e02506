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
import type { ContractDescriptor, FieldDesc, OperationDesc, TypeDesc } from './descriptor.js';
import { queryEncoding } from './rest-query.js';
import { Dispatcher } from './dispatch.js';
import { ApigenError, type ErrorClass, type Violation } from './errors.js';
import { decodeFields, encodeJson } from './json.js';
import { problemOf, type Problem } from './rest-problem.js';
import { resolveLimits } from './limits.js';
import { discardBody, readBodyWithin } from './http-body.js';
import type { JsonValue } from './values.js';

export type RestHandler = (req: IncomingMessage, res: ServerResponse, next?: (error?: unknown) => void) => void;


interface Route {
  op: OperationDesc;
  pattern: RegExp;
  params: string[];
  /** The input fields by name. */
  fields: Map<string, FieldDesc>;
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

export function createRestHandler(
  contract: ContractDescriptor,
  errorClasses: Record<string, ErrorClass>,
  implementation: object,
  options: ServerOptions = {},
): RestHandler {
  const dispatcher = new Dispatcher(contract, errorClasses, implementation, options);
  // Request bodies above this size are refused (413) before they are parsed.
  const maxBodyBytes = resolveLimits(contract, options.limits).bodyBytes;
  const routes = contract.operations.filter((op) => op.styles.includes('rest')).map(routeOf);
  return (req, res, next) => {
    const url = targetOf(req.url ?? '/');
    // Routes match the encoded path, so an encoded `/` inside a parameter stays inside it.
    const path = url.pathname;
    let route: Route | undefined;
    let found = false;
    for (const r of routes) {
      if (!r.pattern.test(path)) continue;
      found = true;
      if (r.op.http.method === req.method) {
        route = r;
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
    const op = route.op;
    serve(contract, dispatcher, route, path, url, req, res, maxBodyBytes).catch((error: unknown) => {
      // serve() answers every contract error itself; this is a failure to write at all.
      options.onInternalError?.(error, op);
      if (!res.headersSent) sendProblem(res, problemOf(contract, dispatcher.toContractError(op, error)));
      else res.destroy();
    });
  };
}

function routeOf(op: OperationDesc): Route {
  const params: string[] = [];
  const source = op.http.path
    .split(/(\{[^}]+\})/)
    .map((part) => {
      const m = /^\{([^}]+)\}$/.exec(part);
      if (!m) return part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      params.push(m[1]!);
      // An empty string is a value too: `/keywords//x`.
      return '([^/]*)';
    })
    .join('');
  const fields = new Map(op.input.kind === 'fields' ? op.input.fields.map((f) => [f.name, f]) : []);
  return { op, pattern: new RegExp(`^${source}/?$`), params, fields };
}

async function serve(
  contract: ContractDescriptor,
  dispatcher: Dispatcher,
  route: Route,
  path: string,
  url: RequestTarget,
  req: IncomingMessage,
  res: ServerResponse,
  maxBodyBytes: number,
): Promise<void> {
  const { op } = route;
  const ctx = new LazyCallContext('rest', op, req.headers);
  res.once('close', () => {
    if (!res.writableFinished) ctx.cancel();
  });
  try {
    const credentials = await dispatcher.authenticate(op, (scheme) => headerOf(req, scheme.httpHeader));
    if (credentials) ctx.credentials = credentials;
    const refused = refuseBody(op, req, maxBodyBytes);
    if (refused?.status === 413) return sendProblem(res, refused, true);
    if (refused) {
      discardBody(req, maxBodyBytes);
      return sendProblem(res, refused);
    }
    const input = await readInput(contract, dispatcher, route, path, url, req, maxBodyBytes);
    if (op.output.kind === 'stream') return await streamEvents(contract, dispatcher, op, input, ctx, res);
    const result = await dispatcher.call(op, input, ctx);
    if (op.output.kind === 'none' || (op.output.kind === 'value' && op.output.optional && result === undefined)) {
      res.writeHead(204).end();
      return;
    }
    if (op.output.kind !== 'value') return;
    sendJson(res, 200, 'application/json', encodeJson(contract, op.output.type, result));
  } catch (error) {
    if (res.headersSent) {
      res.destroy();
      return;
    }
    if (error instanceof BodyTooLarge) return sendProblem(res, tooLarge(maxBodyBytes));
    sendProblem(res, problemOf(contract, dispatcher.toContractError(op, error)));
  }
}

/** The operation's input in TS form, from path, query and body, with the contract's defaults applied. */
async function readInput(
  contract: ContractDescriptor,
  dispatcher: Dispatcher,
  route: Route,
  path: string,
  url: RequestTarget,
  req: IncomingMessage,
  maxBodyBytes: number,
): Promise<Record<string, unknown>> {
  const { op } = route;
  if (op.input.kind !== 'fields') {
    await drain(req);
    return {};
  }
  const fields = op.input.fields;
  const field = (name: string): FieldDesc => route.fields.get(name)!;
  const violations: Violation[] = [];
  const wire: Record<string, unknown> = {};
  const match = route.pattern.exec(path)!;
  route.params.forEach((name, i) => {
    let text = match[i + 1]!;
    try {
      text = decodeURIComponent(text);
    } catch {
      violations.push({ path: name, message: 'is not valid percent-encoding' });
    }
    wire[name] = textToWire(field(name).type, text);
  });
  if (!validPercentEncoding(url.search)) violations.push({ path: '', message: 'the query is not valid percent-encoding' });
  for (const name of op.http.queryParams) {
    const f = field(name);
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
    const body = await readBody(req, maxBodyBytes);
    if (body === undefined) violations.push({ path: '', message: 'the request body must be a JSON object' });
    else if (typeof body !== 'object' || body === null || Array.isArray(body)) violations.push({ path: '', message: 'the request body must be a JSON object' });
    else for (const name of op.http.bodyFields) if (Object.prototype.hasOwnProperty.call(body, name)) wire[name] = (body as Record<string, unknown>)[name];
  } else await drain(req);
  dispatcher.rejectIfInvalid(violations);
  const input = decodeFields(contract, fields, wire, '', violations, 'input');
  dispatcher.rejectIfInvalid(violations);
  return input;
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
  const text = bytes.toString('utf8');
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** Reads a body nobody needs to its end; a request without one costs nothing. */
async function drain(req: IncomingMessage): Promise<void> {
  const length = req.headers['content-length'];
  if ((length === undefined || length === '0') && req.headers['transfer-encoding'] === undefined) return;
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

function sendJson(res: ServerResponse, status: number, contentType: string, body: JsonValue | Problem): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': `${contentType}; charset=utf-8`, 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

/** `close`: the body was not read, so the connection cannot carry another request. */
function sendProblem(res: ServerResponse, problem: Problem, close = false): void {
  if (problem.status === 401) res.setHeader('WWW-Authenticate', 'Bearer');
  if (close) res.setHeader('Connection', 'close');
  sendJson(res, problem.status, 'application/problem+json', problem);
}
