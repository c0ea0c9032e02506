// The `/ws` channel's frames over a WebRTC data channel, Node to Node on
// loopback (werift on both sides, host candidates on 127.0.0.1 only, no STUN
// or TURN): a generated contract served by serve<Service>() with the `webrtc`
// option, called with WebRtcClient (and, for what a well-behaved client never
// sends, a peer negotiated by hand over a raw WebSocket): events with a key
// filter (reaching WebSocket subscribers alike), the three kinds of stream,
// a declared error, invalid input, credentials, a peer that goes away, and
// the limits.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RTCPeerConnection } from 'werift';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CallContext, ContractDescriptor, ErrorClass } from 'apigen-runtime';
import { WebRtcClient, type WebRtcClientOptions } from 'apigen-runtime/webrtc/client';
import { WsClient } from 'apigen-runtime/ws/client';
import { generateTypescript } from './generated.js';
import { WERIFT_LOOPBACK } from '../webrtc-loopback.js';

const CONTRACT = `apigen: 1
service: { name: Meter, version: 1.0.0, package: acme.meter.v1 }
auth:
  schemes:
    bearer: { type: bearer }
  default: [bearer]
types:
  Reading:
    fields:
      sensorId: { type: string, maxLength: 20 }
      value: int64
      at: datetime
      note: string?
  Total:
    fields: { count: int32, sum: int64 }
errors:
  SensorUnknown: { code: NOT_FOUND, fields: { sensorId: string } }
operations:
  watch:
    description: count readings of a sensor; count 0 streams until cancelled.
    input: { sensorId: { type: string, maxLength: 20 }, count: { type: int32, min: 0, max: 1000 } }
    output: stream<Reading>
    errors: [SensorUnknown]
  upload:
    input: stream<Reading>
    output: Total
  echo:
    input: stream<Reading>
    output: stream<Reading>
    errors: [SensorUnknown]
events:
  measured:
    payload: Reading
    key: sensorId
`;

const TOKEN = 'meter-token';
/** Accepted until revoked: a credential that the upgrade accepts and a later offer does not. */
const REVOCABLE = 'revocable-token';


interface Reading {
  sensorId: string;
  value: bigint;
  at: Date;
  note?: string;
}

interface Running {
  httpUrl: string;
  events: { measured(payload: Reading): Promise<void> };
  close(): Promise<void>;
}

type Serve = (implementation: object, options: object) => Promise<Running>;

let contract: ContractDescriptor;
let errorClasses: Record<string, ErrorClass>;
let serveMeter: Serve;
let running: Running;
let wsUrl: string;
const revoked = new Set<string>();
/** What the implementation saw: aborted streams by sensor id. */
const aborted = new Map<string, () => void>();
const abortedSeen = new Set<string>();
const closing: (() => void)[] = [];

function sensorUnknown(sensorId: string): Error {
  const SensorUnknown = errorClasses['SensorUnknown'] as unknown as new (fields: { sensorId: string }, message: string) => Error;
  return new SensorUnknown({ sensorId }, `no sensor ${sensorId}`);
}

function implementation() {
  return {
    async *watch({ sensorId, count }: { sensorId: string; count: number }, ctx: CallContext): AsyncIterable<Reading> {
      if (sensorId === 'unknown') throw sensorUnknown(sensorId);
      ctx.signal.addEventListener('abort', () => {
        abortedSeen.add(sensorId);
        aborted.get(sensorId)?.();
      });
      for (let i = 0; count === 0 || i < count; i++) {
        if (ctx.signal.aborted) return;
        yield { sensorId, value: 9007199254740993n + BigInt(i), at: new Date(Date.UTC(2024, 1, 29, 23, 59, 59, i)) };
        // A never-ending stream waits between readings, so cancelling it has something to interrupt.
        if (count === 0) await new Promise((resolve) => setTimeout(resolve, 20));
      }
    },
    async upload(input: AsyncIterable<Reading>): Promise<{ count: number; sum: bigint }> {
      let count = 0;
      let sum = 0n;
      for await (const reading of input) {
        count++;
        sum += reading.value;
      }
      return { count, sum };
    },
    async *echo(input: AsyncIterable<Reading>): AsyncIterable<Reading> {
      for await (const reading of input) {
        if (reading.sensorId === 'unknown') throw sensorUnknown(reading.sensorId);
        yield { ...reading, note: `echo ${reading.note ?? ''}` };
      }
    },
  };
}

