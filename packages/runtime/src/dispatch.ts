// The server side of every call, whatever the style: authenticate, validate
// the input, call the implementation, check what it returned, and turn any
// failure into one of the contract's errors. Style servers only translate
// their wire form to and from TypeScript values around this, which is what
// makes the styles answer alike.
import type { AuthSchemeDesc, ContractDescriptor, OperationDesc } from './descriptor.js';
import { isCancelled, type AuthHook, type CallContext, type CallInterceptor, type Credentials, type ServerOptions } from './context.js';
import { ApigenError, CancelledError, createError, describeViolations, UnauthenticatedError, type ErrorClass, type Violation } from './errors.js';
import { validateOperationInput, validateStreamElement, validateValue, valueCheck } from './validate.js';

type Method = (input: unknown, ctx: CallContext) => unknown;

export class Dispatcher {
  constructor(
    readonly contract: ContractDescriptor,
    private readonly errorClasses: Record<string, ErrorClass>,
    private readonly implementation: object,
    private readonly options: ServerOptions = {},
  ) {
    for (const scheme of contract.auth.schemes) {
      this.schemes.set(scheme.name, scheme);
      this.lowerPrefixes.set(scheme.valuePrefix, scheme.valuePrefix.toLowerCase());
    }
    const share = options.validateOutput ?? true;
    this.outputShare = share === true ? 1 : share === false ? 0 : Math.min(1, Math.max(0, share));
    this.leavesOutputCheck = options.intercept === undefined;
  }

  /**
   * Whether a transport that writes results by a writer that checks them as
   * it goes may take the output check over (call's `outputChecked`): not with
   * an interceptor, whose `next()` fails for a result the check refuses.
   */
  readonly leavesOutputCheck: boolean;

  private readonly schemes = new Map<string, AuthSchemeDesc>();
  private readonly lowerPrefixes = new Map<string, string>();
  /** The share of results checked against the contract (ServerOptions.validateOutput). */
  private readonly outputShare: number;

  /** Whether this call's result is checked (ServerOptions.validateOutput: every one, none, or a share drawn at random). */
  checksOutput(): boolean {
    return this.outputShare >= 1 || (this.outputShare > 0 && Math.random() < this.outputShare);
  }

  operation(name: string): OperationDesc | undefined {
    return this.contract.operations.find((op) => op.name === name);
  }

  /**
   * Finds the credential among the carriers the operation accepts and asks
   * the hook. `read` returns the raw carrier value (header, metadata entry,
   * connection parameter) for a scheme.
   */
  async authenticate(op: OperationDesc, read: (scheme: AuthSchemeDesc) => string | undefined): Promise<Credentials | undefined> {
    return this.authenticateFrom(op, read, callReader);
  }

  /**
   * As authenticate, reading each scheme's carrier by `read(carrier, scheme)`
   * (no closure per call), and answering at once when the hook does: a
   * promise only for a hook that returns one. Throws UNAUTHENTICATED.
   */
  authenticateFrom<C>(op: OperationDesc, carrier: C, read: (carrier: C, scheme: AuthSchemeDesc) => string | undefined): Credentials | undefined | Promise<Credentials | undefined> {
    if (op.auth.length === 0) return undefined;
    let offered = false;
    const names = op.auth;
    for (let i = 0; i < names.length; i++) {
      const scheme = this.schemes.get(names[i]!);
      if (!scheme) continue;
      const raw = read(carrier, scheme);
      if (raw === undefined || raw === '') continue;
      const prefix = scheme.valuePrefix;
      if (prefix !== '' && raw.slice(0, prefix.length).toLowerCase() !== this.lowerPrefixes.get(prefix)) continue;
      offered = true;
      const credentials: Credentials = { scheme: scheme.name, value: raw.slice(prefix.length).trim() };
      const accepted = accepts(this.options.authenticate, credentials, op);
      if (accepted === true) return credentials;
      // A hook that answers later: the schemes after this one are tried once it has.
      if (accepted !== false) return accepted.then((yes) => (yes ? credentials : this.authenticateAfter(op, carrier, read, i + 1, true)));
    }
    throw new UnauthenticatedError({}, offered ? 'the credentials were not accepted' : 'credentials are required');
  }

