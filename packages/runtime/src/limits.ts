// How much one caller may make a server hold or do, the same idea in every
// style (docs/limits.md has the table). Each limit has a default, derived from
// the contract where its bounds say how large an input may be, and every
// server takes `limits` in its options (ServerOptions, so serve<Service>()
// too). Exceeding one is answered with the protocol's own error and closes
// the call or the connection, never the process.
import type { ContractDescriptor, FieldDesc, TypeDesc } from './descriptor.js';

export interface Limits {
  /** Request body bytes: REST, GraphQL over HTTP, SOAP, webhook deliveries; gRPC message bytes. 413 / RESOURCE_EXHAUSTED past it. */
  bodyBytes: number;
  /** Bytes of one WebSocket frame (`/ws` and graphql-ws); the connection is closed with 1009 past it. */
  frameBytes: number;
  /** Client-stream elements received and not yet read by the implementation, per call. */
  bufferedElements: number;
  /** Event subscriptions one connection (WebSocket, graphql-ws) may hold. */
  subscriptionsPerConnection: number;
  /** Streaming calls one connection (WebSocket, graphql-ws, HTTP/2 for gRPC) may run at once. */
  streamsPerConnection: number;
  /** GraphQL: deepest selection nesting. */
  graphqlDepth: number;
  /** GraphQL: aliases in one document. */
  graphqlAliases: number;
  /** GraphQL: field selections in one document. */
  graphqlFields: number;
  /**
   * GraphQL: estimated cost (a root field, which runs the implementation, 10; any other field 1; what is
   * selected below a list field times its maxItems, else 10 per level). Unset, the GraphQL server raises the
   * default to the cost of its generated client's costliest document.
   */
  graphqlCost: number;
  /** XML element nesting in a SOAP request. */
  xmlDepth: number;
  /** A never-ending stream (event subscription, idle WebSocket) with nothing sent or received for this long is closed; 0: never. */
  streamIdleMs: number;
  /**
   * tRPC: calls in one batch (an HTTP request with `?batch=1`, or one WebSocket frame: the link sends every
   * call made in the same tick as one). Past it the whole batch is answered BAD_REQUEST.
   */
  trpcBatch: number;
  /** WebRTC: peer connections one `/ws` connection may have open or being negotiated. */
  rtcPeersPerConnection: number;
  /** WebRTC: peer connections the server has open or being negotiated, over all connections. */
  rtcPeers: number;
  /** WebRTC: bytes of one signalling frame's SDP or ICE candidate. */
  rtcSignalBytes: number;
  /** WebRTC: ICE candidates one peer connection may signal (each is an address the server sends connectivity checks to). */
  rtcCandidates: number;
  /** WebRTC: a peer connection whose data channel has not opened this long after the offer is closed. */
  rtcOpenMs: number;
}

/** Bodies of contracts with unbounded inputs (and the floor of derived limits). */
export const DEFAULT_BODY_BYTES = 16 * 1024 * 1024;
const DEFAULT_FRAME_BYTES = 4 * 1024 * 1024;
const SMALLEST_BODY_BYTES = 64 * 1024;

export const DEFAULT_LIMITS: Omit<Limits, 'bodyBytes' | 'frameBytes'> = {
  bufferedElements: 64,
  subscriptionsPerConnection: 100,
  streamsPerConnection: 100,
  graphqlDepth: 24,
  graphqlAliases: 64,
  graphqlFields: 2000,
  graphqlCost: 5000,
  xmlDepth: 128,
  streamIdleMs: 30 * 60 * 1000,
  trpcBatch: 1000,
  rtcPeersPerConnection: 4,
  rtcPeers: 256,
  rtcSignalBytes: 64 * 1024,
  rtcCandidates: 32,
  rtcOpenMs: 30_000,
};

/** The limits a server runs with: `options` over the defaults for `contract`. */
export function resolveLimits(contract: ContractDescriptor, options: Partial<Limits> | undefined): Limits {
  const derived = derivedSizes(contract);
  return { ...DEFAULT_LIMITS, bodyBytes: derived.bodyBytes, frameBytes: derived.frameBytes, ...definedOnly(options ?? {}) };
}

function definedOnly(options: Partial<Limits>): Partial<Limits> {
  return Object.fromEntries(Object.entries(options).filter(([, v]) => typeof v === 'number' && v >= 0)) as Partial<Limits>;
}

const derivedCache = new WeakMap<ContractDescriptor, { bodyBytes: number; frameBytes: number; outputBytes: number }>();

