// contract.ts: the model as the runtime's ContractDescriptor (see
// packages/runtime/src/descriptor.ts), the data every generated
// server and client encodes, decodes and validates by.
import { CANONICAL_CODES, codeMapping } from '../../contract/codes.js';
import type { Field, Model, NamedType, TypeRef } from '../../contract/model.js';
import { assertNever } from '../../contract/model.js';
import { serviceName } from '../proto/service-name.js';
import { TsFile } from './file.js';
import { printString } from './identifiers.js';
import { list } from './layout.js';
import { globals, RUNTIME_VERSION, runtime } from './symbols.js';
import { contractTsNames, hasInputForm } from './type-expressions.js';

// Plain JSON data; its shape is the runtime's ContractDescriptor, which the generated code typechecks.
type Json = unknown;

export function buildDescriptor(model: Model): Json {
  const types: Record<string, Json> = {};
  for (const t of model.types) types[t.name] = describeNamedType(model, t);
  for (const op of model.operations) {
    if (op.input.kind === 'fields' && op.input.named === undefined) {
      types[op.names.inputType] = { kind: 'object', name: op.names.inputType, inputName: op.names.inputType, fields: op.input.fields.map(describeField) };
    }
  }
  for (const event of model.events) {
    if (event.payload.kind === 'inline') {
      const name = event.names.payloadType;
      types[name] = { kind: 'object', name, inputName: name, fields: event.payload.fields.map(describeField) };
    }
  }
  return {
    codes: Object.fromEntries(
      CANONICAL_CODES.map((code) => {
        const m = codeMapping(code);
        return [code, { httpStatus: m.httpStatus, grpcStatus: m.grpcStatus, soapFault: m.soapFault }];
      }),
    ),
    service: {
      name: model.service.name,
      package: model.service.package,
      version: model.service.version,
      namespace: model.service.namespace,
      grpcService: serviceName(model),
    },
    types,
    operations: model.operations.map((op) => ({
      name: op.names.ts,
      kind: op.kind,
      stream: op.stream,
      input:
        op.input.kind === 'fields'
          ? { kind: 'fields', ...(op.input.named === undefined ? {} : { named: op.input.named }), fields: op.input.fields.map(describeField) }
          : op.input.kind === 'stream'
            ? { kind: 'stream', element: describeType(op.input.element) }
            : { kind: 'none' },
      output:
        op.output.kind === 'value'
          ? { kind: 'value', type: describeType(op.output.type), optional: op.output.optional }
          : op.output.kind === 'stream'
            ? { kind: 'stream', element: describeType(op.output.element) }
            : { kind: 'none' },
      errors: op.errors,
      http: {
        method: op.http.method,
        path: op.http.path,
        pathParams: op.http.pathParams,
        queryParams: op.http.queryParams,
        bodyFields: op.http.bodyFields,
      },
      auth: op.auth,
      styles: op.styles,
      grpc: op.names.grpc,
      protoRequest: op.names.protoRequest,
      protoResponse: op.names.protoResponse,
      soapRequestElement: op.names.soapRequestElement,
      soapResponseElement: op.names.soapResponseElement,
      inputType: op.names.inputType,
    })),
    errors: model.errors.map((e) => ({
      name: e.names.wire,
      code: e.mapping.code,
      httpStatus: e.mapping.httpStatus,
      grpcStatus: e.mapping.grpcStatus,
      soapFault: e.mapping.soapFault,
      fields: e.fields.map(describeField),
      declared: e.declared,
      proto: e.names.proto,
      xsd: e.names.xsd,
    })),
    auth: {
      schemes: model.auth.schemes.map((s) => ({
        name: s.name,
        type: s.type,
        httpHeader: s.httpHeader,
        valuePrefix: s.valuePrefix,
        grpcMetadataKey: s.grpcMetadataKey,
        connectionParam: s.connectionParam,
      })),
      default: model.auth.default,
    },
    events: model.events.map((e) => ({
      name: e.names.ts,
      payload: { kind: 'object', name: e.payload.kind === 'named' ? e.payload.type : e.names.payloadType },
      ...(e.key === undefined ? {} : { key: e.key }),
      channel: e.addresses.channel,
      mqttTopic: e.addresses.mqttTopic,
      amqpExchange: e.addresses.amqpExchange,
      amqpRoutingKey: e.addresses.amqpRoutingKey,
      kafkaTopic: e.addresses.kafkaTopic,
      webhook: e.addresses.webhook,
      ssePath: e.addresses.ssePath,
      grpc: e.names.grpc,
    })),
  };
}

