// What each style gives the conformance suite: a way to serve an
// implementation and a client that calls it. Everything else (values,
// expectations, diffs) is shared, so the styles are judged by one yardstick.
import { join } from 'node:path';
import type { CallOptions, ServerOptions } from 'apigen-runtime';
import type { ContractDescriptor, OperationDesc } from 'apigen-runtime';
import type { ErrorClass } from 'apigen-runtime';
import { generateTypescript } from '../typescript/generated.js';

export type StyleName = 'rest' | 'graphql' | 'grpc' | 'soap' | 'soap12' | 'trpc' | 'trpc-ws' | 'ws' | 'webrtc' | 'direct';

/** A client call: unary and client-stream calls return a Promise, server and bidi streams an AsyncIterable. */
export type ClientCall = (input: unknown, options?: CallOptions) => unknown;
export type StyleClient = Record<string, ClientCall>;

/**
 * The credential a client sends, per scheme name of the contract, WITHOUT the
 * scheme's prefix (`Bearer `, `Basic `): `{ bearer: 'token' }`. The adapter
 * puts each on its style's carrier (header, metadata, connection parameter).
 */
export type ClientCredentials = Record<string, string>;

export interface RunningStyle {
  /** A client carrying the credentials given to `start`. */
  client: StyleClient;
  /** Another client of the same server, e.g. one without credentials (`connect(undefined)`). */
  connect(credentials: ClientCredentials | undefined): StyleClient;
  /** Stops the server and every client; must not hang on open streams. */
  close(): Promise<void>;
}

export interface StyleAdapter {
  style: StyleName;
  /** Whether this style carries the operation (for styles: `op.styles.includes(style)`). */
  supports(op: OperationDesc): boolean;
  /**
   * Serves `impl` (the contract's service interface) on 127.0.0.1 port 0 with
   * the generated server of `dir` (a `generateTypescript` folder) and returns
   * a generated client for it.
   */
  start(
    dir: string,
    contractName: string,
    impl: object,
    options: ServerOptions,
    credentials: ClientCredentials | undefined,
  ): Promise<RunningStyle>;
}

/** The pieces of a generated contract every adapter and the suite read. */
export interface GeneratedContract {
  name: string;
  dir: string;
  contract: ContractDescriptor;
  errorClasses: Record<string, ErrorClass>;
}

const loaded = new Map<string, Promise<GeneratedContract>>();

/** Generates `contracts/<name>.yaml` once and imports its descriptor and error classes. */
/** `name`'s generated code, from contracts/ or `from` (a fixture folder); loaded once per name. */
export function loadGenerated(name: string, from?: string): Promise<GeneratedContract> {
  let entry = loaded.get(name);
  if (!entry) {
    entry = (async () => {
      const dir = await generateTypescript(name, from);
      const { contract } = (await import(join(dir, 'contract.ts'))) as { contract: ContractDescriptor };
      const { errorClasses } = (await import(join(dir, 'errors.ts'))) as { errorClasses: Record<string, ErrorClass> };
      return { name, dir, contract, errorClasses };
    })();
    loaded.set(name, entry);
  }
  return entry;
}

/**
 * The one export of a generated module whose name matches `pattern`, e.g.
 * `exportMatching(await import(join(dir, 'rest/client.ts')), /^create\w+RestClient$/)`,
 * so that adapters need no per-contract names.
 */
export function exportMatching<T = unknown>(module: Record<string, unknown>, pattern: RegExp): T {
  const names = Object.keys(module).filter((name) => pattern.test(name));
  if (names.length !== 1) throw new Error(`expected one export matching ${pattern}, found ${names.length ? names.join(', ') : 'none'}`);
  return module[names[0]!] as T;
}
