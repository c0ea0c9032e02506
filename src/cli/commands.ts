// The command handlers. main.ts imports this module only once a command runs,
// so `apigen --version` and `--help` load neither the loader nor the pipeline.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { findConfig, loadConfigFile, resolveContractPaths, type ProjectConfig } from '../config.js';
import { generate, validate } from '../generate.js';
import { limitHeapGrowthFor, restoreHeapGrowth } from './heap.js';
import { optimizeForLongSession } from './tiering.js';
import { UsageError } from '../usage-error.js';
import type { CliOutput } from './output.js';
import { reportGenerate, reportValidate, type Format } from './report.js';

export interface CommonArgs {
  contracts: string[];
  config?: string;
  strict?: boolean;
  format: Format;
}

export interface GenerateArgs extends CommonArgs {
  out?: string;
  only?: string | string[];
  check?: boolean;
  watch?: boolean;
}

async function projectConfig(args: CommonArgs, cwd: string): Promise<ProjectConfig | undefined> {
  return args.config !== undefined ? loadConfigFile(args.config, cwd) : findConfig(cwd);
}

function contractsFrom(args: CommonArgs, config: ProjectConfig | undefined): string[] {
  if (args.contracts.length > 0) return args.contracts;
  if (config?.contracts) return config.contracts;
  throw new UsageError('no contract given: name one (apigen generate contracts/bookstore.yaml --out out) or list them under "contracts" in apigen.config.yaml');
}

export async function runValidate(args: CommonArgs, io: CliOutput, cwd = process.cwd()): Promise<number> {
  const config = await projectConfig(args, cwd);
  const result = await validate({ contracts: contractsFrom(args, config), strict: args.strict || config?.strict === true, cwd, accept: config?.accept });
  return reportValidate(result, args.format, io);
}

export async function runGenerate(args: GenerateArgs, io: CliOutput, cwd = process.cwd()): Promise<number> {
  try {
    return await generateRuns(args, io, cwd);
  } finally {
    restoreHeapGrowth();
  }
}

async function generateRuns(args: GenerateArgs, io: CliOutput, cwd: string): Promise<number> {
  if (args.watch !== true) return (await generateOnce(args, io, cwd)).code;
  if (args.check === true) throw new UsageError('--watch writes on every change and --check never writes; use one of them');
  const { watchRuns } = await import('./watch.js');
  optimizeForLongSession();
  let files: string[] | undefined;
  let started = false;
  return watchRuns(async () => {
    try {
      const run = await generateOnce(args, io, cwd, true);
      files = run.files ?? [];
      return { code: run.code, target: { files } };
    } catch (err) {
      // A config broken while watching is reported, and watching goes on; at the start it is a usage error as always.
      if (!(err instanceof UsageError) || !started) throw err;
      io.err(`apigen: ${err.message}\n`);
      return { code: 2, target: files ? { files } : undefined };
    } finally {
      started = true;
    }
  }, io);
}

/** One generate run; with `watched`, also the files whose change should start the next one. */
async function generateOnce(args: GenerateArgs, io: CliOutput, cwd: string, watched = false): Promise<{ code: number; files?: string[] }> {
  const config = await projectConfig(args, cwd);
  const contracts = contractsFrom(args, config);
  const out = args.out ?? config?.out;
  if (out === undefined) throw new UsageError('no output folder: pass --out DIR or set "out" in apigen.config.yaml');
  const only = args.only !== undefined ? splitList(args.only) : config?.only;
  const check = args.check === true;
  // Contracts from the config are all of the project's: an output folder of a contract no longer listed there is stale.
  const allContracts = args.contracts.length === 0 && config?.contracts !== undefined;
  await limitHeapGrowthFor(contracts, cwd);
  const result = await generate({ contracts, out, only, check, strict: args.strict || config?.strict === true, cwd, accept: config?.accept, allContracts });
  const code = await reportGenerate(result, check, args.format, io);
  if (!watched) return { code };
  const files = await resolveContractPaths(contracts, cwd);
  return { code, files: config ? [...files, config.file] : files };
}

function splitList(value: string | string[]): string[] {
  return (Array.isArray(value) ? value : [value]).flatMap((v) => v.split(',')).map((v) => v.trim()).filter((v) => v !== '');
}

const STARTER = fileURLToPath(new URL('../../templates/init/contract.yaml', import.meta.url));
const SCHEMA = fileURLToPath(new URL('../../schema/contract.schema.json', import.meta.url));

/**
 * Where an editor finds the contract schema from `target`: the installed
 * package's copy by relative path when the contract is in the project that
 * installed it, else the published copy of this version.
 */
async function schemaReference(target: string): Promise<string> {
  if (installedAbove(target)) return relative(dirname(target), SCHEMA).split(sep).join('/');
  const { version } = JSON.parse(await readFile(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return `https://unpkg.com/apigen-cli@${version}/schema/contract.schema.json`;
}

/** This apigen is in the node_modules of a folder that holds `file` (so `npx apigen` there runs it). */
function installedAbove(file: string): boolean {
  const modules = SCHEMA.lastIndexOf(`${sep}node_modules${sep}`);
  return modules >= 0 && `${dirname(file)}${sep}`.startsWith(SCHEMA.slice(0, modules + 1));
}

export async function runInit(args: { file: string }, io: CliOutput, cwd = process.cwd()): Promise<number> {
  const target = resolve(cwd, args.file);
  await mkdir(dirname(target), { recursive: true });
  try {
    // The modeline lets editors with the YAML language server complete and explain every key.
    const starter = `# yaml-language-server: $schema=${await schemaReference(target)}\n${await readFile(STARTER, 'utf8')}`;
    await writeFile(target, starter, { flag: 'wx' });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') {
      io.err(`apigen: ${args.file} already exists; init never overwrites a file (pick another name: apigen init FILE)\n`);
      return 1;
    }
    throw err;
  }
  const shown = relative(cwd, target);
  io.out(`apigen: wrote ${shown}, a starter contract\n`);
  // Outside a project that installed apigen-cli, `npx apigen` would fetch the registry's unrelated "apigen" package.
  const install = installedAbove(target) ? '' : 'npm i -D apigen-cli, then ';
  io.out(`next: ${install}npx apigen validate ${shown} && npx apigen generate ${shown} --out generated\n`);
  return 0;
}
