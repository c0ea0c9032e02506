// Hand-written servers for the bookstore on the same libraries the generated
// ones use (node:http, graphql-js with graphql-http, @grpc/grpc-js with
// proto-loader, node-soap), doing the same work: the same bearer check, the
// same input checks with the same error bodies, the same JSON/proto/XML forms
// of the answer. They are the baseline a generated server is measured against.
import { createServer } from 'node:http';
import * as grpc from '@grpc/grpc-js';
import { fromJSON } from '@grpc/proto-loader';
import { buildSchema, GraphQLError } from 'graphql';
import { createHandler } from 'graphql-http/lib/use/http';
import protobuf from 'protobufjs';
import * as soap from 'soap';
import { WebSocketServer } from 'ws';

const UUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
const ISBN = /^[0-9]{13}$/;
const DECIMAL = /^-?[0-9]+(\.[0-9]+)?$/;
const INT64 = /^-?(0|[1-9][0-9]*)$/;
const DATETIME = /^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;
const STATUSES = new Set(['DRAFT', 'PUBLISHED', 'ARCHIVED']);
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

export class BookNotFoundError extends Error {
  constructor(bookId) {
    super('No book has this id.');
    this.bookId = bookId;
  }
}

export function bearerOf(header, token) {
  if (typeof header !== 'string' || header.slice(0, 7).toLowerCase() !== 'bearer ') return 'credentials are required';
  if (header.slice(7).trim() !== token) return 'the credentials were not accepted';
  return undefined;
}

function codePoints(text) {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) i++;
    n++;
  }
  return n;
}

/** Text a UTF-8 wire can carry (no lone surrogates): the contract's rule for every string. */
const wellFormed = (text) => text.isWellFormed();

/** The BookInput rules of the contract, on the JSON form; the TS form or the violations. */
function bookInputFromJson(json, path, violations) {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    violations.push(`${path}: must be an object`);
    return undefined;
  }
  const { title, isbn, price, pages, status, tags, publishedAt, attributes, salesRank } = json;
  if (typeof title !== 'string') violations.push(`${path}.title: ${title === undefined || title === null ? 'is required' : 'must be a string'}`);
  else if (!wellFormed(title)) violations.push(`${path}.title: must be well-formed Unicode`);
  else if (codePoints(title) < 1) violations.push(`${path}.title: must be at least 1 characters long`);
  else if (codePoints(title) > 200) violations.push(`${path}.title: must be at most 200 characters long`);
  if (typeof isbn !== 'string') violations.push(`${path}.isbn: is required`);
  else if (!ISBN.test(isbn)) violations.push(`${path}.isbn: must match the pattern ^[0-9]{13}$`);
  if (typeof price !== 'string' || !DECIMAL.test(price)) violations.push(`${path}.price: must be a decimal number`);
  if (!Number.isInteger(pages) || pages > 2147483647) violations.push(`${path}.pages: must be a 32-bit integer`);
  else if (pages < 1) violations.push(`${path}.pages: must be at least 1`);
  if (!STATUSES.has(status)) violations.push(`${path}.status: must be one of DRAFT, PUBLISHED, ARCHIVED`);
  if (!Array.isArray(tags) || tags.some((t) => typeof t !== 'string' || !wellFormed(t))) violations.push(`${path}.tags: must be a list of strings`);
  let at;
  if (publishedAt !== undefined && publishedAt !== null) {
    if (typeof publishedAt !== 'string' || !DATETIME.test(publishedAt) || Number.isNaN((at = new Date(publishedAt)).getTime()))
      violations.push(`${path}.publishedAt: must be an RFC 3339 date-time with an offset`);
  }
  const map = new Map();
  if (typeof attributes !== 'object' || attributes === null || Array.isArray(attributes)) violations.push(`${path}.attributes: must be an object`);
  else for (const key of Object.keys(attributes)) {
    if (typeof attributes[key] !== 'string' || !wellFormed(attributes[key])) violations.push(`${path}.attributes: must hold strings`);
    map.set(key, attributes[key]);
  }
  let rank;
  if (typeof salesRank !== 'string' || !INT64.test(salesRank) || (rank = BigInt(salesRank)) < INT64_MIN || rank > INT64_MAX)
    violations.push(`${path}.salesRank: must be a 64-bit integer`);
  if (violations.length > 0) return undefined;
  const book = { title, isbn, price, pages, status, tags, attributes: map, salesRank: rank };
  if (at) book.publishedAt = at;
  return book;
}

