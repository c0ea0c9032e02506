// GraphQL on graphql-js: the executable schema is the emitted SDL itself
// (buildSchema) with resolvers attached from the contract, served over HTTP
// by graphql-http and, for subscriptions, over graphql-ws on the same path.
// Every resolver runs the shared Dispatcher; errors carry `extensions.code`,
// `extensions.error` and, for an error with fields, `extensions.fields`.
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import {
  buildSchema,
  getNamedType,
  GraphQLError,
  isInterfaceType,
  isListType,
  isNamedType,
  isObjectType,
  Kind,
  parse,
  specifiedRules,
  validate,
  getOperationAST,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLField,
  type GraphQLFieldConfig,
  type GraphQLNamedType,
  type GraphQLSchema,
  type GraphQLType,
  type OperationDefinitionNode,
  type SelectionNode,
  type SelectionSetNode,
  type Source,
  type ValidationRule,
} from 'graphql';
import { createHandler } from 'graphql-http';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import { LazyCallContext, type CallContext, type ServerOptions } from './context.js';
import type { ContractDescriptor, EventDesc, ObjectDesc, OperationDesc } from './descriptor.js';
import { Dispatcher } from './dispatch.js';
import { ApigenError, findErrorDesc, type ErrorClass } from './errors.js';
import { matchesKey, type Publisher, type PublishedEvent } from './events.js';
import { authenticateEvent, type EventAuthHook } from './http-events.js';
import { clientDocuments } from './graphql-client.js';
import { attachScalars, fieldsIn, fromGraphqlInput, graphqlTypeName, toGraphqlOutput } from './graphql-values.js';
import { applyInputDefaults, encodeFields, objectDesc } from './json.js';
import { validateOperationInput } from './validate.js';
import { resolveLimits, type Limits } from './limits.js';
import { readBodyWithin } from './http-body.js';
import { encodeBase64 } from './values.js';

export const GRAPHQL_PATH = '/graphql';

const NO_METADATA: Readonly<Record<string, unknown>> = {};

