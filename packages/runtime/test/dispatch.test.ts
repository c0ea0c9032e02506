// The dispatcher every style runs: authentication, input and output checks,
// and which failures reach the caller as themselves or as INTERNAL.
import { describe, expect, it, vi } from 'vitest';
import { isCancelled, LazyCallContext, type CallContext, type ServerOptions } from '../src/context.js';
import { Dispatcher } from '../src/dispatch.js';
import { ApigenError, CancelledError, createError, type ErrorClass, UnauthenticatedError } from '../src/errors.js';
import { contract, op } from './contract.js';

class SampleNotFoundError extends ApigenError {
  constructor(fields: { sampleId: string }, message = 'no such sample') {
    super('SampleNotFound', 'NOT_FOUND', message, fields);
  }
}
class InvalidArgumentError extends ApigenError {
  constructor(_fields: object = {}, message = 'invalid argument') {
    super('InvalidArgument', 'INVALID_ARGUMENT', message, {});
  }
}
class InternalError extends ApigenError {
  constructor(_fields: object = {}, message = 'internal error') {
    super('Internal', 'INTERNAL', message, {});
  }
}
class ConflictError extends ApigenError {
  constructor(_fields: object = {}, message = 'conflict') {
    super('Conflict', 'ALREADY_EXISTS', message, {});
  }
}
const errorClasses: Record<string, ErrorClass> = { SampleNotFound: SampleNotFoundError, InvalidArgument: InvalidArgumentError, Internal: InternalError };

const ID = '123e4567-e89b-12d3-a456-426614174000';
const sample = { id: ID, title: 'Dune', status: 'DRAFT' };

function ctxFor(name: string, signal = new AbortController().signal): CallContext {
  return { signal, metadata: new Map(), style: 'rest', operation: op(name) };
}

function dispatcher(implementation: object, options: ServerOptions = {}): Dispatcher {
  return new Dispatcher(contract, errorClasses, implementation, options);
}

async function failure(promise: Promise<unknown>): Promise<ApigenError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof ApigenError) return error;
    throw error;
  }
  throw new Error('expected a failure');
}

describe('authenticate', () => {
  const headers = (values: Record<string, string>) => (scheme: { httpHeader: string }) => values[scheme.httpHeader.toLowerCase()];

  it('needs nothing for an operation without schemes', async () => {
    await expect(dispatcher({}).authenticate(op('ping'), headers({}))).resolves.toBeUndefined();
  });

  it('takes the first scheme whose carrier has a credential, without its prefix', async () => {
    const d = dispatcher({});
    await expect(d.authenticate(op('getSample'), headers({ authorization: 'bearer  tok ' }))).resolves.toEqual({ scheme: 'bearer', value: 'tok' });
    await expect(d.authenticate(op('getSample'), headers({ authorization: 'Basic x', 'x-api-key': 'k' }))).resolves.toEqual({ scheme: 'apiKey', value: 'k' });
  });

  it('answers UNAUTHENTICATED, telling a missing credential from a refused one', async () => {
    const refusing = dispatcher({}, { authenticate: (c) => c.value === 'good' });
    const missing = await failure(refusing.authenticate(op('getSample'), headers({})));
    expect(missing).toBeInstanceOf(UnauthenticatedError);
    expect(missing.message).toBe('credentials are required');
    const refused = await failure(refusing.authenticate(op('getSample'), headers({ authorization: 'Bearer bad' })));
    expect(refused.message).toBe('the credentials were not accepted');
    await expect(refusing.authenticate(op('getSample'), headers({ authorization: 'Bearer bad', 'x-api-key': 'good' }))).resolves.toEqual({ scheme: 'apiKey', value: 'good' });
    const throwing = dispatcher({}, { authenticate: () => Promise.reject(new Error('down')) });
    expect((await failure(throwing.authenticate(op('getSample'), headers({ authorization: 'Bearer x' })))).code).toBe('UNAUTHENTICATED');
  });

  it('passes the operation to the hook', async () => {
    const hook = vi.fn(() => true);
    await dispatcher({}, { authenticate: hook }).authenticate(op('getSample'), headers({ authorization: 'Bearer t' }));
    expect(hook).toHaveBeenCalledWith({ scheme: 'bearer', value: 't' }, op('getSample'));
  });
});

