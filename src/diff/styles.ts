// The styles a contract change is judged in. gRPC has two columns because
// the binary wire and the proto3 JSON mapping break on different changes (a
// renamed field keeps its number but not its JSON name); events have one
// column per AsyncAPI transport because keys and topics differ per broker.
// Webhooks and the SSE streams are part of the OpenAPI document, so `rest`.

export const STYLES = ['rest', 'graphql', 'grpc-wire', 'grpc-json', 'soap', 'ws', 'mqtt', 'amqp', 'kafka', 'typescript'] as const;
export type DiffStyle = (typeof STYLES)[number];

export const STYLE_TITLES: Record<DiffStyle, string> = {
  rest: 'REST/OpenAPI (with webhooks and SSE)',
  graphql: 'GraphQL',
  'grpc-wire': 'gRPC binary wire',
  'grpc-json': 'gRPC proto3 JSON',
  soap: 'SOAP/WSDL',
  ws: 'AsyncAPI WebSocket',
  mqtt: 'AsyncAPI MQTT',
  amqp: 'AsyncAPI AMQP',
  kafka: 'AsyncAPI Kafka',
  typescript: 'generated TypeScript API (source)',
};

/** Ordered from harmless to harmful, so the worst of several is the largest index. */
export const SEVERITIES = ['safe', 'dangerous', 'breaking'] as const;
export type ChangeSeverity = (typeof SEVERITIES)[number];

export function worse(a: ChangeSeverity, b: ChangeSeverity): ChangeSeverity {
  return SEVERITIES.indexOf(a) >= SEVERITIES.indexOf(b) ? a : b;
}

/** The columns an operation appears in, from the styles the model says can carry it. */
export function operationStyles(styles: readonly string[]): DiffStyle[] {
  const out: DiffStyle[] = [];
  if (styles.includes('rest')) out.push('rest');
  if (styles.includes('graphql')) out.push('graphql');
  if (styles.includes('grpc')) out.push('grpc-wire', 'grpc-json');
  if (styles.includes('soap')) out.push('soap');
  if (styles.includes('asyncapi')) out.push('ws');
  out.push('typescript');
  return out;
}

/** Events: OpenAPI webhooks and SSE, GraphQL subscriptions, gRPC Subscribe streams, every AsyncAPI transport. SOAP has none. */
export const EVENT_STYLES: readonly DiffStyle[] = ['rest', 'graphql', 'grpc-wire', 'grpc-json', 'ws', 'mqtt', 'amqp', 'kafka', 'typescript'];
