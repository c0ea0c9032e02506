// apigen as a team installs it. Both packages are built from the sources into a
// staging folder (what `npm pack` ships after prepack), packed, and installed
// from the tarballs into scratch projects with the npm registry serving their
// dependencies:
// - the CLI (`npm install --ignore-scripts=false apigen-cli.tgz`): no install
//   script anywhere in the tree, under 40 MB, `npx apigen --help` is ours, the
//   typed library entry compiles, the docs the README links are there, and the
//   installed CLI initializes and generates every target;
// - the runtime with only the libraries of the styles used (REST alone, then
//   REST and gRPC): the contract's TypeScript compiles under strict, serves and
//   answers its own client.
// Slow and networked: one file, every child process bounded. It skips (saying
// so) only when the registry cannot be reached.
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { cpSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const TSC = join(ROOT, 'node_modules/typescript/bin/tsc');
const MB = 1024 * 1024;
const SIZE_LIMIT = 40 * MB;
const INSTALL_TIMEOUT = 300_000;

const ping = spawnSync('npm', ['ping'], { encoding: 'utf8', timeout: 30_000 });
const REACHABLE = ping.status === 0;
if (!REACHABLE) {
  console.warn(`test/package/pack.test.ts skipped: the npm registry is unreachable (npm ping: ${(ping.stderr || ping.error?.message || '').trim().split('\n')[0]})`);
}

const work = mkdtempSync(join(tmpdir(), 'apigen-pack-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function run(command: string, args: string[], cwd: string, timeout = 120_000): SpawnSyncReturns<string> {
  const result = spawnSync(command, args, {
    cwd,
    encoding: 'utf8',
    timeout,
    env: { ...process.env, NO_COLOR: '1', npm_config_audit: 'false', npm_config_fund: 'false', npm_config_update_notifier: 'false' },
  });
  if (result.error) throw new Error(`${command} ${args.join(' ')} in ${cwd}: ${result.error.message}`);
  return result;
}

function ok(command: string, args: string[], cwd: string, timeout?: number): string {
  const result = run(command, args, cwd, timeout);
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} exited ${result.status}\n${result.stdout}\n${result.stderr}`);
  return result.stdout;
}

/** A package's files copied (as a publish would see them), built with the repository's tsc, packed; the tarball's path. */
function stageAndPack(name: string, from: string, entries: string[]): string {
  const stage = join(work, 'stage', name);
  mkdirSync(stage, { recursive: true });
  for (const entry of entries) if (existsSync(join(from, entry))) cpSync(join(from, entry), join(stage, entry), { recursive: true });
  // Types of the dependencies come from the repository's install; node_modules is never packed.
  symlinkSync(join(ROOT, 'node_modules'), join(stage, 'node_modules'), 'dir');
  ok(process.execPath, [TSC, '-p', 'tsconfig.build.json'], stage, 180_000);
  // The CLI's bin runs the bundle `npm run build` makes after tsc.
  if (existsSync(join(stage, 'scripts/build-cli.js'))) ok(process.execPath, ['scripts/build-cli.js'], stage, 60_000);
  const tarballs = join(work, 'tarballs');
  mkdirSync(tarballs, { recursive: true });
  const packed = JSON.parse(ok('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', tarballs], stage)) as { filename: string }[];
  return join(tarballs, packed[0]!.filename);
}

function scratchProject(name: string): string {
  const dir = join(work, name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'package.json'), `${JSON.stringify({ name, version: '0.0.0', private: true, type: 'module' }, null, 2)}\n`);
  return dir;
}

function install(dir: string, specs: string[]): void {
  ok('npm', ['install', '--ignore-scripts=false', '--no-audit', '--no-fund', ...specs], dir, INSTALL_TIMEOUT);
}

/** Bytes of every file under `dir`, symlinks not followed (what the install puts on disk). */
function sizeOf(dir: string): number {
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) total += lstatSync(join(entry.parentPath, entry.name)).size;
  }
  return total;
}

function compile(dir: string, files: string[]): void {
  writeFileSync(
    join(dir, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: {
        target: 'ES2022',
        module: 'NodeNext',
        moduleResolution: 'NodeNext',
        lib: ['ES2023'],
        strict: true,
        noUncheckedIndexedAccess: true,
        skipLibCheck: false,
        outDir: 'build',
        rootDir: '.',
        types: existsSync(join(dir, 'node_modules/@types/node')) ? ['node'] : [],
      },
      files,
    }),
  );
  ok(process.execPath, [TSC, '-p', 'tsconfig.json'], dir, 180_000);
}

let cliTarball = '';
let runtimeTarball = '';
let cliProject = '';

describe.skipIf(!REACHABLE)('the packed CLI, installed into a new project', () => {
  beforeAll(() => {
    cliTarball = stageAndPack('cli', ROOT, ['package.json', 'README.md', 'LICENSE', 'bin', 'docs', 'schema', 'templates', 'contracts', 'src', 'scripts/build-cli.js', 'tsconfig.json', 'tsconfig.build.json']);
    runtimeTarball = stageAndPack('runtime', join(ROOT, 'packages/runtime'), ['package.json', 'README.md', 'src', 'tsconfig.json', 'tsconfig.build.json']);
    cliProject = scratchProject('team-project');
    install(cliProject, ['--save-dev', cliTarball]);
  }, INSTALL_TIMEOUT + 400_000);

  it('ran no install script: no package in the installed tree has one', () => {
    const lock = JSON.parse(readFileSync(join(cliProject, 'package-lock.json'), 'utf8')) as { packages: Record<string, { hasInstallScript?: boolean }> };
    const withScripts = Object.entries(lock.packages).filter(([, p]) => p.hasInstallScript).map(([path]) => path);
    expect(withScripts).toEqual([]);
    expect(Object.keys(lock.packages)).toContain('node_modules/apigen-cli');
  });

  it('is under 40 MB installed', () => {
    const size = sizeOf(join(cliProject, 'node_modules'));
    const packages = Object.keys((JSON.parse(readFileSync(join(cliProject, 'package-lock.json'), 'utf8')) as { packages: object }).packages).length - 1;
    console.log(`apigen-cli installed: ${(size / MB).toFixed(1)} MB in ${packages} packages`);
    expect(size).toBeLessThan(SIZE_LIMIT);
  });

  it('npx apigen --help is apigen-cli’s', () => {
    const bin = join(cliProject, 'node_modules/.bin/apigen');
    expect(resolve(dirname(bin), readlinkSync(bin))).toBe(join(cliProject, 'node_modules/apigen-cli/bin/apigen.js'));
    const help = ok('npx', ['--no-install', 'apigen', '--help'], cliProject);
    expect(help).toContain('One YAML contract in; OpenAPI, GraphQL, protobuf, WSDL and AsyncAPI out.');
    expect(help).toMatch(/apigen generate/);
  });

  it('the installed CLI writes the starter contract and generates every target from it', () => {
    // Installed here, so the next steps need no install and `npx apigen` is this package.
    expect(ok('npx', ['--no-install', 'apigen', 'init', 'api.yaml'], cliProject)).toContain('next: npx apigen validate api.yaml');
    expect(readFileSync(join(cliProject, 'api.yaml'), 'utf8').split('\n')[0]).toBe('# yaml-language-server: $schema=node_modules/apigen-cli/schema/contract.schema.json');
    // The schema is also an export of the package.
    const title = ok(process.execPath, ['--input-type=module', '-e', "import schema from 'apigen-cli/contract.schema.json' with { type: 'json' }; process.stdout.write(schema.title)"], cliProject);
    expect(title).toBe('apigen contract');
    const out = ok('npx', ['--no-install', 'apigen', 'generate', 'api.yaml', '--out', 'generated'], cliProject);
    expect(out).toMatch(/apigen: \d+ written/);
    for (const target of ['openapi', 'graphql', 'proto', 'wsdl', 'asyncapi', 'typescript', 'model']) {
      expect(existsSync(join(cliProject, 'generated/api', target)), target).toBe(true);
    }
    expect(run('npx', ['--no-install', 'apigen', 'generate', 'api.yaml', '--out', 'generated', '--check'], cliProject).status).toBe(0);
  });

  it('the typed library entry compiles (declarations and exports map)', () => {
    writeFileSync(
      join(cliProject, 'typed.ts'),
      `import { generate, validate, formatDiagnostics, UsageError, type Diagnostic, type GenerateResult, type ValidateResult } from 'apigen-cli';
const checked: ValidateResult = await validate({ contracts: ['api.yaml'], strict: true });
const problems: Diagnostic[] = checked.diagnostics;
const result: GenerateResult = await generate({ contracts: ['api.yaml'], out: 'generated', only: ['openapi'], check: true });
const status: 'ok' | 'contract-error' | 'emitter-error' | 'stale' | 'breaking' = result.status;
export const summary = [status, problems.length, formatDiagnostics(result.diagnostics, result.sources), result.changes.map((c) => c.action), UsageError.name];
export async function withoutOut(): Promise<GenerateResult> {
  // @ts-expect-error generate needs an output folder
  return generate({ contracts: ['api.yaml'] });
}
`,
    );
    compile(cliProject, ['typed.ts']);
    // And it runs: the compiled entry loads from the installed package.
    ok(process.execPath, ['build/typed.js'], cliProject);
  });

  it('has every file the README links to', () => {
    const pkg = join(cliProject, 'node_modules/apigen-cli');
    const readme = readFileSync(join(pkg, 'README.md'), 'utf8');
    const links = [...readme.matchAll(/\]\(([^)#\s]+)(?:#[^)]*)?\)/g)].map((m) => m[1]!).filter((l) => !/^[a-z]+:/.test(l));
    expect(links.length).toBeGreaterThan(3);
    expect(links.filter((l) => !existsSync(join(pkg, l)))).toEqual([]);
  });
});

const GREETER = `apigen: 1
service: { name: Greeter, version: 1.0.0, package: acme.greeter.v1 }
types:
  Greeting:
    fields:
      text: string
      count: int64
errors:
  Refused:
    code: PERMISSION_DENIED
    fields: { reason: string }
operations:
  greet:
    input: { name: string, times: int64 }
    output: Greeting
    errors: [Refused]
`;

const IMPLEMENTATION = `import { RefusedError } from './generated/greeter/typescript/errors.js';
import type { GreeterService } from './generated/greeter/typescript/service.js';
import type { Greeting, GreetInput } from './generated/greeter/typescript/types.js';

export const greeter: GreeterService = {
  async greet({ name, times }) {
    if (name === '') throw new RefusedError({ reason: 'no name' });
    // int64 beyond 2^53 stays exact on every wire.
    return { text: \`hello \${name}\`, count: times * 2n };
  },
};

export async function callThrough(client: { greet(input: GreetInput): Promise<Greeting> }): Promise<string> {
  const greeting = await client.greet({ name: 'Ada', times: 4611686018427387903n });
  let refused = '';
  try {
    await client.greet({ name: '', times: 1n });
  } catch (err) {
    if (err instanceof RefusedError) refused = err.fields.reason;
  }
  return \`\${greeting.text} \${greeting.count} \${refused}\`;
}
`;

const REST_MAIN = `import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createGreeterRestHandler } from './generated/greeter/typescript/rest/server.js';
import { createGreeterRestClient } from './generated/greeter/typescript/rest/client.js';
import { callThrough, greeter } from './implementation.js';

const server = createServer(createGreeterRestHandler(greeter));
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const { port } = server.address() as AddressInfo;
try {
  console.log('rest', await callThrough(createGreeterRestClient({ baseUrl: \`http://127.0.0.1:\${port}\` })));
} finally {
  server.close();
}
`;

const GRPC_MAIN = `import * as grpc from '@grpc/grpc-js';
import { addGreeterToGrpcServer } from './generated/greeter/typescript/grpc/server.js';
import { createGreeterGrpcClient } from './generated/greeter/typescript/grpc/client.js';
import { callThrough, greeter } from './implementation.js';

const server = new grpc.Server();
addGreeterToGrpcServer(server, greeter);
const port = await new Promise<number>((resolve, reject) =>
  server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (err, p) => (err ? reject(err) : resolve(p))),
);
const client = createGreeterGrpcClient({ address: \`127.0.0.1:\${port}\` });
try {
  console.log('grpc', await callThrough(client));
} finally {
  client.close();
  server.forceShutdown();
}
`;

const EXPECTED = 'hello Ada 9223372036854775806 no name';

describe.skipIf(!REACHABLE)('the packed runtime, with only the libraries of the styles used', () => {
  let project = '';
  beforeAll(() => {
    if (!cliProject || !runtimeTarball) throw new Error('the CLI tests above pack both packages and install the CLI first');
    project = scratchProject('service-project');
    writeFileSync(join(project, 'greeter.yaml'), GREETER);
    ok(process.execPath, [join(cliProject, 'node_modules/apigen-cli/bin/apigen.js'), 'generate', 'greeter.yaml', '--out', 'generated', '--only', 'typescript'], project);
    writeFileSync(join(project, 'implementation.ts'), IMPLEMENTATION);
    writeFileSync(join(project, 'rest.ts'), REST_MAIN);
    writeFileSync(join(project, 'grpc.ts'), GRPC_MAIN);
  }, 120_000);

  it(
    'REST alone: the runtime and @types/node; compiles under strict, serves and answers',
    () => {
      install(project, [runtimeTarball, '@types/node@20']);
      const installed = readdirSync(join(project, 'node_modules')).filter((n) => !n.startsWith('.'));
      expect(installed.sort()).toEqual(['@types', 'apigen-runtime', 'undici-types'].sort());
      compile(project, ['rest.ts']);
      expect(ok(process.execPath, ['build/rest.js'], project, 60_000).trim()).toBe(`rest ${EXPECTED}`);
    },
    INSTALL_TIMEOUT,
  );

  it(
    'REST and gRPC: adding @grpc/grpc-js, @grpc/proto-loader and protobufjs',
    () => {
      install(project, ['@grpc/grpc-js@1', '@grpc/proto-loader@0.8', 'protobufjs@8']);
      compile(project, ['rest.ts', 'grpc.ts']);
      expect(ok(process.execPath, ['build/rest.js'], project, 60_000).trim()).toBe(`rest ${EXPECTED}`);
      expect(ok(process.execPath, ['build/grpc.js'], project, 60_000).trim()).toBe(`grpc ${EXPECTED}`);
      // Nothing of the other styles came along.
      for (const absent of ['graphql', 'soap', 'ws', 'mqtt', 'amqplib', 'kafkajs']) expect(existsSync(join(project, 'node_modules', absent)), absent).toBe(false);
    },
    INSTALL_TIMEOUT,
  );
});
