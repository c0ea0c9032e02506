// `generate` and `validate` in their plain spellings are read without yargs
// (src/cli/main.ts, plainCommand). Each command line here goes through both
// readers, and the command handlers must receive the same arguments.
import { beforeEach, describe, expect, it, vi } from 'vitest';

const calls: { command: string; args: unknown }[] = [];
vi.mock('../../src/cli/commands.js', () => ({
  runGenerate: async (args: unknown) => {
    calls.push({ command: 'generate', args });
    return 0;
  },
  runValidate: async (args: unknown) => {
    calls.push({ command: 'validate', args });
    return 0;
  },
}));

const { main, mainWithYargs, plainCommand } = await import('../../src/cli/main.js');
const silent = { out: () => {}, err: () => {}, color: false };

beforeEach(() => {
  calls.length = 0;
});

async function handled(read: typeof main, argv: string[]) {
  calls.length = 0;
  const code = await read(argv, silent);
  return { code, calls: [...calls] };
}

const PLAIN = [
  ['generate', 'contracts/bookstore.yaml', '--out', 'out'],
  ['generate', 'a.yaml', 'b.yaml', '-o', 'out', '--check'],
  ['generate', '--out=out', '--only', 'openapi,proto', '--strict', 'c.yaml'],
  ['generate', 'c.yaml', '--only', 'openapi', '--only', 'graphql', '--out', 'o'],
  ['generate', 'c.yaml', '--only=model', '--format', 'json', '--config', 'apigen.config.yaml', '-w', '--out', 'o'],
  ['generate', 'c.yaml', '--format=text', '--watch', '--out', ''],
  ['generate'],
  ['generate', '--out', 'a=b', 'x y.yaml'],
  ['validate', 'contracts/bookstore.yaml'],
  ['validate', 'a.yaml', 'b.yaml', '--strict', '--format', 'json', '--config=c.yaml'],
];

const NOT_PLAIN = [
  ['generate', '--help'],
  ['generate', 'c.yaml', '--no-check', '--out', 'o'],
  ['generate', 'c.yaml', '--out', 'o', '--out', 'p'],
  ['generate', 'c.yaml', '--out', '--check'],
  ['generate', 'c.yaml', '--format', 'xml', '--out', 'o'],
  ['generate', 'c.yaml', '--check=false', '--out', 'o'],
  ['generate', 'c.yaml', '-o=o'],
  ['generate', 'c.yaml', '--outt', 'o'],
  ['generate', 'c.yaml', '--', 'd.yaml'],
  ['validate', 'c.yaml', '--out', 'o'],
  ['validate', 'c.yaml', '--breaking-against', 'main'],
  ['--strict', 'generate', 'c.yaml'],
  ['diff', 'a.yaml', 'b.yaml'],
  ['--version'],
  [],
];

describe('plain generate and validate command lines', () => {
  it.each(PLAIN)('%j reaches the handler as yargs would pass it', async (...argv) => {
    expect(plainCommand(argv)).toBeDefined();
    const plain = await handled(main, argv);
    const parsed = await handled(mainWithYargs, argv);
    expect(parsed.calls).toHaveLength(1);
    expect(plain).toEqual(parsed);
  });

  it.each(NOT_PLAIN)('%j is left to yargs', (...argv) => {
    expect(plainCommand(argv)).toBeUndefined();
  });
});
