// Lays the proto AST out with the handlebars templates in templates/proto/.
// The templates do layout only: every name, literal and comment line arrives
// here already final, and handlebars' HTML escaping is off.
import { readFileSync } from 'node:fs';
import type { TemplateDelegate } from 'handlebars';
import { templatePath } from '../templates.js';
import { printStringLiteral } from './comments.js';
import type { ProtoDeclaration, ProtoField, ProtoFile, ProtoOption, ProtoReserved } from './ast.js';

const PARTIALS = ['service', 'message', 'enum', 'field'] as const;

let compiled: Promise<TemplateDelegate> | undefined;

async function fileTemplate(): Promise<TemplateDelegate> {
  compiled ??= (async () => {
    const { default: Handlebars } = await import('handlebars');
    const hb = Handlebars.create();
    const read = (name: string): string => readFileSync(templatePath(`proto/${name}.hbs`), 'utf8');
    for (const name of PARTIALS) hb.registerPartial(name, hb.compile(read(name), { noEscape: true, strict: true }));
    return hb.compile(read('file'), { noEscape: true, strict: true });
  })();
  return compiled;
}

export async function renderProtoFile(file: ProtoFile): Promise<string> {
  const template = await fileTemplate();
  return template(viewOfFile(file));
}

function viewOfFile(file: ProtoFile) {
  return {
    package: file.package,
    imports: file.imports,
    hasImports: file.imports.length > 0,
    service: {
      name: file.service.name,
      comments: file.service.comments,
      empty: file.service.rpcs.length === 0,
      rpcs: file.service.rpcs.map((rpc) => ({
        name: rpc.name,
        comments: rpc.comments,
        request: `${rpc.requestStream ? 'stream ' : ''}${rpc.request}`,
        response: `${rpc.responseStream ? 'stream ' : ''}${rpc.response}`,
        options: rpc.options.map((o) => `option ${o.name} = ${o.value};`),
      })),
    },
    declarations: file.declarations.map(viewOfDeclaration),
  };
}

function viewOfDeclaration(d: ProtoDeclaration) {
  switch (d.kind) {
    case 'message':
      return {
        isMessage: true,
        name: d.name,
        comments: d.comments,
        deprecated: d.deprecated,
        reserved: printReserved(d.reserved),
        fields: d.fields.map(viewOfField),
        oneofs: d.oneofs.map((o) => ({ name: o.name, comments: o.comments, fields: o.fields.map(viewOfField) })),
        empty: !d.deprecated && d.fields.length === 0 && d.oneofs.length === 0 && printReserved(d.reserved).length === 0,
      };
    case 'enum':
      return {
        isMessage: false,
        name: d.name,
        comments: d.comments,
        deprecated: d.deprecated,
        reserved: printReserved(d.reserved),
        values: d.values.map((v) => ({ name: v.name, number: v.number, comments: v.comments, options: printOptions(v.options) })),
      };
  }
}

function viewOfField(f: ProtoField) {
  return {
    comments: f.comments,
    label: f.label ? `${f.label} ` : '',
    type: f.type,
    name: f.name,
    number: f.number,
    options: printOptions(f.options),
  };
}

function printOptions(options: ProtoOption[]): string {
  return options.length ? ` [${options.map((o) => `${o.name} = ${o.value}`).join(', ')}]` : '';
}

/** `reserved 4, 6 to 8;` and `reserved "old_name";`, numbers collapsed into ranges. */
function printReserved(reserved: ProtoReserved): string[] {
  const lines: string[] = [];
  const numbers = [...new Set(reserved.numbers)].sort((a, b) => a - b);
  const ranges: string[] = [];
  for (let i = 0; i < numbers.length; ) {
    let j = i;
    while (j + 1 < numbers.length && numbers[j + 1] === numbers[j]! + 1) j++;
    ranges.push(j > i ? `${numbers[i]} to ${numbers[j]}` : `${numbers[i]}`);
    i = j + 1;
  }
  if (ranges.length) lines.push(`reserved ${ranges.join(', ')};`);
  if (reserved.names.length) lines.push(`reserved ${reserved.names.map(printStringLiteral).join(', ')};`);
  return lines;
}
