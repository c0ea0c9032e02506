// What a call carries besides its input, in every style.
import type { ContractDescriptor, EventDesc, OperationDesc, Style } from './descriptor.js';
import type { Limits } from './limits.js';

/** A credential as the caller sent it, with the scheme's prefix (`Bearer `) removed. */
export interface Credentials {
  /** The contract's scheme name (`bearer`, `apiKey`). */
  scheme: string;
  value: string;
}

export interface CallContext {
  /** The accepted credential; absent for operations with `auth: none`. */
  credentials?: Credentials;
  /** Aborted when the caller cancels, disconnects or its deadline passes. */
  signal: AbortSignal;
  /** Request headers / gRPC metadata, lower-case names. */
  metadata: ReadonlyMap<string, string>;
  /** The style that carried the call. */
  style: Style;
  operation: OperationDesc;
}

/**
 * Decides whether a credential is accepted for an operation, or for a
 * subscription to an event (`'payload' in target`) on any transport. Without a
 * hook a server accepts any credential of a scheme the operation (for events:
 * the contract's default auth) lists; a hook that returns false (or throws)
 * answers UNAUTHENTICATED.
 */
export type AuthHook = (credentials: Credentials, target: OperationDesc | EventDesc) => boolean | Promise<boolean>;

/**
 * Runs around every call that reaches the implementation, in every style (one
 * place for tracing, metrics, logging): `ctx` names the operation, style,
 * accepted credentials and metadata. `next()` runs the call: for unary and
 * client-streaming calls it resolves with the result; for server and
 * bidirectional streams it resolves once the last element was sent (and
 * rejects with the error that ended the stream). What the interceptor
 * resolves with is the call's result; what it throws, its error.
 */
export type CallInterceptor = (ctx: CallContext, next: () => Promise<unknown>) => Promise<unknown>;

export interface ServerOptions {
  authenticate?: AuthHook;
  /** Called with every error that is not one of the contract's (answered as INTERNAL), for logging. */
  onInternalError?: (error: unknown, operation: OperationDesc) => void;
  /** Runs around every call that reaches the implementation (see CallInterceptor). */
  intercept?: CallInterceptor;
  /**
   * Whether results are checked against the contract before they are sent
   * (a result that breaks it is answered as INTERNAL and reported to
   * onInternalError). `true` (the default): every result, as in development
   * and tests. `false`: none, for a production service that trusts its
   * implementation. A number between 0 and 1: that share of calls, chosen at
   * random, so that production still notices a broken implementation.
   * Inputs are always checked.
   */
  validateOutput?: boolean | number;
  /** What one caller may make the server hold or do (docs/limits.md); each unset limit keeps its default. */
  limits?: Partial<Limits>;
}

/** Options of one client call. */
export interface CallOptions {
  /** Cancels the call. */
  signal?: AbortSignal;
  /** Extra headers / metadata to send. */
  metadata?: Record<string, string>;
  /** This call's credentials by scheme name, over the client's `credentials` (same form: `{ bearer: token }`). */
  credentials?: Record<string, string>;
}

/**
 * The HTTP header (REST, GraphQL over HTTP, SOAP) with the credential of the
 * first of the operation's schemes the client has one for; `credentials` are
 * keyed by scheme name, without the scheme's prefix. Event subscriptions pass
 * `{ auth: contract.auth.default }`.
 */
export function credentialHeader(
  contract: ContractDescriptor,
  op: Pick<OperationDesc, 'auth'>,
  credentials: Record<string, string> | undefined,
  override?: Record<string, string>,
): Record<string, string> {
  if (override !== undefined) credentials = { ...credentials, ...override };
  for (const name of op.auth) {
    const scheme = contract.auth.schemes.find((s) => s.name === name);
    const value = credentials?.[name];
    if (scheme && value !== undefined) return { [scheme.httpHeader]: `${scheme.valuePrefix}${value}` };
  }
  return {};
}

/**
 * The response a call answers on, as far as the context watches it: node:http's
 * ServerResponse is `destroyed` once the caller's connection closed, and
 * `writableFinished` once the whole answer went out.
 */
export interface CallerConnection {
  readonly destroyed: boolean;
  readonly writableFinished: boolean;
  once(event: 'close', listener: () => void): unknown;
}

/**
 * A call's context whose signal and metadata are made only when something
 * reads them: most calls never do, and an AbortController and a header Map
 * per request cost more than the rest of the runtime's work on a small call.
 * The transport calls `cancel()` when the caller goes away, or hands over the
 * response (`connection`): whether the caller has gone is then read from it,
 * and a close listener is added only once the signal is asked for.
 */
export class LazyCallContext implements CallContext {
  declare credentials?: Credentials;
  #controller: AbortController | undefined;
  #metadata: ReadonlyMap<string, string> | undefined;
  #cancelled = false;

  constructor(
    readonly style: Style,
    readonly operation: OperationDesc,
    /**
     * Header or metadata name (lower case) to value, as node:http or grpc-js give them, or a function that
     * gives them when first needed; only string values become metadata.
     */
    private readonly headers: Readonly<Record<string, unknown>> | (() => Readonly<Record<string, unknown>>),
    private readonly connection?: CallerConnection,
  ) {}

  get signal(): AbortSignal {
    if (!this.#controller) {
      this.#controller = new AbortController();
      const connection = this.connection;
      if (this.cancelled) this.#controller.abort();
      else if (connection) connection.once('close', () => connection.writableFinished || this.cancel());
    }
    return this.#controller.signal;
  }

  get metadata(): ReadonlyMap<string, string> {
    if (!this.#metadata) {
      const metadata = new Map<string, string>();
      const headers = typeof this.headers === 'function' ? this.headers() : this.headers;
      for (const name of Object.keys(headers)) {
        const value = headers[name];
        if (typeof value === 'string') metadata.set(name, value);
      }
      this.#metadata = metadata;
    }
    return this.#metadata;
  }

  get cancelled(): boolean {
    if (this.#cancelled) return true;
    const connection = this.connection;
    return connection !== undefined && connection.destroyed && !connection.writableFinished;
  }

  cancel(): void {
    this.#cancelled = true;
    this.#controller?.abort();
  }
}

/** Whether the caller has gone, without making a lazy context's signal. */
export function isCancelled(ctx: CallContext): boolean {
  return ctx instanceof LazyCallContext ? ctx.cancelled : ctx.signal.aborted;
}
