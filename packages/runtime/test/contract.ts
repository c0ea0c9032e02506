// A small contract as data with every scalar, constraint and type kind, for the
// runtime's own tests (generated descriptors are tested through the CLI's suites).
import type { CodeDesc, ContractDescriptor, FieldDesc, OperationDesc, TypeDesc } from '../src/descriptor.js';

const scalar = (name: Extract<TypeDesc, { kind: 'scalar' }>['scalar']): TypeDesc => ({ kind: 'scalar', scalar: name });

let number = 0;
const SAMPLE_REF: TypeDesc = { kind: 'object', name: 'Sample' };
export function field(name: string, type: TypeDesc, extra: Partial<FieldDesc> = {}): FieldDesc {
  return { name, proto: name, type, optional: false, readOnly: false, constraints: {}, number: ++number, ...extra };
}

const code = (httpStatus: number, grpcStatus: number, soapFault: 'Client' | 'Server'): CodeDesc => ({ httpStatus, grpcStatus, soapFault });

function operation(name: string, extra: Partial<OperationDesc>): OperationDesc {
  return {
    name,
    kind: 'query',
    stream: 'unary',
    input: { kind: 'none' },
    output: { kind: 'none' },
    errors: [],
    http: { method: 'GET', path: `/${name}`, pathParams: [], queryParams: [], bodyFields: [] },
    auth: [],
    styles: ['rest', 'graphql', 'grpc', 'soap'],
    grpc: name,
    protoRequest: `${name}Request`,
    protoResponse: `${name}Response`,
    soapRequestElement: name,
    soapResponseElement: `${name}Response`,
    inputType: `${name}Input`,
    ...extra,
  };
}

export const sampleFields: FieldDesc[] = [
  field('id', scalar('uuid'), { readOnly: true }),
  field('title', scalar('string'), { constraints: { minLength: 1, maxLength: 5 } }),
  field('isbn', scalar('string'), { constraints: { pattern: '^[0-9]{3}$' }, optional: true }),
  field('flag', scalar('boolean'), { optional: true }),
  field('count', scalar('int32'), { optional: true, constraints: { min: 1, max: 10 } }),
  field('big', scalar('int64'), { optional: true, constraints: { min: '-9223372036854775808', max: '9223372036854775000' } }),
  field('ratio', scalar('float32'), { optional: true }),
  field('score', scalar('float64'), { optional: true, constraints: { min: 0.5 } }),
  field('price', scalar('decimal'), { optional: true, constraints: { min: '0', max: '100.50' } }),
  field('blob', scalar('bytes'), { optional: true, constraints: { maxLength: 3 } }),
  field('day', scalar('date'), { optional: true }),
  field('at', scalar('datetime'), { optional: true }),
  field('extra', scalar('json'), { optional: true }),
  field('status', { kind: 'enum', name: 'Status' }, { default: 'DRAFT' }),
  field('tags', { kind: 'list', element: scalar('string') }, { optional: true, constraints: { minItems: 1, maxItems: 2, maxLength: 3 } }),
  field('attributes', { kind: 'map', value: scalar('int64') }, { optional: true }),
  field('hit', { kind: 'union', name: 'Hit' }, { optional: true }),
];