  private async authenticateAfter<C>(
    op: OperationDesc,
    carrier: C,
    read: (carrier: C, scheme: AuthSchemeDesc) => string | undefined,
    from: number,
    offered: boolean,
  ): Promise<Credentials | undefined> {
    for (let i = from; i < op.auth.length; i++) {
      const scheme = this.schemes.get(op.auth[i]!);
      if (!scheme) continue;
      const raw = read(carrier, scheme);
      if (raw === undefined || raw === '') continue;
      const prefix = scheme.valuePrefix;
      if (prefix !== '' && raw.slice(0, prefix.length).toLowerCase() !== this.lowerPrefixes.get(prefix)) continue;
      offered = true;
      const credentials: Credentials = { scheme: scheme.name, value: raw.slice(prefix.length).trim() };
      const accepted = accepts(this.options.authenticate, credentials, op);
      if (accepted === true || (accepted !== false && (await accepted))) return credentials;
    }
    throw new UnauthenticatedError({}, offered ? 'the credentials were not accepted' : 'credentials are required');
  }

  invalidArgument(violations: readonly Violation[]): ApigenError {
    return this.create('InvalidArgument', `invalid input: ${describeViolations(violations)}`, {});
  }

  /** Throws INVALID_ARGUMENT for shape problems a decoder found. */
  rejectIfInvalid(violations: readonly Violation[]): void {
    if (violations.length > 0) throw this.invalidArgument(violations);
  }

  /**
   * A unary call, or a client-streaming one when `input` is an AsyncIterable.
   * `inputChecked`: the transport's decoder already checked the contract's
   * rules on a unary input (./json.ts inputReader), so they are not run twice.
   * `outputChecked`: the transport checks the result as it writes it (when
   * checksOutput() says so; refusedOutput() then gives the failure), so the
   * call does not; only where leavesOutputCheck allows it.
   */
  call(op: OperationDesc, input: unknown, ctx: CallContext, inputChecked = false, outputChecked = false): Promise<unknown> {
    const intercept = this.options.intercept;
    // Without an interceptor the call is invoke's promise itself, not one more async frame around it.
    if (!intercept) return this.invoke(op, input, ctx, inputChecked, outputChecked);
    return this.intercepted(intercept, op, input, ctx, inputChecked);
  }

  private async intercepted(intercept: CallInterceptor, op: OperationDesc, input: unknown, ctx: CallContext, inputChecked: boolean): Promise<unknown> {
    try {
      // The interceptor sees a result the check refuses as its call's failure: the check is never left to the transport.
      return await intercept(ctx, () => this.invoke(op, input, ctx, inputChecked, false));
    } catch (error) {
      throw this.toContractError(op, error, ctx);
    }
  }

  private async invoke(op: OperationDesc, input: unknown, ctx: CallContext, inputChecked: boolean, outputChecked: boolean): Promise<unknown> {
    try {
      const checked =
        op.stream === 'client' ? this.checkStream(op, input as AsyncIterable<unknown>) : inputChecked ? input : this.checkInput(op, input);
      const result = await this.method(op).call(this.implementation, checked, ctx);
      if (isCancelled(ctx)) throw new CancelledError();
      if (!outputChecked && this.checksOutput()) this.checkOutput(op, result);
      return result;
    } catch (error) {
      throw this.toContractError(op, error, ctx);
    }
  }

  /** A server-streaming or bidirectional call. */
  async *stream(op: OperationDesc, input: unknown, ctx: CallContext): AsyncGenerator<unknown, void, undefined> {
    const intercept = this.options.intercept;
    if (!intercept) return yield* this.run(op, input, ctx);
    // The interceptor wraps the whole stream: its next() settles when the stream has ended, while the
    // elements flow to the caller here.
    let settle!: (error?: { error: unknown }) => void;
    const ended = new Promise<void>((resolve, reject) => (settle = (failure) => (failure ? reject(failure.error) : resolve())));
    let started = false;
    let begin!: () => void;
    const begun = new Promise<void>((resolve) => (begin = resolve));
    const around = intercept(ctx, () => {
      started = true;
      begin();
      return ended;
    });
    around.catch(() => undefined);
    await Promise.race([begun, around.then(() => undefined, () => undefined)]);
    if (!started) {
      // The interceptor answered without running the call: its error, or an empty stream.
      try {
        await around;
      } catch (error) {
        throw this.toContractError(op, error, ctx);
      }
      return;
    }
    let failure: { error: unknown } | undefined;
    try {
      yield* this.run(op, input, ctx);
    } catch (error) {
      failure = { error };
    } finally {
      // Also when the caller stopped reading: the stream ended for the interceptor too.
      settle(failure ?? (isCancelled(ctx) ? { error: new CancelledError() } : undefined));
    }
    try {
      await around;
    } catch (error) {
      throw this.toContractError(op, error, ctx);
    }
  }

