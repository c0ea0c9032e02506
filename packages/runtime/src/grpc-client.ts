// A typed gRPC client on @grpc/grpc-js for every call kind: unary calls and
// client streams return a Promise, server and bidirectional streams an
// AsyncIterable; an AbortSignal cancels the call, and errors come back as the
// contract's classes with their fields. The contract's events are the
// `Subscribe<Event>` server streams (`subscribe`, `events`).
import * as grpc from '@grpc/grpc-js';
import { fromJSON } from '@grpc/proto-loader';
import type { CallOptions } from './context.js';
import type { ContractDescriptor, OperationDesc } from './descriptor.js';
import { ApigenError, CancelledError, createError, describeViolations, type ErrorClass, type Violation } from './errors.js';
import { keyFromText, keyText, keyType } from './events.js';
import { fieldSlot, fromWire, LOADER_OPTIONS, objectToWire, parseProto, toWire } from './grpc-codec.js';
import { fromServiceError } from './grpc-status.js';
import { derivedSizes } from './limits.js';
import { subscriptionErrorReporter, subscriptionMethods } from './http-events.js';
import { isUnencodable, validateOperationInput, validateStreamElement, validateValue } from './validate.js';

export interface GrpcClientOptions {
  /** `host:port` of the server: `localhost:50051`. */
  address: string;
  /** Credentials by the contract's scheme name, without prefix: `{ bearer: token }`. */
  credentials?: Record<string, string>;
  /** Channel credentials (default: insecure, for loopback and tests). */
  channelCredentials?: grpc.ChannelCredentials;
  /** Deadline of every call, in milliseconds from its start. */
  timeoutMs?: number;
}

export type GrpcMethod = (input: unknown, options?: CallOptions) => unknown;

export interface GrpcEventMeta {
  /** The event's key (the key field's value as text); absent for events without a key. */
  key?: string;
}

export interface GrpcSubscribeOptions {
  /** Only events with this key (the key field's value as text, as `meta.key` shows it). */
  key?: string;
  /** Aborting it cancels the stream. */
  signal?: AbortSignal;
  /**
   * Payloads that break the contract (they are skipped), a handler that threw, and (for `subscribe`) the
   * error that ended the stream (refused credentials, a lost connection). Default: a line on stderr.
   */
  onError?: (error: Error) => void;
}

export interface GrpcSubscription {
  /** Cancels the stream (the service stops sending it). */
  close(): void;
}

export interface GrpcClient {
  methods: Record<string, GrpcMethod>;
  /** Calls `handler` with each event (only those with `options.key`) of a `Subscribe<Event>` stream until closed. */
  subscribe(eventName: string, handler: (payload: unknown, meta: GrpcEventMeta) => void, options?: GrpcSubscribeOptions): GrpcSubscription;
  /** The events as an AsyncIterable; leaving the loop or aborting `options.signal` cancels the stream. */
  events(eventName: string, options?: GrpcSubscribeOptions): AsyncIterable<{ payload: unknown; meta: GrpcEventMeta }>;
  close(): void;
}

