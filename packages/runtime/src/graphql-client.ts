// A typed GraphQL client: one function per operation, whose document (the
// full selection set, unions through inline fragments, recursive types to a
// fixed depth) is printed from the emitted SDL; queries and mutations over
// HTTP, subscriptions over graphql-ws. The contract's events are
// subscriptions too (`createGraphqlEventClient`): one graphql-ws connection
// per subscription, the key as the field's filter argument. Of graphql-js
// only the parser is used (the SDL is read, never executed or validated), so
// a browser bundle carries that and not the whole library.
import { parse, type FieldDefinitionNode, type InputValueDefinitionNode, type TypeNode } from 'graphql';
import { createClient, type Client as GraphqlWsClient } from 'graphql-ws';
import { credentialHeader, type CallOptions } from './context.js';
import type { ContractDescriptor, EventDesc } from './descriptor.js';
import { ApigenError, CancelledError, createError, describeViolations, findErrorDesc, runtimeErrorName, type ErrorClass, type Violation } from './errors.js';
import { keyFromText, keyText, keyType } from './events.js';
import { fieldsOut, fromGraphqlOutput, toGraphqlInput } from './graphql-values.js';
import { subscriptionErrorReporter, subscriptionMethods } from './http-events.js';
import { decodeFields, isPlainObject, objectDesc } from './json.js';
import { isUnencodable, validateOperationInput, validateValue } from './validate.js';
import type { JsonValue } from './values.js';
import { webSocketClass, type WebSocketConstructor } from './ws-client.js';

export interface GraphqlClientOptions {
  /** The GraphQL endpoint: `http://localhost:8080/graphql` (subscriptions use ws:// on the same path). */
  url: string;
  /** Credentials by the contract's scheme name, without prefix: `{ bearer: token }`. */
  credentials?: Record<string, string>;
  fetch?: typeof fetch;
  /** The WebSocket class for subscriptions (default: the platform's, or the `ws` package on Node 20). */
  WebSocket?: WebSocketConstructor;
}

export type GraphqlMethod = (input: unknown, options?: CallOptions) => unknown;

/** How many times one type may repeat along a selection path (recursive types are selected this deep). */
const RECURSION_DEPTH = 5;

export function createGraphqlClient(
  contract: ContractDescriptor,
  errorClasses: Record<string, ErrorClass>,
  sdl: string,
  options: GraphqlClientOptions,
): Record<string, GraphqlMethod> {
  const schema = schemaOf(sdl);
  const methods: Record<string, GraphqlMethod> = {};
  for (const op of contract.operations) {
    if (!op.styles.includes('graphql')) continue;
    const { field, kind } = rootFieldOf(schema, op.name);
    const document = printDocument(schema, kind, field);
    const headers = (callOptions?: CallOptions): Record<string, string> => ({ ...(callOptions?.metadata ?? {}), ...credentialHeader(contract, op, options.credentials, callOptions?.credentials) });
    const variables = (input: unknown): Record<string, JsonValue> => {
      if (op.input.kind !== 'fields') return {};
      const values = (input ?? {}) as Record<string, unknown>;
      const violations = validateOperationInput(contract, op, values);
      if (isUnencodable(violations)) throw createError(errorClasses.InvalidArgument!, `invalid input: ${describeViolations(violations)}`, {});
      if (op.input.named !== undefined) return { input: fieldsOut(contract, objectDesc(contract, op.input.named).fields, values) };
      return fieldsOut(contract, op.input.fields, values);
    };
    const decode = (data: unknown): unknown => {
      if (op.output.kind === 'none') return undefined;
      const value = isPlainObject(data) ? data[op.name] : undefined;
      if (op.output.kind === 'value' && op.output.optional && (value === null || value === undefined)) return undefined;
      const type = op.output.kind === 'value' ? op.output.type : op.output.element;
      const violations: Violation[] = [];
      const out = fromGraphqlOutput(contract, type, value, '', violations);
      if (violations.length > 0) throw new TypeError(`the response does not match the contract: ${describeViolations(violations)}`);
      return out;
    };
    const errorOf = (errors: unknown): ApigenError => errorOfGraphql(contract, errorClasses, errors);

    if (kind === 'subscription') {
      methods[op.name] = (input, callOptions) =>
        (async function* () {
          const vars = variables(input);
          const client = await openSubscriptions(contract, options, headers(callOptions));
          const iterator = client.iterate({ query: document, variables: vars });
          const onAbort = () => void iterator.return?.();
          callOptions?.signal?.addEventListener('abort', onAbort, { once: true });
          try {
            for await (const result of iterator) {
              if (result.errors && result.errors.length > 0) throw errorOf(result.errors);
              yield decode(result.data);
            }
            if (callOptions?.signal?.aborted) throw new CancelledError();
          } catch (error) {
            if (error instanceof ApigenError || error instanceof TypeError) throw error;
            if (callOptions?.signal?.aborted) throw new CancelledError();
            throw errorOf(Array.isArray(error) ? error : [error]);
          } finally {
            callOptions?.signal?.removeEventListener('abort', onAbort);
            await iterator.return?.();
            await client.dispose();
          }
        })();
      continue;
    }
    methods[op.name] = async (input, callOptions) => {
      const body = JSON.stringify({ query: document, variables: variables(input) });
      let response: Response;
      try {
        response = await (options.fetch ?? fetch)(options.url, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', Accept: 'application/graphql-response+json, application/json', ...headers(callOptions) },
          body,
          signal: callOptions?.signal,
        });
      } catch (error) {
        if (callOptions?.signal?.aborted) throw new CancelledError();
        throw error;
      }
      const result = (await response.json()) as { data?: unknown; errors?: unknown[] };
      if (result.errors && result.errors.length > 0) throw errorOf(result.errors);
      return decode(result.data);
    };
  }
  return methods;
}

