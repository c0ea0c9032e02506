// An implementation of any contract's service whose every answer the test
// scripts beforehand, and which records what each call received. It lets one
// suite drive every operation of every contract through every style without
// per-contract handler code.
import type { CallContext } from 'apigen-runtime';
import type { ContractDescriptor } from 'apigen-runtime';

/** What the next call of an operation does. `hold` keeps a stream open after its elements until the caller cancels. */
export type Reply = { output: unknown } | { throw: Error } | { stream: unknown[]; hold?: boolean };

/** One call the implementation received. */
export interface ReceivedCall {
  operation: string;
  /** The input; for client and bidirectional streams, the elements it read. */
  input: unknown;
  /** Set when the implementation saw ctx.signal aborted. */
  sawAbort: boolean;
  /** Set when the implementation finished (returned, threw or stopped its stream). */
  finished: boolean;
  credentials: CallContext['credentials'];
}

export class Script {
  private readonly replies = new Map<string, Reply[]>();
  readonly calls: ReceivedCall[] = [];

  /** Scripts the next call of `operation`. */
  next(operation: string, reply: Reply): this {
    const queue = this.replies.get(operation) ?? [];
    queue.push(reply);
    this.replies.set(operation, queue);
    return this;
  }

  take(operation: string): Reply {
    const reply = this.replies.get(operation)?.shift();
    if (!reply) throw new Error(`conformance: no reply scripted for ${operation}`);
    return reply;
  }

  /** The last call of `operation`, if any. */
  last(operation: string): ReceivedCall | undefined {
    for (let i = this.calls.length - 1; i >= 0; i--) if (this.calls[i]!.operation === operation) return this.calls[i];
    return undefined;
  }

  /** Forgets replies nobody took (a call that failed before reaching the implementation) and past calls. */
  reset(): void {
    this.replies.clear();
    this.calls.length = 0;
  }
}

/** A service object with one method per operation of `contract`, answering from `script`. */
export function scriptedService(contract: ContractDescriptor, script: Script): object {
  const operations = new Map(contract.operations.map((op) => [op.name, op]));
  return new Proxy(
    {},
    {
      get(_target, property) {
        if (typeof property !== 'string') return undefined;
        const op = operations.get(property);
        if (!op) return undefined;
        const streamsIn = op.stream === 'client' || op.stream === 'bidi';
        const streamsOut = op.stream === 'server' || op.stream === 'bidi';
        return (input: unknown, ctx: CallContext): unknown => {
          const call: ReceivedCall = { operation: op.name, input, sawAbort: false, finished: false, credentials: ctx.credentials };
          script.calls.push(call);
          const reply = script.take(op.name);
          const watch = (): void => {
            if (ctx.signal.aborted) call.sawAbort = true;
          };
          ctx.signal.addEventListener('abort', () => (call.sawAbort = true), { once: true });
          if (streamsOut) {
            return (async function* () {
              try {
                if (streamsIn) call.input = await collect(input as AsyncIterable<unknown>, ctx.signal);
                if ('throw' in reply) throw reply.throw;
                if (!('stream' in reply)) throw new Error(`conformance: ${op.name} streams; script { stream }`);
                for (const element of reply.stream) {
                  watch();
                  if (ctx.signal.aborted) return;
                  yield element;
                }
                if (reply.hold) await aborted(ctx.signal);
                watch();
              } finally {
                call.finished = true;
              }
            })();
          }
          return (async () => {
            try {
              if (streamsIn) call.input = await collect(input as AsyncIterable<unknown>, ctx.signal);
              if ('throw' in reply) throw reply.throw;
              if (!('output' in reply)) throw new Error(`conformance: ${op.name} is unary; script { output }`);
              return reply.output;
            } finally {
              call.finished = true;
            }
          })();
        };
      },
      has(_target, property) {
        return typeof property === 'string' && operations.has(property);
      },
    },
  );
}

async function collect(input: AsyncIterable<unknown>, signal: AbortSignal): Promise<unknown[]> {
  const elements: unknown[] = [];
  for await (const element of input) {
    if (signal.aborted) break;
    elements.push(element);
  }
  return elements;
}

function aborted(signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
}
