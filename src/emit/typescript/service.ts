// service.ts: the interface the business logic implements once, and the
// client interfaces: the same methods, called with options instead of a
// context, one Pick per style for the operations that style can carry.
import type { Model, Operation, Style } from '../../contract/model.js';
import { assertNever } from '../../contract/model.js';
import { printDocComment } from './comments.js';
import { qualify } from './qualify.js';
import { printTypeRef } from './type-expressions.js';

const CLIENT_STYLES: { style: Style; suffix: string }[] = [
  { style: 'rest', suffix: 'Rest' },
  { style: 'graphql', suffix: 'Graphql' },
  { style: 'grpc', suffix: 'Grpc' },
  { style: 'soap', suffix: 'Soap' },
];

export function serviceInterfaceName(model: Model): string {
  return `${model.service.name}Service`;
}

export function clientInterfaceName(model: Model, suffix = ''): string {
  return `${model.service.name}${suffix}Client`;
}

export function printServiceFile(model: Model): string {
  const service = serviceInterfaceName(model);
  const client = clientInterfaceName(model);
  const needsTypes = model.operations.some((op) => signature(model, op, 'ctx').includes('types.'));
  const lines: string[] = [
    "import type { CallContext, CallOptions } from 'apigen-runtime';\n",
    needsTypes ? "import type * as types from './types.js';\n" : '',
    "export type { CallContext, CallOptions, Credentials, AuthHook, ServerOptions } from 'apigen-runtime';\n",
    printDocComment(
      model.service.description,
      undefined,
      [`The ${model.service.title} implementation: write it once, serve it over every style.`],
    ),
    `export interface ${service} {\n`,
  ];
  for (const op of model.operations) lines.push(printDocComment(op.description, op.deprecated), `${signature(model, op, 'ctx')};\n`);
  lines.push('}\n\n');
  lines.push(`/** What every generated client offers: the operations, each with call options. */\nexport interface ${client} {\n`);
  for (const op of model.operations) lines.push(printDocComment(op.description, op.deprecated), `${signature(model, op, 'options')};\n`);
  lines.push('}\n');
  for (const { style, suffix } of CLIENT_STYLES) {
    const ops = model.operations.filter((op) => op.styles.includes(style)).map((op) => JSON.stringify(op.names.ts));
    const picked = ops.length === 0 ? 'never' : ops.join(' | ');
    lines.push(`\n/** The operations a ${style} client can call. */\nexport type ${clientInterfaceName(model, suffix)} = Pick<${client}, ${picked}>;\n`);
  }
  return lines.join('');
}

function signature(model: Model, op: Operation, last: 'ctx' | 'options'): string {
  const input = printInput(model, op);
  const output = printOutput(model, op);
  const tail = last === 'ctx' ? 'ctx: CallContext' : 'options?: CallOptions';
  return `${op.names.ts}(input: ${input}, ${tail}): ${output}`;
}

function printInput(model: Model, op: Operation): string {
  const input = op.input;
  switch (input.kind) {
    case 'none':
      return 'Record<string, never>';
    case 'fields':
      return input.named === undefined ? qualify(op.names.inputType) : qualify(printTypeRef(model, { kind: 'object', name: input.named }, 'input'));
    case 'stream':
      return `AsyncIterable<${qualify(printTypeRef(model, input.element, 'input'))}>`;
    default:
      return assertNever(input, 'input');
  }
}

function printOutput(model: Model, op: Operation): string {
  const output = op.output;
  switch (output.kind) {
    case 'none':
      return 'Promise<void>';
    case 'value': {
      const type = qualify(printTypeRef(model, output.type, 'output'));
      return output.optional ? `Promise<${type} | undefined>` : `Promise<${type}>`;
    }
    case 'stream':
      return `AsyncIterable<${qualify(printTypeRef(model, output.element, 'output'))}>`;
    default:
      return assertNever(output, 'output');
  }
}
