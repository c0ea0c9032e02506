// GraphQL on graphql-js: the executable schema is the emitted SDL itself
// (buildSchema) with resolvers attached from the contract, served over HTTP
// by graphql-http and, for subscriptions, over graphql-ws on the same path.
// Every resolver runs the shared Dispatcher; errors carry `extensions.code`,
// `extensions.error` and the error's fields.
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { buildSchema, GraphQLError, type GraphQLFieldConfig, type GraphQLSchema } from 'graphql';
import { createHandler } from 'graphql-http/lib/use/http';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import type { CallContext, ServerOptions } from './context.js';
import type { ContractDescriptor, EventDesc, OperationDesc } from './descriptor.js';
import { Dispatcher } from './dispatch.js';
import { ApigenError, findErrorDesc, type ErrorClass } from './errors.js';
import { matchesKey, type Publisher, type PublishedEvent } from './events.js';
import { authenticateEvent, type EventAuthHook } from './http-events.js';
import { attachScalars, fieldsIn, fromGraphqlInput, toGraphqlOutput } from './graphql-values.js';
import { applyInputDefaults, encodeFields, objectDesc } from './json.js';
import { validateOperationInput } from './validate.js';

export const GRAPHQL_PATH = '/graphql';

export interface GraphqlServerOptions extends ServerOptions {
  /** Feeds the event subscriptions; without one they answer UNIMPLEMENTED. */
  publisher?: Publisher;
  /** Who may subscribe to events (the contract's default auth); any credential of a default scheme without it. */
  authenticateEvent?: EventAuthHook;
}

// A type literal, not an interface: graphql-http wants a context assignable to Record<PropertyKey, unknown>.
type RequestContext = {
  /** A request header (HTTP) or connection parameter (graphql-ws), by scheme. */
  carrier(header: string, connectionParam: string): string | undefined;
  signal?: AbortSignal;
};

export interface GraphqlServer {
  schema: GraphQLSchema;
  /** Serves POST and GET `/graphql`; other paths get 404 (or `next()`). */
  handler(req: IncomingMessage, res: ServerResponse, next?: () => void): void;
  /** Serves subscriptions (graphql-ws) on the server's `/graphql` upgrades. */
  attach(server: Server): { close(): Promise<void> };
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
  const dispatcher = new Dispatcher(contract, errorClasses, implementation, options);

  const toGraphqlError = (error: ApigenError): GraphQLError => {
    const desc = findErrorDesc(contract, error.errorName);
    const fields = desc ? encodeFields(contract, desc.fields, error.fields as Record<string, unknown>) : {};
    return new GraphQLError(error.message, { extensions: { ...fields, code: error.code, error: error.errorName } });
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
    field.resolve = async (_source: unknown, args: Record<string, unknown>, request: RequestContext) => {
      const abort = new AbortController();
      request.signal?.addEventListener('abort', () => abort.abort(), { once: true });
      try {
        const ctx = await contextOf(op, request, abort);
        const result = await dispatcher.call(op, inputOf(op, args), ctx);
        if (op.output.kind === 'none') return true;
        if (op.output.kind !== 'value') return null;
        return toGraphqlOutput(contract, op.output.type, result);
      } catch (error) {
        throw toGraphqlError(dispatcher.toContractError(op, error));
      }
    };
  }

  for (const event of contract.events) {
    const field = rootField(event.name);
    if (!field) continue;
    field.subscribe = async (_source: unknown, args: Record<string, unknown>, request: RequestContext) => {
      try {
        // Events are under the contract's default auth, as on the WebSocket and SSE transports.
        await authenticateEvent(contract, event, (scheme) => request.carrier(scheme.httpHeader, scheme.connectionParam), options.authenticateEvent);
      } catch (error) {
        throw toGraphqlError(error as ApigenError);
      }
      return subscribeEvent(contract, event, args, options.publisher);
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

  const http = createHandler<RequestContext>({
    schema,
    formatError,
    context: (req) => {
      const raw = req.raw as IncomingMessage;
      return { carrier: (header: string) => headerOf(raw, header) } as RequestContext;
    },
  });

  return {
    schema,
    handler(req, res, next) {
      const path = new URL(req.url ?? '/', 'http://localhost').pathname;
      if (path !== GRAPHQL_PATH) {
        if (next) return next();
        res.writeHead(404, { 'Content-Type': 'application/json' }).end(JSON.stringify({ errors: [{ message: 'not found' }] }));
        return;
      }
      http(req, res).catch((error: unknown) => {
        options.onInternalError?.(error, contract.operations[0]!);
        if (!res.headersSent) res.writeHead(500).end();
      });
    },
    attach(server) {
      const wss = new WebSocketServer({ noServer: true });
      const onUpgrade = (req: IncomingMessage, socket: import('node:stream').Duplex, head: Buffer) => {
        if (new URL(req.url ?? '/', 'http://localhost').pathname !== GRAPHQL_PATH) return;
        wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
      };
      server.on('upgrade', onUpgrade);
      const cleanup = useServer<Record<string, unknown>>(
        {
          schema,
          context: (ctx) => {
            const params = (ctx.connectionParams ?? {}) as Record<string, unknown>;
            const raw = (ctx.extra as { request?: IncomingMessage }).request;
            return {
              carrier: (header: string, param: string) =>
                typeof params[param] === 'string' ? (params[param] as string) : raw ? headerOf(raw, header) : undefined,
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

async function subscribeEvent(contract: ContractDescriptor, event: EventDesc, args: Record<string, unknown>, publisher: Publisher | undefined): Promise<AsyncIterable<unknown>> {
  if (!publisher) throw new GraphQLError(`${event.name} is not published by this server`, { extensions: { code: 'UNIMPLEMENTED', error: 'Unimplemented' } });
  const keyArg = event.key === undefined ? undefined : fromGraphqlInput(contract, { kind: 'scalar', scalar: 'string' }, args[event.key], true);
  const filter = keyArg === undefined ? undefined : keyArg instanceof Date ? keyArg.toISOString() : String(keyArg);
  const queue: unknown[] = [];
  let waiting: ((step: IteratorResult<unknown>) => void) | undefined;
  let ended = false;
  const remove = publisher.addSink({
    publish: async (published: PublishedEvent) => {
      if (ended || published.event.name !== event.name || !matchesKey(filter, published)) return;
      const w = waiting;
      waiting = undefined;
      if (w) w({ value: published.payload, done: false });
      else queue.push(published.payload);
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
  return iterator;
}
