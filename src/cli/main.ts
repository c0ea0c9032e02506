// apigen's command line: argument parsing only. Every command is a thin call
// into the library (src/generate.ts), which the handlers import lazily so that
// `apigen --version` and `--help` stay fast and load no emitter.
import { readFileSync } from 'node:fs';
import type { Argv } from 'yargs';
import { EMITTERS } from '../emit/registry.js';
import type { Format } from './report.js';
import { UsageError } from '../usage-error.js';
import { processOutput, type CliOutput } from './output.js';
import { asShortRun } from './tiering.js';

/** Exit statuses: see README.md, "Exit codes". */
export const EXIT_OK = 0;
export const EXIT_FAILED = 1;
export const EXIT_USAGE = 2;

function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

const FORMAT_OPTION = {
  choices: ['text', 'json'] as const,
  default: 'text' as const,
  describe: 'text: diagnostics with source frames on stderr; json: one JSON document on stdout',
};

const CONFIG_OPTION = {
  type: 'string' as const,
  describe: 'config file to use instead of the nearest apigen.config.yaml / package.json "apigen" key',
};

function withContracts<T>(y: Argv<T>) {
  return y.positional('contracts', {
    type: 'string',
    array: true,
    default: [] as string[],
    describe: 'contract files (YAML) or simple globs; default: "contracts" from the config',
  });
}

interface GenerateCommandArgs {
  contracts: string[];
  out?: string;
  only?: string | string[];
  check: boolean;
  watch: boolean;
  strict: boolean;
  format: Format;
  config?: string;
  breakingAgainst?: string;
}

async function generateCommand(args: GenerateCommandArgs, io: CliOutput): Promise<number> {
  if (args.breakingAgainst !== undefined) {
    // The same gate as `apigen diff --against`: nothing is generated or checked when it fails.
    const { runDiff } = await import('./diff.js');
    // With --format json, stdout must stay one document: the gate's report only when it fails.
    const held: string[] = [];
    const gateIo = args.format === 'json' ? { ...io, out: (text: string) => void held.push(text) } : io;
    const gate = await runDiff({ contracts: args.contracts, against: args.breakingAgainst, strict: args.strict, format: args.format, config: args.config }, gateIo);
    if (gate !== EXIT_OK) {
      for (const text of held) io.out(text);
      return gate;
    }
  }
  const { runGenerate } = await import('./commands.js');
  return runGenerate(
    { contracts: args.contracts, out: args.out, only: args.only, check: args.check, watch: args.watch, strict: args.strict, format: args.format, config: args.config },
    io,
  );
}

async function validateCommand(args: Pick<GenerateCommandArgs, 'contracts' | 'strict' | 'format' | 'config'>, io: CliOutput): Promise<number> {
  const { runValidate } = await import('./commands.js');
  return runValidate({ contracts: args.contracts, strict: args.strict, format: args.format, config: args.config }, io);
}

// The options of `generate` and `validate` as yargs reads them below: flag or value, and the name they are read into.
const FLAGS: Record<string, keyof GenerateCommandArgs> = { '--check': 'check', '--watch': 'watch', '-w': 'watch', '--strict': 'strict' };
const VALUES: Record<string, keyof GenerateCommandArgs> = { '--out': 'out', '-o': 'out', '--only': 'only', '--format': 'format', '--config': 'config', '--breaking-against': 'breakingAgainst' };
const VALIDATE_OPTIONS = ['--strict', '--format', '--config'];

/**
 * `generate` and `validate` in their plain spellings (`--out DIR` or `--out=DIR`, flags without values,
 * contracts as words), read without yargs: loading it and rendering the help text it prepares for every
 * command is a fifth of a small run. Anything else (help, another command, `--no-check`, a repeated
 * option, a value that looks like an option, an unknown word) returns undefined and goes to yargs,
 * which also words every usage error.
 */
export function plainCommand(argv: string[]): { command: 'generate' | 'validate'; args: GenerateCommandArgs } | undefined {
  const command = argv[0];
  if (command !== 'generate' && command !== 'validate') return undefined;
  const args: GenerateCommandArgs = { contracts: [], check: false, watch: false, strict: false, format: 'text' };
  const seen = new Set<string>();
  for (let i = 1; i < argv.length; i++) {
    const word = argv[i]!;
    if (!word.startsWith('-')) {
      args.contracts.push(word);
      continue;
    }
    const equals = word.startsWith('--') ? word.indexOf('=') : -1;
    const option = equals >= 0 ? word.slice(0, equals) : word;
    if (command === 'validate' && !VALIDATE_OPTIONS.includes(option)) return undefined;
    const flag = FLAGS[option];
    const name = flag ?? VALUES[option];
    if (name === undefined) return undefined;
    if (seen.has(name) && name !== 'only') return undefined;
    seen.add(name);
    if (flag !== undefined) {
      if (equals >= 0) return undefined;
      (args as unknown as Record<string, unknown>)[flag] = true;
      continue;
    }
    const value = equals >= 0 ? word.slice(equals + 1) : argv[++i];
    if (value === undefined || (equals < 0 && value.startsWith('-'))) return undefined;
    if (name === 'format') {
      if (value !== 'text' && value !== 'json') return undefined;
      args.format = value;
    } else if (name === 'only') {
      args.only = args.only === undefined ? value : [...(Array.isArray(args.only) ? args.only : [args.only]), value];
    } else (args as unknown as Record<string, unknown>)[name] = value;
  }
  return { command, args };
}

export async function main(argv: string[], io: CliOutput = processOutput()): Promise<number> {
  return asShortRun(() => runCommand(argv, io));
}

