// Whether V8 optimizes hot code with TurboFan while a command runs. A command lives a fraction of a
// second to a few seconds: TurboFan's background compiles, and the deoptimizations that follow them,
// cost more CPU than its code saves in so short a life. Without it a cold `apigen generate` of
// ../shared/perf/M.yaml takes a third less CPU and about 15% less wall time on two cores (L.yaml too;
// Node 22's Maglev, which stays on, likewise). A watch session lives for hours and generates again on
// every save, so it turns TurboFan back on for itself.
//
// V8 takes a code cache back (src/cli/code-cache.ts) only in a process whose flags hash as they did
// when the cache was made, and bin/apigen.js compiles the bundle under V8's defaults and saves the
// cache after the command: so the command restores the default when it ends, however it ends.
import { setFlagsFromString } from 'node:v8';

/** Runs one command without TurboFan, then turns it back on (V8's default). */
export async function asShortRun<T>(command: () => Promise<T>): Promise<T> {
  setFlagsFromString('--no-turbofan');
  try {
    return await command();
  } finally {
    setFlagsFromString('--turbofan');
  }
}

/** TurboFan on again, for a command that will keep running the same code (asShortRun turns it off at its end anyway). */
export function optimizeForLongSession(): void {
  setFlagsFromString('--turbofan');
}
