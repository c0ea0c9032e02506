// A gRPC client's deadline reaches the implementation as an aborted
// ctx.signal on the server, and the client gets the contract's CancelledError
// (DEADLINE_EXCEEDED), for unary calls and server streams alike; an AbortSignal
// on the client does the same.
import * as grpc from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBookstore } from '../../examples/bookstore-service.js';
import { CancelledError } from 'apigen-runtime';
import { createBookstoreGrpcClient } from '../../generated-examples/bookstore/typescript/grpc/client.js';
import { addBookstoreToGrpcServer } from '../../generated-examples/bookstore/typescript/grpc/server.js';
import type { CallContext } from 'apigen-runtime';

const ID = '123e4567-e89b-12d3-a456-426614174000';
const LIMIT_MS = 5000;
let server: grpc.Server;
let address: string;
/** Resolves with the operation name when the implementation sees its ctx.signal abort. */
const aborts: { name: string; seen: Promise<void>; resolve: () => void }[] = [];

function watch(name: string, ctx: CallContext): void {
  const entry = aborts.findLast((a) => a.name === name)!;
  if (ctx.signal.aborted) return entry.resolve();
  ctx.signal.addEventListener('abort', () => entry.resolve());
}

function expectAbort(name: string): Promise<void> {
  let resolve!: () => void;
  const seen = new Promise<void>((done) => (resolve = done));
  aborts.push({ name, seen, resolve });
  return Promise.race([seen, new Promise<void>((_, fail) => setTimeout(() => fail(new Error(`${name}: ctx.signal was not aborted within ${LIMIT_MS} ms`)), LIMIT_MS))]);
}

beforeAll(async () => {
  const bookstore = createBookstore();
  const slow = Object.assign(Object.create(bookstore) as typeof bookstore, {
    // Never answers on its own: only the caller's deadline or cancellation ends it.
    getBook: (_input: { id: string }, ctx: CallContext) =>
      new Promise<never>((_resolve, reject) => {
        watch('getBook', ctx);
        ctx.signal.addEventListener('abort', () => reject(new Error('aborted')));
      }),
    watchPrices: async function* (_input: { bookIds: string[] }, ctx: CallContext) {
      watch('watchPrices', ctx);
      await new Promise<void>((done) => ctx.signal.addEventListener('abort', () => done()));
    },
  });
  server = new grpc.Server();
  addBookstoreToGrpcServer(server, slow, { authenticate: (c) => c.value === 'demo-token' });
  const port = await new Promise<number>((done, fail) => server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (e, p) => (e ? fail(e) : done(p))));
  address = `127.0.0.1:${port}`;
});
afterAll(() => server.forceShutdown());

describe('gRPC deadlines and cancellation', () => {
  it('a unary call past its deadline aborts ctx.signal and fails with CancelledError', async () => {
    const client = createBookstoreGrpcClient({ address, credentials: { bearer: 'demo-token' }, timeoutMs: 150 });
    const aborted = expectAbort('getBook');
    const error = await client.getBook({ id: ID }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CancelledError);
    await aborted;
    client.close();
  });

  it('a server stream past its deadline aborts ctx.signal and ends the client loop with CancelledError', async () => {
    const client = createBookstoreGrpcClient({ address, credentials: { bearer: 'demo-token' }, timeoutMs: 150 });
    const aborted = expectAbort('watchPrices');
    const error = await (async () => {
      for await (const _tick of client.watchPrices({ bookIds: [ID] })) void _tick;
    })().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CancelledError);
    await aborted;
    client.close();
  });

  it('aborting the client signal cancels the call on the server', async () => {
    const client = createBookstoreGrpcClient({ address, credentials: { bearer: 'demo-token' } });
    const aborted = expectAbort('getBook');
    const controller = new AbortController();
    const call = client.getBook({ id: ID }, { signal: controller.signal }).catch((e: unknown) => e);
    setTimeout(() => controller.abort(), 100);
    expect(await call).toBeInstanceOf(CancelledError);
    await aborted;
    client.close();
  });
});