  private async *run(op: OperationDesc, input: unknown, ctx: CallContext): AsyncGenerator<unknown, void, undefined> {
    try {
      const checked = op.stream === 'bidi' ? this.checkStream(op, input as AsyncIterable<unknown>) : this.checkInput(op, input);
      const output = this.method(op).call(this.implementation, checked, ctx) as AsyncIterable<unknown>;
      if (output === null || typeof output !== 'object' || !(Symbol.asyncIterator in output))
        throw new TypeError(`${op.name} must return an AsyncIterable`);
      for await (const element of output) {
        if (isCancelled(ctx)) return;
        if (this.checksOutput()) this.checkOutput(op, element);
        yield element;
      }
    } catch (error) {
      if (isCancelled(ctx)) return;
      throw this.toContractError(op, error, ctx);
    }
  }

  /** Any failure as an error the operation may answer; anything else becomes INTERNAL. */
  toContractError(op: OperationDesc, error: unknown, ctx?: CallContext): ApigenError {
    if (error instanceof ApigenError) {
      const runtime = error instanceof UnauthenticatedError || error instanceof CancelledError;
      const allowed = runtime || error.errorName === 'InvalidArgument' || error.errorName === 'Internal' || op.errors.includes(error.errorName);
      if (allowed) return error;
    }
    if (ctx && isCancelled(ctx)) return new CancelledError();
    this.options.onInternalError?.(error, op);
    return this.create('Internal', 'internal error', {});
  }

  private create(name: string, message: string, fields: Record<string, unknown>): ApigenError {
    const errorClass = this.errorClasses[name];
    if (!errorClass) throw new Error(`contract invariant: no error class ${name}`);
    return createError(errorClass, message, fields);
  }

  private method(op: OperationDesc): Method {
    const method = (this.implementation as Record<string, unknown>)[op.name];
    if (typeof method !== 'function') throw new TypeError(`the implementation has no method ${op.name}`);
    return method as Method;
  }

  private checkInput(op: OperationDesc, input: unknown): unknown {
    this.rejectIfInvalid(validateOperationInput(this.contract, op, input));
    return input;
  }

  private async *checkStream(op: OperationDesc, input: AsyncIterable<unknown>): AsyncGenerator<unknown, void, undefined> {
    for await (const element of input) {
      this.rejectIfInvalid(validateStreamElement(this.contract, op, element));
      yield element;
    }
  }

  /**
   * What a call fails with whose result a transport's checked writer refused
   * (call's `outputChecked`): the INTERNAL error the call's own check ends
   * in, reported to onInternalError with the violations and their paths; or
   * undefined when the result keeps every rule after all (the writer refused
   * it for what the transport cannot carry).
   */
  refusedOutput(op: OperationDesc, value: unknown, ctx: CallContext): ApigenError | undefined {
    try {
      this.checkOutput(op, value);
      return undefined;
    } catch (error) {
      return this.toContractError(op, error, ctx);
    }
  }

  /** Each operation's compiled output check, found once rather than through the contract's caches on every call. */
  private readonly outputChecks = new Map<OperationDesc, (value: unknown) => boolean>();

  private checkOutput(op: OperationDesc, value: unknown): void {
    const output = op.output;
    if (output.kind === 'value') {
      let check = this.outputChecks.get(op);
      if (!check) this.outputChecks.set(op, (check = valueCheck(this.contract, output.type, 'output')));
      if (value === undefined ? output.optional : check(value)) return;
    }
    const violations: Violation[] = [];
    switch (output.kind) {
      case 'none':
        return;
      case 'value':
        if (value === undefined && output.optional) return;
        validateValue(this.contract, output.type, value, 'output', violations, 'output');
        break;
      case 'stream':
        validateValue(this.contract, output.element, value, 'output', violations, 'output');
        break;
    }
    if (violations.length > 0) throw new TypeError(`${op.name} returned an invalid value: ${describeViolations(violations)}`);
  }
}

const callReader = (read: (scheme: AuthSchemeDesc) => string | undefined, scheme: AuthSchemeDesc): string | undefined => read(scheme);

function accepts(hook: AuthHook | undefined, credentials: Credentials, op: OperationDesc): boolean | Promise<boolean> {
  if (!hook) return true;
  try {
    const answer = hook(credentials, op);
    // A hook that answers at once is not awaited: one microtask less per call.
    if (typeof answer === 'boolean') return answer;
    return Promise.resolve(answer).then((accepted) => accepted === true, () => false);
  } catch {
    return false;
  }
}
