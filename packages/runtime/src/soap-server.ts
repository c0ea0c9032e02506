// SOAP 1.1 and 1.2 over HTTP with node-soap, from the emitted WSDL (document/
// literal wrapped). node-soap parses the envelope and writes the response; each
// operation translates the request element into TS values, runs the shared
// Dispatcher with the HTTP headers as metadata and the request's lifetime as
// the AbortSignal, and answers the result as the response element's `result`,
// or a contract error as a fault (./soap-fault.ts).
//
// The handler is a plain `(req, res, next)` function like the REST one, so it
// shares a port with the other styles and mounts in Express or Fastify. It
// reads the body itself (bounded) and checks the envelope before node-soap
// sees it, so that a malformed or foreign request is a SOAP fault, never
// node-soap's plain-text stack trace or a crash.
import type { IncomingMessage, ServerResponse } from 'node:http';
import * as soap from 'soap';
import { LazyCallContext, type CallContext, type Credentials, type ServerOptions } from './context.js';
import type { AuthSchemeDesc, ContractDescriptor, OperationDesc } from './descriptor.js';
import { Dispatcher } from './dispatch.js';
import { ApigenError, type ErrorClass, type Violation } from './errors.js';
import { checkedSlotEncoder, decodeFieldsXml, encodeSlot, findUnwritableText, guardElementNames, slotEncoder, UNENCODABLE, SOAP_WSDL_OPTIONS, type SoapContent } from './soap-codec.js';
import { faultOf, versionMismatchFault, type SoapFault, type SoapVersion } from './soap-fault.js';
import { resolveLimits } from './limits.js';
import { discardBody, readBodyWithin } from './http-body.js';

export interface SoapServerOptions extends ServerOptions {
  /** The endpoint's path (default `/soap`, where the WSDL's ports are). */
  path?: string;
  /** Request bodies above this many bytes are refused with a Client fault and 413 (default: `limits.bodyBytes`). */
  maxBodyBytes?: number;
}

export type SoapHandler = (req: IncomingMessage, res: ServerResponse, next?: (error?: unknown) => void) => void;

export interface SoapServer {
  /** Serves POST `path` (SOAP 1.1 `text/xml` or 1.2 `application/soap+xml`) and GET `path?wsdl`; other paths go to `next`. */
  handler: SoapHandler;
  path: string;
}

type SoapMethod = (args: SoapContent, callback: unknown, headers: unknown, req: IncomingMessage) => Promise<SoapContent>;
type Listener = (req: IncomingMessage, res: ServerResponse) => void;

const SOAP11_NS = 'http://schemas.xmlsoap.org/soap/envelope/';
const SOAP12_NS = 'http://www.w3.org/2003/05/soap-envelope';

/** The response of a request being answered, kept on the request: node-soap hands an operation the request only. */
const RESPONSE = Symbol('apigen.soap.response');
/** The operation whose credentials were accepted before the envelope was read, with them. */
const ACCEPTED = Symbol('apigen.soap.accepted');
type AnsweredRequest = IncomingMessage & { body?: Buffer; [RESPONSE]?: ServerResponse; [ACCEPTED]?: { op: OperationDesc; credentials: Credentials | undefined } };

const schemeHeader = (req: IncomingMessage, scheme: AuthSchemeDesc): string | undefined => {
  const value = req.headers[scheme.httpHeader.toLowerCase()];
  return typeof value === 'string' ? value : undefined;
};

