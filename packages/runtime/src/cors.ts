// Cross-origin resource sharing (the Fetch standard's CORS protocol) for the
// HTTP styles: a browser page of another origin may call the service only
// when its origin is allowed. Without options nothing cross-origin is allowed:
// no CORS header is sent, so browsers keep such responses from the page, and
// preflights are refused.
import type { IncomingMessage, ServerResponse } from 'node:http';

export interface CorsOptions {
  /**
   * Origins whose pages may call the service: exact origins (`https://app.example.com`), `'*'` for any,
   * or a function deciding per origin. Default: none.
   */
  origins?: readonly string[] | '*' | ((origin: string) => boolean);
  /** Lets pages send cookies and HTTP authentication (`Access-Control-Allow-Credentials`); the origin is then echoed, never `*`. */
  credentials?: boolean;
  /** Response headers pages may read besides the CORS-safelisted ones, e.g. `['grpc-status']`. */
  exposedHeaders?: readonly string[];
  /** Request headers pages may send. Default: whatever the preflight asks for (the credential header, `Content-Type`, `SOAPAction`…). */
  allowedHeaders?: readonly string[];
  /** Methods pages may use. Default: GET, HEAD, POST, PUT, PATCH, DELETE. */
  methods?: readonly string[];
  /** How long a browser may cache a preflight's answer, in seconds (`Access-Control-Max-Age`). Default: not sent (the browser's own, 5 s in Chromium). */
  maxAgeSeconds?: number;
}

export type HttpHandler = (req: IncomingMessage, res: ServerResponse, next?: (error?: unknown) => void) => void;

const DEFAULT_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'];

/** Whether `origin` may call the service. */
export function originAllowed(options: CorsOptions | undefined, origin: string): boolean {
  const origins = options?.origins;
  if (origins === undefined) return false;
  if (origins === '*') return true;
  if (typeof origins === 'function') {
    try {
      return origins(origin) === true;
    } catch {
      return false;
    }
  }
  return origins.includes(origin);
}

/**
 * Applies CORS to one request: adds the response headers an allowed origin
 * gets, and answers a preflight (`OPTIONS` with `Access-Control-Request-Method`)
 * itself: 204 for an allowed origin, 403 for any other. Returns true when it
 * answered the request (nothing else may then write to `res`).
 */
export function applyCors(options: CorsOptions | undefined, req: IncomingMessage, res: ServerResponse): boolean {
  const origin = req.headers.origin;
  if (origin === undefined) return false;
  const preflight = req.method === 'OPTIONS' && req.headers['access-control-request-method'] !== undefined;
  // Answers differ by origin, so caches must keep them apart.
  res.appendHeader('Vary', 'Origin');
  const allowed = originAllowed(options, origin);
  if (!allowed) {
    if (!preflight) return false;
    res.writeHead(403, { 'Content-Type': 'application/problem+json' }).end(
      JSON.stringify({ type: 'about:blank', title: 'Forbidden', status: 403, detail: 'this origin may not call the service', code: 'PERMISSION_DENIED', error: 'PermissionDenied' }),
    );
    return true;
  }
  const any = options?.origins === '*' && options.credentials !== true;
  res.setHeader('Access-Control-Allow-Origin', any ? '*' : origin);
  if (options?.credentials === true) res.setHeader('Access-Control-Allow-Credentials', 'true');
  if (!preflight) {
    if (options?.exposedHeaders && options.exposedHeaders.length > 0) res.setHeader('Access-Control-Expose-Headers', options.exposedHeaders.join(', '));
    return false;
  }
  res.appendHeader('Vary', 'Access-Control-Request-Headers');
  res.setHeader('Access-Control-Allow-Methods', (options?.methods ?? DEFAULT_METHODS).join(', '));
  const requested = req.headers['access-control-request-headers'];
  const headers = options?.allowedHeaders ? options.allowedHeaders.join(', ') : requested;
  if (headers !== undefined && headers !== '') res.setHeader('Access-Control-Allow-Headers', headers);
  if (options?.maxAgeSeconds !== undefined) res.setHeader('Access-Control-Max-Age', String(Math.max(0, Math.floor(options.maxAgeSeconds))));
  res.writeHead(204, { 'Content-Length': '0' }).end();
  return true;
}

/**
 * `handler` behind CORS: any of the generated HTTP handlers (REST, GraphQL,
 * SOAP, SSE's `handle`, a webhook receiver) or a composition of them, e.g.
 * `withCors(createBookstoreRestHandler(service), { origins: ['https://app.example.com'] })`.
 */
export function withCors(handler: HttpHandler, options: CorsOptions): HttpHandler {
  return (req, res, next) => {
    if (applyCors(options, req, res)) return;
    handler(req, res, next);
  };
}
