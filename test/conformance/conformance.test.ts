// The cross-style conformance suite: every contract × every style × every
// operation the style carries, with edge values both ways, every declared
// error, invalid inputs, a missing credential, streams and cancellation —
// judged against a scripted implementation, so that every style must answer
// exactly as the contract says and therefore exactly as the others do.
import { readdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, it } from 'vitest';
import type { AuthHook, CallInterceptor, Style } from 'apigen-runtime';
import type { ContractDescriptor, OperationDesc } from 'apigen-runtime';
import { createError } from 'apigen-runtime';
import { CONTRACTS_DIR, FIXTURE_CONTRACTS_DIR } from '../typescript/generated.js';
import { loadGenerated, type ClientCredentials, type GeneratedContract, type RunningStyle, type StyleAdapter } from './adapter.js';
import { adapters } from './adapters/index.js';
import { differences, show } from './diff.js';
import { Script, scriptedService } from './scripted-service.js';
import { expectedInput, invalidInputs, objectValue, operationValueSets, valueOf } from './values.js';

const contractNames = readdirSync(CONTRACTS_DIR)
  .filter((f) => f.endsWith('.yaml'))
  .map((f) => f.replace(/\.yaml$/, ''))
  .sort();
// Besides the examples: a contract of names every target reserves or escapes (types called Object and String,
// operations called import and delete, error fields called status and type) and int64/decimal values past 2^53.
const FIXTURES = ['reserved-names'];

const generated = await Promise.all([...contractNames.map((name) => loadGenerated(name)), ...FIXTURES.map((name) => loadGenerated(name, FIXTURE_CONTRACTS_DIR))]);

const TOKEN = 'conformance-token';
const BASIC = Buffer.from('conformance:s3cret').toString('base64');

function credentialsFor(contract: ContractDescriptor, value?: string): ClientCredentials {
  return Object.fromEntries(contract.auth.schemes.map((s) => [s.name, value ?? (s.type === 'basic' ? BASIC : TOKEN)]));
}

function authenticateFor(contract: ContractDescriptor): AuthHook {
  return (credentials) => {
    const scheme = contract.auth.schemes.find((s) => s.name === credentials.scheme);
    return scheme !== undefined && credentials.value === (scheme.type === 'basic' ? BASIC : TOKEN);
  };
}

class ConformanceFailure extends Error {}

function check(where: string, what: string, expected: unknown, actual: unknown): void {
  const diffs = differences(expected, actual);
  if (diffs.length > 0) throw new ConformanceFailure(`${where}: ${what} differs:\n  ${diffs.join('\n  ')}`);
}

function fail(where: string, message: string): never {
  throw new ConformanceFailure(`${where}: ${message}`);
}

/** Runs every case and reports all that fail together, so one run shows a style's whole picture. */
async function eachCase<T>(cases: readonly T[], body: (item: T) => Promise<void>): Promise<void> {
  const problems: string[] = [];
  for (const item of cases) {
    try {
      await body(item);
    } catch (error) {
      if (!(error instanceof ConformanceFailure)) throw error;
      problems.push(error.message);
    }
  }
  if (problems.length > 0) throw new ConformanceFailure(`${problems.length} of ${cases.length} cases failed:\n${problems.join('\n')}`);
}

const streamsIn = (op: OperationDesc): boolean => op.stream === 'client' || op.stream === 'bidi';
const streamsOut = (op: OperationDesc): boolean => op.stream === 'server' || op.stream === 'bidi';

async function* elementsOf(values: readonly unknown[]): AsyncGenerator<unknown> {
  for (const value of values) yield value;
}

/** The client argument for what the test sends. */
function argument(op: OperationDesc, sent: unknown): unknown {
  return streamsIn(op) ? elementsOf(sent as unknown[]) : sent;
}

/** Calls an operation and returns what the client gave back (a stream's elements, all of them). */
async function invoke(running: RunningStyle['client'], op: OperationDesc, sent: unknown): Promise<unknown> {
  const method = running[op.name];
  if (!method) throw new ConformanceFailure(`the client has no method ${op.name}`);
  const result = method(argument(op, sent));
  if (!streamsOut(op)) return await result;
  const elements: unknown[] = [];
  let guard = 0;
  for await (const element of result as AsyncIterable<unknown>) {
    elements.push(element);
    if (++guard > 1000) break;
  }
  return elements;
}

