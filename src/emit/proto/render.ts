// Lays the proto AST out as text. Every name, literal and comment line arrives
// here already final (comment lines never hold a line break); this file only
// places them: two-space indentation, one blank line between top-level
// declarations and between rpcs. It used to be a set of handlebars templates,
// which took most of the target's time on a large contract.
import { printStringLiteral } from './comments.js';
import type { ProtoEnum, ProtoField, ProtoFile, ProtoMessage, ProtoOption, ProtoReserved, ProtoService } from './ast.js';

export function renderProtoFile(file: ProtoFile): string {
  const out: string[] = ['syntax = "proto3";', '', `package ${file.package};`];
  if (file.imports.length > 0) {
    out.push('');
    for (const path of file.imports) out.push(`import "${path}";`);
  }
  out.push('');
  printService(file.service, out);
  for (const d of file.declarations) {
    out.push('');
    if (d.kind === 'message') printMessage(d, out);
    else printEnum(d, out);
  }
  return `${out.join('\n')}\n`;
}

function printService(service: ProtoService, out: string[]): void {
  out.push(...service.comments);
  if (service.rpcs.length === 0) {
    out.push(`service ${service.name} {}`);
    return;
  }
  out.push(`service ${service.name} {`);
  service.rpcs.forEach((rpc, i) => {
    if (i > 0) out.push('');
    for (const c of rpc.comments) out.push(`  ${c}`);
    const signature = `  rpc ${rpc.name}(${rpc.requestStream ? 'stream ' : ''}${rpc.request}) returns (${rpc.responseStream ? 'stream ' : ''}${rpc.response})`;
    if (rpc.options.length === 0) {
      out.push(`${signature};`);
      return;
    }
    out.push(`${signature} {`);
    for (const o of rpc.options) out.push(`    option ${o.name} = ${o.value};`);
    out.push('  }');
  });
  out.push('}');
}

function printMessage(m: ProtoMessage, out: string[]): void {
  out.push(...m.comments);
  const reserved = printReserved(m.reserved);
  if (!m.deprecated && m.fields.length === 0 && m.oneofs.length === 0 && reserved.length === 0) {
    out.push(`message ${m.name} {}`);
    return;
  }
  out.push(`message ${m.name} {`);
  if (m.deprecated) out.push('  option deprecated = true;');
  for (const r of reserved) out.push(`  ${r}`);
  for (const f of m.fields) printField(f, '  ', out);
  for (const o of m.oneofs) {
    for (const c of o.comments) out.push(`  ${c}`);
    out.push(`  oneof ${o.name} {`);
    for (const f of o.fields) printField(f, '    ', out);
    out.push('  }');
  }
  out.push('}');
}

function printEnum(e: ProtoEnum, out: string[]): void {
  out.push(...e.comments);
  out.push(`enum ${e.name} {`);
  if (e.deprecated) out.push('  option deprecated = true;');
  for (const r of printReserved(e.reserved)) out.push(`  ${r}`);
  for (const v of e.values) {
    for (const c of v.comments) out.push(`  ${c}`);
    out.push(`  ${v.name} = ${v.number}${printOptions(v.options)};`);
  }
  out.push('}');
}

function printField(f: ProtoField, indent: string, out: string[]): void {
  for (const c of f.comments) out.push(`${indent}${c}`);
  out.push(`${indent}${f.label ? `${f.label} ` : ''}${f.type} ${f.name} = ${f.number}${printOptions(f.options)};`);
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