describe('call', () => {
  it('calls the implementation with the input and context and returns its result', async () => {
    const getSample = vi.fn(async () => sample);
    const ctx = ctxFor('getSample');
    await expect(dispatcher({ getSample }).call(op('getSample'), { id: ID }, ctx)).resolves.toBe(sample);
    expect(getSample).toHaveBeenCalledWith({ id: ID }, ctx);
  });

  it('refuses invalid input with INVALID_ARGUMENT naming each violation, before the implementation runs', async () => {
    const getSample = vi.fn(async () => sample);
    const error = await failure(dispatcher({ getSample }).call(op('getSample'), { id: 'x' }, ctxFor('getSample')));
    expect(error).toBeInstanceOf(InvalidArgumentError);
    expect(error.message).toBe('invalid input: id: must be a UUID');
    expect(getSample).not.toHaveBeenCalled();
  });

  it('lets declared and implicit errors through and turns the rest into INTERNAL', async () => {
    const onInternalError = vi.fn();
    const throwing = (error: unknown) => dispatcher({ getSample: async () => Promise.reject(error) }, { onInternalError });
    const declared = new SampleNotFoundError({ sampleId: ID });
    expect(await failure(throwing(declared).call(op('getSample'), { id: ID }, ctxFor('getSample')))).toBe(declared);
    const invalid = createError(InvalidArgumentError, 'bad', {});
    expect(await failure(throwing(invalid).call(op('getSample'), { id: ID }, ctxFor('getSample')))).toBe(invalid);
    expect(onInternalError).not.toHaveBeenCalled();

    const undeclared = new ConflictError();
    const internal = await failure(throwing(undeclared).call(op('getSample'), { id: ID }, ctxFor('getSample')));
    expect(internal).toBeInstanceOf(InternalError);
    expect(internal.message).toBe('internal error');
    expect(onInternalError).toHaveBeenCalledWith(undeclared, op('getSample'));

    const crash = new RangeError('boom');
    expect(await failure(throwing(crash).call(op('getSample'), { id: ID }, ctxFor('getSample')))).toBeInstanceOf(InternalError);
    expect(onInternalError).toHaveBeenLastCalledWith(crash, op('getSample'));
  });

  it('answers INTERNAL when the implementation returns a value that breaks the contract, or has no method', async () => {
    const onInternalError = vi.fn();
    const broken = dispatcher({ getSample: async () => ({ ...sample, title: '' }) }, { onInternalError });
    expect((await failure(broken.call(op('getSample'), { id: ID }, ctxFor('getSample')))).code).toBe('INTERNAL');
    expect(String(onInternalError.mock.calls[0]![0])).toContain('getSample returned an invalid value: output.title: must be at least 1 characters long');
    expect((await failure(dispatcher({}).call(op('getSample'), { id: ID }, ctxFor('getSample')))).code).toBe('INTERNAL');
  });

  it('checks no result with validateOutput false, and about the given share of them with a number', async () => {
    const broken = { getSample: async () => ({ ...sample, title: '' }) };
    await expect(dispatcher(broken, { validateOutput: false }).call(op('getSample'), { id: ID }, ctxFor('getSample'))).resolves.toEqual({ ...sample, title: '' });
    const sampled = dispatcher(broken, { validateOutput: 0.5 });
    let refused = 0;
    for (let i = 0; i < 400; i++) {
      try {
        await sampled.call(op('getSample'), { id: ID }, ctxFor('getSample'));
      } catch (error) {
        expect((error as ApigenError).code).toBe('INTERNAL');
        refused++;
      }
    }
    // 400 draws at 1/2: outside 120..280 has a probability below 1e-18.
    expect(refused).toBeGreaterThan(120);
    expect(refused).toBeLessThan(280);
    // Inputs are checked whatever the option says.
    expect((await failure(dispatcher(broken, { validateOutput: false }).call(op('getSample'), { id: 'x' }, ctxFor('getSample')))).code).toBe('INVALID_ARGUMENT');
  });

  it('accepts an absent optional output', async () => {
    await expect(dispatcher({ findSample: async () => undefined }).call(op('findSample'), {}, ctxFor('findSample'))).resolves.toBeUndefined();
    await expect(dispatcher({ ping: async () => 'ignored' }).call(op('ping'), {}, ctxFor('ping'))).resolves.toBe('ignored');
  });

  it('answers CANCELLED when the caller went away during the call', async () => {
    const abort = new AbortController();
    const d = dispatcher({
      getSample: async () => {
        abort.abort();
        return sample;
      },
    });
    expect(await failure(d.call(op('getSample'), { id: ID }, ctxFor('getSample', abort.signal)))).toBeInstanceOf(CancelledError);
  });

  it('checks each element of a client stream as it is read', async () => {
    async function* notes() {
      yield { text: 'a' };
      yield { text: 2 };
    }
    const seen: unknown[] = [];
    const d = dispatcher({
      upload: async (input: AsyncIterable<unknown>) => {
        for await (const note of input) seen.push(note);
        return seen.length;
      },
    });
    const error = await failure(d.call(op('upload'), notes(), ctxFor('upload')));
    expect(error.message).toBe('invalid input: text: must be a string');
    expect(seen).toEqual([{ text: 'a' }]);
  });
});