const authenticate = (credentials: { value: string }) => credentials.value === TOKEN || (credentials.value === REVOCABLE && !revoked.has(REVOCABLE));

function client(options: Partial<WebRtcClientOptions> = {}): WebRtcClient {
  const created = new WebRtcClient(contract, errorClasses, { url: wsUrl, credentials: { bearer: TOKEN }, RTCPeerConnection, configuration: WERIFT_LOOPBACK, reconnect: { initialDelayMs: 50, maxDelayMs: 200 }, ...options });
  closing.push(() => created.close());
  return created;
}

async function* readings(values: Reading[]): AsyncIterable<Reading> {
  for (const value of values) yield value;
}

async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const all: T[] = [];
  for await (const value of iterable) all.push(value);
  return all;
}

/** Waits (bounded) until `check` holds. */
async function until(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 1000 && !check(); i++) await new Promise((resolve) => setTimeout(resolve, 10));
  if (!check()) throw new Error(`timed out waiting for ${what}`);
}

/** A raw `/ws` connection: the frames it received, and a way to wait for one. */
async function rawSocket(url: string, token: string): Promise<{ socket: WebSocket; frames: Record<string, unknown>[]; next(match: (frame: Record<string, unknown>) => boolean): Promise<Record<string, unknown>> }> {
  const socket = new WebSocket(url, ['apigen'], { headers: { Authorization: `Bearer ${token}` } });
  closing.push(() => socket.terminate());
  const frames: Record<string, unknown>[] = [];
  socket.on('message', (data) => frames.push(JSON.parse(String(data)) as Record<string, unknown>));
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
  });
  return {
    socket,
    frames,
    async next(match) {
      await until(() => frames.some(match), 'a frame');
      return frames.find(match)!;
    },
  };
}

/** A peer connection negotiated by hand on a raw connection; `answer` may rewrite the service's answer. */
async function handPeer(raw: Awaited<ReturnType<typeof rawSocket>>, id: string, answer: (sdp: string) => string = (sdp) => sdp) {
  const peer = new RTCPeerConnection(WERIFT_LOOPBACK);
  closing.push(() => void peer.close());
  const channel = peer.createDataChannel('apigen', { ordered: true });
  const received: Record<string, unknown>[] = [];
  let closed = false;
  channel.onmessage = ({ data }) => received.push(JSON.parse(String(data)) as Record<string, unknown>);
  channel.onclose = () => (closed = true);
  const opened = new Promise<void>((resolve) => (channel.onopen = () => resolve()));
  const candidates: object[] = [];
  peer.onicecandidate = ({ candidate }) => {
    if (candidate) candidates.push(candidate.toJSON());
  };
  await peer.setLocalDescription(await peer.createOffer());
  raw.socket.send(JSON.stringify({ type: 'rtc-offer', id, sdp: peer.localDescription!.sdp }));
  for (const candidate of candidates) raw.socket.send(JSON.stringify({ type: 'rtc-candidate', id, candidate }));
  peer.onicecandidate = ({ candidate }) => {
    if (candidate) raw.socket.send(JSON.stringify({ type: 'rtc-candidate', id, candidate: candidate.toJSON() }));
  };
  const reply = await raw.next((f) => f['id'] === id && f['type'] === 'rtc-answer');
  await peer.setRemoteDescription({ type: 'answer', sdp: answer(reply['sdp'] as string) });
  let applied = 0;
  const addCandidates = async () => {
    const theirs = raw.frames.filter((f) => f['id'] === id && f['type'] === 'rtc-candidate');
    for (; applied < theirs.length; applied++) await peer.addIceCandidate(theirs[applied]!['candidate'] as never);
  };
  await addCandidates();
  const pump = setInterval(() => void addCandidates(), 20);
  await opened;
  clearInterval(pump);
  return { peer, channel, received, isClosed: () => closed };
}

