// The command handlers. main.ts imports this module only once a command runs,
// so `apigen --version` and `--help` load neither the loader nor the pipeline.
import { constants } from 'node:fs';
import { copyFile, mkdir } from 'node:fs/promises';
import { dirname, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { findConfig, loadConfigFile, type ProjectConfig } from '../config.js';
import { generate, validate } from '../generate.js';
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
  const config = await projectConfig(args, cwd);
  const contracts = contractsFrom(args, config);
  const out = args.out ?? config?.out;
  if (out === undefined) throw new UsageError('no output folder: pass --out DIR or set "out" in apigen.config.yaml');
  const only = args.only !== undefined ? splitList(args.only) : config?.only;
  const check = args.check === true;
  // Contracts from the config are all of the project's: an output folder of a contract no longer listed there is stale.
  const allContracts = args.contracts.length === 0 && config?.contracts !== undefined;
  const result = await generate({ contracts, out, only, check, strict: args.strict || config?.strict === true, cwd, accept: config?.accept, allContracts });
  return reportGenerate(result, check, args.format, io);
}

function splitList(value: string | string[]): string[] {
  return (Array.isArray(value) ? value : [value]).flatMap((v) => v.split(',')).map((v) => v.trim()).filter((v) => v !== '');
}

const STARTER = fileURLToPath(new URL('../../templates/init/contract.yaml', import.meta.url));

export async function runInit(args: { file: string }, io: CliOutput, cwd = process.cwd()): Promise<number> {
  const target = resolve(cwd, args.file);
  await mkdir(dirname(target), { recursive: true });
  try {
    await copyFile(STARTER, target, constants.COPYFILE_EXCL);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') {
      io.err(`apigen: ${args.file} already exists; init never overwrites a file (pick another name: apigen init FILE)\n`);
      return 1;
    }
    throw err;
  }
  const shown = relative(cwd, target);
  io.out(`apigen: wrote ${shown}, a starter contract\n`);
  io.out(`next: apigen validate ${shown} && apigen generate ${shown} --out generated\n`);
  return 0;
}
