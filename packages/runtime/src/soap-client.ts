// A typed SOAP client on node-soap from the emitted WSDL: one async method per
// SOAP operation, taking and returning the contract's TS values, carrying the
// credential in its HTTP header, cancelled by an AbortSignal, and rethrowing
// faults as the contract's error classes with their fields.
import * as soap from 'soap';
import { credentialHeader, type CallOptions } from './context.js';
import type { ContractDescriptor, OperationDesc } from './descriptor.js';
import { CancelledError, createError, describeViolations, type ApigenError, type ErrorClass, type Violation } from './errors.js';
import { childOf, decodeSlot, encodeFieldsXml, findUnwritableFields, guardElementNames, SOAP_WSDL_OPTIONS, type SoapContent } from './soap-codec.js';
import { errorOfFault, type SoapVersion } from './soap-fault.js';
import { isUnencodable, validateOperationInput } from './validate.js';

export interface SoapClientOptions {
  /** The SOAP endpoint: `http://localhost:8080/soap`. */
  endpoint: string;
  /** Credentials by the contract's scheme name, without prefix: `{ bearer: token }`. */
  credentials?: Record<string, string>;
  /** `1.1` (default: `text/xml`, the WSDL's `<Service>Soap` port) or `1.2` (`application/soap+xml`, `<Service>Soap12`). */
  soapVersion?: SoapVersion;
  /** Time limit of every call, in milliseconds. */
  timeoutMs?: number;
}

export type SoapClientMethod = (input: unknown, options?: CallOptions) => Promise<unknown>;

type NodeSoapCall = (args: unknown, options: object, extraHeaders: Record<string, string>) => Promise<[unknown, ...unknown[]]>;

export function createSoapClient(
  contract: ContractDescriptor,
  errorClasses: Record<string, ErrorClass>,
  wsdlText: string,
  options: SoapClientOptions,
): Record<string, SoapClientMethod> {
  const clientOptions = { ...SOAP_WSDL_OPTIONS, endpoint: options.endpoint, forceSoap12Headers: options.soapVersion === '1.2' };
  // Built on first use, once: the WSDL is parsed asynchronously.
  let client: Promise<soap.Client> | undefined;
  const ready = () =>
    (client ??= new Promise<soap.Client>((resolve, reject) => {
      const wsdl = new soap.WSDL(wsdlText, options.endpoint, clientOptions);
      wsdl.onReady((error) => {
        if (error) return reject(error);
        guardElementNames(wsdl);
        resolve(new soap.Client(wsdl, options.endpoint, clientOptions));
      });
    }));

  const invalidArgument = (violations: readonly Violation[]): ApigenError =>
    createError(errorClasses.InvalidArgument!, `invalid input: ${describeViolations(violations)}`, {});

  const headersOf = (op: OperationDesc, callOptions?: CallOptions): Record<string, string> => ({ ...(callOptions?.metadata ?? {}), ...credentialHeader(contract, op, options.credentials, callOptions?.credentials) });

  const request = (op: OperationDesc, input: unknown): SoapContent => {
    if (op.input.kind !== 'fields') return {};
    const value = (input ?? {}) as Record<string, unknown>;
    // What XML cannot hold, or a value of the wrong shape, never reaches the server; it is refused with the server's answer.
    const violations = validateOperationInput(contract, op, value);
    if (isUnencodable(violations)) throw invalidArgument(violations);
    const unwritable: Violation[] = [];
    findUnwritableFields(contract, op.input.fields, value, '', unwritable);
    if (unwritable.length > 0) throw invalidArgument(unwritable);
    const args = encodeFieldsXml(contract, op.input.fields, value, 'input');
    return args === '' ? {} : args;
  };

  const response = (op: OperationDesc, body: unknown): unknown => {
    if (op.output.kind !== 'value') return undefined;
    const result = childOf(body as SoapContent, 'result');
    if (result === undefined && op.output.optional) return undefined;
    const violations: Violation[] = [];
    const value = decodeSlot(contract, op.output.type, op.output.optional, result, 'result', violations, 'output');
    if (violations.length > 0) throw createError(errorClasses.Internal!, `malformed response from the service: ${describeViolations(violations)}`, {});
    return value;
  };

  const methods: Record<string, SoapClientMethod> = {};
  for (const op of contract.operations) {
    if (!op.styles.includes('soap')) continue;
    methods[op.name] = async (input, callOptions) => {
      const args = request(op, input);
      const soapClient = await ready();
      const call = (soapClient as unknown as Record<string, NodeSoapCall>)[`${op.grpc}Async`];
      if (!call) throw new Error(`contract invariant: the WSDL has no operation ${op.grpc}`);
      let body: unknown;
      try {
        [body] = await call.call(soapClient, args, { ...(callOptions?.signal ? { signal: callOptions.signal } : {}), ...(options.timeoutMs !== undefined ? { timeout: options.timeoutMs } : {}) }, headersOf(op, callOptions));
      } catch (error) {
        throw errorOfCall(error, callOptions);
      }
      return response(op, body);
    };
  }

  const errorOfCall = (error: unknown, callOptions?: CallOptions): ApigenError => {
    if (callOptions?.signal?.aborted) return new CancelledError();
    const root = (error as { root?: { Envelope?: { Body?: { Fault?: SoapContent } } } }).root;
    const fault = root?.Envelope?.Body?.Fault;
    if (fault !== undefined) return errorOfFault(contract, errorClasses, fault);
    const code = (error as { code?: unknown }).code;
    if (code === 'ECONNABORTED' || code === 'ETIMEDOUT') return new CancelledError({}, 'the call timed out');
    return createError(errorClasses.Internal!, `SOAP call failed: ${error instanceof Error ? error.message : String(error)}`, {});
  };
  return methods;
}
