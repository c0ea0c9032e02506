// Two contracts generated into one project share one error hierarchy: the
// errors of both are classes of apigen-runtime's ApigenError, so an error
// thrown by one contract's client is `instanceof ApigenError` whichever
// contract's index (or the runtime itself) it is imported from.
import { mkdtempSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { generate } from '../../src/generate.js';
import { FIXTURE_CONTRACTS_DIR, ROOT } from './generated.js';

type ErrorClass = abstract new (...args: never[]) => Error;
type Running = { httpUrl: string; close(): Promise<void> };

it('an error from one contract is an ApigenError of the other contract and of apigen-runtime', async () => {
  const out = mkdtempSync(join(tmpdir(), 'apigen-two-'));
  const contracts = ['unary-only', 'events-only'].map((c) => join(FIXTURE_CONTRACTS_DIR, `${c}.yaml`));
  const result = await generate({ contracts, out, only: ['typescript'], cwd: ROOT });
  expect(result.status).toBe('ok');
  symlinkSync(join(ROOT, 'node_modules'), join(out, 'node_modules'), 'dir');
  const calc = join(out, 'unary-only/typescript');
  const notes = join(out, 'events-only/typescript');

  const calcIndex = (await import(join(calc, 'index.ts'))) as Record<string, ErrorClass>;
  const notesIndex = (await import(join(notes, 'index.ts'))) as Record<string, ErrorClass>;
  const runtime = (await import('apigen-runtime')) as unknown as Record<string, ErrorClass>;
  expect(calcIndex.ApigenError).toBe(runtime.ApigenError);
  expect(notesIndex.ApigenError).toBe(runtime.ApigenError);
  // Each contract still has its own classes for its own errors.
  expect(calcIndex.InvalidArgumentError).not.toBe(notesIndex.InvalidArgumentError);

  const server = (await import(join(calc, 'server.ts'))) as { serveCalc(impl: object, options: object): Promise<Running> };
  const client = (await import(join(calc, 'rest/client.ts'))) as {
    createCalcRestClient(options: object): { add(input: object): Promise<bigint>; reset(input: object): Promise<void> };
  };
  const running = await server.serveCalc(
    {
      add: async ({ a, b }: { a: bigint; b: bigint }) => a + b,
      reset: async () => {
        throw new Error('not this time');
      },
    },
    { httpPort: 0, grpcPort: 0, onInternalError: () => {} },
  );
  try {
    const rest = client.createCalcRestClient({ baseUrl: running.httpUrl });
    expect(await rest.add({ a: 2n, b: 40n })).toBe(42n);
    const failure = await rest.reset({}).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(calcIndex.InternalError!);
    expect(failure).toBeInstanceOf(notesIndex.ApigenError!);
    expect(failure).toBeInstanceOf(runtime.ApigenError!);
    expect(failure).not.toBeInstanceOf(notesIndex.InternalError!);
  } finally {
    await running.close();
  }
}, 120_000);
