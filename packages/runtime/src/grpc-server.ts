// gRPC on @grpc/grpc-js with all four call kinds, from the emitted .proto
// (loaded with @grpc/proto-loader from its text). Each handler translates the
// request to TS values, runs the shared Dispatcher with the call's metadata,
// cancellation and deadline in the context's AbortSignal, and answers errors
// with their status and detail message. The `Subscribe*` rpcs stream the
// contract's events from a Publisher, filtered by the request's key.
import * as grpc from '@grpc/grpc-js';
import { fromJSON } from '@grpc/proto-loader';
import type protobuf from 'protobufjs';
import { LazyCallContext, type CallContext, type ServerOptions } from './context.js';
import type { ContractDescriptor, EventDesc, OperationDesc } from './descriptor.js';
import { Dispatcher } from './dispatch.js';
import { ApigenError, CancelledError, type ErrorClass, type Violation } from './errors.js';
import { keyText, keyType, matchesKey, type Publisher, type PublishedEvent } from './events.js';
import { authenticateEvent, type EventAuthHook } from './http-events.js';
import { fieldSlot, fromWire, LOADER_OPTIONS, objectFromWire, parseProto, toWire } from './grpc-codec.js';
import { toServiceError } from './grpc-status.js';
import { resolveLimits } from './limits.js';

export interface GrpcServerOptions extends ServerOptions {
  /** Serves the `Subscribe*` rpcs from this publisher's events; without one they answer UNIMPLEMENTED. */
  publisher?: Publisher;
  /** Who may subscribe to events, among those `authenticate` accepts (asked with the event): it narrows, never widens. */
  authenticateEvent?: EventAuthHook;
}

/**
 * The @grpc/grpc-js Server (or Client) options that let the service's messages
 * through: the receive limit of the contract's largest input (outputs for a
 * client), not grpc-js's 4 MiB, and the streams one connection may run at once.
 * Pass them to `new grpc.Server(...)`; serve<Service>() does.
 */
export function grpcServerOptions(contract: ContractDescriptor, options: Pick<ServerOptions, 'limits'> = {}): grpc.ServerOptions {
  const limits = resolveLimits(contract, options.limits);
  return {
    'grpc.max_receive_message_length': limits.bodyBytes,
    'grpc.max_send_message_length': -1,
    'grpc.max_concurrent_streams': limits.streamsPerConnection,
  };
}

export interface GrpcService {
  definition: grpc.ServiceDefinition;
  implementation: grpc.UntypedServiceImplementation;
}

type AnyCall = grpc.ServerUnaryCall<unknown, unknown> | grpc.ServerReadableStream<unknown, unknown> | grpc.ServerWritableStream<unknown, unknown> | grpc.ServerDuplexStream<unknown, unknown>;

