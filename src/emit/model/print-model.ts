import { basename } from 'node:path';
import type { Model } from '../../contract/model.js';

/**
 * The model as pretty JSON. Source file paths are reduced to the contract's
 * base name and the cwd-relative display path is left out, so the output is
 * the same on every machine and from every working directory. Property order
 * is the model's own (contract declaration order for lists).
 */
export function printModel(model: Model): string {
  const json = JSON.stringify(
    model,
    (key, value: unknown) => {
      if (key === 'displayPath') return undefined;
      if (key === 'file' && typeof value === 'string') return basename(value);
      return value;
    },
    2,
  );
  return `${json}\n`;
}