export function createGrpcClient(
  contract: ContractDescriptor,
  errorClasses: Record<string, ErrorClass>,
  protoText: string,
  options: GrpcClientOptions,
): GrpcClient {
  const root = parseProto(protoText);
  const pkg = fromJSON(root.toJSON(), LOADER_OPTIONS);
  const definition = pkg[`${contract.service.package}.${contract.service.grpcService}`] as grpc.ServiceDefinition;
  const Client = grpc.makeClientConstructor(definition, contract.service.grpcService);
  // Receives the largest answer the contract allows, not grpc-js's 4 MiB.
  const channelOptions = { 'grpc.max_receive_message_length': derivedSizes(contract).outputBytes, 'grpc.max_send_message_length': -1 };
  const client = new Client(options.address, options.channelCredentials ?? grpc.credentials.createInsecure(), channelOptions) as unknown as Record<string, (...args: unknown[]) => unknown> & grpc.Client;
  const typeOf = (name: string) => root.lookupType(`${contract.service.package}.${name}`);

  const metadataOf = (op: Pick<OperationDesc, 'auth'>, callOptions?: CallOptions): grpc.Metadata => {
    const metadata = new grpc.Metadata();
    for (const [key, value] of Object.entries(callOptions?.metadata ?? {})) metadata.set(key.toLowerCase(), value);
    for (const name of op.auth) {
      const scheme = contract.auth.schemes.find((s) => s.name === name);
      const value = callOptions?.credentials?.[name] ?? options.credentials?.[name];
      if (scheme && value !== undefined) {
        metadata.set(scheme.grpcMetadataKey, `${scheme.valuePrefix}${value}`);
        break;
      }
    }
    return metadata;
  };
  const callOptionsOf = (): grpc.CallOptions => (options.timeoutMs === undefined ? {} : { deadline: Date.now() + options.timeoutMs });
  const errorOf = (error: unknown, callOptions?: CallOptions) => {
    if (callOptions?.signal?.aborted) return new CancelledError();
    return fromServiceError(contract, root, errorClasses, error as grpc.ServiceError);
  };
  // proto3 cannot carry an absent required field (it arrives as its zero value) or a value outside an
  // enum or union: such inputs are refused here, with the message and paths the server would give.
  const refuseUnencodable = (violations: Violation[]): void => {
    if (isUnencodable(violations)) throw createError(errorClasses.InvalidArgument!, `invalid input: ${describeViolations(violations)}`, {});
  };
  const request = (op: OperationDesc, input: unknown) => {
    if (op.input.kind !== 'fields') return {};
    refuseUnencodable(validateOperationInput(contract, op, input ?? {}));
    return objectToWire(contract, op.input.fields, (input ?? {}) as Record<string, unknown>, typeOf(op.protoRequest));
  };
  const element = (op: OperationDesc, value: unknown) => {
    if (op.input.kind !== 'stream') return {};
    refuseUnencodable(validateStreamElement(contract, op, value));
    const field = typeOf(op.protoRequest).fieldsArray.find((f) => f.id === 1)!;
    return { [field.name]: toWire(contract, op.input.element, value, fieldSlot(field)) };
  };
  const response = (op: OperationDesc, wire: unknown): unknown => {
    if (op.output.kind === 'none') return undefined;
    const field = typeOf(op.protoResponse).fieldsArray.find((f) => f.id === 1)!;
    const record = (wire ?? {}) as Record<string, unknown>;
    if (op.output.kind === 'value' && op.output.optional && (record[field.name] === undefined || record[field.name] === null)) return undefined;
    const type = op.output.kind === 'value' ? op.output.type : op.output.element;
    const violations: Violation[] = [];
    const value = fromWire(contract, type, record[field.name], fieldSlot(field), '', violations, 'output');
    if (violations.length > 0) throw new TypeError(`the response does not match the contract: ${describeViolations(violations)}`);
    return value;
  };
  const cancelOn = (call: grpc.Call, callOptions?: CallOptions) => {
    const signal = callOptions?.signal;
    if (!signal) return () => {};
    const cancel = () => call.cancel();
    if (signal.aborted) call.cancel();
    signal.addEventListener('abort', cancel, { once: true });
    return () => signal.removeEventListener('abort', cancel);
  };
  async function pump(op: OperationDesc, call: grpc.ClientWritableStream<unknown> | grpc.ClientDuplexStream<unknown, unknown>, input: AsyncIterable<unknown>): Promise<void> {
    try {
      for await (const value of input) if (!call.write(element(op, value))) await new Promise((resolve) => call.once('drain', resolve));
      call.end();
    } catch (error) {
      call.cancel();
      throw error;
    }
  }

  const methods: Record<string, GrpcMethod> = {};
  for (const op of contract.operations) {
    if (!op.styles.includes('grpc')) continue;
    const rpc = client[op.grpc]!.bind(client);
    switch (op.stream) {
      case 'unary':
        methods[op.name] = (input, callOptions) =>
          new Promise((resolve, reject) => {
            const call = rpc(request(op, input), metadataOf(op, callOptions), callOptionsOf(), (error: grpc.ServiceError | null, wire: unknown) => {
              release();
              try {
                if (error) reject(errorOf(error, callOptions));
                else resolve(response(op, wire));
              } catch (e) {
                reject(e);
              }
            }) as grpc.Call;
            const release = cancelOn(call, callOptions);
          });
        break;
      case 'client':
        methods[op.name] = (input, callOptions) =>
          new Promise((resolve, reject) => {
            const call = rpc(metadataOf(op, callOptions), callOptionsOf(), (error: grpc.ServiceError | null, wire: unknown) => {
              release();
              try {
                if (error) reject(errorOf(error, callOptions));
                else resolve(response(op, wire));
              } catch (e) {
                reject(e);
              }
            }) as grpc.ClientWritableStream<unknown>;
            const release = cancelOn(call, callOptions);
            pump(op, call, input as AsyncIterable<unknown>).catch(reject);
          });
        break;
      case 'server':
      case 'bidi':
        methods[op.name] = (input, callOptions) =>
          (async function* () {
            const call = (op.stream === 'server'
              ? rpc(request(op, input), metadataOf(op, callOptions), callOptionsOf())
              : rpc(metadataOf(op, callOptions), callOptionsOf())) as grpc.ClientReadableStream<unknown> & grpc.Call;
            const release = cancelOn(call, callOptions);
            let pumping: Promise<void> | undefined;
            let pumpError: unknown;
            if (op.stream === 'bidi') pumping = pump(op, call as unknown as grpc.ClientDuplexStream<unknown, unknown>, input as AsyncIterable<unknown>);
            pumping?.catch((error: unknown) => (pumpError = error));
            let finished = false;
            try {
              for await (const wire of call) yield response(op, wire);
              finished = true;
              await pumping;
            } catch (error) {
              throw pumpError ?? errorOf(error, callOptions);
            } finally {
              release();
              // The caller stopped early: the server sees a cancellation.
              if (!finished) call.cancel();
            }
          })();
        break;
    }
  }

  // Events: one `Subscribe<Event>` stream per subscription, under the contract's default auth, without a deadline
  // (a subscription lasts until closed).
  const startEvents = (
    eventName: string,
    subscribeOptions: GrpcSubscribeOptions,
    deliver: (payload: unknown, meta: GrpcEventMeta) => void,
    end: (error?: ApigenError) => void,
  ): GrpcSubscription => {
    const event = contract.events.find((e) => e.name === eventName);
    if (!event) throw new TypeError(`unknown event ${eventName}`);
    const requestMessage: Record<string, unknown> = {};
    if (subscribeOptions.key !== undefined) {
      const type = keyType(contract, event);
      const field = typeOf(`${event.grpc}Request`).fieldsArray.find((f) => f.id === 1);
      if (type === undefined || !field) throw createError(errorClasses.InvalidArgument!, `${event.name} has no key to filter by`, {});
      const decoded = keyFromText(contract, event, subscribeOptions.key);
      if ('violations' in decoded) throw createError(errorClasses.InvalidArgument!, `invalid key: ${describeViolations(decoded.violations)}`, {});
      requestMessage[field.name] = toWire(contract, type, decoded.value, fieldSlot(field));
    }
    const payloadField = typeOf(`${event.grpc}Response`).fieldsArray.find((f) => f.id === 1)!;
    const report = subscriptionErrorReporter(subscribeOptions);
    const signal = subscribeOptions.signal;
    let closed = false;
    let call: (grpc.ClientReadableStream<unknown> & grpc.Call) | undefined;
    const finish = (error?: ApigenError) => {
      if (closed) return;
      closed = true;
      signal?.removeEventListener('abort', close);
      // Cancelling a call that already ended does nothing.
      call?.cancel();
      end(error);
    };
    const close = () => finish();
    if (signal?.aborted) {
      finish();
      return { close };
    }
    signal?.addEventListener('abort', close, { once: true });
    call = client[event.grpc]!.call(client, requestMessage, metadataOf({ auth: contract.auth.default }), {}) as grpc.ClientReadableStream<unknown> & grpc.Call;
    call.on('data', (wire: unknown) => {
      if (closed) return;
      const violations: Violation[] = [];
      const record = (wire ?? {}) as Record<string, unknown>;
      const payload = fromWire(contract, event.payload, record[payloadField.name], fieldSlot(payloadField), '', violations, 'output');
      if (violations.length === 0) validateValue(contract, event.payload, payload, '', violations, 'output');
      if (violations.length > 0) return report(new TypeError(`${event.name}: the payload breaks the contract: ${describeViolations(violations)}`));
      const key = keyText(contract, event, payload);
      try {
        deliver(payload, key === undefined ? {} : { key });
      } catch (error) {
        report(error);
      }
    });
    call.on('error', (error: grpc.ServiceError) => finish(fromServiceError(contract, root, errorClasses, error)));
    call.on('end', () => finish());
    return { close };
  };

  return {
    methods,
    ...subscriptionMethods(startEvents),
    close: () => client.close(),
  };
}

