// Network styles finish a call on the server after the client has its answer
// (a cancelled stream's handler unwinds later). The suite scripts the
// implementation call by call, so each client call waits, after it settles,
// until the server has no invocation left running; otherwise a late
// invocation of one case would take the next case's scripted reply.
import type { StyleClient } from '../adapter.js';

export interface Settling {
  /** The implementation, wrapped to count running invocations. */
  implementation: object;
  /** Counts a server-side call from its start until `end()` (for calls that may not reach the implementation yet). */
  begin(): () => void;
  /** A client whose calls return only once the server is idle again. */
  wrap(client: StyleClient): StyleClient;
}

const MAX_WAIT_TURNS = 2000;
const ARRIVAL_TURNS = 50;

export function settling(implementation: object): Settling {
  let running = 0;
  const track = <T>(value: T): T => {
    if (value && typeof (value as { then?: unknown }).then === 'function') {
      running++;
      (value as unknown as Promise<unknown>).then(
        () => running--,
        () => running--,
      );
      return value;
    }
    if (value && typeof (value as unknown as AsyncIterable<unknown>)[Symbol.asyncIterator] === 'function') {
      running++;
      const iterator = (value as unknown as AsyncIterable<unknown>)[Symbol.asyncIterator]();
      let done = false;
      const finish = () => {
        if (!done) {
          done = true;
          running--;
        }
      };
      return {
        [Symbol.asyncIterator]: () => ({
          next: async (...args: [] | [unknown]) => {
            try {
              const step = await iterator.next(...args);
              if (step.done) finish();
              return step;
            } catch (error) {
              finish();
              throw error;
            }
          },
          return: async (v?: unknown) => {
            finish();
            return (await iterator.return?.(v)) ?? { done: true, value: undefined };
          },
          throw: async (e?: unknown) => {
            finish();
            if (iterator.throw) return iterator.throw(e);
            throw e;
          },
        }),
      } as unknown as T;
    }
    return value;
  };
  const wrapped = new Proxy(implementation, {
    get(target, property, receiver) {
      const member = Reflect.get(target, property, receiver) as unknown;
      if (typeof member !== 'function') return member;
      return (...args: unknown[]) => track((member as (...a: unknown[]) => unknown).apply(target, args));
    },
  });
  let started = 0;
  let entered = 0;
  const idle = async () => {
    // A call the client gave up on early may reach the server later: give it a few turns to arrive.
    for (let turn = 0; entered < started && turn < ARRIVAL_TURNS; turn++) await new Promise((resolve) => setTimeout(resolve, 1));
    entered = started = Math.max(entered, started);
    // Bounded: a handler that never finishes shows up as the next case's failure, not as a hang.
    for (let turn = 0; running > 0 && turn < MAX_WAIT_TURNS; turn++) await new Promise((resolve) => setTimeout(resolve, 1));
  };
  const wrap = (client: StyleClient): StyleClient => {
    const out: StyleClient = {};
    for (const [name, call] of Object.entries(client)) {
      if (typeof call !== 'function') continue;
      out[name] = (input, options) => {
        started++;
        const result = call(input, options);
        if (result && typeof (result as Promise<unknown>).then === 'function') {
          return (result as Promise<unknown>).finally(idle);
        }
        if (result && typeof (result as AsyncIterable<unknown>)[Symbol.asyncIterator] === 'function') {
          return (async function* () {
            try {
              yield* result as AsyncIterable<unknown>;
            } finally {
              await idle();
            }
          })();
        }
        return result;
      };
    }
    return out;
  };
  const begin = () => {
    entered++;
    running++;
    let ended = false;
    return () => {
      if (!ended) {
        ended = true;
        running--;
      }
    };
  };
  return { implementation: wrapped, wrap, begin };
}