export const contract: ContractDescriptor = {
  codes: {
    CANCELLED: code(499, 1, 'Client'),
    UNKNOWN: code(500, 2, 'Server'),
    INVALID_ARGUMENT: code(400, 3, 'Client'),
    DEADLINE_EXCEEDED: code(504, 4, 'Server'),
    NOT_FOUND: code(404, 5, 'Client'),
    ALREADY_EXISTS: code(409, 6, 'Client'),
    PERMISSION_DENIED: code(403, 7, 'Client'),
    RESOURCE_EXHAUSTED: code(429, 8, 'Client'),
    FAILED_PRECONDITION: code(400, 9, 'Client'),
    ABORTED: code(409, 10, 'Client'),
    OUT_OF_RANGE: code(400, 11, 'Client'),
    UNIMPLEMENTED: code(501, 12, 'Server'),
    INTERNAL: code(500, 13, 'Server'),
    UNAVAILABLE: code(503, 14, 'Server'),
    DATA_LOSS: code(500, 15, 'Server'),
    UNAUTHENTICATED: code(401, 16, 'Client'),
  },
  service: { name: 'Sample', package: 'test.sample.v1', version: '1.0.0', namespace: 'urn:test:sample', grpcService: 'SampleService' },
  types: {
    Sample: { kind: 'object', name: 'Sample', inputName: 'SampleInput', fields: sampleFields },
    Status: {
      kind: 'enum',
      name: 'Status',
      protoZero: 'STATUS_UNSPECIFIED',
      values: [
        { name: 'DRAFT', proto: 'STATUS_DRAFT', number: 1 },
        { name: 'DONE', proto: 'STATUS_DONE', number: 2 },
      ],
    },
    Note: { kind: 'object', name: 'Note', inputName: 'NoteInput', fields: [field('text', scalar('string'))] },
    Person: { kind: 'object', name: 'Person', inputName: 'PersonInput', fields: [field('name', scalar('string')), field('age', scalar('int32'), { optional: true })] },
    Hit: {
      kind: 'union',
      name: 'Hit',
      discriminator: 'kind',
      members: [
        { type: 'Note', tag: 'Note', field: 'note', proto: 'note', number: 1 },
        { type: 'Person', tag: 'Person', field: 'person', proto: 'person', number: 2 },
      ],
    },
  },
  operations: [
    operation('getSample', {
      input: { kind: 'fields', fields: [field('id', scalar('uuid'))] },
      output: { kind: 'value', type: { kind: 'object', name: 'Sample' }, optional: false },
      errors: ['SampleNotFound'],
      http: { method: 'GET', path: '/samples/{id}', pathParams: ['id'], queryParams: [], bodyFields: [] },
      auth: ['bearer', 'apiKey'],
    }),
    operation('findSample', {
      input: { kind: 'fields', fields: [field('count', scalar('int32'), { optional: true, constraints: { min: 1 } })] },
      output: { kind: 'value', type: { kind: 'object', name: 'Sample' }, optional: true },
    }),
    operation('ping', {}),
    operation('listSamples', {
      input: {
        kind: 'fields',
        fields: [
          field('count', scalar('int32'), { default: 2, constraints: { min: 1 } }),
          field('ids', { kind: 'list', element: scalar('uuid') }),
          field('filter', { kind: 'map', value: scalar('string') }, { optional: true }),
          field('flag', scalar('boolean'), { optional: true }),
        ],
      },
      output: { kind: 'value', type: { kind: 'list', element: scalar('string') }, optional: false },
      http: { method: 'GET', path: '/samples', pathParams: [], queryParams: ['count', 'ids', 'filter', 'flag'], bodyFields: [] },
    }),
    operation('createSample', {
      kind: 'mutation',
      input: { kind: 'fields', fields: [field('sample', SAMPLE_REF), field('dryRun', scalar('boolean'), { optional: true })] },
      output: { kind: 'value', type: SAMPLE_REF, optional: false },
      http: { method: 'POST', path: '/samples', pathParams: [], queryParams: ['dryRun'], bodyFields: ['sample'] },
    }),
    operation('upload', { stream: 'client', kind: 'mutation', input: { kind: 'stream', element: { kind: 'object', name: 'Note' } }, output: { kind: 'value', type: scalar('int32'), optional: false } }),
    operation('watch', { stream: 'server', input: { kind: 'none' }, output: { kind: 'stream', element: { kind: 'object', name: 'Note' } } }),
  ],
  errors: [
    {
      name: 'SampleNotFound',
      code: 'NOT_FOUND',
      httpStatus: 404,
      grpcStatus: 5,
      soapFault: 'Client',
      fields: [field('sampleId', scalar('uuid')), field('seen', scalar('datetime'), { optional: true })],
      declared: true,
      proto: 'SampleNotFoundDetail',
      xsd: 'SampleNotFoundFault',
    },
    { name: 'InvalidArgument', code: 'INVALID_ARGUMENT', httpStatus: 400, grpcStatus: 3, soapFault: 'Client', fields: [], declared: false, proto: '', xsd: '' },
    { name: 'Internal', code: 'INTERNAL', httpStatus: 500, grpcStatus: 13, soapFault: 'Server', fields: [], declared: false, proto: '', xsd: '' },
  ],
  auth: {
    schemes: [
      { name: 'bearer', type: 'bearer', httpHeader: 'Authorization', valuePrefix: 'Bearer ', grpcMetadataKey: 'authorization', connectionParam: 'authorization' },
      { name: 'apiKey', type: 'apiKey', httpHeader: 'X-API-Key', valuePrefix: '', grpcMetadataKey: 'x-api-key', connectionParam: 'apiKey' },
    ],
    default: ['bearer'],
  },
  events: [],
};

export const SAMPLE: TypeDesc = { kind: 'object', name: 'Sample' };
export const HIT: TypeDesc = { kind: 'union', name: 'Hit' };

export function op(name: string): OperationDesc {
  const found = contract.operations.find((o) => o.name === name);
  if (!found) throw new Error(`no operation ${name}`);
  return found;
}