describe('stream', () => {
  it('yields checked elements and fails on an invalid one', async () => {
    const d = dispatcher({
      watch: async function* () {
        yield { text: 'a' };
        yield { text: 3 };
      },
    });
    const got: unknown[] = [];
    const error = await failure(
      (async () => {
        for await (const element of d.stream(op('watch'), {}, ctxFor('watch'))) got.push(element);
      })(),
    );
    expect(got).toEqual([{ text: 'a' }]);
    expect(error.code).toBe('INTERNAL');
  });

  it('ends quietly once the caller has gone', async () => {
    const abort = new AbortController();
    const d = dispatcher({
      watch: async function* () {
        yield { text: 'a' };
        abort.abort();
        yield { text: 'b' };
      },
    });
    const got: unknown[] = [];
    for await (const element of d.stream(op('watch'), {}, ctxFor('watch', abort.signal))) got.push(element);
    expect(got).toEqual([{ text: 'a' }]);
  });
});

describe('LazyCallContext', () => {
  it('makes its signal and metadata when first read, and carries a cancellation made before', () => {
    const ctx = new LazyCallContext('rest', op('getSample'), { authorization: 'Bearer t', 'set-cookie': ['a', 'b'], absent: undefined });
    expect(isCancelled(ctx)).toBe(false);
    expect([...ctx.metadata]).toEqual([['authorization', 'Bearer t']]);
    expect(ctx.metadata).toBe(ctx.metadata);
    expect('credentials' in ctx).toBe(false);
    ctx.cancel();
    expect(isCancelled(ctx)).toBe(true);
    expect(ctx.signal.aborted).toBe(true);
  });

  it('aborts a signal already handed out', async () => {
    const ctx = new LazyCallContext('rest', op('getSample'), {});
    const signal = ctx.signal;
    const aborted = new Promise((resolve) => signal.addEventListener('abort', resolve));
    ctx.cancel();
    await aborted;
    expect(signal.aborted).toBe(true);
  });

  it('makes the dispatcher answer CANCELLED when the caller went away', async () => {
    const ctx = new LazyCallContext('rest', op('getSample'), {});
    const d = dispatcher({
      getSample: async () => {
        ctx.cancel();
        return sample;
      },
    });
    expect(await failure(d.call(op('getSample'), { id: ID }, ctx))).toBeInstanceOf(CancelledError);
  });
});
