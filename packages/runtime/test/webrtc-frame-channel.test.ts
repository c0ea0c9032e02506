// The `/ws` protocol runs over any frame channel (what lets a WebRTC data
// channel carry it): WsServer's sessions and FrameClient over an in-memory
// channel pair, with no WebSocket or peer connection in between.
import { EventEmitter } from 'node:events';
import type { Server } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import type { CallContext } from '../src/context.js';
import type { ContractDescriptor, EventDesc, OperationDesc } from '../src/descriptor.js';
import { ApigenError, type ErrorClass } from '../src/errors.js';
import { Publisher } from '../src/events.js';
import { FrameClient, type FrameChannel, type WsClientOptions } from '../src/ws-client.js';
import { WsServer, type FrameSession, type ServedChannel } from '../src/ws-server.js';
import { contract as sample } from './contract.js';

class InvalidArgumentError extends ApigenError {
  constructor(_fields: object = {}, message = 'invalid argument') {
    super('InvalidArgument', 'INVALID_ARGUMENT', message, {});
  }
}
class InternalError extends ApigenError {
  constructor(_fields: object = {}, message = 'internal error') {
    super('Internal', 'INTERNAL', message, {});
  }
}
const errorClasses: Record<string, ErrorClass> = { InvalidArgument: InvalidArgumentError, Internal: InternalError };

const noted: EventDesc = {
  name: 'noted',
  payload: { kind: 'object', name: 'Note' },
  channel: 'noted',
  mqttTopic: 'noted',
  amqpExchange: 'noted',
  amqpRoutingKey: 'noted',
  kafkaTopic: 'noted',
  webhook: 'noted',
  ssePath: '/events/noted',
  grpc: 'SubscribeNoted',
};
const streaming = (op: OperationDesc): OperationDesc => (op.name === 'watch' || op.name === 'upload' ? { ...op, styles: [...op.styles, 'asyncapi'], auth: [] } : op);
const contract: ContractDescriptor = { ...sample, auth: { ...sample.auth, default: [] }, operations: sample.operations.map(streaming), events: [noted] };

/** Two ends of an in-memory channel; frames arrive in a later task, in order. */
function channelPair(server: WsServer, signals = false): { client: MemoryChannel; session: FrameSession; served: ServedChannel } {
  let session!: FrameSession;
  const client = new MemoryChannel();
  const served: ServedChannel = {
    get open() {
      return client.open;
    },
    bufferedAmount: 0,
    send: (text) => setImmediate(() => client.deliver(text)),
    close: () => client.close(),
    terminate: () => client.close(),
  };
  client.toServer = (text) => setImmediate(() => session.receive(text));
  client.onClosed.push(() => session.closed());
  session = server.openSession(served, new Map(), signals);
  return { client, session, served };
}

class MemoryChannel implements FrameChannel {
  open = true;
  toServer: (text: string) => void = () => undefined;
  readonly onClosed: (() => void)[] = [];
  onFrame: (text: string) => void = () => undefined;
  send(text: string): void {
    if (this.open) this.toServer(text);
  }
  deliver(text: string): void {
    if (this.open) this.onFrame(text);
  }
  close(): void {
    if (!this.open) return;
    this.open = false;
    for (const closed of this.onClosed) setImmediate(closed);
  }
}

/** FrameClient over in-memory channels to `server`: what WsClient and WebRtcClient do over theirs. */
class MemoryClient extends FrameClient {
  readonly channels: MemoryChannel[] = [];
  constructor(private readonly server: WsServer) {
    super(contract, errorClasses, { url: 'memory:', reconnect: { initialDelayMs: 1, maxDelayMs: 1 } });
    this.connect();
  }
  protected connect(): void {
    if (this.closed) return;
    const { client } = channelPair(this.server);
    this.channels.push(client);
    this.channel = client;
    client.onFrame = (text) => this.channelFrame(client, text);
    client.onClosed.push(() => this.channelClosed(client, 'the memory channel was lost'));
    setImmediate(() => this.channelOpened(client));
  }
  protected withOptions(_options: WsClientOptions): FrameClient {
    return new MemoryClient(this.server);
  }
}

const closing: (() => unknown)[] = [];
afterEach(async () => {
  for (const close of closing.splice(0)) await close();
});

function start(implementation: object): WsServer {
  const server = new WsServer(new EventEmitter() as unknown as Server, contract, errorClasses, implementation, {});
  closing.push(() => server.close());
  return server;
}

