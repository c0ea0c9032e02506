// service.ts: the interface the business logic implements once, and the
// client interfaces: the same methods, called with options instead of a
// context, one Pick per style for the operations that style can carry.
import type { Model, Operation, Style } from '../../contract/model.js';
import { assertNever } from '../../contract/model.js';
import { printDocComment } from './comments.js';
import { TsFile } from './file.js';
import { methodName, printString } from './identifiers.js';
import { fits, list } from './layout.js';
import { generated, globals, runtime, type TsSymbol } from './symbols.js';
import { contractTsNames, printNamed, printTypeRef } from './type-expressions.js';

export const SERVICE_FILE = 'service.ts';

const CLIENT_STYLES: { style: Style; suffix: string }[] = [
  { style: 'rest', suffix: 'Rest' },
  { style: 'graphql', suffix: 'Graphql' },
  { style: 'grpc', suffix: 'Grpc' },
  { style: 'soap', suffix: 'Soap' },
];

export function serviceInterface(model: Model): TsSymbol {
  return generated(SERVICE_FILE, `${model.service.name}Service`);
}

export function clientInterface(model: Model, suffix = ''): TsSymbol {
  return generated(SERVICE_FILE, `${model.service.name}${suffix}Client`);
}

export function printServiceFile(model: Model): TsFile {
  const f = new TsFile(SERVICE_FILE, contractTsNames(model));
  const service = serviceInterface(model).name;
  const client = clientInterface(model).name;
  f.declareTypes(service, client, ...CLIENT_STYLES.map(({ suffix }) => clientInterface(model, suffix).name));
  const core = runtime.core;
  for (const symbol of [core.CallContext, core.CallOptions, core.Credentials, core.AuthHook, core.ServerOptions]) f.reexport(symbol, true);
  const doc = printDocComment(model.service.description, undefined, [
    `The ${model.service.title} implementation: write it once, serve it over every style.`,
  ]);
  f.print(`${doc}${printInterface(service, model.operations.map((op) => method(f, model, op, 'ctx')))}`);
  f.print(
    `/** What every generated client offers: the operations, each with call options. */\n${printInterface(client, model.operations.map((op) => method(f, model, op, 'options')))}`,
  );
  for (const { style, suffix } of CLIENT_STYLES) {
    const ops = model.operations.filter((op) => op.styles.includes(style)).map((op) => printString(op.names.ts));
    f.print(`/** The operations a ${style} client can call. */\n${printPick(`export type ${clientInterface(model, suffix).name} = `, f.type(globals.Pick), client, ops, ';')}`);
  }
  return f;
}

function printInterface(name: string, members: string[]): string {
  return members.length === 0 ? `export interface ${name} {}` : `export interface ${name} {\n${members.join('\n')}\n}`;
}

/** `Pick<Type, 'a' | 'b'>` as prettier lays it out: flat, then the type arguments broken, then the union too. */
export function printPick(head: string, pick: string, type: string, keys: string[], tail: string, indent = ''): string {
  const union = keys.length === 0 ? 'never' : keys.join(' | ');
  const flat = `${indent}${head}${pick}<${type}, ${union}>${tail}`;
  if (fits(flat)) return flat;
  const inner = `${indent}  `;
  if (fits(`${inner}${union}`)) return `${indent}${head}${pick}<\n${inner}${type},\n${inner}${union}\n${indent}>${tail}`;
  return `${indent}${head}${pick}<\n${inner}${type},\n${keys.map((k) => `${inner}| ${k}`).join('\n')}\n${indent}>${tail}`;
}

function method(f: TsFile, model: Model, op: Operation, last: 'ctx' | 'options'): string {
  const doc = printDocComment(op.description, op.deprecated, [], '  ');
  const input = printInput(f, model, op);
  const tail = last === 'ctx' ? `ctx: ${f.type(runtime.core.CallContext)}` : `options?: ${f.type(runtime.core.CallOptions)}`;
  const output = printOutput(f, model, op);
  return `${doc}${list('  ', `${methodName(op.names.ts)}(`, [`input: ${input}`, tail], `): ${output};`)}`;
}

/** The TS type of an operation's input (a client stream as an AsyncIterable of its elements). */
export function printInput(f: TsFile, model: Model, op: Operation): string {
  const input = op.input;
  switch (input.kind) {
    case 'none':
      return `${f.type(globals.Record)}<string, never>`;
    case 'fields':
      return input.named === undefined ? printNamed(f, op.names.inputType) : printTypeRef(f, model, { kind: 'object', name: input.named }, 'input');
    case 'stream':
      return `${f.type(globals.AsyncIterable)}<${printTypeRef(f, model, input.element, 'input')}>`;
    default:
      return assertNever(input, 'input');
  }
}

function printOutput(f: TsFile, model: Model, op: Operation): string {
  const kind = op.output.kind;
  return `${f.type(kind === 'stream' ? globals.AsyncIterable : globals.Promise)}<${printOutputValue(f, model, op)}>`;
}

/** What an operation gives back, one value of it: `void`, the output type (`| undefined` when optional), or a stream's element type. */
export function printOutputValue(f: TsFile, model: Model, op: Operation): string {
  const output = op.output;
  switch (output.kind) {
    case 'none':
      return 'void';
    case 'value': {
      const type = printTypeRef(f, model, output.type, 'output');
      return output.optional ? `${type} | undefined` : type;
    }
    case 'stream':
      return printTypeRef(f, model, output.element, 'output');
    default:
      return assertNever(output, 'output');
  }
}
