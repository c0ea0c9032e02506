// The emitter registry. Emitters are loaded lazily so that `apigen validate`
// and `apigen --version` load none of them (and none of their heavy libraries).
import type { Emitter } from './types.js';

export interface EmitterEntry {
  target: string;
  description: string;
  load: () => Promise<Emitter>;
}

// Order is the order targets are emitted and listed in --help.
export const EMITTERS: readonly EmitterEntry[] = [
  { target: 'openapi', description: 'OpenAPI 3.1 (REST, SSE streams, webhooks)', load: async () => (await import('./openapi/index.js')).openapiEmitter },
  { target: 'model', description: 'the normalized model as JSON (for debugging contracts)', load: async () => (await import('./model/index.js')).modelEmitter },
];

export function targetNames(): string[] {
  return EMITTERS.map((e) => e.target);
}