function bookToJson(book) {
  const json = { id: book.id, title: book.title, isbn: book.isbn, price: book.price, pages: book.pages, status: book.status, tags: book.tags };
  if (book.publishedAt !== undefined) json.publishedAt = book.publishedAt.toISOString();
  json.attributes = Object.fromEntries(book.attributes);
  json.salesRank = book.salesRank.toString();
  return json;
}

// ---------------------------------------------------------------- REST

const MAX_BODY = 16 * 1024 * 1024;
const TITLES = { 400: 'Bad Request', 401: 'Unauthorized', 413: 'Content Too Large', 415: 'Unsupported Media Type', 404: 'Not Found', 405: 'Method Not Allowed', 500: 'Internal Server Error' };

function sendJson(res, status, type, body) {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': `${type}; charset=utf-8`, 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

function problem(res, status, code, error, detail, fields = {}) {
  if (status === 401) res.setHeader('WWW-Authenticate', 'Bearer');
  sendJson(res, status, 'application/problem+json', { ...fields, type: 'about:blank', title: TITLES[status], status, detail, code, error });
}

function failWith(res, error) {
  if (error instanceof BookNotFoundError) return problem(res, 404, 'NOT_FOUND', 'BookNotFound', error.message, { bookId: error.bookId });
  problem(res, 500, 'INTERNAL', 'Internal', 'internal error');
}

export function restHandler(implementation, token) {
  return (req, res, next) => {
    const url = req.url;
    const q = url.indexOf('?');
    const path = q < 0 ? url : url.slice(0, q);
    if (path.startsWith('/books/') && path.indexOf('/', 7) < 0) {
      if (req.method !== 'GET') {
        res.setHeader('Allow', 'GET');
        return problem(res, 405, 'UNIMPLEMENTED', 'MethodNotAllowed', `${req.method} is not allowed here`);
      }
      const denied = bearerOf(req.headers.authorization, token);
      if (denied) return problem(res, 401, 'UNAUTHENTICATED', 'Unauthenticated', denied);
      let id;
      try {
        id = decodeURIComponent(path.slice(7));
      } catch {
        return problem(res, 400, 'INVALID_ARGUMENT', 'InvalidArgument', 'invalid input: id: is not valid percent-encoding');
      }
      if (!UUID.test(id)) return problem(res, 400, 'INVALID_ARGUMENT', 'InvalidArgument', 'invalid input: id: must be a UUID');
      implementation.getBook({ id }, { style: 'rest' }).then(
        (book) => sendJson(res, 200, 'application/json', bookToJson(book)),
        (error) => failWith(res, error),
      );
      return;
    }
    if (path === '/books') {
      if (req.method !== 'POST') {
        res.setHeader('Allow', 'POST');
        return problem(res, 405, 'UNIMPLEMENTED', 'MethodNotAllowed', `${req.method} is not allowed here`);
      }
      const denied = bearerOf(req.headers.authorization, token);
      if (denied) return problem(res, 401, 'UNAUTHENTICATED', 'Unauthenticated', denied);
      // The generated server's refusals before the body is read: a declared length over the limit, a body that is not JSON.
      if (Number(req.headers['content-length'] ?? 0) > MAX_BODY) return problem(res, 413, 'RESOURCE_EXHAUSTED', 'ResourceExhausted', 'the request body is too large');
      if (!/^application\/([a-z0-9.+-]+\+)?json\s*(;|$)/i.test(req.headers['content-type'] ?? '')) return problem(res, 415, 'INVALID_ARGUMENT', 'InvalidArgument', 'the request body must be application/json');
      const chunks = [];
      let size = 0;
      req.on('data', (chunk) => {
        size += chunk.length;
        if (size <= MAX_BODY) chunks.push(chunk);
      });
      req.on('end', () => {
        if (size > MAX_BODY) return problem(res, 413, 'RESOURCE_EXHAUSTED', 'ResourceExhausted', 'the request body is too large');
        let body;
        try {
          body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
        } catch {
          body = undefined;
        }
        if (typeof body !== 'object' || body === null || Array.isArray(body))
          return problem(res, 400, 'INVALID_ARGUMENT', 'InvalidArgument', 'invalid input: the request body must be a JSON object');
        const violations = [];
        const book = bookInputFromJson(body.book, 'book', violations);
        if (!book) return problem(res, 400, 'INVALID_ARGUMENT', 'InvalidArgument', `invalid input: ${violations.join('; ')}`);
        implementation.createBook({ book }, { style: 'rest' }).then(
          (created) => sendJson(res, 200, 'application/json', bookToJson(created)),
          (error) => failWith(res, error),
        );
      });
      return;
    }
    if (next) return next();
    problem(res, 404, 'NOT_FOUND', 'NotFound', `no operation at ${path}`);
  };
}

// ---------------------------------------------------------------- GraphQL

function gqlError(message, code, error, fields = {}) {
  return new GraphQLError(message, { extensions: { ...fields, code, error } });
}

function bookToGraphql(book) {
  return { ...book, attributes: [...book.attributes].map(([key, value]) => ({ key, value })) };
}

export function graphqlHandler(implementation, token, sdl) {
  const schema = buildSchema(sdl);
  schema.getType('Int64').serialize = (v) => (typeof v === 'bigint' ? v.toString() : String(v));
  schema.getType('DateTime').serialize = (v) => (v instanceof Date ? v.toISOString() : v);
  schema.getType('Decimal').serialize = (v) => v;
  schema.getType('UUID').serialize = (v) => v;
  schema.getType('UUID').parseValue = (v) => v;
  schema.getType('UUID').parseLiteral = (ast) => ast.value;
  const getBook = schema.getQueryType().getFields().getBook;
  getBook.resolve = async (_source, args, context) => {
    const denied = bearerOf(context.authorization, token);
    if (denied) throw gqlError(denied, 'UNAUTHENTICATED', 'Unauthenticated');
    if (typeof args.id !== 'string' || !UUID.test(args.id)) throw gqlError('invalid input: id: must be a UUID', 'INVALID_ARGUMENT', 'InvalidArgument');
    try {
      return bookToGraphql(await implementation.getBook({ id: args.id }, { style: 'graphql' }));
    } catch (error) {
      if (error instanceof BookNotFoundError) throw gqlError(error.message, 'NOT_FOUND', 'BookNotFound', { bookId: error.bookId });
      throw gqlError('internal error', 'INTERNAL', 'Internal');
    }
  };
  const formatError = (error) =>
    error instanceof GraphQLError && error.extensions?.code === undefined
      ? new GraphQLError(error.message, { nodes: error.nodes, extensions: { ...error.extensions, code: 'INVALID_ARGUMENT', error: 'InvalidArgument' } })
      : error;
  const handler = createHandler({ schema, formatError, context: (req) => ({ authorization: req.raw.headers.authorization }) });
  return (req, res, next) => {
    const url = req.url;
    const q = url.indexOf('?');
    if ((q < 0 ? url : url.slice(0, q)) !== '/graphql') {
      if (next) return next();
      return res.writeHead(404).end();
    }
    handler(req, res).catch(() => {
      if (!res.headersSent) res.writeHead(500).end();
    });
  };
}

// ---------------------------------------------------------------- gRPC

const LOADER_OPTIONS = { keepCase: true, longs: String, enums: String, defaults: false, oneofs: true, arrays: true, objects: true };

export function grpcService(implementation, token, protoText, pkg, service) {
  const root = new protobuf.Root();
  root.addJSON(protobuf.common.get('google/protobuf/timestamp.proto').nested);
  protobuf.parse(protoText, root, { keepCase: true });
  const definition = fromJSON(root.toJSON(), LOADER_OPTIONS)[`${pkg}.${service}`];
  const unauthenticated = (details) => ({ code: grpc.status.UNAUTHENTICATED, details });
  const handlers = {
    GetBook(call, callback) {
      const header = call.metadata.get('authorization')[0];
      const denied = bearerOf(typeof header === 'string' ? header : undefined, token);
      if (denied) return callback(unauthenticated(denied));
      const id = call.request.id ?? '';
      if (!UUID.test(id)) return callback({ code: grpc.status.INVALID_ARGUMENT, details: 'invalid input: id: must be a UUID' });
      implementation.getBook({ id }, { style: 'grpc' }).then(
        (book) => {
          const ms = book.publishedAt?.getTime();
          callback(null, {
            book: {
              id: book.id,
              title: book.title,
              isbn: book.isbn,
              price: book.price,
              pages: book.pages,
              status: `BOOK_STATUS_${book.status}`,
              tags: book.tags,
              ...(ms === undefined ? {} : { published_at: { seconds: String(Math.floor(ms / 1000)), nanos: (ms % 1000) * 1e6 } }),
              attributes: Object.fromEntries(book.attributes),
              sales_rank: book.salesRank.toString(),
            },
          });
        },
        (error) =>
          callback(
            error instanceof BookNotFoundError
              ? { code: grpc.status.NOT_FOUND, details: error.message }
              : { code: grpc.status.INTERNAL, details: 'internal error' },
          ),
      );
    },
  };
  return { definition, handlers };
}

// ---------------------------------------------------------------- SOAP

/** node-soap on an Express-shaped stand-in, as the generated server mounts it, behind the same bounded body read. */
export async function soapHandler(implementation, token, wsdlText) {
  const fault = (code, error, message, status) => {
    const e = new Error(message);
    e.Fault = { faultcode: `soap:${code === 'INVALID_ARGUMENT' || code === 'UNAUTHENTICATED' || code === 'NOT_FOUND' ? 'Client' : 'Server'}`, faultstring: message, detail: { code, error } };
    e.Fault.statusCode = status;
    return e;
  };
  const service = {
    async GetBook(args, _callback, _headers, req) {
      const denied = bearerOf(req.headers.authorization, token);
      if (denied) throw fault('UNAUTHENTICATED', 'Unauthenticated', denied, 401);
      if (typeof args.id !== 'string' || !UUID.test(args.id)) throw fault('INVALID_ARGUMENT', 'InvalidArgument', 'invalid input: id: must be a UUID', 400);
      try {
        const book = await implementation.getBook({ id: args.id }, { style: 'soap' });
        return {
          result: {
            id: book.id,
            title: book.title,
            isbn: book.isbn,
            price: book.price,
            pages: book.pages,
            status: book.status,
            tags: book.tags,
            ...(book.publishedAt ? { publishedAt: book.publishedAt.toISOString() } : {}),
            attributes: { entry: [...book.attributes].map(([key, value]) => ({ key, value })) },
            salesRank: book.salesRank.toString(),
          },
        };
      } catch (error) {
        if (error instanceof BookNotFoundError) throw fault('NOT_FOUND', 'BookNotFound', error.message, 404);
        throw fault('INTERNAL', 'Internal', 'internal error', 500);
      }
    },
  };
  // `attributes` is a field of Book: node-soap's default key for XML attributes must be another.
  const options = { attributesKey: '$attributes', preserveWhitespace: true };
  const wsdl = new soap.WSDL(wsdlText, 'urn:apigen', options);
  wsdl.options.preserveWhitespace = true;
  let listener;
  const app = { route: () => ({ all: (fn) => void (listener = fn) }), use: () => undefined };
  const services = {};
  await new Promise((resolve, reject) => {
    new soap.Server(app, '/soap', services, wsdl, { path: '/soap', services, ...options, callback: (error) => (error ? reject(error) : resolve()) });
  });
  for (const [name, s] of Object.entries(wsdl.definitions.services)) services[name] = Object.fromEntries(Object.keys(s.ports).map((port) => [port, service]));
  return (req, res, next) => {
    const url = req.url;
    const q = url.indexOf('?');
    if ((q < 0 ? url : url.slice(0, q)) !== '/soap') return next ? next() : res.writeHead(404).end();
    const chunks = [];
    let size = 0;
    req.on('data', (chunk) => {
      size += chunk.length;
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (size > 16 * 1024 * 1024) return res.writeHead(413).end();
      req.body = Buffer.concat(chunks);
      listener(req, res);
    });
  };
}

// ---------------------------------------------------------------- all styles on one port

/** REST, GraphQL and SOAP by path prefix on one HTTP server, WebSocket upgrades beside them, as the generated serve does. */
export function allStyles(rest, graphql, soapHandle) {
  const server = createServer((req, res) => {
    const url = req.url;
    if (url.startsWith('/graphql')) return graphql(req, res, () => rest(req, res));
    if (url.startsWith('/soap')) return soapHandle(req, res, () => rest(req, res));
    rest(req, res);
  });
  const sockets = new WebSocketServer({ noServer: true });
  server.on('upgrade', (req, socket, head) => sockets.handleUpgrade(req, socket, head, (ws) => ws.close()));
  return server;
}
