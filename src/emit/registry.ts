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
  { target: 'graphql', description: 'GraphQL SDL (queries, mutations, subscriptions)', load: async () => (await import('./graphql/index.js')).graphqlEmitter },
  { target: 'proto', description: 'protobuf (proto3) with a gRPC service', load: async () => (await import('./proto/index.js')).protoEmitter },
  { target: 'wsdl', description: 'WSDL 1.1 with XML Schema (SOAP 1.1 and 1.2, document/literal)', load: async () => (await import('./wsdl/index.js')).wsdlEmitter },
  { target: 'asyncapi', description: 'AsyncAPI 3.0 (events over WebSocket, MQTT, AMQP, Kafka; streams over WebSocket)', load: async () => (await import('./asyncapi/index.js')).asyncapiEmitter },
  { target: 'typescript', description: 'TypeScript types, service interface, servers and clients', load: async () => (await import('./typescript/index.js')).typescriptEmitter },
  { target: 'model', description: 'the normalized model as JSON (for debugging contracts)', load: async () => (await import('./model/index.js')).modelEmitter },
];

export function targetNames(): string[] {
  return EMITTERS.map((e) => e.target);
}
