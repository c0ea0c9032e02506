// The OpenTelemetry example (examples/tracing.ts): the interceptor given to
// serveBookstore() makes one span per call in every style, named by style and
// operation, with the credential's scheme, and an error status carrying the
// contract's error name when the call fails.
import { trace } from '@opentelemetry/api';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBookstore } from '../../examples/bookstore-service.js';
import { tracingInterceptor } from '../../examples/tracing.js';
import { serveBookstore, type RunningBookstore } from '../../generated-examples/bookstore/typescript/server.js';
import { createBookstoreRestClient } from '../../generated-examples/bookstore/typescript/rest/client.js';
import { createBookstoreGraphqlClient } from '../../generated-examples/bookstore/typescript/graphql/client.js';
import { createBookstoreGrpcClient } from '../../generated-examples/bookstore/typescript/grpc/client.js';
import { createBookstoreSoapClient } from '../../generated-examples/bookstore/typescript/soap/client.js';

const ID = '123e4567-e89b-12d3-a456-426614174000';
const MISSING = '00000000-0000-4000-8000-000000000000';

describe('the OpenTelemetry example', () => {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  let running: RunningBookstore;
  beforeAll(async () => {
    running = await serveBookstore(createBookstore(), {
      httpPort: 0,
      grpcPort: 0,
      authenticate: (c) => c.value === 'demo-token',
      intercept: tracingInterceptor(provider.getTracer('bookstore')),
    });
  });
  afterAll(async () => {
    await running?.close();
    await provider.shutdown();
    trace.disable();
  });

  it('records one span per call in every style, failed calls with the error name', async () => {
    const credentials = { bearer: 'demo-token' };
    const rest = createBookstoreRestClient({ baseUrl: running.httpUrl, credentials });
    const graphql = createBookstoreGraphqlClient({ url: `${running.httpUrl}/graphql`, credentials });
    const grpc = createBookstoreGrpcClient({ address: running.grpcAddress, credentials });
    const soap = createBookstoreSoapClient({ endpoint: `${running.httpUrl}/soap`, credentials });
    try {
      for (const client of [rest, graphql, grpc, soap]) {
        expect((await client.getBook({ id: ID })).id).toBe(ID);
        await expect(client.getBook({ id: MISSING })).rejects.toMatchObject({ errorName: 'BookNotFound' });
      }
    } finally {
      grpc.close();
    }
    const spans = exporter.getFinishedSpans().map((s) => ({ name: s.name, status: s.status.code, message: s.status.message, scheme: s.attributes['apigen.auth.scheme'] }));
    for (const style of ['rest', 'graphql', 'grpc', 'soap']) {
      expect(spans.filter((s) => s.name === `${style} getBook`), style).toEqual([
        { name: `${style} getBook`, status: 0, message: undefined, scheme: 'bearer' },
        { name: `${style} getBook`, status: 2, message: 'BookNotFound', scheme: 'bearer' },
      ]);
    }
  });
});