/** The error a call fails with, or a failure when it succeeds. */
async function failure(where: string, call: () => Promise<unknown>): Promise<unknown> {
  try {
    const result = await call();
    return fail(where, `expected an error, got ${show(result)}`);
  } catch (error) {
    if (error instanceof ConformanceFailure) throw error;
    return error;
  }
}

function sentInput(op: OperationDesc, input: unknown): unknown {
  return op.input.kind === 'none' ? {} : input;
}

/** Waits, bounded, until `done` holds; returns whether it did. */
async function eventually(done: () => boolean): Promise<boolean> {
  for (let i = 0; i < 500 && !done(); i++) await new Promise((resolve) => setTimeout(resolve, 10));
  return done();
}

describe.each(generated)('$name', (g: GeneratedContract) => {
  const { contract, errorClasses } = g;
  /** `operation#variant` -> style -> what the client returned. */
  const seen = new Map<string, Map<string, unknown>>();
  /** style -> what its interceptor saw and how often the implementation ran, per operation. */
  const interceptions = new Map<string, { intercepted: { operation: string; style: Style; scheme: string | undefined; metadata: boolean }[]; reached: Map<string, number> }>();

  describe.each(adapters)('$style', (adapter: StyleAdapter) => {
    const script = new Script();
    let running: RunningStyle;
    // Every call that reaches the implementation must pass the interceptor first, with its operation, style and credentials.
    const intercepted: { operation: string; style: Style; scheme: string | undefined; metadata: boolean }[] = [];
    const reached = new Map<string, number>();
    const intercept: CallInterceptor = (ctx, next) => {
      intercepted.push({ operation: ctx.operation.name, style: ctx.style, scheme: ctx.credentials?.scheme, metadata: ctx.metadata instanceof Map });
      return next();
    };

    beforeAll(async () => {
      const service = scriptedService(contract, script) as Record<string, (...args: unknown[]) => unknown>;
      const counted = new Proxy(service, {
        get: (target, property) => {
          const method = target[property as string];
          if (typeof property !== 'string' || typeof method !== 'function') return method;
          return (...args: unknown[]) => {
            reached.set(property, (reached.get(property) ?? 0) + 1);
            return method(...args);
          };
        },
      });
      running = await adapter.start(g.dir, g.name, counted, { authenticate: authenticateFor(contract), intercept }, credentialsFor(contract));
    });
    afterAll(async () => {
      await running?.close();
      interceptions.set(adapter.style, { intercepted, reached });
    });

    const operations = contract.operations.filter((op) => adapter.supports(op));
    if (operations.length === 0) it.skip('carries no operation of this contract', () => {});

    describe.each(operations)('$name', (op: OperationDesc) => {
      const where = `[${adapter.style}] ${g.name}.${op.name}`;

      it('carries edge values both ways unchanged', async () => {
        await eachCase(operationValueSets(contract, op), async (set) => {
          const at = `${where} (value set ${set.variant})`;
          script.reset();
          script.next(op.name, streamsOut(op) ? { stream: set.output as unknown[] } : { output: set.output });
          const sent = sentInput(op, set.input);
          let result: unknown;
          try {
            result = await invoke(running.client, op, sent);
          } catch (error) {
            fail(at, `call failed: ${show(error, 400)} (sent ${show(sent, 300)})`);
          }
          check(at, 'result', set.output, result);
          const call = script.last(op.name);
          if (!call) fail(at, 'the implementation was not called');
          check(at, 'input received by the implementation', expectedInput(contract, op, sent), call.input);
          const key = `${op.name}#${set.variant}`;
          if (!seen.has(key)) seen.set(key, new Map());
          seen.get(key)!.set(adapter.style, result);
        });
      });

      if (op.errors.length > 0)
        it('rethrows every declared error as its class with its fields and message', async () => {
          await eachCase(op.errors.flatMap((n) => [[n, 1], [n, 2]] as const), async ([name, variant]) => {
            const at = `${where} error ${name} (fields set ${variant})`;
            const errorClass = errorClasses[name];
            const desc = contract.errors.find((e) => e.name === name);
            if (!errorClass || !desc) fail(at, 'the contract has no such error class');
            const fields = objectValue(contract, desc.fields, 'output', variant, 0);
            const message = `conformance ${name}: <b> & "q" ]]> 👩‍💻 שלום`;
            const thrown = createError(errorClass, message, fields);
            script.reset();
            script.next(op.name, { throw: thrown });
            const error = await failure(at, () => invoke(running.client, op, sentInput(op, firstInput(contract, op))));
            if (!(error instanceof errorClass)) fail(at, `expected ${errorClass.name}, got ${show(error, 300)}`);
            if (error.message !== message) fail(at, `message: expected ${show(message, 200)}, got ${show(error.message, 200)}`);
            check(at, 'error fields', fields, { ...(error as { fields: object }).fields });
          });
        });

      it('answers an unexpected failure or an undeclared error as InternalError without its details', async () => {
        const internal = errorClasses.Internal;
        if (!internal) fail(where, 'errors.ts has no Internal class');
        const undeclared = contract.errors.find((e) => e.declared && !op.errors.includes(e.name));
        const failures: [string, Error][] = [['a plain Error', new Error('secret detail <do not leak>')]];
        if (undeclared) {
          const errorClass = errorClasses[undeclared.name]!;
          failures.push([`undeclared ${undeclared.name}`, createError(errorClass, 'secret detail <do not leak>', objectValue(contract, undeclared.fields, 'output', 1, 0))]);
        }
        await eachCase(failures, async ([label, thrown]) => {
          const at = `${where} throwing ${label}`;
          script.reset();
          script.next(op.name, { throw: thrown });
          const error = await failure(at, () => invoke(running.client, op, sentInput(op, firstInput(contract, op))));
          if (!(error instanceof internal)) fail(at, `expected InternalError, got ${show(error, 300)}`);
          if (error.message.includes('secret detail')) fail(at, `the message leaks the failure: ${show(error.message, 200)}`);
        });
      });

      const invalid = invalidInputs(contract, op);
      if (invalid.length > 0)
        it('answers invalid inputs with InvalidArgument naming the path', async () => {
          const invalidClass = errorClasses.InvalidArgument;
          if (!invalidClass) fail(where, 'errors.ts has no InvalidArgument class');
          await eachCase(invalid, async (bad) => {
            const at = `${where} invalid ${bad.rule} at ${bad.path}`;
            script.reset();
            script.next(op.name, streamsOut(op) ? { stream: [] } : { output: undefined });
            const error = await failure(at, () => invoke(running.client, op, bad.input));
            if (!(error instanceof invalidClass)) fail(at, `expected InvalidArgumentError, got ${show(error, 300)}`);
            if (!error.message.includes(`${bad.path}:`)) fail(at, `message does not name ${bad.path}: ${show(error.message, 300)}`);
            // A client stream's elements are checked as the implementation reads them; it must never get the bad one.
            const call = script.last(op.name);
            if (!streamsIn(op) && call) fail(at, 'the implementation was called with an invalid input');
            if (streamsIn(op) && call && Array.isArray(call.input) && call.input.length > 1) fail(at, 'the implementation read the invalid element');
          });
        });

      if (op.auth.length > 0)
        it('answers a missing or wrong credential with UnauthenticatedError', async () => {
          const unauthenticated = errorClasses.Unauthenticated;
          if (!unauthenticated) fail(where, 'errors.ts has no Unauthenticated class');
          const cases: [string, ClientCredentials | undefined][] = [
            ['no credential', undefined],
            ['a wrong credential', credentialsFor(contract, 'wrong-token')],
          ];
          await eachCase(cases, async ([label, credentials]) => {
            const at = `${where} with ${label}`;
            script.reset();
            script.next(op.name, streamsOut(op) ? { stream: [] } : { output: undefined });
            const client = running.connect(credentials);
            const error = await failure(at, () => invoke(client, op, sentInput(op, firstInput(contract, op))));
            if (!(error instanceof unauthenticated)) fail(at, `expected UnauthenticatedError, got ${show(error, 300)}`);
            if (script.calls.length > 0) fail(at, 'the implementation was called without an accepted credential');
          });
        });

      if (streamsOut(op))
        it('stops the implementation when the caller cancels after the first element', async () => {
          const element = op.output.kind === 'stream' ? op.output.element : undefined;
          if (!element) fail(where, 'not a stream');
          const elements = [valueOf(contract, element, 'output', 1), valueOf(contract, element, 'output', 2)];
          script.reset();
          script.next(op.name, { stream: elements, hold: true });
          const controller = new AbortController();
          const stream = running.client[op.name]!(argument(op, sentInput(op, firstInput(contract, op))), { signal: controller.signal }) as AsyncIterable<unknown>;
          let first: unknown;
          let received = 0;
          try {
            for await (const value of stream) {
              first = value;
              received++;
              controller.abort();
              break;
            }
          } catch (error) {
            // Some clients report their own cancellation as an error; the element before it is what counts.
            if (received === 0) fail(where, `stream failed before its first element: ${show(error, 300)}`);
          }
          if (received !== 1) fail(where, 'the stream delivered no element');
          check(`${where} cancellation`, 'first element', elements[0], first);
          const stopped = await eventually(() => {
            const call = script.last(op.name);
            return call !== undefined && call.sawAbort && call.finished;
          });
          const call = script.last(op.name);
          if (!stopped) fail(where, `the implementation did not stop after the caller cancelled (sawAbort ${call?.sawAbort}, finished ${call?.finished})`);
        });
    });
  });

  it('passes every call that reached the implementation through the interceptor, in every style', () => {
    // The adapters' styles as the call context names them (SOAP 1.2 is SOAP; the in-process style passes its own name).
    const styleOf: Record<string, string> = { rest: 'rest', graphql: 'graphql', grpc: 'grpc', soap: 'soap', soap12: 'soap', trpc: 'trpc', 'trpc-ws': 'trpc', ws: 'asyncapi', webrtc: 'asyncapi', direct: 'direct' };
    const problems: string[] = [];
    // Runs after the styles' cases: each style served some calls, and every one of them is accounted for.
    // A style that carries none of the contract's operations (the /ws channel: streams only) has nothing to serve.
    for (const adapter of adapters) {
      if (!interceptions.has(adapter.style) && contract.operations.some((op) => adapter.supports(op))) problems.push(`[${adapter.style}] never served (run the whole file)`);
    }
    for (const [style, record] of interceptions) {
      if (record.reached.size === 0 && contract.operations.some((op) => adapters.find((a) => a.style === style)?.supports(op))) problems.push(`[${style}] no call reached the implementation`);
      for (const [operation, count] of record.reached) {
        const seen = record.intercepted.filter((i) => i.operation === operation);
        if (seen.length < count) problems.push(`[${style}] ${operation}: the implementation ran ${count} times, the interceptor saw ${seen.length} calls`);
      }
      for (const i of record.intercepted) {
        const op = contract.operations.find((o) => o.name === i.operation)!;
        if (i.style !== styleOf[style]) problems.push(`[${style}] ${i.operation}: the interceptor saw style ${i.style}`);
        if (op.auth.length > 0 && i.scheme === undefined) problems.push(`[${style}] ${i.operation}: the interceptor saw no credentials`);
        if (!i.metadata) problems.push(`[${style}] ${i.operation}: the interceptor saw no metadata`);
      }
    }
    if (problems.length > 0) throw new ConformanceFailure(problems.slice(0, 20).join('\n'));
  });

  it.skipIf(adapters.length < 2)('every style returns the same results', () => {
    const problems: string[] = [];
    for (const [key, byStyle] of seen) {
      const [first, ...rest] = [...byStyle];
      if (!first) continue;
      const [firstStyle, firstResult] = first;
      for (const [style, result] of rest) {
        const diffs = differences(firstResult, result, 3);
        if (diffs.length > 0) problems.push(`${g.name} ${key}: ${firstStyle} vs ${style}:\n    ${diffs.join('\n    ')}`);
      }
    }
    if (problems.length > 0) throw new ConformanceFailure(problems.join('\n'));
  });
});

/** A valid input of an operation (value set 1), for calls whose input does not matter. */
function firstInput(contract: ContractDescriptor, op: OperationDesc): unknown {
  return operationValueSets(contract, op)[1]!.input;
}