// A path URL parsing would leave as it is: no dot segments, backslashes, or characters it percent-encodes.
const PLAIN_PATH = /^(?:\/(?!\.)[A-Za-z0-9\-_~!$&'()*+,;=:@%.]*)*$/;

/** The request target's path and query, split without a URL object when the path is plain. */
function targetOf(raw: string): { pathname: string; search: string } {
  const hash = raw.indexOf('#');
  const target = hash < 0 ? raw : raw.slice(0, hash);
  const q = target.indexOf('?');
  const pathname = q < 0 ? target : target.slice(0, q);
  if (pathname !== '' && PLAIN_PATH.test(pathname)) return { pathname, search: q < 0 || q === target.length - 1 ? '' : target.slice(q) };
  return new URL(raw, 'http://localhost');
}

/** Thrown by an operation to make node-soap answer with this fault. */
class FaultAnswer {
  constructor(readonly Fault: SoapFault) {}
}

export async function createSoapServer(
  contract: ContractDescriptor,
  errorClasses: Record<string, ErrorClass>,
  wsdlText: string,
  implementation: object,
  options: SoapServerOptions = {},
): Promise<SoapServer> {
  const path = (options.path ?? '/soap').replace(/\/+$/, '') || '/';
  const limits = resolveLimits(contract, options.limits);
  const maxBodyBytes = options.maxBodyBytes ?? limits.bodyBytes;
  const dispatcher = new Dispatcher(contract, errorClasses, implementation, options);
  const operations = contract.operations.filter((op) => op.styles.includes('soap'));
  const requestElements = new Set(operations.map((op) => op.soapRequestElement));
  const invalid = (message: string): ApigenError => dispatcher.invalidArgument([{ path: '', message }]);

  const methodsFor = (version: SoapVersion): Record<string, SoapMethod> =>
    Object.fromEntries(operations.map((op) => [op.grpc, (args: SoapContent, _callback: unknown, _headers: unknown, req: IncomingMessage) => answer(op, args, req, version)]));

  const answer = async (op: OperationDesc, args: SoapContent, req: IncomingMessage, version: SoapVersion): Promise<SoapContent> => {
    let ctx: CallContext | undefined;
    try {
      // The signal and the metadata map are made only if the implementation reads them; whether the caller
      // went away is read from the response, found on the request (node-soap hands an operation the request only).
      const lazy = new LazyCallContext('soap', op, req.headers, (req as AnsweredRequest)[RESPONSE]);
      // Accepted before the envelope was read when the SOAPAction named this operation; a hook that answers at once is not awaited.
      const accepted = (req as AnsweredRequest)[ACCEPTED];
      let credentials = accepted?.op === op ? accepted.credentials : dispatcher.authenticateFrom(op, req, schemeHeader);
      if (credentials instanceof Promise) credentials = await credentials;
      if (credentials) lazy.credentials = credentials;
      ctx = lazy;
      const violations: Violation[] = [];
      const input = op.input.kind === 'fields' ? decodeFieldsXml(contract, op.input.fields, args, '', violations, 'input') : {};
      dispatcher.rejectIfInvalid(violations);
      // The result is checked as it is encoded, not walked once more before (unless an interceptor must see the check fail).
      const checksWhileEncoding = dispatcher.leavesOutputCheck;
      const result = await dispatcher.call(op, input, ctx, false, checksWhileEncoding);
      return encodeResult(op, result, checksWhileEncoding && dispatcher.checksOutput(), lazy);
    } catch (error) {
      throw new FaultAnswer(faultOf(contract, dispatcher.toContractError(op, error, ctx), version, writeElement));
    }
  };

  // Each operation's result encoder, compiled once (soap-codec.ts slotEncoder).
  const resultEncoders = new Map(
    operations.flatMap((op) => (op.output.kind === 'value' ? [[op, slotEncoder(contract, op.output.type, op.output.optional, 'output')] as const] : [])),
  );
  const checkedResultEncoders = new Map(
    operations.flatMap((op) => (op.output.kind === 'value' ? [[op, checkedSlotEncoder(contract, op.output.type, op.output.optional)] as const] : [])),
  );
  /** `check`: the result is held to the contract in the same walk (call's `outputChecked`). */
  const encodeResult = (op: OperationDesc, result: unknown, check: boolean, ctx: CallContext): SoapContent => {
    if (op.output.kind !== 'value') return {};
    if (check && !(result === undefined && op.output.optional)) {
      const slot = result === undefined ? UNENCODABLE : checkedResultEncoders.get(op)!(result);
      if (slot !== UNENCODABLE) return slot === undefined ? {} : { result: slot };
      // The rules' violations first, as the call's own check would have found them; then what XML cannot carry.
      const refusal = dispatcher.refusedOutput(op, result, ctx);
      if (refusal) throw refusal;
    }
    if (result === undefined) return {};
    let slot = resultEncoders.get(op)!(result);
    if (slot === UNENCODABLE) {
      // Paths and messages only for a value that has such text (or a union value of no member, which encodeSlot names).
      const unwritable: Violation[] = [];
      findUnwritableText(contract, op.output.type, result, 'output', unwritable);
      if (unwritable.length > 0) throw new TypeError(`${op.name} returned a value SOAP cannot carry: ${unwritable.map((v) => `${v.path}: ${v.message}`).join('; ')}`);
      slot = encodeSlot(contract, op.output.type, op.output.optional, result, 'output');
    }
    return slot === undefined ? {} : { result: slot };
  };

  const soap11 = await listenOn(wsdlText, path, methodsFor('1.1'), false);
  const soap12 = await listenOn(wsdlText, path, methodsFor('1.2'), true);
  const writeElement = (element: string, content: object): string => soap11.wsdl.objectToDocumentXML(element, content, undefined as unknown as string);

  const reply = (res: ServerResponse, version: SoapVersion, status: number, body: string): void => {
    if (res.headersSent) return void res.end();
    res.writeHead(status, { 'Content-Type': `${version === '1.2' ? 'application/soap+xml' : 'text/xml'}; charset=utf-8` }).end(body);
  };
  /** A fault answer; `status` is the one HTTP asks for (405, 413) where it differs from the error's. */
  const replyFault = (res: ServerResponse, version: SoapVersion, error: ApigenError, status?: number, close = false): void => {
    // `close`: the body was not read, so the connection cannot carry another request.
    if (close && !res.headersSent) res.setHeader('Connection', 'close');
    const { statusCode, ...fault } = faultOf(contract, error, version, writeElement);
    reply(res, version, status ?? statusCode, envelope(soap11.wsdl, version, fault));
  };

  const handler: SoapHandler = (req, res, next) => {
    const url = targetOf(req.url ?? '/');
    if ((url.pathname.replace(/\/+$/, '') || '/') !== path) {
      if (next) return next();
      res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' }).end(`no SOAP endpoint at ${url.pathname}`);
      return;
    }
    const contentType = req.headers['content-type'] ?? '';
    const version: SoapVersion = /^application\/soap\+xml/i.test(contentType) ? '1.2' : '1.1';
    if (req.method === 'GET' && url.search.toLowerCase().startsWith('?wsdl')) {
      const host = req.headers.host ?? 'localhost';
      res.writeHead(200, { 'Content-Type': 'text/xml; charset=utf-8' }).end(withAddress(wsdlText, `http://${host}${path}`));
      return;
    }
    if (req.method !== 'POST') {
      res.setHeader('Allow', 'GET, POST');
      return replyFault(res, version, invalid(`${req.method ?? 'this method'} is not SOAP: POST the envelope, or GET ${path}?wsdl`), 405);
    }
    if (!/^(text\/xml|application\/soap\+xml)\s*(;|$)/i.test(contentType)) {
      discardBody(req, maxBodyBytes);
      return replyFault(res, version, invalid(`a SOAP request is text/xml (SOAP 1.1) or application/soap+xml (SOAP 1.2), not ${contentType || 'untyped'}`), 415);
    }
    if (Number(req.headers['content-length'] ?? 0) > maxBodyBytes) return replyFault(res, version, invalid(`the request body exceeds ${maxBodyBytes} bytes`), 413, true);
    // The credential travels in a header: checked before the envelope is read and parsed.
    authenticateAhead(req).then(
      (refused) => {
        if (!refused) return serveEnvelope(req, res, version);
        discardBody(req, maxBodyBytes);
        replyFault(res, version, refused);
      },
      (error: unknown) => {
        discardBody(req, maxBodyBytes);
        replyFault(res, version, dispatcher.toContractError(operations[0]!, error));
      },
    );
  };

  /**
   * The operation the SOAPAction (1.1 header, 1.2 `action` parameter) names,
   * authenticated; without one, refused unless some operation accepts the
   * credential (or needs none). The operation in the envelope is
   * authenticated again when it runs.
   */
  const actions = new Map(operations.map((op) => [`${contract.service.namespace}/${op.grpc}`, op]));
  const authenticateAhead = async (req: IncomingMessage): Promise<ApigenError | undefined> => {
    const action = soapAction(req);
    const named = action === undefined ? undefined : actions.get(action);
    const candidates = named ? [named] : operations;
    let refusal: ApigenError | undefined;
    for (const op of candidates) {
      if (op.auth.length === 0) return undefined;
      try {
        let credentials = dispatcher.authenticateFrom(op, req, schemeHeader);
        if (credentials instanceof Promise) credentials = await credentials;
        // Kept for the call, when the envelope holds this operation: the hook is not asked twice.
        (req as AnsweredRequest)[ACCEPTED] = { op, credentials };
        return undefined;
      } catch (error) {
        if (!(error instanceof ApigenError)) throw error;
        refusal ??= error;
      }
    }
    return refusal;
  };

  const serveEnvelope = (req: IncomingMessage, res: ServerResponse, version: SoapVersion): void => {
    readBody(req, maxBodyBytes).then(
      (bytes) => {
        if (bytes === undefined) return replyFault(res, version, invalid(`the request body exceeds ${maxBodyBytes} bytes`), 413);
        const xml = bytes.toString('utf8');
        const mismatch = versionMismatch(xml, version);
        if (mismatch) return reply(res, version, 500, envelope(soap11.wsdl, version, versionMismatchFault(version, mismatch)));
        const shape = xmlShapeProblem(xml, limits.xmlDepth);
        if (shape) return replyFault(res, version, invalid(shape));
        const target = version === '1.2' ? soap12 : soap11;
        const problem = checkEnvelope(target, xml, requestElements);
        if (problem) return replyFault(res, version, invalid(problem));
        // node-soap reads the body from here, as the bytes that came.
        (req as AnsweredRequest).body = bytes;
        (req as AnsweredRequest)[RESPONSE] = res;
        target.listener(req, bufferedResponse(res, (status, body) => {
          // node-soap answers its own failures as plain text (a stack trace); the client gets an Internal fault
          // instead, and onInternalError (called by toContractError) the text.
          if (!body.trimStart().startsWith('<')) return replyFault(res, version, dispatcher.toContractError(operations[0]!, new Error(`node-soap: ${body}`)));
          reply(res, version, status, body);
        }));
      },
      (error: unknown) => {
        if (!res.headersSent) res.destroy(error instanceof Error ? error : undefined);
      },
    );
  };
  return { handler, path };
}

interface Listening {
  wsdl: soap.WSDL;
  listener: Listener;
  /** Hands node-soap an envelope already parsed from this text, for its parse that follows at once. */
  parsed(xml: string, envelope: unknown): void;
}

/**
 * Makes the WSDL's parse answer the next request for the text just parsed
 * with that parse: the envelope is checked before node-soap sees it, and
 * node-soap's listener parses the same text again synchronously right after,
 * so each envelope is parsed once. Any other call clears the slot.
 */
function parseOnce(wsdl: soap.WSDL): (xml: string, envelope: unknown) => void {
  const parse = wsdl.xmlToObject.bind(wsdl);
  let last: { xml: string; envelope: unknown } | undefined;
  wsdl.xmlToObject = ((xml: string, callback?: unknown) => {
    const hit = last;
    last = undefined;
    if (hit !== undefined && callback === undefined && hit.xml === xml) return hit.envelope;
    return (parse as (xml: string, callback?: unknown) => unknown)(xml, callback);
  }) as typeof wsdl.xmlToObject;
  return (xml, envelope) => void (last = { xml, envelope });
}

/** A node-soap Server for one SOAP version, on an Express-shaped stand-in, so that it owns no HTTP server. */
async function listenOn(wsdlText: string, path: string, methods: Record<string, SoapMethod>, soap12: boolean): Promise<Listening> {
  const services: Record<string, Record<string, Record<string, SoapMethod>>> = {};
  let listener: Listener | undefined;
  const app = { route: () => ({ all: (fn: Listener) => void (listener = fn) }), use: () => undefined };
  const options = { ...SOAP_WSDL_OPTIONS, forceSoap12Headers: soap12 };
  // The WSDL parses on the next tick; the Server, made in this one, waits for it.
  const wsdl = new soap.WSDL(wsdlText, 'urn:apigen', options);
  // node-soap's server takes this option only through its WSDL's options.
  wsdl.options.preserveWhitespace = true;
  await new Promise<void>((resolve, reject) => {
    new soap.Server(app as never, path, services, wsdl, {
      path,
      services,
      ...options,
      callback: (error: unknown) => (error ? reject(error instanceof Error ? error : new Error(String(error))) : resolve()),
    });
  });
  guardElementNames(wsdl);
  for (const [serviceName, service] of Object.entries(wsdl.definitions.services)) {
    services[serviceName] = Object.fromEntries(Object.keys(service.ports).map((port) => [port, methods]));
  }
  if (!listener) throw new Error('node-soap did not register its request listener');
  return { wsdl, listener, parsed: parseOnce(wsdl) };
}

/** The SOAP envelope around a fault, as node-soap writes its own. */
function envelope(wsdl: soap.WSDL, version: SoapVersion, fault: Record<string, unknown>): string {
  const ns = version === '1.2' ? 'http://www.w3.org/2003/05/soap-envelope' : 'http://schemas.xmlsoap.org/soap/envelope/';
  const body = version === '1.1' ? wsdl.objectToDocumentXML('soap:Fault', fault, undefined as unknown as string) : wsdl.objectToDocumentXML('Fault', fault, 'soap');
  return `<?xml version="1.0" encoding="utf-8"?><soap:Envelope xmlns:soap="${ns}"><soap:Body>${body}</soap:Body></soap:Envelope>`;
}

/** Why the body is no request of this service, or undefined when node-soap can take it. */
function checkEnvelope(target: Listening, xml: string, requestElements: ReadonlySet<string>): string | undefined {
  let parsed: unknown;
  try {
    parsed = target.wsdl.xmlToObject(xml);
  } catch (error) {
    const fault = (error as { Fault?: { detail?: unknown } }).Fault;
    if (fault) return `the request is not well-formed XML: ${String(fault.detail).split('\n')[0]}`;
    return 'the SOAP body holds no request element of this service';
  }
  const envelope = parsed as { Body?: unknown } | null;
  const body = envelope && typeof envelope === 'object' ? envelope.Body : undefined;
  if (!body || typeof body !== 'object') return 'the request is not a SOAP envelope with a body';
  const elements = Object.keys(body).filter((key) => key !== SOAP_WSDL_OPTIONS.attributesKey);
  if (elements.length !== 1 || Array.isArray((body as Record<string, unknown>)[elements[0]!])) return 'the SOAP body must hold exactly one request element';
  if (!requestElements.has(elements[0]!)) return `the SOAP body holds no request element of this service (${elements[0]})`;
  target.parsed(xml, parsed);
  return undefined;
}

function headerOf(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}

/** The SOAPAction: the 1.1 header, or the 1.2 Content-Type's `action` parameter; without quotes. */
function soapAction(req: IncomingMessage): string | undefined {
  const header = headerOf(req, 'soapaction');
  const raw = header ?? /;\s*action\s*=\s*("[^"]*"|[^;\s]*)/i.exec(req.headers['content-type'] ?? '')?.[1];
  const trimmed = raw?.trim();
  const action = trimmed !== undefined && trimmed.length >= 2 && trimmed.startsWith('"') && trimmed.endsWith('"') ? trimmed.slice(1, -1) : trimmed;
  return action === '' ? undefined : action;
}

/**
 * Why the envelope's namespace does not fit the Content-Type (SOAP 1.1 is
 * text/xml, 1.2 application/soap+xml), read from the document element's start
 * tag without parsing the rest; undefined when it fits.
 */
function versionMismatch(xml: string, version: SoapVersion): string | undefined {
  const start = ENVELOPE_START.exec(xml.length > 64 * 1024 ? xml.slice(0, 64 * 1024) : xml);
  if (!start) return undefined; // Not an envelope at all: the envelope check answers it.
  const prefix = start[1] === undefined ? undefined : start[1].slice(0, -1);
  let ns: string | undefined;
  // The first declaration of the envelope's prefix (or of the default namespace), by one regular expression for every prefix.
  NAMESPACE_DECLARATION.lastIndex = 0;
  for (let m = NAMESPACE_DECLARATION.exec(start[2] ?? ''); m !== null; m = NAMESPACE_DECLARATION.exec(start[2] ?? '')) {
    if (m[1] === prefix) {
      ns = m[3] ?? m[4];
      break;
    }
  }
  const expected = version === '1.2' ? SOAP12_NS : SOAP11_NS;
  if (ns === expected) return undefined;
  if (ns === SOAP11_NS || ns === SOAP12_NS) return `a SOAP ${ns === SOAP12_NS ? '1.2' : '1.1'} envelope must be sent as ${ns === SOAP12_NS ? 'application/soap+xml' : 'text/xml'}`;
  return `the envelope is not in the SOAP ${version} namespace ${expected}`;
}

const ENVELOPE_START = /^(?:\s|<\?[\s\S]*?\?>|<!--[\s\S]*?-->)*<([A-Za-z_][\w.-]*:)?Envelope\b([^>]*)>/;
const NAMESPACE_DECLARATION = /\sxmlns(?::([A-Za-z_][\w.-]*))?\s*=\s*("([^"]*)"|'([^']*)')/g;

/** No WSDL names an element this long; refused before the parser copies it into its tree and messages. */
const MAX_NAME_LENGTH = 1024;

/**
 * Elements nested deeper than `depthLimit`, or a name longer than any the
 * WSDL has: one pass over the text, before any parser builds the tree.
 * Comments, CDATA sections, processing instructions and declarations are
 * passed over whole (a `<` inside them is text, not an element), and an
 * attribute value is read to its closing quote (a `>` or `/>` inside one
 * ends no tag). Text the parser will refuse anyway (an unclosed tag or
 * section) is left to it.
 */
export function xmlShapeProblem(xml: string, depthLimit: number): string | undefined {
  const length = xml.length;
  let depth = 0;
  let i = xml.indexOf('<');
  while (i !== -1) {
    const next = xml.charCodeAt(i + 1);
    if (next === 33 /* ! */ || next === 63 /* ? */) {
      const close = next === 63 ? '?>' : xml.startsWith('<!--', i) ? '-->' : xml.startsWith('<![CDATA[', i) ? ']]>' : '>';
      const end = xml.indexOf(close, i + 2);
      if (end === -1) return undefined;
      i = xml.indexOf('<', end + close.length);
      continue;
    }
    let nameEnd = i + 1;
    while (nameEnd < length && nameEnd - i <= MAX_NAME_LENGTH + 1) {
      const c = xml.charCodeAt(nameEnd);
      if (c === 62 /* > */ || c === 32 || c === 9 || c === 10 || c === 13 || (c === 47 /* / */ && nameEnd > i + 1)) break;
      nameEnd++;
    }
    if (nameEnd - i > MAX_NAME_LENGTH + 1) return `the request has an element name longer than ${MAX_NAME_LENGTH} characters`;
    if (next === 47 /* / */) {
      depth--;
      i = xml.indexOf('<', nameEnd);
      continue;
    }
    // The tag's end: the first `>` outside a quoted attribute value.
    let end = nameEnd;
    for (let quote = 0; end < length; end++) {
      const c = xml.charCodeAt(end);
      if (quote !== 0) {
        if (c === quote) quote = 0;
      } else if (c === 62 /* > */) break;
      else if (c === 34 /* " */ || c === 39 /* ' */) quote = c;
    }
    if (end >= length) return undefined;
    if (xml.charCodeAt(end - 1) !== 47 /* / */) depth++;
    if (depth > depthLimit) return `the request nests elements deeper than ${depthLimit}`;
    i = xml.indexOf('<', end + 1);
  }
  return undefined;
}

/** The body as text; undefined when it is larger than `limit`. */
/** The body's bytes; undefined when it is larger than `limit`. */
const readBody = readBodyWithin;

/** What node-soap writes to a response, collected, so that it can be checked before it is sent. */
function bufferedResponse(res: ServerResponse, done: (status: number, body: string) => void): ServerResponse {
  return new CollectedResponse(res, done) as unknown as ServerResponse;
}

class CollectedResponse {
  statusCode = 200;
  headersSent = false;
  #chunks = '';
  constructor(
    private readonly res: ServerResponse,
    private readonly done: (status: number, body: string) => void,
  ) {}
  setHeader(): this {
    return this;
  }
  getHeader(): undefined {
    return undefined;
  }
  write(chunk: string | Buffer): boolean {
    this.#chunks += chunk.toString();
    return true;
  }
  end(chunk?: string | Buffer): this {
    if (chunk !== undefined) this.#chunks += chunk.toString();
    this.done(this.statusCode, this.#chunks);
    return this;
  }
  on(event: string, fn: () => void): this {
    this.res.on(event, fn);
    return this;
  }
  once(event: string, fn: () => void): this {
    this.res.once(event, fn);
    return this;
  }
}

/** The WSDL with its port addresses set to where it is served from. */
function withAddress(wsdlText: string, url: string): string {
  return wsdlText.replace(/(<soap(?:12)?:address location=")[^"]*(")/g, (_m, start: string, end: string) => `${start}${url.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/"/g, '&quot;')}${end}`);
}