/** The request target's path; a URL object only for a target it would rewrite (dot segments, backslashes, absolute form). */
function pathOf(target: string): string {
  const end = target.search(/[?#]/);
  const path = end < 0 ? target : target.slice(0, end);
  if (path.startsWith('/') && !path.includes('/.') && !path.includes('\\')) return path;
  return new URL(target, 'http://localhost').pathname;
}

export interface GraphqlServerOptions extends ServerOptions {
  /** Feeds the event subscriptions; without one they answer UNIMPLEMENTED. */
  publisher?: Publisher;
  /** Who may subscribe to events, among those `authenticate` accepts (asked with the event): it narrows, never widens. */
  authenticateEvent?: EventAuthHook;
}

// A type literal, not an interface: graphql-http wants a context assignable to Record<PropertyKey, unknown>.
type RequestContext = {
  /** A request header (HTTP) or connection parameter (graphql-ws), by scheme. */
  carrier(header: string, connectionParam: string): string | undefined;
  signal?: AbortSignal;
  /** Query results by field and arguments: a document asking the same twice (aliases) runs the implementation once. */
  calls?: Map<string, Promise<unknown>>;
};

export interface GraphqlServer {
  schema: GraphQLSchema;
  /** Serves POST and GET `/graphql`; other paths get 404 (or `next()`). */
  handler(req: IncomingMessage, res: ServerResponse, next?: () => void): void;
  /** Serves subscriptions (graphql-ws) on the server's `/graphql` upgrades. */
  attach(server: Server): { close(): Promise<void> };
}

/** A JSON value whose objects have no prototype (own keys only, `__proto__` as a plain key). */
function withoutPrototypes(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutPrototypes);
  if (value === null || typeof value !== 'object') return value;
  const out = Object.create(null) as Record<string, unknown>;
  for (const key of Object.keys(value)) out[key] = withoutPrototypes((value as Record<string, unknown>)[key]);
  return out;
}

export function createGraphqlServer(
  contract: ContractDescriptor,
  errorClasses: Record<string, ErrorClass>,
  sdl: string,
  implementation: object,
  options: GraphqlServerOptions = {},
): GraphqlServer {
  const schema = buildSchema(sdl);
  attachScalars(schema);
  const items = listItems(contract);
  const limits = resolveLimits(contract, options.limits);
  if (options.limits?.graphqlCost === undefined) limits.graphqlCost = Math.max(limits.graphqlCost, clientDocumentsCost(schema, sdl, items));
  // The limits first, alone: graphql-js's own rules are not linear (overlapping fields compares pairs).
  const limitRules = [documentLimits(limits, items)];
  const validateWithin = (schema: GraphQLSchema, document: DocumentNode, rules: readonly ValidationRule[] = specifiedRules): readonly GraphQLError[] => {
    const over = validate(schema, document, limitRules);
    return over.length > 0 ? over : validate(schema, document, rules.filter((rule) => !limitRules.includes(rule)));
  };
  const parseBounded = (source: string | Source): DocumentNode => parseWithin(typeof source === 'string' ? source : source.body, limits);
  const dispatcher = new Dispatcher(contract, errorClasses, implementation, options);
  const documents = documentCache(parseBounded, validateWithin);
  const eventNames = new Set(contract.events.map((event) => event.name));

  const toGraphqlError = (error: ApigenError): GraphQLError => {
    const desc = findErrorDesc(contract, error.errorName);
    // The fields in a member of their own, so that a field may be named `code` or `error`.
    const extensions: Record<string, unknown> = { code: error.code, error: error.errorName };
    if (desc && desc.fields.length > 0) extensions.fields = encodeFields(contract, desc.fields, error.fields as Record<string, unknown>);
    return new GraphQLError(error.message, { extensions });
  };

  const contextOf = async (op: OperationDesc, request: RequestContext, abort: AbortController): Promise<CallContext> => {
    const credentials = await dispatcher.authenticate(op, (scheme) => request.carrier(scheme.httpHeader, scheme.connectionParam));
    return { signal: abort.signal, metadata: new Map(), style: 'graphql', operation: op, ...(credentials ? { credentials } : {}) };
  };

  const inputOf = (op: OperationDesc, args: Record<string, unknown>): unknown => {
    if (op.input.kind !== 'fields') return {};
    const fields = op.input.named === undefined ? op.input.fields : objectDesc(contract, op.input.named).fields;
    const source = op.input.named === undefined ? args : ((args.input ?? {}) as Record<string, unknown>);
    const input = fieldsIn(contract, fields, source);
    applyInputDefaults(contract, fields, input);
    return input;
  };

  const rootField = (name: string): GraphQLFieldConfig<unknown, RequestContext> | undefined => {
    for (const root of [schema.getQueryType(), schema.getMutationType(), schema.getSubscriptionType()]) {
      const field = root?.getFields()[name];
      if (field) return field as unknown as GraphQLFieldConfig<unknown, RequestContext>;
    }
    return undefined;
  };

  for (const op of contract.operations) {
    if (!op.styles.includes('graphql')) continue;
    const field = rootField(op.name);
    if (!field) continue;
    if (op.stream === 'server' && op.output.kind === 'stream') {
      const element = op.output.element;
      field.subscribe = async (_source: unknown, args: Record<string, unknown>, request: RequestContext) => {
        const abort = new AbortController();
        try {
          const ctx = await contextOf(op, request, abort);
          const input = inputOf(op, args);
          dispatcher.rejectIfInvalid(validateOperationInput(contract, op, input));
          return guard(dispatcher.stream(op, input, ctx), abort, (error) => toGraphqlError(dispatcher.toContractError(op, error)));
        } catch (error) {
          throw toGraphqlError(dispatcher.toContractError(op, error));
        }
      };
      field.resolve = (payload: unknown) => {
        if (payload instanceof Failure) throw payload.error;
        return toGraphqlOutput(contract, element, payload);
      };
      continue;
    }
    const resolveOnce = async (args: Record<string, unknown>, request: RequestContext): Promise<unknown> => {
      // The signal and the (empty) metadata are made only if the implementation reads them.
      const ctx = new LazyCallContext('graphql', op, NO_METADATA);
      request.signal?.addEventListener('abort', () => ctx.cancel(), { once: true });
      try {
        const credentials = await dispatcher.authenticate(op, (scheme) => request.carrier(scheme.httpHeader, scheme.connectionParam));
        if (credentials) ctx.credentials = credentials;
        const result = await dispatcher.call(op, inputOf(op, args), ctx);
        if (op.output.kind === 'none') return true;
        if (op.output.kind !== 'value') return null;
        return toGraphqlOutput(contract, op.output.type, result);
      } catch (error) {
        throw toGraphqlError(dispatcher.toContractError(op, error));
      }
    };
    field.resolve = (_source: unknown, args: Record<string, unknown>, request: RequestContext) => {
      // Only queries: two equal mutations in one document are two mutations.
      if (op.kind !== 'query' || !request.calls) return resolveOnce(args, request);
      const key = `${op.name}\u0000${argumentsKey(args)}`;
      let result = request.calls.get(key);
      if (!result) request.calls.set(key, (result = resolveOnce(args, request)));
      return result;
    };
  }

  for (const event of contract.events) {
    const field = rootField(event.name);
    if (!field) continue;
    field.subscribe = async (_source: unknown, args: Record<string, unknown>, request: RequestContext) => {
      try {
        // Events are under the contract's default auth, as on the WebSocket and SSE transports.
        await authenticateEvent(contract, event, (scheme) => request.carrier(scheme.httpHeader, scheme.connectionParam), options);
      } catch (error) {
        throw toGraphqlError(error as ApigenError);
      }
      return subscribeEvent(contract, event, args, options.publisher, limits.streamIdleMs);
    };
    field.resolve = (payload: unknown) => toGraphqlOutput(contract, event.payload, payload);
  }

  const formatError = (error: Readonly<GraphQLError | Error>): GraphQLError | Error => {
    // Requests graphql-js itself rejects (syntax, validation, variable coercion) are the caller's fault.
    if (error instanceof GraphQLError && error.extensions?.code === undefined) {
      return new GraphQLError(error.message, { nodes: error.nodes, extensions: { ...error.extensions, code: 'INVALID_ARGUMENT', error: 'InvalidArgument' } });
    }
    return error as GraphQLError | Error;
  };

  const http = createHandler<IncomingMessage, { res: ServerResponse }, RequestContext>({
    schema,
    formatError,
    parse: documents.parse,
    validate: documents.validate,
    context: (req) => {
      const raw = req.raw;
      return { carrier: (header: string) => headerOf(raw, header), calls: new Map() } as RequestContext;
    },
    // graphql-js reads an input object's fields by name, inherited ones too: without a prototype, an input
    // field named like an Object.prototype member (`constructor`) that was left out stays left out.
    onSubscribe: (_req, params) => {
      if (params.variables) params.variables = withoutPrototypes(params.variables) as Record<string, unknown>;
    },
  });
  const serveHttp = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const tooLarge = (close: boolean) => {
      const body = JSON.stringify({ errors: [{ message: `the request body exceeds ${limits.bodyBytes} bytes`, extensions: { code: 'RESOURCE_EXHAUSTED', error: 'ResourceExhausted' } }] });
      // A body declared too large is not read: the connection cannot carry another request.
      res.writeHead(413, { 'Content-Type': 'application/json; charset=utf-8', ...(close ? { Connection: 'close' } : {}) }).end(body);
    };
    if (Number(req.headers['content-length'] ?? 0) > limits.bodyBytes) return tooLarge(true);
    const bytes = req.method === 'POST' ? await readBodyWithin(req, limits.bodyBytes) : null;
    if (bytes === undefined) return tooLarge(false);
    const body = bytes === null ? null : bytes.toString('utf8');
    const [text, init] = await http({ url: req.url ?? '/', method: req.method ?? 'GET', headers: req.headers, body, raw: req, context: { res } });
    res.writeHead(init.status, init.statusText, init.headers).end(text);
  };

  return {
    schema,
    handler(req, res, next) {
      if (pathOf(req.url ?? '/') !== GRAPHQL_PATH) {
        if (next) return next();
        res.writeHead(404, { 'Content-Type': 'application/json' }).end(JSON.stringify({ errors: [{ message: 'not found' }] }));
        return;
      }
      serveHttp(req, res).catch((error: unknown) => {
        options.onInternalError?.(error, contract.operations[0]!);
        if (!res.headersSent) res.writeHead(500).end();
      });
    },
    attach(server) {
      // ws closes the connection with 1009 past it (its default is 100 MiB).
      const wss = new WebSocketServer({ noServer: true, maxPayload: limits.frameBytes });
      const onUpgrade = (req: IncomingMessage, socket: import('node:stream').Duplex, head: Buffer) => {
        if (new URL(req.url ?? '/', 'http://localhost').pathname !== GRAPHQL_PATH) return;
        wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
      };
      server.on('upgrade', onUpgrade);
      const openStreams = new WeakMap<object, OpenStreams>();
      const cleanup = useServer<Record<string, unknown>>(
        {
          schema,
          // Parsed and validated here (the execution arguments returned skip graphql-ws's own): only a
          // subscription operation takes a slot, which is known once the document is.
          onSubscribe: (ctx, id, payload) => {
            const document = documents.parse(payload.query);
            const errors = documents.validate(schema, document);
            if (errors.length > 0) return errors;
            const operation = getOperationAST(document, payload.operationName);
            if (operation?.operation === 'subscription') {
              let open = openStreams.get(ctx);
              if (!open) openStreams.set(ctx, (open = { events: new Set(), streams: new Set() }));
              const event = eventNames.has(subscribedField(document, operation) ?? '');
              const [held, limit, what] = event ? [open.events, limits.subscriptionsPerConnection, 'event subscriptions'] : [open.streams, limits.streamsPerConnection, 'streaming calls'];
              if (!takeSlot(open, held, limit, id, ctx.subscriptions)) return [exhausted(`a connection may hold ${limit} ${what} at once`)];
            }
            const variableValues = payload.variables ? (withoutPrototypes(payload.variables) as Record<string, unknown>) : payload.variables;
            return { schema, document, operationName: payload.operationName, variableValues };
          },
          context: (ctx) => {
            const params = (ctx.connectionParams ?? {}) as Record<string, unknown>;
            const raw = (ctx.extra as { request?: IncomingMessage }).request;
            return {
              carrier: (header: string, param: string) =>
                typeof params[param] === 'string' ? (params[param] as string) : raw ? headerOf(raw, header) : undefined,
              calls: new Map(),
            } as RequestContext as unknown as Record<string, unknown>;
          },
          onError: () => {},
        },
        wss,
      );
      return {
        async close() {
          server.off('upgrade', onUpgrade);
          await cleanup.dispose();
          await new Promise<void>((resolve) => wss.close(() => resolve()));
        },
      };
    },
  };
}

