// Every name the contract format allows works in TypeScript: contracts whose
// types and errors are named like JS/TS globals (Date, Promise, Record, Map,
// Uint8Array, ...) or like the runtime's names the generated files import
// (CallContext, Decimal, Publisher, ...), and whose operations, fields and events are named like
// reserved words (import, delete, default, class, ...) generate, compile under
// strict and the stricter settings, and run: served by the generated server.ts
// and called through the generated REST client, with the contract's own error
// class thrown across the wire.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { expect, it } from 'vitest';
import { reservedIn, type NameRole, type Target } from '../../src/contract/names.js';
import { GLOBAL_NAMES, RESERVED_WORDS } from '../../src/emit/typescript/identifiers.js';
import { runtime } from '../../src/emit/typescript/symbols.js';
import { generate } from '../../src/generate.js';
import { ROOT } from './generated.js';

const TARGETS: Target[] = ['typescript', 'proto', 'graphql', 'xml', 'openapi', 'asyncapi'];
/** Names the contract format and every target accept for a role (another target's own rule is not this test's subject). */
const allowed = (names: readonly string[], role: NameRole) => names.filter((n) => TARGETS.every((t) => reservedIn(t, role, n) === undefined));
const PASCAL = /^[A-Z][a-zA-Z0-9]*$/;
// And names the generated files export next to the contract's types (the service is called Names).
const IMPORTED_NAMES = [...Object.keys(runtime.core), 'NamesService', 'NamesClient', 'NamesRestClient', 'NamesEvents'].filter((n) => PASCAL.test(n));
const globalsFor = (role: NameRole) => allowed([...GLOBAL_NAMES, ...IMPORTED_NAMES].filter((n) => PASCAL.test(n)), role);
// Error `Type` becomes the class TypeError, `Apigen` the class ApigenError (the runtime's base class's name).
const ERROR_NAMES = [...globalsFor('error'), ...allowed(['Type', 'Range', 'Syntax', 'Reference', 'Eval', 'Apigen'], 'error')];

interface Names {
  object: string;
  enumType: string;
  error: string;
  echo: string;
  fail: string;
  text: string;
  other: string;
  event: string;
}

const names: fc.Arbitrary<Names> = fc
  .record({
    types: fc.uniqueArray(fc.constantFrom(...globalsFor('type')), { minLength: 2, maxLength: 2 }),
    error: fc.constantFrom(...ERROR_NAMES),
    operations: fc.uniqueArray(fc.constantFrom(...allowed(RESERVED_WORDS, 'operation')), { minLength: 2, maxLength: 2 }),
    fields: fc.uniqueArray(fc.constantFrom(...allowed(RESERVED_WORDS, 'field')), { minLength: 2, maxLength: 2 }),
    event: fc.constantFrom(...allowed(RESERVED_WORDS, 'event')),
  })
  .filter(({ types, error }) => !types.includes(error) && !types.includes(`${error}Error`))
  .map(({ types, error, operations, fields, event }) => ({
    object: types[0]!,
    enumType: types[1]!,
    error,
    echo: operations[0]!,
    fail: operations[1]!,
    text: fields[0]!,
    other: fields[1]!,
    event,
  }));

function contractText(n: Names): string {
  return `apigen: 1
service: { name: Names, version: 1.0.0, package: test.names.v1 }
types:
  ${n.object}:
    fields:
      ${n.text}: string
      ${n.other}: ${n.enumType}
      at: datetime
      big: int64
      counts: map<string, int32>
      raw: bytes
      price: decimal
      day: date?
      nested: ${n.object}[]
  ${n.enumType}:
    enum: [ONE, TWO]
errors:
  ${n.error}: { code: NOT_FOUND, fields: { ${n.text}: string } }
operations:
  ${n.echo}: { input: { ${n.text}: ${n.object} }, output: ${n.object} }
  ${n.fail}: { input: { ${n.other}: string }, output: ${n.enumType}, errors: [${n.error}] }
events:
  ${n.event}: { payload: ${n.object} }
`;
}

const STRICT = {
  strict: true,
  target: 'ES2022',
  module: 'NodeNext',
  moduleResolution: 'NodeNext',
  lib: ['ES2022', 'DOM'],
  types: ['node'],
  declaration: true,
  emitDeclarationOnly: true,
  outDir: 'declarations',
  skipLibCheck: true,
  exactOptionalPropertyTypes: true,
  noPropertyAccessFromIndexSignature: true,
  noUnusedLocals: true,
  erasableSyntaxOnly: true,
  isolatedDeclarations: true,
};

