import { basename } from 'node:path';
import type { Model } from '../../contract/model.js';

/**
 * The model as pretty JSON. Source file paths are reduced to the contract's
 * base name and the cwd-relative display path is left out, so the output is
 * the same on every machine and from every working directory. Property order
 * is the model's own (contract declaration order for lists).
 */
export function printModel(model: Model): string {
  // Printed without a replacer: JSON.stringify calls a replacer for every key of a model that prints as
  // megabytes, several times the cost of the printing itself. The positions name the contract by its
  // display path; inside JSON text `"file": "<that path>"` can only be such a key with such a value
  // (a quote within a string value is escaped), so those are rewritten as a whole.
  const { displayPath, ...printed } = model;
  const json = JSON.stringify({ ...printed, file: basename(model.file) }, null, 2);
  const shown = basename(displayPath);
  const text = shown === displayPath ? json : json.replaceAll(`"file": ${JSON.stringify(displayPath)}`, `"file": ${JSON.stringify(shown)}`);
  return `${text}\n`;
}