/** The ids of a graphql-ws connection's subscription operations, by the limit they count against. */
interface OpenStreams {
  events: Set<string>;
  streams: Set<string>;
}

/**
 * Counts operation `id` in `held` if fewer than `limit` are running. graphql-ws
 * keeps an operation in `running` from its subscribe message until it
 * finishes, the client completes it or the connection closes; ids it no
 * longer has are dropped here, only when the limit is reached (so no scan per
 * message). A new operation under an id ends any earlier one under it.
 */
function takeSlot(open: OpenStreams, held: Set<string>, limit: number, id: string, running: Readonly<Record<string, unknown>>): boolean {
  open.events.delete(id);
  open.streams.delete(id);
  if (held.size >= limit) for (const known of held) if (!(known in running)) held.delete(known);
  if (held.size >= limit) return false;
  held.add(id);
  return true;
}

/** The one root field a subscription operation selects (through fragments), if the document says. */
function subscribedField(document: DocumentNode, operation: OperationDefinitionNode): string | undefined {
  let set: SelectionSetNode | undefined = operation.selectionSet;
  for (let hops = 0; set && hops < 64; hops++) {
    const first: SelectionNode | undefined = set.selections[0];
    if (!first) return undefined;
    if (first.kind === Kind.FIELD) return first.name.value;
    if (first.kind === Kind.INLINE_FRAGMENT) set = first.selectionSet;
    else {
      const name = first.name.value;
      set = document.definitions.find((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION && d.name.value === name)?.selectionSet;
    }
  }
  return undefined;
}

/** Arguments as text, equal for equal values (Maps, bytes, bigints included). */
function argumentsKey(args: Record<string, unknown>): string {
  return JSON.stringify(args, (_key, value: unknown) => {
    if (typeof value === 'bigint') return `${value}n`;
    if (value instanceof Uint8Array) return `bytes:${encodeBase64(value)}`;
    if (value instanceof Map) return { map: [...value] };
    return value;
  });
}

const exhausted = (message: string) => new GraphQLError(message, { extensions: { code: 'RESOURCE_EXHAUSTED', error: 'ResourceExhausted' } });

/**
 * graphql-js's parser, after a scan that refuses nesting deeper than the depth
 * limit allows (the parser recurses per level) and with a token limit, so that
 * no document costs more than its size in time and stack.
 */
function parseWithin(source: string, limits: Limits): DocumentNode {
  const maxNesting = 2 * limits.graphqlDepth + 16;
  let nesting = 0;
  // A name (or number) this long is no schema's: refused before graphql-js copies it into its errors.
  let word = 0;
  for (let i = 0; i < source.length; i++) {
    const c = source.charCodeAt(i);
    const wordChar = (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
    word = wordChar ? word + 1 : 0;
    if (word > MAX_NAME_LENGTH) throw exhausted(`the document has a name longer than ${MAX_NAME_LENGTH} characters`);
    if (c === 34 /* " */) {
      // Skip strings (block strings too): their braces are text.
      const block = source.startsWith('"""', i);
      const end = block ? source.indexOf('"""', i + 3) : stringEnd(source, i + 1);
      if (end === -1) break;
      i = block ? end + 2 : end;
    } else if (c === 35 /* # */) {
      const end = source.indexOf('\n', i);
      if (end === -1) break;
      i = end;
    } else if (c === 123 || c === 40 || c === 91) {
      if (++nesting > maxNesting) throw exhausted(`the document nests deeper than ${limits.graphqlDepth} levels`);
    } else if (c === 125 || c === 41 || c === 93) nesting--;
  }
  try {
    return parse(source, { maxTokens: Math.max(10_000, 8 * limits.graphqlFields) });
  } catch (error) {
    if (error instanceof GraphQLError && /token/i.test(error.message)) throw exhausted(error.message);
    throw error;
  }
}

const MAX_NAME_LENGTH = 1024;

function stringEnd(source: string, from: number): number {
  for (let i = from; i < source.length; i++) {
    const c = source.charCodeAt(i);
    if (c === 92 /* \ */) i++;
    else if (c === 34 || c === 10) return i;
  }
  return -1;
}

interface DocumentSize {
  depth: number;
  fields: number;
  aliases: number;
  cost: number;
}

const NOTHING: DocumentSize = { depth: 0, fields: 0, aliases: 0, cost: 0 };

/**
 * Elements a list is taken to hold where the contract does not bound it
 * (`maxItems`): the cost of what is selected below a list field is
 * multiplied by this, per level of list.
 */
const GRAPHQL_LIST_ITEMS = 10;

/** The cost multiplier of a field: 1, or the elements its lists may hold (the contract's `maxItems`, else GRAPHQL_LIST_ITEMS per level). */
type ListItems = (parent: GraphQLNamedType, field: GraphQLField<unknown, unknown>) => number;

function listItems(contract: ContractDescriptor): ListItems {
  const objects = new Map<string, ObjectDesc>();
  for (const desc of Object.values(contract.types)) if (desc.kind === 'object') objects.set(graphqlTypeName(desc.name), desc);
  const known = new Map<string, number>();
  return (parent, field) => {
    const key = `${parent.name}.${field.name}`;
    let items = known.get(key);
    if (items !== undefined) return items;
    let levels = 0;
    for (let type: GraphQLType = field.type; !isNamedType(type); type = type.ofType) if (isListType(type)) levels++;
    // A list or map field of a contract object may have maxItems; its inner lists (and map entries) have none.
    const bound = levels === 0 ? undefined : objects.get(parent.name)?.fields.find((f) => f.name === field.name)?.constraints.maxItems;
    items = levels === 0 ? 1 : (bound ?? GRAPHQL_LIST_ITEMS) * GRAPHQL_LIST_ITEMS ** (levels - 1);
    known.set(key, items);
    return items;
  };
}

/**
 * The depth, fields, aliases and cost of an operation: a root field, which
 * runs the implementation, costs 10, any other field 1, plus what is selected
 * below it times the elements its list may hold. Fragments are measured once
 * each, so the measure is linear in the document.
 */
function measureOperation(schema: GraphQLSchema, operation: OperationDefinitionNode, fragmentOf: (name: string) => FragmentDefinitionNode | undefined, items: ListItems): DocumentSize {
  const fragments = new Map<string, DocumentSize | null>();
  const measure = (set: SelectionSetNode, parent: GraphQLNamedType | undefined | null, root: boolean): DocumentSize => {
    const size: DocumentSize = { depth: 0, fields: 0, aliases: 0, cost: 0 };
    for (const selection of set.selections) {
      let inner: DocumentSize;
      if (selection.kind === Kind.FIELD) {
        const field = isObjectType(parent) || isInterfaceType(parent) ? parent.getFields()[selection.name.value] : undefined;
        const below = selection.selectionSet ? measure(selection.selectionSet, field ? getNamedType(field.type) : undefined, false) : NOTHING;
        inner = {
          depth: below.depth + 1,
          fields: below.fields + 1,
          aliases: below.aliases + (selection.alias ? 1 : 0),
          cost: (root ? 10 : 1) + (field && parent ? items(parent, field) : 1) * below.cost,
        };
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        inner = measure(selection.selectionSet, selection.typeCondition ? schema.getType(selection.typeCondition.name.value) : parent, root);
      } else {
        const key = `${selection.name.value}\u0000${root}`;
        const known = fragments.get(key);
        if (known !== undefined) inner = known ?? NOTHING; // null: a cycle, which NoFragmentCycles reports
        else {
          fragments.set(key, null);
          const fragment = fragmentOf(selection.name.value);
          inner = fragment ? measure(fragment.selectionSet, schema.getType(fragment.typeCondition.name.value), root) : NOTHING;
          fragments.set(key, inner);
        }
      }
      size.depth = Math.max(size.depth, inner.depth);
      size.fields += inner.fields;
      size.aliases += inner.aliases;
      size.cost += inner.cost;
    }
    return size;
  };
  return measure(operation.selectionSet, schema.getRootType(operation.operation), true);
}

/**
 * The cost of the costliest document the generated clients send (every
 * field, recursive types several levels deep): the cost limit a server
 * starts from, so that its own clients are never refused.
 */
function clientDocumentsCost(schema: GraphQLSchema, sdl: string, items: ListItems): number {
  let cost = 0;
  for (const text of clientDocuments(sdl)) {
    const document = parse(text, { noLocation: true });
    for (const definition of document.definitions) {
      if (definition.kind === Kind.OPERATION_DEFINITION) cost = Math.max(cost, measureOperation(schema, definition, () => undefined, items).cost);
    }
  }
  return cost;
}

/** Refuses an operation deeper, wider or costlier than the limits (measureOperation), before anything runs. */
function documentLimits(limits: Limits, items: ListItems): ValidationRule {
  return (context) => ({
    OperationDefinition(node) {
      const size = measureOperation(context.getSchema(), node, (name) => context.getFragment(name) ?? undefined, items);
      const over: [string, number, number][] = [
        ['depth', size.depth, limits.graphqlDepth],
        ['aliases', size.aliases, limits.graphqlAliases],
        ['fields', size.fields, limits.graphqlFields],
        ['cost', size.cost, limits.graphqlCost],
      ];
      for (const [what, value, limit] of over) {
        if (value > limit) context.reportError(new GraphQLError(`the operation's ${what} ${value} exceeds the limit ${limit}`, { nodes: [node], extensions: { code: 'RESOURCE_EXHAUSTED', error: 'ResourceExhausted' } }));
      }
    },
  });
}

function headerOf(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}

/** A failure after the subscription started: delivered as one result with the error, then the end. */
class Failure {
  constructor(readonly error: GraphQLError) {}
}

/**
 * The stream as graphql-ws consumes it. `return()` (the client completed or
 * went away) aborts the implementation's context at once: a generator's own
 * `finally` would wait for the element it is awaiting, maybe forever.
 */
function guard(source: AsyncIterable<unknown>, abort: AbortController, toError: (e: unknown) => GraphQLError): AsyncIterableIterator<unknown> {
  const iterator = source[Symbol.asyncIterator]();
  let failed = false;
  const guarded: AsyncIterableIterator<unknown> = {
    async next() {
      if (failed) return { done: true, value: undefined };
      try {
        const step = await iterator.next();
        if (step.done) abort.abort();
        return step;
      } catch (error) {
        failed = true;
        abort.abort();
        return { done: false, value: new Failure(toError(error)) };
      }
    },
    async return() {
      abort.abort();
      void iterator.return?.();
      return { done: true, value: undefined };
    },
    [Symbol.asyncIterator]() {
      return guarded;
    },
  };
  return guarded;
}

/** Events a subscriber that does not keep up may have waiting; past it the subscription ends (the client subscribes again). */
const MAX_QUEUED_EVENTS = 1000;

async function subscribeEvent(contract: ContractDescriptor, event: EventDesc, args: Record<string, unknown>, publisher: Publisher | undefined, idleMs: number): Promise<AsyncIterable<unknown>> {
  if (!publisher) throw new GraphQLError(`${event.name} is not published by this server`, { extensions: { code: 'UNIMPLEMENTED', error: 'Unimplemented' } });
  const keyArg = event.key === undefined ? undefined : fromGraphqlInput(contract, { kind: 'scalar', scalar: 'string' }, args[event.key], true);
  const filter = keyArg === undefined ? undefined : keyArg instanceof Date ? keyArg.toISOString() : String(keyArg);
  const queue: unknown[] = [];
  let waiting: ((step: IteratorResult<unknown>) => void) | undefined;
  let ended = false;
  // A subscription that got no event for `idleMs` completes; the client subscribes again.
  let idle: NodeJS.Timeout | undefined;
  const rearm = () => {
    if (idleMs <= 0) return;
    clearTimeout(idle);
    idle = setTimeout(() => void iterator.return?.(), idleMs);
    idle.unref();
  };
  const remove = publisher.addSink({
    publish: async (published: PublishedEvent) => {
      if (ended || published.event.name !== event.name || !matchesKey(filter, published)) return;
      rearm();
      const w = waiting;
      waiting = undefined;
      if (w) w({ value: published.payload, done: false });
      else if (queue.length < MAX_QUEUED_EVENTS) queue.push(published.payload);
      else void iterator.return?.();
    },
  });
  // Not an async generator: graphql-ws calls `return()` when the client completes or goes away, and a
  // generator would only run its `finally` (removing the sink) once the element it awaits arrives.
  const iterator: AsyncIterableIterator<unknown> = {
    next: () => {
      if (queue.length > 0) return Promise.resolve({ value: queue.shift(), done: false });
      if (ended) return Promise.resolve({ value: undefined, done: true });
      return new Promise((resolve) => (waiting = resolve));
    },
    return: () => {
      if (!ended) {
        ended = true;
        clearTimeout(idle);
        remove();
        queue.length = 0;
        const w = waiting;
        waiting = undefined;
        w?.({ value: undefined, done: true });
      }
      return Promise.resolve({ value: undefined, done: true });
    },
    [Symbol.asyncIterator]: () => iterator,
  };
  rearm();
  return iterator;
}

/** Documents kept per query text: clients send the same few documents again and again. */
const CACHED_DOCUMENTS = 500;
/**
 * The cache holds at most this much query text (its trees take some 40 times
 * as much: about 11 MiB): distinct large documents may not fill the heap.
 */
const CACHED_TEXT_BYTES = 256 * 1024;
/** Longer texts are parsed each time (a document may carry a large literal). */
const CACHED_TEXT_LENGTH = 64 * 1024;

/**
 * Parses each distinct query text once and validates each document once: a
 * repeated request costs a Map lookup instead of a parse and a walk of every
 * validation rule. The rules are the same on every request of a server, so a
 * document's errors are too. The oldest text leaves when the cache is full.
 */
function documentCache(
  parse: (source: string | Source) => DocumentNode,
  validate: (schema: GraphQLSchema, document: DocumentNode, rules?: readonly ValidationRule[]) => readonly GraphQLError[],
): {
  parse: (source: string | Source) => DocumentNode;
  validate: (schema: GraphQLSchema, document: DocumentNode, rules?: readonly ValidationRule[]) => readonly GraphQLError[];
} {
  const parsed = new Map<string, DocumentNode>();
  let cachedLength = 0;
  const validated = new WeakMap<DocumentNode, readonly GraphQLError[]>();
  return {
    parse(source) {
      if (typeof source !== 'string' || source.length > CACHED_TEXT_LENGTH) return parse(source);
      let document = parsed.get(source);
      if (!document) {
        // A text that does not parse throws here and is not kept.
        document = parse(source);
        while (parsed.size > 0 && (parsed.size >= CACHED_DOCUMENTS || cachedLength + source.length > CACHED_TEXT_BYTES)) {
          const oldest = parsed.keys().next().value!;
          parsed.delete(oldest);
          cachedLength -= oldest.length;
        }
        parsed.set(source, document);
        cachedLength += source.length;
      }
      return document;
    },
    validate(schema, document, rules) {
      let errors = validated.get(document);
      if (!errors) validated.set(document, (errors = validate(schema, document, rules)));
      return errors;
    },
  };
}
