// The `model` target: the normalized model exactly as every other emitter sees
// it, as JSON. It is for people debugging a contract ("what did apigen make of
// this?") and for tools of their own that would rather not parse YAML.
import type { Emitter } from '../types.js';
import { printModel } from './print-model.js';

export const modelEmitter: Emitter = {
  target: 'model',
  description: 'the normalized model as JSON (for debugging contracts)',
  emit(model) {
    return [{ path: 'model.json', content: printModel(model) }];
  },
};