function describeNamedType(model: Model, t: NamedType): Json {
  switch (t.kind) {
    case 'object':
      return { kind: 'object', name: t.name, inputName: hasInputForm(model, t) ? t.names.tsInput : t.name, fields: t.fields.map(describeField) };
    case 'enum':
      return { kind: 'enum', name: t.name, values: t.values.map((v) => ({ name: v.names.json, proto: v.names.proto, number: v.number })), protoZero: t.protoZeroName };
    case 'union':
      return {
        kind: 'union',
        name: t.name,
        discriminator: t.discriminator,
        members: t.members.map((m) => ({ type: m.type, tag: m.tag, field: m.names.json, proto: m.names.proto, number: m.number })),
      };
    default:
      return assertNever(t, 'type');
  }
}

function describeField(f: Field): Json {
  const constraints: Record<string, Json> = {};
  for (const [key, value] of Object.entries(f.constraints)) if (value !== undefined) constraints[key] = value as Json;
  return {
    name: f.names.ts,
    proto: f.names.proto,
    type: describeType(f.type),
    optional: f.optional,
    readOnly: f.readOnly,
    ...(f.hasDefault ? { default: f.default as Json } : {}),
    constraints,
    number: f.number,
  };
}

function describeType(t: TypeRef): Json {
  switch (t.kind) {
    case 'scalar':
      return { kind: 'scalar', scalar: t.scalar };
    case 'object':
    case 'enum':
    case 'union':
      return { kind: t.kind, name: t.name };
    case 'list':
      return { kind: 'list', element: describeType(t.element) };
    case 'map':
      return { kind: 'map', value: describeType(t.value) };
    default:
      return assertNever(t, 'type');
  }
}

export const CONTRACT_FILE = 'contract.ts';

/**
 * The descriptor as one JSON text, parsed once when the module loads: compact (no formatter would reflow it),
 * and split into one string per type, operation, error and event so that a change to the contract reads as a
 * change to its own line.
 */
export function printContractFile(model: Model): TsFile {
  const f = new TsFile(CONTRACT_FILE, contractTsNames(model));
  f.declare('contract');
  const d = buildDescriptor(model) as Record<string, unknown>;
  const lines: string[] = [];
  const keys = Object.keys(d);
  keys.forEach((key, k) => {
    const value = d[key];
    const open = `${k === 0 ? '{' : ''}${JSON.stringify(key)}:`;
    const close = k === keys.length - 1 ? '}' : ',';
    const entries = Array.isArray(value)
      ? value.map((v) => JSON.stringify(v))
      : key === 'types'
        ? Object.entries(value as Record<string, unknown>).map(([name, v]) => `${JSON.stringify(name)}:${JSON.stringify(v)}`)
        : undefined;
    if (entries === undefined || entries.length === 0) {
      lines.push(`${open}${JSON.stringify(value)}${close}`);
      return;
    }
    const [start, end] = Array.isArray(value) ? ['[', ']'] : ['{', '}'];
    lines.push(`${open}${start}`, ...entries.map((e, i) => (i === entries.length - 1 ? e : `${e},`)), `${end}${close}`);
  });
  const what = `${model.service.name} ${model.service.version}`;
  f.print(list('', `${f.value(runtime.core.checkRuntimeVersion)}(`, [printString(RUNTIME_VERSION), printString(`The code of ${what}`)], ');'));
  f.print(
    `/** ${model.service.title} ${model.service.version} as data, for the runtime. */
export const contract: ${f.type(runtime.core.ContractDescriptor)} = ${f.value(globals.JSON)}.parse(
  [
${lines.map((l) => `    ${printString(l)},`).join('\n')}
  ].join(''),
);`,
  );
  return f;
}