export function createGrpcService(
  contract: ContractDescriptor,
  errorClasses: Record<string, ErrorClass>,
  protoText: string,
  implementation: object,
  options: GrpcServerOptions = {},
): GrpcService {
  const root = parseProto(protoText);
  const pkg = fromJSON(root.toJSON(), LOADER_OPTIONS);
  const definition = pkg[`${contract.service.package}.${contract.service.grpcService}`] as grpc.ServiceDefinition;
  const dispatcher = new Dispatcher(contract, errorClasses, implementation, options);
  const handlers: grpc.UntypedServiceImplementation = {};
  const limits = resolveLimits(contract, options.limits);
  // Message types looked up once per name, not per call.
  const types = new Map<string, protobuf.Type>();
  const typeOf = (name: string): protobuf.Type => {
    let type = types.get(name);
    if (!type) types.set(name, (type = root.lookupType(`${contract.service.package}.${name}`)));
    return type;
  };

  const fail = (op: OperationDesc | undefined, error: unknown, ctx?: CallContext): Partial<grpc.ServiceError> => {
    const contractError = op ? dispatcher.toContractError(op, error, ctx) : (error as ApigenError);
    return toServiceError(contract, root, contractError);
  };

  const contextOf = async (op: OperationDesc, call: AnyCall): Promise<CallContext> => {
    // The signal and the metadata map are made only if the implementation reads them.
    const ctx = new LazyCallContext('grpc', op, () => call.metadata.getMap());
    (call as NodeJS.EventEmitter).on('cancelled', () => ctx.cancel());
    if (call.cancelled) ctx.cancel();
    const credentials = await dispatcher.authenticate(op, (scheme) => {
      const value = call.metadata.get(scheme.grpcMetadataKey)[0];
      return typeof value === 'string' ? value : undefined;
    });
    // A call the client gave up on while it was being authenticated never reaches the implementation.
    if (call.cancelled) throw new CancelledError();
    if (credentials) ctx.credentials = credentials;
    return ctx;
  };

  const decodeRequest = (op: OperationDesc, request: unknown): unknown => {
    const violations: Violation[] = [];
    if (op.input.kind !== 'fields') return {};
    const value = objectFromWire(contract, op.input.fields, (request ?? {}) as Record<string, unknown>, typeOf(op.protoRequest), '', violations, 'input');
    dispatcher.rejectIfInvalid(violations);
    return value;
  };

  const decodeElement = (op: OperationDesc, request: unknown): unknown => {
    if (op.input.kind !== 'stream') return undefined;
    const type = typeOf(op.protoRequest);
    const field = type.fieldsArray.find((f) => f.id === 1)!;
    const violations: Violation[] = [];
    const record = (request ?? {}) as Record<string, unknown>;
    const value = fromWire(contract, op.input.element, record[field.name], fieldSlot(field), '', violations, 'input');
    dispatcher.rejectIfInvalid(violations);
    return value;
  };

  const responseFields = new Map<string, protobuf.Field | undefined>();
  const encodeResponse = (op: OperationDesc, value: unknown): Record<string, unknown> => {
    let field = responseFields.get(op.name);
    if (!responseFields.has(op.name)) responseFields.set(op.name, (field = typeOf(op.protoResponse).fieldsArray.find((f) => f.id === 1)));
    if (op.output.kind === 'none' || !field || value === undefined) return {};
    const element = op.output.kind === 'value' ? op.output.type : op.output.element;
    return { [field.name]: toWire(contract, element, value, fieldSlot(field)) };
  };

  async function* readStream(op: OperationDesc, call: grpc.ServerReadableStream<unknown, unknown> | grpc.ServerDuplexStream<unknown, unknown>): AsyncGenerator<unknown> {
    for await (const request of readRequests(call, limits.bufferedElements)) yield decodeElement(op, request);
  }

  for (const op of contract.operations) {
    if (!op.styles.includes('grpc')) continue;
    // An rpc the implementation lacks is left to grpc-js, which answers UNIMPLEMENTED (as it does for unknown ones).
    if (typeof (implementation as Record<string, unknown>)[op.name] !== 'function') continue;
    switch (op.stream) {
      case 'unary':
        handlers[op.grpc] = (call: grpc.ServerUnaryCall<unknown, unknown>, callback: grpc.sendUnaryData<unknown>) => {
          let ctx: CallContext | undefined;
          (async () => {
            ctx = await contextOf(op, call);
            const result = await dispatcher.call(op, decodeRequest(op, call.request), ctx);
            callback(null, encodeResponse(op, result));
          })().catch((error: unknown) => callback(fail(op, error, ctx)));
        };
        break;
      case 'client':
        handlers[op.grpc] = (call: grpc.ServerReadableStream<unknown, unknown>, callback: grpc.sendUnaryData<unknown>) => {
          let ctx: CallContext | undefined;
          (async () => {
            ctx = await contextOf(op, call);
            const result = await dispatcher.call(op, readStream(op, call), ctx);
            callback(null, encodeResponse(op, result));
          })().catch((error: unknown) => callback(fail(op, error, ctx)));
        };
        break;
      case 'server':
      case 'bidi':
        handlers[op.grpc] = (call: grpc.ServerWritableStream<unknown, unknown> | grpc.ServerDuplexStream<unknown, unknown>) => {
          let ctx: CallContext | undefined;
          (async () => {
            ctx = await contextOf(op, call);
            const input = op.stream === 'bidi' ? readStream(op, call as grpc.ServerDuplexStream<unknown, unknown>) : decodeRequest(op, (call as grpc.ServerWritableStream<unknown, unknown>).request);
            for await (const element of dispatcher.stream(op, input, ctx)) {
              if (!call.write(encodeResponse(op, element))) await new Promise((resolve) => call.once('drain', resolve));
            }
            call.end();
          })().catch((error: unknown) => {
            if (!call.cancelled) call.emit('error', fail(op, error, ctx));
          });
        };
        break;
    }
  }

  for (const event of contract.events) {
    handlers[event.grpc] = (call: grpc.ServerWritableStream<unknown, unknown>) => {
      const metadata = call.metadata.getMap();
      // Events are under the contract's default auth, as on the WebSocket and SSE transports.
      authenticateEvent(contract, event, (scheme) => (typeof metadata[scheme.grpcMetadataKey] === 'string' ? (metadata[scheme.grpcMetadataKey] as string) : undefined), options)
        .then(() => subscribe(contract, root, event, call, options, limits.streamIdleMs))
        .catch((error: unknown) => call.emit('error', toServiceError(contract, root, error as ApigenError)));
    };
  }
  return { definition, implementation: handlers };
}

