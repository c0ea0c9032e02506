// The emit thread: a worker (emit-worker.ts) that runs some of the targets while
// the main thread runs the others, so that a run can use a second core. Only
// on request (`GenerateOptions.threads`), because on the 2-core machine the
// project measures on it does not pay: V8's concurrent and parallel garbage
// collection already keeps the second core about half busy during a run, and a
// second heap competes with it. Whole processes of the same build, with the
// thread against without (../shared/perf/, medians of 5-10 pairs): S.yaml 10%
// more wall time and 13 MiB more peak memory; M.yaml 2-12% more wall time,
// 12-20% more CPU and 45-63 MiB more memory (over issue 9's 173 MiB); L.yaml
// the same wall time and 100 MiB more (400 MiB, over 324). With more cores it
// may pay.
//
// The split: graphql, proto, wsdl and typescript run there, because the
// typescript target embeds the other three's texts through once-per-model.ts,
// which builds them once per model only within one thread; openapi, asyncapi and
// model stay here. Measured at M.yaml, the thread's share (loading the graphql
// library included) is about twice the main thread's, and its emitters load
// while the main thread still reads the contract.
//
// The worker starts before the contracts are read and loads its emitters at
// once. Each contract's model is copied to it (structured clone: the model is
// plain data); it answers with each target's output (emit-target.ts), which
// src/generate.ts replays in target order. The thread never keeps the process
// alive on its own: it is referenced only while a request is pending, and
// src/generate.ts terminates it when the run ends, however it ends.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Model } from '../contract/model.js';
import type { TargetOutput } from './emit-target.js';

/** The targets the emit thread runs; the rest run on the main thread. */
export const EMIT_THREAD_TARGETS: ReadonlySet<string> = new Set(['graphql', 'proto', 'wsdl', 'typescript']);

/**
 * The worker script beside this module, in the library build (dist/emit/). Run from the TypeScript
 * sources, or from the CLI bundle (dist/bundle/, which does not ask for the thread), there is none.
 */
const WORKER_SCRIPT = new URL('./emit-worker.js', import.meta.url);

export interface EmitThreadStart {
  /** The targets this run will ask for, which the worker loads at once. */
  targets: string[];
}

export interface EmitRequest {
  id: number;
  model: Model;
  targets: string[];
  /** Per-target emitter options (`GenerateOptions.targetOptions`). */
  options: Record<string, Record<string, unknown>>;
  contractBaseName: string;
}

export interface EmitReply {
  id: number;
  outputs: TargetOutput[];
}

export class EmitThread {
  private readonly pending = new Map<number, { resolve: (outputs: TargetOutput[]) => void; reject: (err: Error) => void }>();
  private nextId = 0;
  private ended: Error | undefined;
  private closing: Promise<void> | undefined;

  /**
   * A thread for those of the run's `targets` it runs (EMIT_THREAD_TARGETS), or undefined where it has
   * none of them, there is no built worker script, or the worker cannot start.
   */
  static start(targets: string[]): EmitThread | undefined {
    const own = targets.filter((t) => EMIT_THREAD_TARGETS.has(t));
    if (own.length === 0 || !existsSync(fileURLToPath(WORKER_SCRIPT))) return undefined;
    try {
      return new EmitThread(new Worker(WORKER_SCRIPT, { workerData: { targets: own } satisfies EmitThreadStart }), own);
    } catch {
      return undefined;
    }
  }

  private constructor(
    private readonly worker: Worker,
    private readonly targets: readonly string[],
  ) {
    worker.on('message', (reply: EmitReply) => {
      const request = this.pending.get(reply.id);
      this.pending.delete(reply.id);
      if (this.pending.size === 0) worker.unref();
      request?.resolve(reply.outputs);
    });
    worker.on('error', (err) => this.end(err));
    worker.on('exit', (code) => this.end(new Error(`the emit thread stopped (exit code ${code})`)));
    // After the listeners: adding a 'message' listener references the worker again.
    worker.unref();
  }

  /** Whether this thread runs `target` (the main thread runs the others). */
  runs(target: string): boolean {
    return this.targets.includes(target);
  }

  /**
   * Runs `targets` on the thread, in that order. Rejects only when the thread cannot run them (it could
   * not start, it stopped, or the request could not be copied to it); an emitter that fails is a
   * `TargetOutput.failure` like on the main thread.
   */
  emit(request: Omit<EmitRequest, 'id'>): Promise<TargetOutput[]> {
    if (this.ended || this.closing) return Promise.reject(this.ended ?? new Error('the emit thread is closed'));
    const id = this.nextId++;
    const reply = new Promise<TargetOutput[]>((resolve, reject) => this.pending.set(id, { resolve, reject }));
    try {
      this.worker.postMessage({ ...request, id } satisfies EmitRequest);
    } catch (err) {
      this.pending.delete(id);
      return Promise.reject(err instanceof Error ? err : new Error(String(err)));
    }
    this.worker.ref();
    return reply;
  }

  /** Terminates the worker; a pending request rejects. Safe to call more than once. */
  close(): Promise<void> {
    this.closing ??= this.worker.terminate().then(
      () => undefined,
      () => undefined,
    );
    return this.closing;
  }

  private end(err: Error): void {
    this.ended ??= err;
    for (const request of this.pending.values()) request.reject(this.ended);
    this.pending.clear();
    this.worker.unref();
  }
}
