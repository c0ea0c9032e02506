// The emit thread's own side (emit-thread.ts starts it): loads its emitters at
// once, then answers each request with every asked target's output, one request
// after another so that the outputs of a contract are made in target order as
// on the main thread.
import { parentPort, workerData } from 'node:worker_threads';
import { emitTarget, type TargetOutput } from './emit-target.js';
import type { EmitReply, EmitRequest, EmitThreadStart } from './emit-thread.js';
import { EMITTERS } from './registry.js';

const port = parentPort;
if (!port) throw new Error('emit-worker.js runs as the emit thread only (emit-thread.ts starts it)');

const entries = new Map(EMITTERS.map((e) => [e.target, e]));
// Loading them (the graphql library above all) while the main thread reads the contract is much of
// what the thread saves. A load that fails fails again, with the same error, when its target runs.
for (const target of (workerData as EmitThreadStart).targets) void entries.get(target)?.load().catch(() => undefined);

let queue = Promise.resolve();
port.on('message', (request: EmitRequest) => {
  queue = queue.then(async () => {
    const outputs: TargetOutput[] = [];
    for (const target of request.targets) {
      const entry = entries.get(target);
      if (!entry) throw new Error(`the emit thread has no target "${target}"`);
      outputs.push(await emitTarget(entry, request.model, request.options[target] ?? {}, request.contractBaseName));
    }
    port.postMessage({ id: request.id, outputs } satisfies EmitReply);
  });
});
