// `npm run bench:cluster` (and the last part of `npm run bench`): events/s and
// end-to-end latency through three generated servers on a Kafka backplane
// behind HAProxy. bench/cluster-run.ts shares the cluster harness of the
// cluster test, so it is bundled here with esbuild and run as plain Node.
// Needs the Kafka jars (APIGEN_KAFKA_LIBS, scripts/kafka-broker.sh) and haproxy.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));
if (!existsSync('/usr/sbin/haproxy')) {
  console.log('cluster bench skipped: haproxy not installed (apt-get install haproxy)');
  process.exit(0);
}
if (!process.env.APIGEN_KAFKA_LIBS) {
  const fetched = spawnSync(join(root, 'scripts/kafka-broker.sh'), { encoding: 'utf8' });
  if (fetched.status === 0) process.env.APIGEN_KAFKA_LIBS = fetched.stdout.trim();
}
const dir = mkdtempSync(join(root, 'node_modules/.apigen-bench-'));
try {
  const outfile = join(dir, 'cluster-run.mjs');
  await build({
    entryPoints: [join(root, 'bench/cluster-run.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    // The harness finds test/cluster/instance.mjs next to itself.
    define: { 'import.meta.dirname': JSON.stringify(join(root, 'test/cluster')) },
  });
  const run = spawnSync(process.execPath, [outfile, root], { stdio: 'inherit', env: process.env, timeout: 600_000 });
  process.exitCode = run.status ?? 1;
} finally {
  rmSync(dir, { recursive: true, force: true });
}