async function runCommand(argv: string[], io: CliOutput): Promise<number> {
  const plain = plainCommand(argv);
  if (plain) {
    try {
      return plain.command === 'generate' ? await generateCommand(plain.args, io) : await validateCommand(plain.args, io);
    } catch (err) {
      if (err instanceof UsageError) {
        io.err(`apigen: ${err.message}\n`);
        return EXIT_USAGE;
      }
      throw err;
    }
  }
  return mainWithYargs(argv, io);
}

/** Every command line, parsed and checked by yargs. */
export async function mainWithYargs(argv: string[], io: CliOutput = processOutput()): Promise<number> {
  let exitCode = EXIT_OK;
  const targets = EMITTERS.map((e) => e.target).join(', ');
  const { default: yargs } = await import('yargs');

  const parser = yargs(argv)
    .scriptName('apigen')
    .usage('apigen <command> [options]\n\nOne YAML contract in; OpenAPI, GraphQL, protobuf, WSDL and AsyncAPI out.')
    .command(
      'generate [contracts..]',
      'generate every target from the contracts into <out>/<contract>/<target>/',
      (y) =>
        withContracts(y)
          .option('out', { alias: 'o', type: 'string', describe: 'output folder; default: "out" from the config' })
          .option('only', { type: 'string', describe: `comma-separated targets to generate (of: ${targets}); default: all` })
          .option('check', { type: 'boolean', default: false, describe: 'write nothing; exit 1 naming every file that is missing, stale or extra' })
          .option('watch', { alias: 'w', type: 'boolean', default: false, describe: 'generate again whenever a contract or the config changes (nothing is written while a contract is invalid)' })
          .option('strict', { type: 'boolean', default: false, describe: 'treat warnings as errors' })
          .option('format', FORMAT_OPTION)
          .option('config', CONFIG_OPTION)
          .option('breaking-against', { type: 'string', describe: 'first run the apigen diff gate against this git revision; breaking changes stop the run (exit 1)' })
          .example('apigen generate contracts/bookstore.yaml --out out', 'generate every target')
          .example('apigen generate --check', 'verify committed output against the contracts in apigen.config.yaml')
          .example('apigen generate --check --breaking-against origin/main', 'the CI gate: output up to date and no breaking change'),
      async (args) => {
        exitCode = await generateCommand(args, io);
      },
    )
    .command(
      'validate [contracts..]',
      'check the contracts and report every problem; writes nothing',
      (y) =>
        withContracts(y)
          .option('strict', { type: 'boolean', default: false, describe: 'treat warnings as errors' })
          .option('format', FORMAT_OPTION)
          .option('config', CONFIG_OPTION),
      async (args) => {
        exitCode = await validateCommand(args, io);
      },
    )
    .command(
      'diff [contracts..]',
      'compare two versions of a contract and judge every change per style (breaking, dangerous, safe)',
      (y) =>
        y
          .positional('contracts', { type: 'string', array: true, default: [] as string[], describe: 'OLD NEW contract files; with --against, the contracts to compare (default: "contracts" from the config)' })
          .option('against', { type: 'string', describe: 'git revision to take the old contracts and lock files from (like buf breaking --against)' })
          .option('strict', { type: 'boolean', default: false, describe: 'dangerous changes fail too' })
          .option('format', FORMAT_OPTION)
          .option('config', CONFIG_OPTION)
          .example('apigen diff old/bookstore.yaml contracts/bookstore.yaml', 'compare two files')
          .example('apigen diff contracts/bookstore.yaml --against origin/main', 'compare with the version on main'),
      async (args) => {
        const { runDiff } = await import('./diff.js');
        exitCode = await runDiff({ contracts: args.contracts, against: args.against, strict: args.strict, format: args.format, config: args.config }, io);
      },
    )
    .command(
      'init [file]',
      'write a small, complete starter contract (never overwrites)',
      (y) => y.positional('file', { type: 'string', default: 'contract.yaml', describe: 'where to write it' }),
      async (args) => {
        const { runInit } = await import('./commands.js');
        exitCode = await runInit({ file: args.file }, io);
      },
    )
    .demandCommand(1, 'name a command: generate, validate, diff or init')
    .strict()
    .recommendCommands()
    .version(packageVersion())
    .alias('version', 'v')
    .help()
    .alias('help', 'h')
    .epilog('Exit status: 0 ok, 1 contract errors, --check found stale files or diff found breaking changes, 2 usage error.\nDocs: README.md and docs/ in the apigen-cli package (node_modules/apigen-cli once installed).')
    .wrap(Math.min(100, process.stdout.columns || 100))
    .exitProcess(false)
    .showHelpOnFail(false)
    .fail((message, error) => {
      // Errors thrown by a handler arrive here too; only parsing failures are usage errors.
      // Throwing is what stops yargs from running the handler after a failed check.
      if (error && error.name !== 'YError') throw error;
      let text = message ?? error?.message ?? 'invalid arguments';
      if (text.startsWith('Did you mean')) text = `unknown command "${argv.find((a) => !a.startsWith('-'))}". ${text}`;
      throw new UsageError(`${text}\nRun apigen --help for usage.`);
    });
  parser.parserConfiguration({ 'duplicate-arguments-array': true });

  try {
    let printed = '';
    await parser.parseAsync(argv, {}, (_err, _argv, output) => {
      printed = output;
    });
    if (printed) io.out(printed.endsWith('\n') ? printed : `${printed}\n`);
  } catch (err) {
    if (err instanceof UsageError) {
      io.err(`apigen: ${err.message}\n`);
      return EXIT_USAGE;
    }
    throw err;
  }
  return exitCode;
}