/** A `Subscribe*` rpc: every event from now on, filtered by the request's key field when set. */
function subscribe(contract: ContractDescriptor, root: protobuf.Root, event: EventDesc, call: grpc.ServerWritableStream<unknown, unknown>, options: GrpcServerOptions, idleMs: number): void {
  const publisher = options.publisher;
  if (!publisher) {
    call.emit('error', { code: grpc.status.UNIMPLEMENTED, details: `${event.name} is not published by this server` });
    return;
  }
  const filter = keyFilter(contract, root, event, (call.request ?? {}) as Record<string, unknown>);
  const response = root.lookupType(`${contract.service.package}.${event.grpc}Response`);
  const field = response.fieldsArray.find((f) => f.id === 1)!;
  // A stream that got no event for `idleMs` ends (OK); the client subscribes again.
  let idle: NodeJS.Timeout | undefined;
  const rearm = () => {
    if (idleMs <= 0) return;
    clearTimeout(idle);
    idle = setTimeout(() => call.end(), idleMs);
    idle.unref();
  };
  const remove = publisher.addSink({
    publish: async (published: PublishedEvent) => {
      if (published.event.name !== event.name || !matchesKey(filter, published)) return;
      rearm();
      call.write({ [field.name]: toWire(contract, event.payload, published.payload, fieldSlot(field)) });
    },
  });
  rearm();
  const stop = () => {
    clearTimeout(idle);
    remove();
  };
  call.on('cancelled', stop);
  call.on('close', stop);
  call.on('finish', stop);
}

/**
 * The request's key filter as key text (what keyText gives for a payload's key), decoded with the key field's
 * type (an enum arrives as its prefixed proto name, a datetime as a Timestamp); undefined: every event.
 */
function keyFilter(contract: ContractDescriptor, root: protobuf.Root, event: EventDesc, request: Record<string, unknown>): string | undefined {
  const type = keyType(contract, event);
  const field = root.lookupType(`${contract.service.package}.${event.grpc}Request`).fieldsArray.find((f) => f.id === 1);
  if (event.key === undefined || type === undefined || !field) return undefined;
  const wire = request[field.name];
  if (wire === undefined || wire === null) return undefined;
  const violations: Violation[] = [];
  const value = fromWire(contract, type, wire, fieldSlot(field), event.key, violations, 'input');
  // A value outside the key's type (an unknown enum number) matches no event.
  if (violations.length > 0) return `\u0000${String(wire)}`;
  return keyText(contract, event, { [event.key]: value });
}

/**
 * The requests of a streaming call. Not `for await (... of call)`: a stream's
 * async iterator destroys the stream when the loop ends, which would also end
 * a bidirectional call's responses.
 */
async function* readRequests(call: grpc.ServerReadableStream<unknown, unknown> | grpc.ServerDuplexStream<unknown, unknown>, highWater: number): AsyncGenerator<unknown> {
  const queue: unknown[] = [];
  let ended = false;
  let failure: unknown;
  let wake: (() => void) | undefined;
  // A slow implementation pauses the call: grpc-js stops reading, and HTTP/2 flow control stops the sender.
  let paused = false;
  call.on('data', (request: unknown) => {
    queue.push(request);
    if (queue.length >= highWater && !paused) {
      paused = true;
      call.pause();
    }
    wake?.();
  });
  call.on('end', () => {
    ended = true;
    wake?.();
  });
  call.on('error', (error: unknown) => {
    failure = error;
    ended = true;
    wake?.();
  });
  for (;;) {
    if (queue.length > 0) {
      const request = queue.shift();
      if (paused && queue.length < highWater / 2) {
        paused = false;
        call.resume();
      }
      yield request;
      continue;
    }
    if (failure !== undefined) throw failure;
    if (ended) return;
    await new Promise<void>((resolve) => (wake = resolve));
    wake = undefined;
  }
}
