// Every name generated TypeScript may refer to that it does not declare itself:
// the runtime's exports by entry point (the emitter never prints a runtime name
// that is not listed here, and test/typescript/typecheck.test.ts compiles an
// import of each against the built package), the libraries' names, and the
// globals. A symbol is printed through a TsFile (file.ts), which imports it.

/** The apigen-runtime version generated code is written for; a test keeps it equal to packages/runtime/package.json. */
export const RUNTIME_VERSION = '0.2.0';

export interface TsSymbol {
  name: string;
  /**
   * Where it comes from: a module specifier (`apigen-runtime/rest/server`, `node:http`), a generated file of the
   * same output folder (`types.ts`, `rest/server.ts`), or `global` for the language's own names.
   */
  from: string;
  /** `import * as name from`: the symbol is the module itself. */
  namespace?: boolean;
}

type Table<N extends string> = { readonly [K in N]: TsSymbol };

function exportsOf<const N extends string>(from: string, names: readonly N[]): Table<N> {
  return Object.fromEntries(names.map((name) => [name, { name, from }])) as unknown as Table<N>;
}

/** A name a generated file exports, for the other generated files to import. */
export function generated(file: string, name: string): TsSymbol {
  return { name, from: file };
}

export function isGeneratedFile(from: string): boolean {
  return from.endsWith('.ts');
}

export const runtime = {
  core: exportsOf('apigen-runtime', [
    'ApigenError',
    'AuthHook',
    'CallContext',
    'CallOptions',
    'CancelledError',
    'checkRuntimeVersion',
    'ContractDescriptor',
    'Credentials',
    'DateString',
    'Decimal',
    'ErrorClass',
    'EventSink',
    'JsonValue',
    'PublishedEvent',
    'Publisher',
    'RUNTIME_ERRORS',
    'ServerOptions',
    'UnauthenticatedError',
    'Uuid',
  ]),
  restServer: exportsOf('apigen-runtime/rest/server', ['createRestHandler', 'RestHandler']),
  restClient: exportsOf('apigen-runtime/rest/client', ['createRestClient', 'RestClientOptions']),
  graphqlServer: exportsOf('apigen-runtime/graphql/server', ['createGraphqlServer', 'GraphqlServer', 'GraphqlServerOptions']),
  graphqlClient: exportsOf('apigen-runtime/graphql/client', [
    'createGraphqlClient',
    'createGraphqlEventClient',
    'GraphqlClientOptions',
    'GraphqlEventMeta',
    'GraphqlSubscribeOptions',
    'GraphqlSubscription',
  ]),
  grpcServer: exportsOf('apigen-runtime/grpc/server', ['createGrpcService', 'GrpcServerOptions', 'GrpcService']),
  grpcClient: exportsOf('apigen-runtime/grpc/client', [
    'createGrpcClient',
    'GrpcClientOptions',
    'GrpcEventMeta',
    'GrpcSubscribeOptions',
    'GrpcSubscription',
  ]),
  soapServer: exportsOf('apigen-runtime/soap/server', ['createSoapServer', 'SoapHandler', 'SoapServer', 'SoapServerOptions']),
  soapClient: exportsOf('apigen-runtime/soap/client', ['createSoapClient', 'SoapClientOptions']),
  trpcServer: exportsOf('apigen-runtime/trpc/server', [
    'createTrpcHandler',
    'createTrpcRouter',
    'createTrpcWsHandler',
    'TrpcEvent',
    'TrpcHandler',
    'TrpcMutation',
    'TrpcQuery',
    'TrpcRouter',
    'TrpcServerOptions',
    'TrpcStream',
    'TrpcWsHandler',
  ]),
  trpcClient: exportsOf('apigen-runtime/trpc/client', ['createTrpcClient', 'TrpcClientOptions', 'TrpcEventMeta', 'TrpcSubscribeOptions', 'TrpcSubscription']),
  wsServer: exportsOf('apigen-runtime/ws/server', ['WsServer', 'WsServerOptions']),
  wsClient: exportsOf('apigen-runtime/ws/client', ['WsClient', 'WsClientOptions', 'WsEventMeta', 'WsSubscribeOptions', 'WsSubscription']),
  webrtcClient: exportsOf('apigen-runtime/webrtc/client', ['WebRtcClient', 'WebRtcClientOptions', 'WsEventMeta', 'WsSubscribeOptions', 'WsSubscription']),
  sseServer: exportsOf('apigen-runtime/sse/server', ['SseServer', 'SseServerOptions']),
  sseClient: exportsOf('apigen-runtime/sse/client', ['sseEvents', 'subscribeSse', 'SseClientOptions', 'SseEventMeta', 'SseSubscription']),
  webhookSender: exportsOf('apigen-runtime/webhooks/sender', [
    'SIGNATURE_HEADER',
    'signWebhook',
    'TIMESTAMP_HEADER',
    'UndeliverableEvent',
    'WebhookSender',
    'WebhookSenderOptions',
    'WebhookSubscriber',
  ]),
  webhookReceiver: exportsOf('apigen-runtime/webhooks/receiver', [
    'createWebhookReceiver',
    'WebhookHandler',
    'WebhookMeta',
    'WebhookReceiverOptions',
  ]),
  mqtt: exportsOf('apigen-runtime/mqtt', [
    'createMqttSink',
    'createMqttSubscriberClient',
    'EventDeliveryError',
    'MqttEventMeta',
    'MqttEventSubscription',
    'MqttSubscribeOptions',
    'subscribeMqttEvents',
  ]),
  amqp: exportsOf('apigen-runtime/amqp', [
    'AmqpEventMeta',
    'AmqpEventSubscription',
    'AmqpSubscribeOptions',
    'createAmqpSink',
    'EventDeliveryError',
    'subscribeAmqpEvents',
  ]),
  serve: exportsOf('apigen-runtime/serve', ['CorsOptions', 'Middleware', 'RunningService', 'serve', 'ServeOptions']),
  kafka: exportsOf('apigen-runtime/kafka', [
    'createKafkaSink',
    'EventDeliveryError',
    'kafkaEventHandler',
    'KafkaEventMeta',
    'KafkaSubscribeOptions',
    'subscribeKafkaEvents',
  ]),
} as const;

/** The libraries generated code names directly (the runtime uses them otherwise). */
export const library = {
  http: exportsOf('node:http', ['createServer', 'IncomingMessage', 'Server', 'ServerResponse']),
  net: exportsOf('node:net', ['AddressInfo']),
  grpc: { name: 'grpc', from: '@grpc/grpc-js', namespace: true } satisfies TsSymbol as TsSymbol,
  mqtt: exportsOf('mqtt', ['IClientOptions', 'MqttClient']),
  amqp: exportsOf('amqplib', ['Channel', 'ConfirmChannel']),
  kafka: exportsOf('kafkajs', ['Consumer', 'EachMessagePayload', 'Producer']),
} as const;

/** The language's own names generated code uses; a file that declares or imports the same name reaches them through `globalThis`. */
export const globals = exportsOf('global', [
  'AsyncIterable',
  'Date',
  'Iterable',
  'JSON',
  'Map',
  'Object',
  'Omit',
  'Pick',
  'Promise',
  'Record',
  'Uint8Array',
]);
