// The browser side of the browser test: bundled (with a contract's generated
// clients) for Chromium, it runs the cases the test hands it through the
// generated REST, GraphQL, WebSocket and WebRTC clients (the last on the
// platform's RTCPeerConnection), holds event subscriptions on GraphQL, SSE,
// the WebSocket channel and the WebRTC data channel, and reports everything in the
// contract's JSON wire form, which the test decodes and compares with what the
// implementation returned. Values cross between Node and the page only in
// that form, so the page builds the bigints, Dates, Maps and Uint8Arrays the
// clients take itself.
import { ApigenError, decodeFields, decodeJson, encodeFields, encodeJson, type ContractDescriptor, type JsonValue, type OperationDesc, type Violation } from 'apigen-runtime';

type Client = Record<string, (input: unknown, options?: object) => unknown>;
type Subscriber = { subscribe(event: string, handler: (payload: unknown) => void, options?: { key?: string }): { close(): void; ready?: Promise<void> } };
type FrameClient = Client & Subscriber & { ready(): Promise<void>; call?: never; close(): void };

export interface PageClients {
  contract: ContractDescriptor;
  rest: (options: object) => Client;
  graphql: (options: object) => Client & Subscriber;
  ws?: (options: object) => FrameClient;
  webrtc?: (options: object) => FrameClient;
  sse?: (options: object) => Subscriber;
}

export interface PageCase {
  id: number;
  style: 'rest' | 'graphql' | 'ws' | 'webrtc';
  operation: string;
  /** The input fields in JSON form, or a client stream's elements. */
  input: JsonValue;
}

export type PageResult =
  | { id: number; ok: true; output: JsonValue | JsonValue[] | { absent: true } }
  | { id: number; ok: false; error: { name: string; errorName?: string; message: string; fields?: JsonValue } };

export interface PageSetup {
  apiUrl: string;
  credentials?: Record<string, string>;
}

/** The candidate pair a peer connection sends on: the addresses and protocol of both ends. */
export interface CandidatePair {
  local: string;
  remote: string;
  protocol: string;
}

/** What became of a server stream whose peer connection the page closed after its first element. */
export interface Abandoned {
  first: JsonValue;
  pair: CandidatePair;
  /** How the call ended in the page once the peer connection was gone. */
  outcome: { ok: true; done: boolean } | { ok: false; error: { name: string; errorName?: string; message: string } };
}

export interface ReceivedEvent {
  transport: 'graphql' | 'sse' | 'ws' | 'webrtc' | 'webrtc-keyed';
  event: string;
  payload: JsonValue;
}

/**
 * What the test calls with `page.evaluate`. Cases and results cross as JSON text: a structured copy would
 * drop a map's `__proto__` key, which JSON.parse keeps as an own property.
 */
export interface PageApi {
  /** `cases`: PageCase[] as JSON text; resolves with PageResult[] as JSON text. */
  run(setup: PageSetup, cases: string): Promise<string>;
  subscribe(setup: PageSetup): Promise<void>;
  /** ReceivedEvent[] as JSON text. */
  received(): string;
  unsubscribe(): void;
  /** Subscribes to `event` over a WebRTC data channel of its own, with the key filter `key`; the pair it uses, as JSON text. */
  subscribeKeyed(setup: PageSetup, event: string, key: string): Promise<string>;
  /** Calls the server stream `operation` over WebRTC, takes one element, then closes the peer connection; Abandoned as JSON text. */
  abandon(setup: PageSetup, operation: string, input: string): Promise<string>;
}

declare global {
  interface Window {
    apigen: PageApi;
  }
}