/**
 * Body and frame bytes from the largest input the contract allows, times two
 * for the wire's overhead (XML tags, JSON escapes); where an input has no
 * bound (an unbounded string or list), never below the defaults, so that the
 * bounded parts still fit.
 */
export function derivedSizes(contract: ContractDescriptor): { bodyBytes: number; frameBytes: number; outputBytes: number } {
  let sizes = derivedCache.get(contract);
  if (sizes) return sizes;
  const measure = new InputSize(contract);
  let body: Size = { bytes: 0, bounded: true };
  let frame: Size = { bytes: 0, bounded: true };
  let output: Size = { bytes: 0, bounded: true };
  for (const op of contract.operations) {
    const input = op.input.kind === 'fields' ? measure.fields(op.input.fields) : op.input.kind === 'stream' ? measure.type(op.input.element) : { bytes: 0, bounded: true };
    body = larger(body, input);
    if (op.styles.includes('asyncapi')) frame = larger(frame, input);
    const out = op.output.kind === 'value' ? measure.type(op.output.type) : op.output.kind === 'stream' ? measure.type(op.output.element) : { bytes: 0, bounded: true };
    output = larger(output, out);
  }
  for (const event of contract.events) output = larger(output, measure.type(event.payload));
  const limit = (size: Size, floor: number) => {
    const wire = 2 * size.bytes + SMALLEST_BODY_BYTES;
    return size.bounded ? Math.max(SMALLEST_BODY_BYTES, wire) : Math.max(floor, wire);
  };
  sizes = { bodyBytes: limit(body, DEFAULT_BODY_BYTES), frameBytes: limit(frame, DEFAULT_FRAME_BYTES), outputBytes: limit(output, DEFAULT_BODY_BYTES) };
  derivedCache.set(contract, sizes);
  return sizes;
}

/** Bytes of the bounded parts; `bounded` false when some part has no bound. */
interface Size {
  bytes: number;
  bounded: boolean;
}

function larger(a: Size, b: Size): Size {
  return { bytes: Math.max(a.bytes, b.bytes), bounded: a.bounded && b.bounded };
}

class InputSize {
  private readonly visiting = new Set<string>();
  constructor(private readonly contract: ContractDescriptor) {}

  fields(fields: readonly FieldDesc[]): Size {
    let bytes = 2;
    let bounded = true;
    for (const field of fields) {
      const size = this.type(field.type, field.constraints);
      // The name twice (an XML start and end tag) and punctuation.
      bytes += size.bytes + 2 * field.name.length + 8;
      bounded &&= size.bounded;
    }
    return { bytes, bounded };
  }

  type(type: TypeDesc, constraints: FieldDesc['constraints'] = {}): Size {
    switch (type.kind) {
      case 'scalar':
        switch (type.scalar) {
          case 'string':
            // UTF-8 and escapes: four bytes a character at most, in practice.
            return constraints.maxLength === undefined ? { bytes: 0, bounded: false } : { bytes: 4 * constraints.maxLength + 2, bounded: true };
          case 'bytes':
            return constraints.maxLength === undefined ? { bytes: 0, bounded: false } : { bytes: Math.ceil(constraints.maxLength / 3) * 4 + 2, bounded: true };
          case 'json':
            return { bytes: 0, bounded: false };
          case 'decimal':
            return { bytes: 128, bounded: true };
          default:
            return { bytes: 40, bounded: true };
        }
      case 'enum':
        return { bytes: 128, bounded: true };
      case 'list':
      case 'map': {
        const element = this.type(type.kind === 'list' ? type.element : type.value);
        if (constraints.maxItems === undefined) return { bytes: element.bytes, bounded: false };
        // A map entry's key is a string of no declared length.
        return { bytes: constraints.maxItems * (element.bytes + (type.kind === 'map' ? 64 : 4)), bounded: element.bounded && type.kind === 'list' };
      }
      case 'object':
      case 'union': {
        if (this.visiting.has(type.name)) return { bytes: 0, bounded: false };
        const desc = this.contract.types[type.name];
        if (!desc || desc.kind === 'enum') return { bytes: 128, bounded: true };
        this.visiting.add(type.name);
        try {
          if (desc.kind === 'object') return this.fields(desc.fields);
          let size: Size = { bytes: 0, bounded: true };
          for (const member of desc.members) size = larger(size, this.type({ kind: 'object', name: member.type }));
          return { bytes: size.bytes + 64, bounded: size.bounded };
        } finally {
          this.visiting.delete(type.name);
        }
      }
    }
  }
}
