// `npm run example`: the in-memory bookstore served over every style on
// loopback. Prints where each style listens and one call per style.
import { trace } from '@opentelemetry/api';
import { BasicTracerProvider, ConsoleSpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { createBookstore } from './bookstore-service.js';
import { tracingInterceptor } from './tracing.js';
import { serveBookstore } from '../generated-examples/bookstore/typescript/server.js';
import type { BookstoreEvents } from '../generated-examples/bookstore/typescript/events.js';

// A span per call on the console (EXAMPLE_TRACE=1); a real service registers its exporter here.
const provider = new BasicTracerProvider({ spanProcessors: process.env.EXAMPLE_TRACE === '1' ? [new SimpleSpanProcessor(new ConsoleSpanExporter())] : [] });
trace.setGlobalTracerProvider(provider);

let events: BookstoreEvents | undefined;
const running = await serveBookstore(createBookstore(() => events), {
  httpPort: Number(process.env.HTTP_PORT ?? 8080),
  grpcPort: Number(process.env.GRPC_PORT ?? 50051),
  // The example accepts one token; real services check it against their identity provider.
  authenticate: (credentials) => credentials.value === 'demo-token',
  intercept: tracingInterceptor(trace.getTracer('bookstore')),
});
events = running.events;
const { httpUrl, grpcAddress } = running;
console.log(`bookstore serving on loopback:
  REST     ${httpUrl}/books/123e4567-e89b-12d3-a456-426614174000
  GraphQL  ${httpUrl}/graphql   (subscriptions: ws on the same path)
  SOAP     ${httpUrl}/soap      (WSDL: ${httpUrl}/soap?wsdl; SOAP 1.1 and 1.2)
  events   ${httpUrl.replace('http', 'ws')}/ws, SSE ${httpUrl}/events/book-published
  gRPC     ${grpcAddress}       (acme.bookstore.v2.BookstoreService)
credential: Authorization: Bearer demo-token
Ctrl-C stops it.`);
const stop = async () => {
  await running.close();
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
if (process.env.EXAMPLE_EXIT_AFTER_START === '1') await stop();