beforeAll(async () => {
  const from = mkdtempSync(join(tmpdir(), 'apigen-webrtc-'));
  writeFileSync(join(from, 'meter.yaml'), CONTRACT);
  const dir = await generateTypescript('meter', from);
  contract = ((await import(join(dir, 'contract.ts'))) as { contract: ContractDescriptor }).contract;
  errorClasses = ((await import(join(dir, 'errors.ts'))) as { errorClasses: Record<string, ErrorClass> }).errorClasses;
  serveMeter = ((await import(join(dir, 'server.ts'))) as { serveMeter: Serve }).serveMeter;
  running = await serveMeter(implementation(), { httpPort: 0, grpcPort: 0, authenticate, webrtc: { RTCPeerConnection, configuration: WERIFT_LOOPBACK } });
  wsUrl = `${running.httpUrl.replace('http', 'ws')}/ws`;
}, 120_000);

afterAll(async () => {
  for (const close of closing.splice(0)) close();
  await running?.close();
});

describe('WebRTC data channel, Node to Node', () => {
  it('delivers events with a key filter, to data-channel and WebSocket subscribers alike', async () => {
    const rtc = client();
    const ws = new WsClient(contract, errorClasses, { url: wsUrl, credentials: { bearer: TOKEN } });
    closing.push(() => ws.close());
    const overRtc: { sensorId: string; value: bigint; key?: string }[] = [];
    const overWs: string[] = [];
    rtc.subscribe('measured', (payload, meta) => overRtc.push({ ...(payload as Reading), ...(meta.key === undefined ? {} : { key: meta.key }) }), { key: 's1' });
    ws.subscribe('measured', (payload) => overWs.push((payload as Reading).sensorId), { key: 's1' });
    await Promise.all([rtc.ready(), ws.ready()]);
    await running.events.measured({ sensorId: 's2', value: 1n, at: new Date() });
    await running.events.measured({ sensorId: 's1', value: 9223372036854775807n, at: new Date('2024-02-29T23:59:59.999Z') });
    await until(() => overRtc.length >= 1 && overWs.length >= 1, 'the s1 event');
    await rtc.ready();
    expect(overRtc).toEqual([{ sensorId: 's1', value: 9223372036854775807n, at: new Date('2024-02-29T23:59:59.999Z'), key: 's1' }]);
    expect(overWs).toEqual(['s1']);
  });

  it('runs a server stream, a client stream and a bidirectional stream with the contract values', async () => {
    const rtc = client();
    const watched = await collect(rtc.call('watch', { sensorId: 'a', count: 3 }) as AsyncIterable<Reading>);
    expect(watched.map((r) => r.value)).toEqual([9007199254740993n, 9007199254740994n, 9007199254740995n]);
    expect(watched[2]!.at).toEqual(new Date(Date.UTC(2024, 1, 29, 23, 59, 59, 2)));

    const at = new Date('2000-01-01T00:00:00Z');
    const total = await (rtc.call('upload', readings([{ sensorId: 'a', value: -9223372036854775808n, at }, { sensorId: 'b', value: 8n, at }])) as Promise<unknown>);
    expect(total).toEqual({ count: 2, sum: -9223372036854775800n });

    const echoed = await collect(rtc.call('echo', readings([{ sensorId: 'x', value: 1n, at, note: 'שלום 👩‍💻' }, { sensorId: 'y', value: 2n, at }])) as AsyncIterable<Reading>);
    expect(echoed).toEqual([
      { sensorId: 'x', value: 1n, at, note: 'echo שלום 👩‍💻' },
      { sensorId: 'y', value: 2n, at, note: 'echo ' },
    ]);
  });

  it('answers a declared error as its class with its fields, and invalid input as InvalidArgument', async () => {
    const rtc = client();
    const failed = await collect(rtc.call('watch', { sensorId: 'unknown', count: 1 }) as AsyncIterable<Reading>).catch((error: unknown) => error);
    expect(failed).toBeInstanceOf(errorClasses['SensorUnknown']!);
    expect((failed as { fields: object }).fields).toEqual({ sensorId: 'unknown' });

    const midStream = await collect(rtc.call('echo', readings([{ sensorId: 'ok', value: 1n, at: new Date() }, { sensorId: 'unknown', value: 2n, at: new Date() }])) as AsyncIterable<Reading>).catch((error: unknown) => error);
    expect(midStream).toBeInstanceOf(errorClasses['SensorUnknown']!);

    const invalid = await collect(rtc.call('watch', { sensorId: 'a', count: 5000 }) as AsyncIterable<Reading>).catch((error: unknown) => error);
    expect(invalid).toBeInstanceOf(errorClasses['InvalidArgument']!);
    expect((invalid as Error).message).toMatch(/count/);
    // The data channel survives a refused call.
    expect(await collect(rtc.call('watch', { sensorId: 'a', count: 1 }) as AsyncIterable<Reading>)).toHaveLength(1);
  });

  it('refuses a wrong credential, and an offer from a connection whose credential was revoked since', async () => {
    const wrong = client({ credentials: { bearer: 'wrong' } });
    const refused = await collect(wrong.call('watch', { sensorId: 'a', count: 1 }) as AsyncIterable<Reading>).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(errorClasses['Unauthenticated']!);

    const raw = await rawSocket(wsUrl, REVOCABLE);
    revoked.add(REVOCABLE);
    try {
      raw.socket.send(JSON.stringify({ type: 'rtc-offer', id: 'p1', sdp: 'v=0\r\n' }));
      const error = await raw.next((f) => f['type'] === 'error' && f['id'] === 'p1');
      expect(error['error']).toMatchObject({ code: 'UNAUTHENTICATED' });
    } finally {
      revoked.delete(REVOCABLE);
    }
  });

  it('imports werift by itself on both sides when no RTCPeerConnection class is given (Node has none)', async () => {
    expect((globalThis as { RTCPeerConnection?: unknown }).RTCPeerConnection).toBeUndefined();
    const own = await serveMeter(implementation(), { httpPort: 0, grpcPort: 0, authenticate, webrtc: { configuration: WERIFT_LOOPBACK } });
    try {
      const rtc = new WebRtcClient(contract, errorClasses, { url: `${own.httpUrl.replace('http', 'ws')}/ws`, credentials: { bearer: TOKEN }, configuration: WERIFT_LOOPBACK });
      closing.push(() => rtc.close());
      expect(await collect(rtc.call('watch', { sensorId: 'own', count: 2 }) as AsyncIterable<Reading>)).toHaveLength(2);
      rtc.close();
    } finally {
      await own.close();
    }
  });

  it('ends the calls of a peer that goes away: the implementation sees the abort, the client a clear error', async () => {
    // Peers negotiated by hand: one closes its data channel (its WebSocket stays open); the other goes away
    // altogether, its WebSocket cut off and its peer connection closed.
    for (const [sensorId, leave] of [
      ['channel-closed', (hand: Awaited<ReturnType<typeof handPeer>>) => hand.channel.close()],
      ['peer-gone', (hand: Awaited<ReturnType<typeof handPeer>>, raw: Awaited<ReturnType<typeof rawSocket>>) => {
        raw.socket.terminate();
        void hand.peer.close();
      }],
    ] as const) {
      const raw = await rawSocket(wsUrl, TOKEN);
      const hand = await handPeer(raw, sensorId);
      const stopped = new Promise<void>((resolve) => aborted.set(sensorId, resolve));
      hand.channel.send(JSON.stringify({ type: 'call', id: 'c1', operation: 'watch', input: { sensorId, count: 0 } }));
      await until(() => hand.received.some((f) => f['type'] === 'next'), 'a first reading');
      leave(hand, raw);
      await stopped;
      expect(abortedSeen.has(sensorId)).toBe(true);
    }

    // The client's side: the service goes away with the peer connection; the running call fails.
    const ending = await serveMeter(implementation(), { httpPort: 0, grpcPort: 0, authenticate, webrtc: { RTCPeerConnection, configuration: WERIFT_LOOPBACK } });
    const rtc = client({ url: `${ending.httpUrl.replace('http', 'ws')}/ws`, reconnect: { initialDelayMs: 60_000, maxDelayMs: 60_000 } });
    const iterator = (rtc.call('watch', { sensorId: 'client-side', count: 0 }) as AsyncIterable<Reading>)[Symbol.asyncIterator]();
    expect((await iterator.next()).done).toBe(false);
    const serverStopped = new Promise<void>((resolve) => aborted.set('client-side', resolve));
    await ending.close();
    await serverStopped;
    const failure = await (async () => {
      for (;;) await iterator.next();
    })().catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(errorClasses['Internal']!);
    expect((failure as Error).message).toMatch(/data channel|peer connection|signalling connection/);
  });
});