/** The selected candidate pair of a connected peer connection, from its statistics. */
async function selectedPair(connection: RTCPeerConnection): Promise<CandidatePair> {
  type Entry = { type: string; id: string; selectedCandidatePairId?: string; localCandidateId?: string; remoteCandidateId?: string; address?: string; protocol?: string };
  const entries = new Map<string, Entry>();
  (await connection.getStats()).forEach((entry: Entry) => entries.set(entry.id, entry));
  const transport = [...entries.values()].find((entry) => entry.type === 'transport' && entry.selectedCandidatePairId !== undefined);
  const pair = entries.get(transport?.selectedCandidatePairId ?? '');
  if (!pair) throw new Error('the peer connection has no selected candidate pair');
  const local = entries.get(pair.localCandidateId ?? '');
  const remote = entries.get(pair.remoteCandidateId ?? '');
  return { local: String(local?.address), remote: String(remote?.address), protocol: String(local?.protocol) };
}

export function startPage(clients: PageClients): void {
  const contract = clients.contract;
  const frameUrl = (setup: PageSetup) => `${setup.apiUrl.replace(/^http/, 'ws')}/ws`;
  /**
   * A WebRTC client on the platform's RTCPeerConnection, and the peer connections and data channels it makes (to
   * read their candidates, or take one away).
   */
  const webrtc = (setup: PageSetup): FrameClient & { peers: RTCPeerConnection[]; channels: RTCDataChannel[] } => {
    const peers: RTCPeerConnection[] = [];
    const channels: RTCDataChannel[] = [];
    class TrackedPeerConnection extends RTCPeerConnection {
      constructor(configuration?: RTCConfiguration) {
        super(configuration);
        peers.push(this);
      }
      override createDataChannel(label: string, init?: RTCDataChannelInit): RTCDataChannel {
        const channel = super.createDataChannel(label, init);
        channels.push(channel);
        return channel;
      }
    }
    return Object.assign(clients.webrtc!({ credentials: setup.credentials, url: frameUrl(setup), RTCPeerConnection: TrackedPeerConnection }), { peers, channels });
  };
  const operation = (name: string): OperationDesc => contract.operations.find((op) => op.name === name)!;
  const received: ReceivedEvent[] = [];
  const open: { close(): void }[] = [];

  const decodeInput = (op: OperationDesc, json: JsonValue): unknown => {
    const violations: Violation[] = [];
    let value: unknown;
    if (op.input.kind === 'stream') {
      const element = op.input.element;
      const elements = (json as JsonValue[]).map((e) => decodeJson(contract, element, e, '', violations, 'input'));
      value = (async function* () {
        yield* elements;
      })();
    } else if (op.input.kind === 'fields') value = decodeFields(contract, op.input.fields, json, '', violations, 'input');
    else value = {};
    if (violations.length > 0) throw new Error(`the page could not decode the input of ${op.name}: ${JSON.stringify(violations)}`);
    return value;
  };

  const encodeOutput = async (op: OperationDesc, result: unknown): Promise<JsonValue | JsonValue[] | { absent: true }> => {
    const output = op.output;
    if (output.kind === 'stream') {
      const elements: JsonValue[] = [];
      for await (const element of result as AsyncIterable<unknown>) elements.push(encodeJson(contract, output.element, element));
      return elements;
    }
    const value = await result;
    if (output.kind === 'none' || value === undefined) return { absent: true };
    return encodeJson(contract, output.type, value);
  };

  const describeError = (error: unknown): { name: string; errorName?: string; message: string; fields?: JsonValue } => {
    if (!(error instanceof ApigenError)) return { name: error instanceof Error ? error.name : 'thrown', message: String(error instanceof Error ? error.message : error) };
    const desc = contract.errors.find((e) => e.name === error.errorName);
    const fields = desc ? encodeFields(contract, desc.fields, error.fields as Record<string, unknown>) : {};
    return { name: error.constructor.name, errorName: error.errorName, message: error.message, fields };
  };

  window.apigen = {
    async run(setup, text) {
      const cases = JSON.parse(text) as PageCase[];
      const options = { credentials: setup.credentials };
      const rest = clients.rest({ ...options, baseUrl: setup.apiUrl });
      const graphql = clients.graphql({ ...options, url: `${setup.apiUrl}/graphql` });
      const ws = cases.some((c) => c.style === 'ws') ? clients.ws?.({ ...options, url: frameUrl(setup) }) : undefined;
      const rtc = cases.some((c) => c.style === 'webrtc') ? webrtc(setup) : undefined;
      const results: PageResult[] = [];
      try {
        for (const c of cases) {
          const op = operation(c.operation);
          const client = c.style === 'rest' ? rest : c.style === 'graphql' ? graphql : ((c.style === 'ws' ? ws : rtc) as unknown as Client);
          try {
            const output = await encodeOutput(op, client[op.name]!(decodeInput(op, c.input)));
            results.push({ id: c.id, ok: true, output });
          } catch (error) {
            results.push({ id: c.id, ok: false, error: describeError(error) });
          }
        }
      } finally {
        ws?.close();
        rtc?.close();
      }
      return JSON.stringify(results);
    },

    async subscribe(setup) {
      const options = { credentials: setup.credentials };
      const take = (transport: ReceivedEvent['transport'], event: string) => (payload: unknown) =>
        void received.push({ transport, event, payload: encodeJson(contract, contract.events.find((e) => e.name === event)!.payload, payload) });
      const graphql = clients.graphql({ ...options, url: `${setup.apiUrl}/graphql` });
      const ws = clients.ws?.({ ...options, url: frameUrl(setup) });
      const rtc = clients.webrtc ? webrtc(setup) : undefined;
      const sse = clients.sse?.({ ...options, baseUrl: setup.apiUrl });
      const ready: Promise<void>[] = [];
      for (const event of contract.events) {
        open.push(graphql.subscribe(event.name, take('graphql', event.name)));
        if (sse) {
          const subscription = sse.subscribe(event.name, take('sse', event.name));
          open.push(subscription);
          if (subscription.ready) ready.push(subscription.ready);
        }
        if (ws) open.push(ws.subscribe(event.name, take('ws', event.name)));
        if (rtc) open.push(rtc.subscribe(event.name, take('webrtc', event.name)));
      }
      for (const frames of [ws, rtc]) {
        if (!frames) continue;
        open.push(frames);
        ready.push(frames.ready());
      }
      await Promise.all(ready);
    },

    received: () => JSON.stringify(received),

    unsubscribe() {
      for (const subscription of open.splice(0)) subscription.close();
    },

    async subscribeKeyed(setup, event, key) {
      const desc = contract.events.find((e) => e.name === event)!;
      const rtc = webrtc(setup);
      open.push(rtc);
      open.push(rtc.subscribe(event, (payload) => void received.push({ transport: 'webrtc-keyed', event, payload: encodeJson(contract, desc.payload, payload) }), { key }));
      await rtc.ready();
      return JSON.stringify(await selectedPair(rtc.peers.at(-1)!));
    },

    async abandon(setup, name, input) {
      const op = operation(name);
      const output = op.output;
      if (output.kind !== 'stream') throw new Error(`${name} is not a server stream`);
      const rtc = webrtc(setup);
      try {
        const stream = (rtc as unknown as Client)[op.name]!(decodeInput(op, JSON.parse(input) as JsonValue)) as AsyncIterable<unknown>;
        const iterator = stream[Symbol.asyncIterator]();
        const first = await iterator.next();
        if (first.done) throw new Error(`${name} ended before its first element`);
        const connection = rtc.peers.at(-1)!;
        const pair = await selectedPair(connection);
        // Gone without a word on the signalling connection, which stays open: the client is not told either (Chromium
        // fires the data channel's close), so only the service can notice, from the peer connection itself, and
        // say so with rtc-close.
        for (const channel of rtc.channels) channel.onclose = null;
        connection.onconnectionstatechange = null;
        connection.close();
        let outcome: Abandoned['outcome'];
        try {
          outcome = { ok: true, done: (await iterator.next()).done === true };
        } catch (error) {
          outcome = { ok: false, error: describeError(error) };
        }
        const abandoned: Abandoned = { first: encodeJson(contract, output.element, first.value), pair, outcome };
        return JSON.stringify(abandoned);
      } finally {
        rtc.close();
      }
    },
  };
}
