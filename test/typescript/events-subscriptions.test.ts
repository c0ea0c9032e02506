// One publish through the all-styles server reaches a GraphQL subscription
// (graphql-ws) and a gRPC `SubscribeBookPublished` stream with the same
// payload, filtered by the event key.
import * as grpc from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import { createClient } from 'graphql-ws';
import { join, resolve } from 'node:path';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBookstore } from '../../examples/bookstore-service.js';
import { serveBookstore, type RunningBookstore } from '../../generated-examples/bookstore/typescript/server.js';
import type { Book } from '../../generated-examples/bookstore/typescript/types.js';

const ROOT = resolve(import.meta.dirname, '../..');
let running: RunningBookstore;

beforeAll(async () => {
  running = await serveBookstore(createBookstore(), { httpPort: 0, grpcPort: 0, authenticate: (c) => c.value === 'demo-token' });
});
afterAll(async () => running?.close());

const book = (id: string, title: string): Book => ({
  id,
  title,
  isbn: '9780135957059',
  price: '123456789012345678901234567890.5',
  pages: 1,
  status: 'PUBLISHED',
  tags: [],
  publishedAt: new Date('2024-02-29T23:59:59.999Z'),
  attributes: new Map([['__proto__', '<&]]>'], ['', 'שלום 👩‍💻']]),
  salesRank: -9223372036854775808n,
});

describe('events on GraphQL subscriptions and gRPC streams', () => {
  it('delivers each published event, filtered by key, in order', async () => {
    const wanted = '11111111-1111-1111-1111-111111111111';
    const other = '22222222-2222-2222-2222-222222222222';

    // GraphQL: a subscription filtered by the key.
    const gql = createClient({ url: `${running.httpUrl.replace('http', 'ws')}/graphql`, webSocketImpl: WebSocket, connectionParams: { Authorization: 'Bearer demo-token' }, retryAttempts: 0 });
    const subscription = gql.iterate<{ bookPublished: Record<string, unknown> }>({
      query: `subscription { bookPublished(id: "${wanted}") { id title price salesRank publishedAt attributes { key value } } }`,
    });

    // gRPC: the subscribe stream, filtered by the same key.
    const definition = loadSync('acme/bookstore/v2/bookstore.proto', { includeDirs: [join(ROOT, 'generated-examples/bookstore/proto'), '/usr/include'], keepCase: true, longs: String, enums: String });
    const pkg = grpc.loadPackageDefinition(definition) as unknown as { acme: { bookstore: { v2: { BookstoreService: grpc.ServiceClientConstructor } } } };
    const client = new pkg.acme.bookstore.v2.BookstoreService(running.grpcAddress, grpc.credentials.createInsecure());
    const metadata = new grpc.Metadata();
    metadata.set('authorization', 'Bearer demo-token');
    const stream = (client as unknown as { SubscribeBookPublished: (r: object, m: grpc.Metadata) => grpc.ClientReadableStream<{ book: Record<string, unknown> }> }).SubscribeBookPublished({ id: wanted }, metadata);
    const grpcReceived: Record<string, unknown>[] = [];
    stream.on('data', (m: { book: Record<string, unknown> }) => grpcReceived.push(m.book));
    stream.on('error', () => {});

    // Both subscriptions are registered once a publish reaches them: publish until the first one arrives (bounded).
    const first = subscription.next();
    let arrived: IteratorResult<{ data?: { bookPublished: Record<string, unknown> } | null }> | undefined;
    void first.then((r) => (arrived = r as typeof arrived));
    for (let attempt = 0; attempt < 200 && (arrived === undefined || grpcReceived.length === 0); attempt++) {
      await running.events.bookPublished(book(other, 'not for us'));
      await running.events.bookPublished(book(wanted, `warm-up ${attempt}`));
      await new Promise((r) => setTimeout(r, 10));
    }
    expect(arrived).toBeDefined();
    expect(grpcReceived.length).toBeGreaterThan(0);
    await running.events.bookPublished(book(wanted, 'the one'));

    let gqlLast: Record<string, unknown> | undefined;
    for (let i = 0; i < 500; i++) {
      const next = await subscription.next();
      gqlLast = (next.value as { data: { bookPublished: Record<string, unknown> } }).data.bookPublished;
      if (gqlLast.title === 'the one') break;
    }
    for (let i = 0; i < 500 && grpcReceived.at(-1)?.title !== 'the one'; i++) await new Promise((r) => setTimeout(r, 5));

    expect(gqlLast).toEqual({
      id: wanted,
      title: 'the one',
      price: '123456789012345678901234567890.5',
      salesRank: '-9223372036854775808',
      publishedAt: '2024-02-29T23:59:59.999Z',
      attributes: [{ key: '__proto__', value: '<&]]>' }, { key: '', value: 'שלום 👩‍💻' }],
    });
    const last = grpcReceived.at(-1)!;
    expect(last).toMatchObject({ id: wanted, title: 'the one', price: '123456789012345678901234567890.5', sales_rank: '-9223372036854775808' });
    // Nothing of the other key came through either subscription.
    expect(grpcReceived.every((b) => b.id === wanted)).toBe(true);
    stream.cancel();
    await subscription.return?.();
    await gql.dispose();

    // Without a credential neither transport subscribes: events are under the default auth.
    const anonymous = (client as unknown as { SubscribeBookPublished: (r: object) => grpc.ClientReadableStream<unknown> }).SubscribeBookPublished({});
    const refused = await new Promise<grpc.ServiceError>((done) => anonymous.on('error', done));
    expect(refused.code).toBe(grpc.status.UNAUTHENTICATED);
    client.close();
    const anonymousGql = createClient({ url: `${running.httpUrl.replace('http', 'ws')}/graphql`, webSocketImpl: WebSocket, retryAttempts: 0 });
    const refusedGql = await anonymousGql.iterate({ query: 'subscription { bookPublished { id } }' }).next().then(
      (r) => r.value as { errors?: { extensions?: { code?: string } }[] },
      (errors: { extensions?: { code?: string } }[]) => ({ errors }),
    );
    expect(refusedGql.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    await anonymousGql.dispose();
  });
});