describe('WebRTC limits and refusals', () => {
  let limited: Running;
  let limitedUrl: string;

  beforeAll(async () => {
    limited = await serveMeter(implementation(), {
      httpPort: 0,
      grpcPort: 0,
      authenticate,
      limits: { rtcPeersPerConnection: 2, rtcPeers: 3, rtcSignalBytes: 3000, rtcCandidates: 3, rtcOpenMs: 1500, frameBytes: 4096 },
      webrtc: { RTCPeerConnection, configuration: WERIFT_LOOPBACK },
    });
    limitedUrl = `${limited.httpUrl.replace('http', 'ws')}/ws`;
  });
  afterAll(async () => limited?.close());

  async function offer(): Promise<string> {
    const peer = new RTCPeerConnection(WERIFT_LOOPBACK);
    closing.push(() => void peer.close());
    peer.createDataChannel('apigen');
    await peer.setLocalDescription(await peer.createOffer());
    return peer.localDescription!.sdp;
  }

  it('bounds peer connections per connection and in total, the SDP size, and the time to open', async () => {
    const first = await rawSocket(limitedUrl, TOKEN);
    const second = await rawSocket(limitedUrl, TOKEN);
    const sdp = await offer();
    for (const id of ['a', 'b', 'c']) first.socket.send(JSON.stringify({ type: 'rtc-offer', id, sdp }));
    expect((await first.next((f) => f['id'] === 'c' && f['type'] === 'error'))['error']).toMatchObject({ code: 'RESOURCE_EXHAUSTED', detail: expect.stringMatching(/a connection may have 2/) });
    await first.next((f) => f['id'] === 'b' && f['type'] === 'rtc-answer');
    for (const id of ['d', 'e']) second.socket.send(JSON.stringify({ type: 'rtc-offer', id, sdp }));
    // Three in total: the second connection's second offer is one too many.
    expect((await second.next((f) => f['id'] === 'e' && f['type'] === 'error'))['error']).toMatchObject({ code: 'RESOURCE_EXHAUSTED', detail: expect.stringMatching(/the service has 3/) });
    second.socket.send(JSON.stringify({ type: 'rtc-offer', id: 'big', sdp: sdp + 'a=x-padding:' + 'x'.repeat(3000 - sdp.length) + '\r\n' }));
    expect((await second.next((f) => f['id'] === 'big' && f['type'] === 'error'))['error']).toMatchObject({ code: 'RESOURCE_EXHAUSTED', detail: expect.stringMatching(/3000 bytes/) });
    // Answered but never connected (nobody sent the answer's candidates back): closed after rtcOpenMs.
    expect((await first.next((f) => f['id'] === 'a' && f['type'] === 'error'))['error']).toMatchObject({ code: 'DEADLINE_EXCEEDED' });
    await first.next((f) => f['id'] === 'a' && f['type'] === 'rtc-close');
    // The slots are free again.
    first.socket.send(JSON.stringify({ type: 'rtc-offer', id: 'again', sdp }));
    await first.next((f) => f['id'] === 'again' && f['type'] === 'rtc-answer');
    // Each candidate is an address the service checks: a fourth one is too many.
    for (const port of [9, 10, 11, 12]) {
      first.socket.send(JSON.stringify({ type: 'rtc-candidate', id: 'again', candidate: { candidate: `candidate:${port} 1 udp 2122260223 127.0.0.1 ${port} typ host`, sdpMid: '0', sdpMLineIndex: 0 } }));
    }
    expect((await first.next((f) => f['id'] === 'again' && f['type'] === 'error'))['error']).toMatchObject({ code: 'RESOURCE_EXHAUSTED', detail: expect.stringMatching(/3 candidates/) });
    await first.next((f) => f['id'] === 'again' && f['type'] === 'rtc-close');
  });

  it('refuses malformed signalling frames with INVALID_ARGUMENT and keeps the connection', async () => {
    const raw = await rawSocket(limitedUrl, TOKEN);
    raw.socket.send(JSON.stringify({ type: 'rtc-offer', id: 'x' }));
    expect((await raw.next((f) => f['id'] === 'x' && f['type'] === 'error'))['error']).toMatchObject({ code: 'INVALID_ARGUMENT' });
    raw.socket.send(JSON.stringify({ type: 'rtc-offer', id: 'not-sdp', sdp: 'hello' }));
    expect((await raw.next((f) => f['id'] === 'not-sdp' && f['type'] === 'error'))['error']).toMatchObject({ code: 'INVALID_ARGUMENT' });
    raw.socket.send(JSON.stringify({ type: 'rtc-candidate', id: 'nobody', candidate: { candidate: 'candidate:1 1 udp 1 127.0.0.1 9 typ host' } }));
    expect((await raw.next((f) => f['id'] === 'nobody' && f['type'] === 'error'))['error']).toMatchObject({ code: 'INVALID_ARGUMENT' });
    raw.socket.send(JSON.stringify({ type: 'rtc-offer', id: '', sdp: 'v=0' }));
    await raw.next((f) => f['id'] === '' && f['type'] === 'error');
    expect(raw.socket.readyState).toBe(WebSocket.OPEN);
  });

  it('ends a data channel that sends a frame past frameBytes, and the client fails its call', async () => {
    const raw = await rawSocket(limitedUrl, TOKEN);
    // The service advertises frameBytes as its max-message-size; this peer ignores it.
    const hand = await handPeer(raw, 'big', (sdp) => sdp.replace(/a=max-message-size:\d+/, 'a=max-message-size:1048576'));
    hand.channel.send(JSON.stringify({ type: 'call', id: 'c1', operation: 'upload' }));
    hand.channel.send(JSON.stringify({ type: 'input', id: 'c1', data: { sensorId: 'a', value: '1', at: '2024-01-01T00:00:00Z', note: 'x'.repeat(8192) } }));
    await raw.next((f) => f['id'] === 'big' && f['type'] === 'rtc-close');
    await until(() => hand.isClosed(), 'the data channel to close');

    // A well-behaved client does not send it: its peer connection knows the service's limit.
    const rtc = client({ url: limitedUrl });
    const refused = await (rtc.call('upload', readings([{ sensorId: 'a', value: 1n, at: new Date(), note: 'x'.repeat(8192) }])) as Promise<unknown>).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(Error);
    expect((refused as Error).message).toMatch(/max-message-size/);
  });

  it('answers UNIMPLEMENTED where WebRTC is not enabled, and the client stops with that error', async () => {
    const plain = await serveMeter(implementation(), { httpPort: 0, grpcPort: 0, authenticate });
    try {
      const url = `${plain.httpUrl.replace('http', 'ws')}/ws`;
      const raw = await rawSocket(url, TOKEN);
      raw.socket.send(JSON.stringify({ type: 'rtc-offer', id: 'p', sdp: 'v=0' }));
      expect((await raw.next((f) => f['id'] === 'p' && f['type'] === 'error'))['error']).toMatchObject({ code: 'UNIMPLEMENTED' });
      const rtc = client({ url });
      const failure = await collect(rtc.call('watch', { sensorId: 'a', count: 1 }) as AsyncIterable<Reading>).catch((error: unknown) => error);
      expect((failure as Error).message).toMatch(/WebRTC/);
    } finally {
      await plain.close();
    }
  });
});
