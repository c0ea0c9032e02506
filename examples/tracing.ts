// An OpenTelemetry span per call, in every style: the `intercept` hook of
// serve<Service>() runs around each call that reaches the implementation
// (unary calls and whole streams), with the operation, the style and the
// accepted credential. `npm run example` serves the bookstore with it and
// prints each span to the console; test/typescript/tracing-example.test.ts
// checks the spans of REST, GraphQL, gRPC and SOAP calls.
import { SpanStatusCode, type Tracer } from '@opentelemetry/api';
import type { CallInterceptor } from 'apigen-runtime';

export function tracingInterceptor(tracer: Tracer): CallInterceptor {
  return (ctx, next) =>
    tracer.startActiveSpan(`${ctx.style} ${ctx.operation.name}`, async (span) => {
      span.setAttribute('rpc.system', ctx.style);
      span.setAttribute('rpc.method', ctx.operation.name);
      if (ctx.credentials) span.setAttribute('apigen.auth.scheme', ctx.credentials.scheme);
      try {
        return await next();
      } catch (error) {
        // The contract's error name (BookNotFound, InvalidArgument, ...) when there is one.
        const name = (error as { errorName?: string }).errorName;
        span.setStatus({ code: SpanStatusCode.ERROR, message: name ?? String(error) });
        if (error instanceof Error) span.recordException(error);
        throw error;
      } finally {
        span.end();
      }
    });
}