/** One graphql-ws connection (at the endpoint's ws:// URL) that sends `headers` as connection params, by scheme. */
async function openSubscriptions(contract: ContractDescriptor, options: GraphqlClientOptions, headers: Record<string, string>): Promise<GraphqlWsClient> {
  const params: Record<string, string> = {};
  for (const [key, value] of Object.entries(headers)) {
    const scheme = contract.auth.schemes.find((s) => s.httpHeader === key);
    params[scheme ? scheme.connectionParam : key] = value;
  }
  const webSocketImpl = await webSocketClass(options.WebSocket);
  return createClient({ url: options.url.replace(/^http/, 'ws'), webSocketImpl, connectionParams: params, lazy: true, retryAttempts: 0 });
}

/** The parts of an SDL a document is printed from: type definitions by name and the root types' fields. */
interface Sdl {
  objects: Map<string, readonly FieldDefinitionNode[]>;
  unions: Map<string, readonly string[]>;
  roots: { query?: string; mutation?: string; subscription?: string };
}

const schemas = new Map<string, Sdl>();

/** The SDL read once per SDL text (a client's operations and events share it). */
function schemaOf(sdl: string): Sdl {
  let schema = schemas.get(sdl);
  if (schema) return schema;
  schema = { objects: new Map(), unions: new Map(), roots: {} };
  let rootsDeclared = false;
  for (const definition of parse(sdl, { noLocation: true }).definitions) {
    switch (definition.kind) {
      case 'ObjectTypeDefinition':
      case 'ObjectTypeExtension':
        schema.objects.set(definition.name.value, [...(schema.objects.get(definition.name.value) ?? []), ...(definition.fields ?? [])]);
        break;
      case 'UnionTypeDefinition':
        schema.unions.set(definition.name.value, (definition.types ?? []).map((t) => t.name.value));
        break;
      case 'SchemaDefinition':
        rootsDeclared = true;
        for (const root of definition.operationTypes) schema.roots[root.operation] = root.type.name.value;
        break;
    }
  }
  if (!rootsDeclared) {
    for (const [kind, name] of [['query', 'Query'], ['mutation', 'Mutation'], ['subscription', 'Subscription']] as const) {
      if (schema.objects.has(name)) schema.roots[kind] = name;
    }
  }
  schemas.set(sdl, schema);
  return schema;
}

function subscriptionField(schema: Sdl, name: string): FieldDefinitionNode | undefined {
  const root = schema.roots.subscription;
  return root === undefined ? undefined : schema.objects.get(root)?.find((f) => f.name.value === name);
}

export interface GraphqlEventMeta {
  /** The event's key (the key field's value as text); absent for events without a key. */
  key?: string;
}

export interface GraphqlSubscribeOptions {
  /** Only events with this key (the key field's value as text, as `meta.key` shows it). */
  key?: string;
  /** Aborting it ends the subscription. */
  signal?: AbortSignal;
  /**
   * Payloads that break the contract (they are skipped), a handler that threw, and (for `subscribe`) the
   * error that ended the subscription (refused credentials, a lost connection). Default: a line on stderr.
   */
  onError?: (error: Error) => void;
}

export interface GraphqlSubscription {
  /** Ends the subscription (the service stops sending it). */
  close(): void;
}

export interface GraphqlEventClient {
  subscribe(eventName: string, handler: (payload: unknown, meta: GraphqlEventMeta) => void, options?: GraphqlSubscribeOptions): GraphqlSubscription;
  events(eventName: string, options?: GraphqlSubscribeOptions): AsyncIterable<{ payload: unknown; meta: GraphqlEventMeta }>;
}