describe('the /ws protocol over a frame channel', () => {
  it('runs server and client streams and delivers events over in-memory channels', async () => {
    const server = start({
      async *watch() {
        yield { text: 'a' };
        yield { text: 'b' };
      },
      async upload(input: AsyncIterable<{ text: string }>) {
        let n = 0;
        for await (const note of input) n += note.text.length;
        return n;
      },
    });
    const publisher = new Publisher(contract, [server]);
    const client = new MemoryClient(server);
    closing.push(() => client.close());
    const notes: unknown[] = [];
    for await (const note of client.call('watch', {}) as AsyncIterable<unknown>) notes.push(note);
    expect(notes).toEqual([{ text: 'a' }, { text: 'b' }]);
    expect(
      await client.call(
        'upload',
        (async function* () {
          yield { text: 'abc' };
          yield { text: 'de' };
        })(),
      ),
    ).toBe(5);

    const received: unknown[] = [];
    client.subscribe('noted', (payload) => received.push(payload));
    await client.ready();
    await publisher.publish('noted', { text: 'hello' });
    for (let i = 0; i < 100 && received.length === 0; i++) await new Promise((resolve) => setImmediate(resolve));
    expect(received).toEqual([{ text: 'hello' }]);
  });

  it('a channel that ends aborts its calls on the server and fails them on the client; subscriptions resume on the next channel', async () => {
    let abortedCalls = 0;
    const server = start({
      async *watch(_input: unknown, ctx: CallContext) {
        ctx.signal.addEventListener('abort', () => abortedCalls++);
        yield { text: 'first' };
        await new Promise((resolve) => ctx.signal.addEventListener('abort', resolve));
      },
    });
    const publisher = new Publisher(contract, [server]);
    const client = new MemoryClient(server);
    closing.push(() => client.close());
    const received: string[] = [];
    client.subscribe('noted', (payload) => received.push((payload as { text: string }).text));
    const iterator = (client.call('watch', {}) as AsyncIterable<unknown>)[Symbol.asyncIterator]();
    expect((await iterator.next()).value).toEqual({ text: 'first' });

    client.channels[0]!.close();
    const failure = await iterator.next().catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(InternalError);
    expect((failure as Error).message).toBe('the memory channel was lost');
    for (let i = 0; i < 100 && abortedCalls === 0; i++) await new Promise((resolve) => setImmediate(resolve));
    expect(abortedCalls).toBe(1);

    // The client reconnects over a new channel and subscribes again.
    for (let i = 0; i < 100 && client.channels.length < 2; i++) await new Promise((resolve) => setTimeout(resolve, 1));
    await client.ready();
    await publisher.publish('noted', { text: 'after' });
    for (let i = 0; i < 100 && received.length === 0; i++) await new Promise((resolve) => setImmediate(resolve));
    expect(received).toEqual(['after']);
    expect(client.reconnects).toBe(1);
  });

  it('answers a binary frame and signalling without the webrtc option with error frames, and keeps the channel', async () => {
    const server = start({});
    const frames: Record<string, unknown>[] = [];
    const { client, session } = channelPair(server);
    client.onFrame = (text) => frames.push(JSON.parse(text) as Record<string, unknown>);
    session.receive(undefined);
    session.receive(JSON.stringify({ type: 'rtc-offer', id: 'p', sdp: 'v=0' }));
    for (let i = 0; i < 100 && frames.length < 2; i++) await new Promise((resolve) => setImmediate(resolve));
    expect(frames.map((f) => (f['error'] as { code: string }).code)).toEqual(['INVALID_ARGUMENT', 'INVALID_ARGUMENT']);
    // A data channel (a session opened without signalling) does not negotiate peer connections.
    expect((frames[1]!['error'] as { detail: string }).detail).toMatch(/unknown frame type "rtc-offer"/);
    expect(client.open).toBe(true);

    // A WebSocket connection's session does, and without the option it is answered UNIMPLEMENTED.
    const signalling = channelPair(server, true);
    const answers: Record<string, unknown>[] = [];
    signalling.client.onFrame = (text) => answers.push(JSON.parse(text) as Record<string, unknown>);
    signalling.session.receive(JSON.stringify({ type: 'rtc-offer', id: 'p', sdp: 'v=0' }));
    for (let i = 0; i < 100 && answers.length < 1; i++) await new Promise((resolve) => setImmediate(resolve));
    expect(answers).toMatchObject([{ type: 'error', id: 'p', error: { code: 'UNIMPLEMENTED' } }]);
  });
});