type Running = { httpUrl: string; close(): Promise<void> };

const EXAMPLES: Names[] = [
  { object: 'Date', enumType: 'Promise', error: 'Apigen', echo: 'import', fail: 'delete', text: 'default', other: 'class', event: 'new' },
  { object: 'Record', enumType: 'Map', error: 'Type', echo: 'await', fail: 'function', text: 'typeof', other: 'in', event: 'yield' },
  { object: 'Uint8Array', enumType: 'Object', error: 'JSON', echo: 'with', fail: 'void', text: 'this', other: 'null', event: 'export' },
  { object: 'Decimal', enumType: 'CallContext', error: 'Publisher', echo: 'switch', fail: 'return', text: 'var', other: 'let', event: 'super' },
  { object: 'NamesService', enumType: 'NamesEvents', error: 'Error', echo: 'if', fail: 'catch', text: 'try', other: 'finally', event: 'case' },
];

it('contracts named like JS/TS globals and reserved words generate, compile and run', async () => {
  await fc.assert(
    fc.asyncProperty(names, async (n) => {
      const out = mkdtempSync(join(tmpdir(), 'apigen-names-'));
      const file = join(out, 'names.yaml');
      writeFileSync(file, contractText(n));
      const result = await generate({ contracts: [file], out, only: ['typescript'], cwd: out });
      expect(result.status, JSON.stringify({ diagnostics: result.diagnostics, failures: result.failures })).toBe('ok');
      symlinkSync(join(ROOT, 'node_modules'), join(out, 'node_modules'), 'dir');
      writeFileSync(join(out, 'package.json'), JSON.stringify({ type: 'module' }));
      writeFileSync(join(out, 'tsconfig.json'), JSON.stringify({ compilerOptions: STRICT, include: ['names/typescript/**/*.ts'] }));
      const tsc = spawnSync(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', out], { encoding: 'utf8' });
      expect(tsc.stdout + tsc.stderr).toBe('');

      const dir = join(out, 'names/typescript');
      const server = (await import(join(dir, 'server.ts'))) as Record<string, unknown>;
      const client = (await import(join(dir, 'rest/client.ts'))) as Record<string, unknown>;
      const errors = (await import(join(dir, 'errors.ts'))) as Record<string, new (fields: object, message?: string) => Error>;
      const runtime = (await import('apigen-runtime')) as { ApigenError: abstract new (...args: never[]) => Error };
      const ContractError = errors[`${n.error}Error`]!;
      const value = {
        [n.text]: 'a "text" <with> \\ marks',
        [n.other]: 'TWO',
        at: new Date('2024-05-06T07:08:09.010Z'),
        big: 9007199254740993n,
        counts: new Map([['__proto__', 1], ['b', -2]]),
        raw: new Uint8Array([0, 255, 7]),
        price: '12.50',
        nested: [],
      };
      const implementation = {
        [n.echo]: async (input: Record<string, unknown>) => input[n.text],
        [n.fail]: async (input: Record<string, unknown>) => {
          throw new ContractError({ [n.text]: input[n.other] }, 'refused');
        },
      };
      const serve = server.serveNames as (impl: object, options: object) => Promise<Running>;
      const running = await serve(implementation, { httpPort: 0, grpcPort: 0 });
      try {
        const rest = (client.createNamesRestClient as (o: object) => Record<string, (input: object) => Promise<unknown>>)({ baseUrl: running.httpUrl });
        expect(await rest[n.echo]!({ [n.text]: value })).toEqual(value);
        const failure = await rest[n.fail]!({ [n.other]: 'why' }).then(
          () => undefined,
          (error: unknown) => error,
        );
        expect(failure).toBeInstanceOf(ContractError);
        expect(failure).toBeInstanceOf(runtime.ApigenError);
        expect((failure as { fields: unknown }).fields).toEqual({ [n.text]: 'why' });
      } finally {
        await running.close();
      }
    }),
    {
      // Examples count as runs: these are the drawn ones.
      numRuns: EXAMPLES.length + 4,
      examples: EXAMPLES.map((example) => [example]),
    },
  );
}, 600_000);
