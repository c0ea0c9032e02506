// A typed gRPC client on @grpc/grpc-js for every call kind: unary calls and
// client streams return a Promise, server and bidirectional streams an
// AsyncIterable; an AbortSignal cancels the call, and errors come back as the
// contract's classes with their fields.
import * as grpc from '@grpc/grpc-js';
import { fromJSON } from '@grpc/proto-loader';
import type { CallOptions } from './context.js';
import type { ContractDescriptor, OperationDesc } from './descriptor.js';
import { CancelledError, createError, describeViolations, type ErrorClass, type Violation } from './errors.js';
import { fieldSlot, fromWire, LOADER_OPTIONS, objectToWire, parseProto, toWire } from './grpc-codec.js';
import { fromServiceError } from './grpc-status.js';
import { isUnencodable, validateOperationInput, validateStreamElement } from './validate.js';

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

export interface GrpcClient {
  methods: Record<string, GrpcMethod>;
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
  const client = new Client(options.address, options.channelCredentials ?? grpc.credentials.createInsecure()) as unknown as Record<string, (...args: unknown[]) => unknown> & grpc.Client;
  const typeOf = (name: string) => root.lookupType(`${contract.service.package}.${name}`);

  const metadataOf = (op: OperationDesc, callOptions?: CallOptions): grpc.Metadata => {
    const metadata = new grpc.Metadata();
    for (const [key, value] of Object.entries(callOptions?.metadata ?? {})) metadata.set(key.toLowerCase(), value);
    for (const name of op.auth) {
      const scheme = contract.auth.schemes.find((s) => s.name === name);
      const value = options.credentials?.[name];
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
  return { methods, close: () => client.close() };
}