/**
 * The contract's events as GraphQL subscriptions, each on its own graphql-ws connection with the
 * contract's default credentials as connection params. No resume: a lost connection ends the
 * subscription with an error.
 */
export function createGraphqlEventClient(
  contract: ContractDescriptor,
  errorClasses: Record<string, ErrorClass>,
  sdl: string,
  options: GraphqlClientOptions,
): GraphqlEventClient {
  const schema = schemaOf(sdl);
  const start = (
    eventName: string,
    subscribeOptions: GraphqlSubscribeOptions,
    deliver: (payload: unknown, meta: GraphqlEventMeta) => void,
    end: (error?: ApigenError) => void,
  ): GraphqlSubscription => {
    const event = contract.events.find((e) => e.name === eventName);
    if (!event) throw new TypeError(`unknown event ${eventName}`);
    const field = subscriptionField(schema, event.name);
    if (!field) throw new Error(`contract invariant: the schema has no subscription field ${event.name}`);
    const variables = keyVariables(contract, errorClasses, event, subscribeOptions.key);
    const report = subscriptionErrorReporter(subscribeOptions);
    const signal = subscribeOptions.signal;
    let closed = false;
    let client: GraphqlWsClient | undefined;
    const finish = (error?: ApigenError) => {
      if (closed) return;
      closed = true;
      signal?.removeEventListener('abort', close);
      void client?.dispose();
      end(error);
    };
    const close = () => finish();
    if (signal?.aborted) {
      finish();
      return { close };
    }
    signal?.addEventListener('abort', close, { once: true });
    const document = printDocument(schema, 'subscription', field);
    // The WebSocket class may have to be loaded first (Node 20): the subscription starts when it is there.
    void openSubscriptions(contract, options, credentialHeader(contract, { auth: contract.auth.default }, options.credentials)).then(
      (opened) => {
        if (closed) return void opened.dispose();
        client = opened;
        client.subscribe<Record<string, unknown>>(
          { query: document, variables },
          {
            next: (result) => {
              if (closed) return;
              if (result.errors && result.errors.length > 0) {
                const error = errorOfGraphql(contract, errorClasses, result.errors);
                // Errors without `data` are the subscription's own (graphql-js answers a failing subscribe, such as a
                // refused credential, so; the service completes it next). With `data: null` one event failed to
                // serialize: reported and skipped, as a payload that breaks the contract is.
                return result.data === undefined ? finish(error) : report(error);
              }
              const violations: Violation[] = [];
              const payload = fromGraphqlOutput(contract, event.payload, isPlainObject(result.data) ? result.data[event.name] : undefined, '', violations);
              if (violations.length === 0) validateValue(contract, event.payload, payload, '', violations, 'output');
              if (violations.length > 0) return report(new TypeError(`${event.name}: the payload breaks the contract: ${describeViolations(violations)}`));
              const key = keyText(contract, event, payload);
              try {
                deliver(payload, key === undefined ? {} : { key });
              } catch (error) {
                report(error);
              }
            },
            error: (error: unknown) => finish(errorOfConnection(contract, errorClasses, error)),
            complete: () => finish(),
          },
        );
      },
      (error: Error) => finish(errorOfConnection(contract, errorClasses, error)),
    );
    return { close };
  };
  return {
    ...subscriptionMethods(start),
  };
}

/** The subscription's variables: the key filter argument (the key text as the key field's GraphQL value), or none. */
function keyVariables(contract: ContractDescriptor, errorClasses: Record<string, ErrorClass>, event: EventDesc, key: string | undefined): Record<string, JsonValue> {
  if (key === undefined) return {};
  const type = keyType(contract, event);
  if (event.key === undefined || type === undefined) throw createError(errorClasses.InvalidArgument!, `${event.name} has no key to filter by`, {});
  const decoded = keyFromText(contract, event, key);
  if ('violations' in decoded) throw createError(errorClasses.InvalidArgument!, `invalid key: ${describeViolations(decoded.violations)}`, {});
  return { [event.key]: toGraphqlInput(contract, type, decoded.value) };
}


/** What graphql-ws reports when a subscription fails: the service's errors, or the connection's end. */
function errorOfConnection(contract: ContractDescriptor, errorClasses: Record<string, ErrorClass>, error: unknown): ApigenError {
  if (Array.isArray(error)) return errorOfGraphql(contract, errorClasses, error);
  if (error instanceof ApigenError) return error;
  const close = error as { code?: unknown; reason?: unknown; message?: unknown } | undefined;
  const detail = typeof close?.code === 'number' ? `closed with ${close.code}${typeof close.reason === 'string' && close.reason !== '' ? ` ${close.reason}` : ''}` : typeof close?.message === 'string' ? close.message : String(error);
  return createError(errorClasses.Internal!, `the GraphQL WebSocket connection failed: ${detail}`, {});
}

