// The in-process style: the generated Dispatcher called directly, with every
// value passed through the JSON wire form (encode, JSON text, decode) as a
// network style would. It checks the suite itself, and the shared runtime
// every style builds on, before any network style exists.
import { join } from 'node:path';
import type { CallContext, CallOptions, ServerOptions, Credentials } from 'apigen-runtime';
import type { OperationDesc, Style, TypeDesc } from 'apigen-runtime';
import type * as Dispatch from 'apigen-runtime';
import type * as Errors from 'apigen-runtime';
import type * as Json from 'apigen-runtime';
import type { Violation } from 'apigen-runtime';
import { loadGenerated, type ClientCredentials, type RunningStyle, type StyleAdapter, type StyleClient } from '../adapter.js';

export const directAdapter: StyleAdapter = {
  style: 'direct',
  supports: () => true,
  async start(dir, contractName, impl, options: ServerOptions, credentials): Promise<RunningStyle> {
    const generated = await loadGenerated(contractName);
    const { Dispatcher } = (await import('apigen-runtime')) as typeof Dispatch;
    const json = (await import('apigen-runtime')) as typeof Json;
    const errors = (await import('apigen-runtime')) as typeof Errors;
    const { contract, errorClasses } = generated;
    const dispatcher = new Dispatcher(contract, errorClasses, impl, options);
    const open = new Set<AbortController>();

    // Values cross as JSON text, as on a wire: shared references and JS-only forms cannot leak through.
    const roundTrip = (type: TypeDesc, value: unknown, path: string, out: Violation[], mode: 'input' | 'output'): unknown =>
      json.decodeJson(contract, type, JSON.parse(JSON.stringify(json.encodeJson(contract, type, value))), path, out, mode);

    const sendInput = (op: OperationDesc, input: unknown): unknown => {
      if (op.input.kind !== 'fields') return {};
      const violations: Violation[] = [];
      const text = JSON.stringify(json.encodeFields(contract, op.input.fields, input as Record<string, unknown>));
      const decoded = json.decodeFields(contract, op.input.fields, JSON.parse(text), '', violations, 'input');
      dispatcher.rejectIfInvalid(violations);
      return decoded;
    };

    const sendElements = async function* (op: OperationDesc, input: AsyncIterable<unknown>): AsyncGenerator<unknown> {
      if (op.input.kind !== 'stream') return;
      for await (const element of input) {
        const violations: Violation[] = [];
        const decoded = roundTrip(op.input.element, element, '', violations, 'input');
        dispatcher.rejectIfInvalid(violations);
        yield decoded;
      }
    };

    const receive = (op: OperationDesc, value: unknown): unknown => {
      const output = op.output;
      if (output.kind === 'none' || value === undefined) return undefined;
      const type = output.kind === 'value' ? output.type : output.element;
      const violations: Violation[] = [];
      const decoded = roundTrip(type, value, 'output', violations, 'output');
      if (violations.length > 0) throw new Error(`direct: undecodable output ${JSON.stringify(violations)}`);
      return decoded;
    };

    const rethrow = (error: unknown): never => {
      if (!(error instanceof errors.ApigenError)) throw error;
      const desc = errors.findErrorDesc(contract, error.errorName);
      const violations: Violation[] = [];
      const fields = desc
        ? json.decodeFields(
            contract,
            desc.fields,
            JSON.parse(JSON.stringify(json.encodeFields(contract, desc.fields, error.fields as Record<string, unknown>))),
            '',
            violations,
            'output',
          )
        : {};
      const errorClass = errorClasses[error.errorName];
      if (!errorClass) throw new Error(`direct: no error class ${error.errorName}`);
      throw errors.createError(errorClass, error.message, fields);
    };

    const connect = (creds: ClientCredentials | undefined): StyleClient => {
      const client: StyleClient = {};
      for (const op of contract.operations) {
        const begin = async (options: CallOptions | undefined): Promise<CallContext> => {
          const controller = new AbortController();
          open.add(controller);
          if (options?.signal) {
            if (options.signal.aborted) controller.abort();
            else options.signal.addEventListener('abort', () => controller.abort(), { once: true });
          }
          const credentials: Credentials | undefined = await dispatcher.authenticate(op, (scheme) => {
            const value = creds?.[scheme.name];
            return value === undefined ? undefined : `${scheme.valuePrefix}${value}`;
          });
          return {
            ...(credentials ? { credentials } : {}),
            signal: controller.signal,
            metadata: new Map(Object.entries(options?.metadata ?? {}).map(([k, v]) => [k.toLowerCase(), v])),
            style: 'direct' as unknown as Style,
            operation: op,
          };
        };
        const controllerOf = (ctx: CallContext): AbortController | undefined => [...open].find((c) => c.signal === ctx.signal);
        if (op.stream === 'server' || op.stream === 'bidi') {
          client[op.name] = (input, options) =>
            (async function* () {
              let ctx: CallContext | undefined;
              try {
                ctx = await begin(options);
                const sent = op.stream === 'bidi' ? sendElements(op, input as AsyncIterable<unknown>) : sendInput(op, input);
                for await (const element of dispatcher.stream(op, sent, ctx)) yield receive(op, element);
              } catch (error) {
                rethrow(error);
              } finally {
                // The caller stopped reading (or the stream ended): the server side sees a cancellation.
                if (ctx) {
                  const controller = controllerOf(ctx);
                  controller?.abort();
                  if (controller) open.delete(controller);
                }
              }
            })();
        } else {
          client[op.name] = async (input, options) => {
            let ctx: CallContext | undefined;
            try {
              ctx = await begin(options);
              const sent = op.stream === 'client' ? sendElements(op, input as AsyncIterable<unknown>) : sendInput(op, input);
              return receive(op, await dispatcher.call(op, sent, ctx));
            } catch (error) {
              return rethrow(error);
            } finally {
              const controller = ctx && controllerOf(ctx);
              if (controller) open.delete(controller);
            }
          };
        }
      }
      return client;
    };

    return {
      client: connect(credentials),
      connect,
      async close() {
        for (const controller of open) controller.abort();
        open.clear();
      },
    };
  },
};
