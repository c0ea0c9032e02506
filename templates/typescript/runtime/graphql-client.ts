// A typed GraphQL client: one function per operation, whose document (the
// full selection set, unions through inline fragments, recursive types to a
// fixed depth) is built from the emitted SDL; queries and mutations over
// HTTP, subscriptions over graphql-ws.
import {
  buildSchema,
  getNamedType,
  getNullableType,
  GraphQLObjectType,
  GraphQLUnionType,
  isLeafType,
  type GraphQLField,
  type GraphQLOutputType,
  type GraphQLSchema,
} from 'graphql';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { credentialHeader, type CallOptions } from './context.js';
import type { ContractDescriptor, OperationDesc } from './descriptor.js';
import { ApigenError, CancelledError, createError, describeViolations, findErrorDesc, runtimeErrorName, type ErrorClass, type Violation } from './errors.js';
import { fieldsOut, fromGraphqlOutput, toGraphqlInput } from './graphql-values.js';
import { decodeFields, isPlainObject, objectDesc } from './json.js';
import { isUnencodable, validateOperationInput } from './validate.js';
import type { JsonValue } from './values.js';

export interface GraphqlClientOptions {
  /** The GraphQL endpoint: `http://localhost:8080/graphql` (subscriptions use ws:// on the same path). */
  url: string;
  /** Credentials by the contract's scheme name, without prefix: `{ bearer: token }`. */
  credentials?: Record<string, string>;
  fetch?: typeof fetch;
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
  const schema = buildSchema(sdl);
  const methods: Record<string, GraphqlMethod> = {};
  for (const op of contract.operations) {
    if (!op.styles.includes('graphql')) continue;
    const { field, kind } = rootFieldOf(schema, op.name);
    const document = printDocument(kind, field);
    const headers = (callOptions?: CallOptions): Record<string, string> => ({ ...(callOptions?.metadata ?? {}), ...credentialHeader(contract, op, options.credentials) });
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
          const wsUrl = options.url.replace(/^http/, 'ws');
          const params: Record<string, string> = {};
          for (const [key, value] of Object.entries(headers(callOptions))) {
            const scheme = contract.auth.schemes.find((s) => s.httpHeader === key);
            params[scheme ? scheme.connectionParam : key] = value;
          }
          const client = createClient({ url: wsUrl, webSocketImpl: WebSocket, connectionParams: params, lazy: true, retryAttempts: 0 });
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

function rootFieldOf(schema: GraphQLSchema, name: string): { field: GraphQLField<unknown, unknown>; kind: 'query' | 'mutation' | 'subscription' } {
  const roots = [
    ['query', schema.getQueryType()],
    ['mutation', schema.getMutationType()],
    ['subscription', schema.getSubscriptionType()],
  ] as const;
  for (const [kind, root] of roots) {
    const field = root?.getFields()[name];
    if (field) return { field, kind };
  }
  throw new Error(`contract invariant: the schema has no root field ${name}`);
}

/** `query getBook($id: UUID!) { getBook(id: $id) { ...every field } }`. */
export function printDocument(kind: string, field: GraphQLField<unknown, unknown>): string {
  // An argument with a default takes a nullable variable, so leaving it out applies the default.
  const variables = field.args.map((a) => `$${a.name}: ${String(a.defaultValue === undefined ? a.type : getNullableType(a.type))}`).join(', ');
  const args = field.args.map((a) => `${a.name}: $${a.name}`).join(', ');
  return `${kind} ${field.name}${variables ? `(${variables})` : ''} { ${field.name}${args ? `(${args})` : ''}${printSelection(field.type, new Map())} }`;
}

function printSelection(type: GraphQLOutputType, seen: Map<string, number>): string {
  const named = getNamedType(type);
  if (isLeafType(named)) return '';
  const count = seen.get(named.name) ?? 0;
  if (count >= RECURSION_DEPTH) return '';
  const inner = new Map(seen).set(named.name, count + 1);
  if (named instanceof GraphQLUnionType) {
    return ` { __typename ${named.getTypes().map((member) => `... on ${member.name}${printSelection(member, inner)}`).join(' ')} }`;
  }
  if (named instanceof GraphQLObjectType) {
    const fields = Object.values(named.getFields())
      .map((f) => {
        const sub = printSelection(f.type, inner);
        // A recursive field beyond the depth is left out rather than selected without its fields.
        if (!isLeafType(getNamedType(f.type)) && sub === '') return '';
        return `${f.name}${sub}`;
      })
      .filter((f) => f !== '');
    return ` { ${fields.join(' ')} }`;
  }
  return '';
}

function errorOfGraphql(contract: ContractDescriptor, errorClasses: Record<string, ErrorClass>, errors: unknown): ApigenError {
  const first = (Array.isArray(errors) ? errors[0] : errors) as { message?: string; extensions?: Record<string, unknown> } | undefined;
  const extensions = first?.extensions ?? {};
  const code = typeof extensions.code === 'string' ? extensions.code : 'INTERNAL';
  const name = typeof extensions.error === 'string' ? extensions.error : runtimeErrorName(code as Parameters<typeof runtimeErrorName>[0]);
  const errorClass = errorClasses[name] ?? errorClasses.Internal!;
  const desc = findErrorDesc(contract, name);
  const violations: Violation[] = [];
  const fields = desc ? decodeFields(contract, desc.fields, extensions, '', violations, 'output') : {};
  return createError(errorClass, first?.message ?? 'GraphQL error', fields);
}