/** Every document the clients of this SDL send: one per root field, as the operations and events print them. */
export function clientDocuments(sdl: string): string[] {
  const schema = schemaOf(sdl);
  const documents: string[] = [];
  for (const kind of ['query', 'mutation', 'subscription'] as const) {
    const root = schema.roots[kind];
    for (const field of root === undefined ? [] : (schema.objects.get(root) ?? [])) documents.push(printDocument(schema, kind, field));
  }
  return documents;
}

function rootFieldOf(schema: Sdl, name: string): { field: FieldDefinitionNode; kind: 'query' | 'mutation' | 'subscription' } {
  for (const kind of ['query', 'mutation', 'subscription'] as const) {
    const root = schema.roots[kind];
    const field = root === undefined ? undefined : schema.objects.get(root)?.find((f) => f.name.value === name);
    if (field) return { field, kind };
  }
  throw new Error(`contract invariant: the schema has no root field ${name}`);
}

/** `query getBook($id: UUID!) { getBook(id: $id) { ...every field } }`. */
function printDocument(schema: Sdl, kind: string, field: FieldDefinitionNode): string {
  const args: readonly InputValueDefinitionNode[] = field.arguments ?? [];
  // An argument with a default takes a nullable variable, so leaving it out applies the default.
  const variables = args.map((a) => `$${a.name.value}: ${printType(a.defaultValue === undefined ? a.type : nullable(a.type))}`).join(', ');
  const argList = args.map((a) => `${a.name.value}: $${a.name.value}`).join(', ');
  const name = field.name.value;
  return `${kind} ${name}${variables ? `(${variables})` : ''} { ${name}${argList ? `(${argList})` : ''}${printSelection(schema, namedType(field.type), new Map())} }`;
}

function printType(type: TypeNode): string {
  if (type.kind === 'NamedType') return type.name.value;
  if (type.kind === 'ListType') return `[${printType(type.type)}]`;
  return `${printType(type.type)}!`;
}

function nullable(type: TypeNode): TypeNode {
  return type.kind === 'NonNullType' ? type.type : type;
}

function namedType(type: TypeNode): string {
  return type.kind === 'NamedType' ? type.name.value : namedType(type.type);
}

/** Object and union types have selections; scalars and enums (every other name) are leaves. */
function isLeaf(schema: Sdl, name: string): boolean {
  return !schema.objects.has(name) && !schema.unions.has(name);
}

function printSelection(schema: Sdl, name: string, seen: Map<string, number>): string {
  if (isLeaf(schema, name)) return '';
  const count = seen.get(name) ?? 0;
  if (count >= RECURSION_DEPTH) return '';
  const inner = new Map(seen).set(name, count + 1);
  const members = schema.unions.get(name);
  if (members) return ` { __typename ${members.map((member) => `... on ${member}${printSelection(schema, member, inner)}`).join(' ')} }`;
  const fields = (schema.objects.get(name) ?? [])
    .map((f) => {
      const type = namedType(f.type);
      const sub = printSelection(schema, type, inner);
      // A recursive field beyond the depth is left out rather than selected without its fields.
      if (!isLeaf(schema, type) && sub === '') return '';
      return `${f.name.value}${sub}`;
    })
    .filter((f) => f !== '');
  return ` { ${fields.join(' ')} }`;
}

function errorOfGraphql(contract: ContractDescriptor, errorClasses: Record<string, ErrorClass>, errors: unknown): ApigenError {
  const first = (Array.isArray(errors) ? errors[0] : errors) as { message?: string; extensions?: Record<string, unknown> } | undefined;
  const extensions = first?.extensions ?? {};
  const code = typeof extensions.code === 'string' ? extensions.code : 'INTERNAL';
  const name = typeof extensions.error === 'string' ? extensions.error : runtimeErrorName(code as Parameters<typeof runtimeErrorName>[0]);
  // An error name this client does not know is judged by its code alone.
  const errorClass = errorClasses[name] ?? errorClasses[runtimeErrorName(code as Parameters<typeof runtimeErrorName>[0])] ?? errorClasses.Internal!;
  const desc = errorClasses[name] ? findErrorDesc(contract, name) : undefined;
  const violations: Violation[] = [];
  // An error's fields travel in `extensions.fields`, so a field may be named `code` or `error`.
  const wireFields = typeof extensions.fields === 'object' && extensions.fields !== null ? (extensions.fields as Record<string, unknown>) : {};
  const fields = desc && desc.fields.length > 0 ? decodeFields(contract, desc.fields, wireFields, '', violations, 'output') : {};
  if (violations.length > 0) return createError(errorClasses.Internal!, `malformed ${name} error from the service`, {});
  return createError(errorClass, first?.message ?? 'GraphQL error', fields);
}
