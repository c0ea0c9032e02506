// Issue 18: the AsyncAPI document and the WebSocket server agree, judged by a
// third-party JSON Schema validator (Ajv, draft-07: AsyncAPI 3.0's default
// schema format) over the message payload schemas of the document: every
// frame the generated server sends (event frames with the event's key and
// payload, the pong answering a ping, next/result frames, and error frames for every declared error with
// its fields, INVALID_ARGUMENT and INTERNAL) is one of the messages the
// document says the channel carries, and its payload is allowed. So is every
// WebRTC signalling frame of a peer connection negotiated by werift, both
// ways (offer, candidates, answer, the service's rtc-close, a refused offer).
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import formats from 'ajv-formats';
import { createError, Publisher, type OperationDesc } from 'apigen-runtime';
import { parse } from 'yaml';
import WebSocket from 'ws';
import { describe, expect, it } from 'vitest';
import { loadContract } from '../../src/contract/index.js';
import { asyncapiEmitter } from '../../src/emit/asyncapi/index.js';
import { exportMatching, loadGenerated } from '../conformance/adapter.js';
import { Script, scriptedService } from '../conformance/scripted-service.js';
import { objectValue, valueOf } from '../conformance/values.js';
import { CONTRACTS_DIR } from '../typescript/generated.js';
import { WERIFT_LOOPBACK } from '../webrtc-loopback.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const CONTRACTS = ['bookstore', 'clinic', 'edge'];
const TOKEN = 'agreement-token';
const BASIC = Buffer.from('agreement:s3cret').toString('base64');

describe.each(CONTRACTS)('%s: AsyncAPI document and WebSocket server agree', (name) => {
  it('every frame the server sends is a message of the ws channel whose payload schema allows it', async () => {
    const g = await loadGenerated(name);
    const loaded = await loadContract(join(CONTRACTS_DIR, `${name}.yaml`));
    const [file] = await asyncapiEmitter.emit(loaded.model!, { warn: () => undefined, options: {} });
    const doc = parse(file!.content) as Json;
    const ajv = new Ajv({ strict: false, allErrors: true });
    (formats as unknown as { default: (a: Ajv) => void }).default(ajv);
    ajv.addFormat('decimal', true);
    ajv.addSchema(doc, 'asyncapi');
    const messages = (doc.channels?.ws?.messages ?? {}) as Json;
    /** The keys of the ws messages whose payload allows the frame. */
    const matching = (frame: unknown) =>
      Object.keys(messages).filter((key) => ajv.validate({ $ref: `asyncapi#/channels/ws/messages/${encodeURIComponent(key)}/payload` }, frame));

    const script = new Script();
    const http = createServer();
    const attach = exportMatching<(server: unknown, impl: object, options: object) => { publish(e: unknown): Promise<void>; close?: () => Promise<void> }>(
      await import(join(g.dir, 'ws/server.ts')),
      /^attach\w+WsServer$/,
    );
    const ws = attach(http, scriptedService(g.contract, script), {
      authenticate: (c: { scheme: string; value: string }) => {
        const scheme = g.contract.auth.schemes.find((s) => s.name === c.scheme);
        return scheme !== undefined && c.value === (scheme.type === 'basic' ? BASIC : TOKEN);
      },
    });
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    const frames: Json[] = [];
    const sockets: WebSocket[] = [];
    /** A connection carrying the credentials of `schemes` (a header once: the first scheme that uses it). */
    const open = async (schemes: readonly string[]) => {
      const headers: Record<string, string> = {};
      for (const s of g.contract.auth.schemes.filter((x) => schemes.includes(x.name))) {
        headers[s.httpHeader] ??= `${s.valuePrefix}${s.type === 'basic' ? BASIC : TOKEN}`;
      }
      const socket = new WebSocket(`ws://127.0.0.1:${(http.address() as AddressInfo).port}/ws`, { headers });
      sockets.push(socket);
      socket.on('message', (data) => frames.push(JSON.parse(String(data)) as Json));
      await new Promise<void>((resolve, reject) => {
        socket.once('open', () => resolve());
        socket.once('error', reject);
      });
      return socket;
    };
    const waitFor = async (done: () => boolean) => {
      for (let i = 0; i < 500 && !done(); i++) await new Promise((r) => setTimeout(r, 10));
      expect(done()).toBe(true);
    };
    const problems: string[] = [];
    const judge = (frame: Json, expected: string) => {
      const keys = matching(frame);
      if (!keys.includes(expected)) problems.push(`${expected}: ${JSON.stringify(frame).slice(0, 300)} matches ${keys.join(', ') || 'no message'}`);
    };
    try {
      // Events: subscribe to each, publish a payload, judge the event frame.
      const publisher = new Publisher(g.contract, [ws as never]);
      const socket = await open(g.contract.auth.default);
      for (const event of g.contract.events) {
        socket.send(JSON.stringify({ type: 'subscribe', event: event.name }));
        // Its pong comes once the subscription is in place.
        const pingId = `p-${event.name}`;
        socket.send(JSON.stringify({ type: 'ping', id: pingId }));
        await waitFor(() => frames.some((f) => f.type === 'pong' && f.id === pingId));
        judge(frames.find((f) => f.type === 'pong' && f.id === pingId)!, 'pong');
        const payload = valueOf(g.contract, event.payload, 'output', 1);
        const before = frames.length;
        await publisher.publish(event.name, payload);
        await waitFor(() => frames.slice(before).some((f) => f.type === 'event' && f.event === event.name));
        judge(frames.slice(before).find((f) => f.type === 'event' && f.event === event.name)!, `${event.name}Event`);
      }
      // Streaming operations: results and every error the call can carry.
      const streaming = g.contract.operations.filter((op: OperationDesc) => op.styles.includes('asyncapi') && op.stream !== 'client');
      let id = 0;
      for (const op of streaming) {
        const input = op.input.kind === 'fields' ? objectValue(g.contract, op.input.fields, 'input', 1, 0) : undefined;
        const socket = await open(op.auth);
        const call = (reply: Parameters<Script['next']>[1]) => {
          script.reset();
          script.next(op.name, reply);
          const callId = `c${id++}`;
          const frame: Json = { type: 'call', id: callId, operation: op.name };
          if (input !== undefined) frame.input = JSON.parse(JSON.stringify(input, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v)));
          socket.send(JSON.stringify(frame));
          if (op.input.kind === 'stream') socket.send(JSON.stringify({ type: 'end', id: callId }));
          return callId;
        };
        const element = op.output.kind === 'stream' ? valueOf(g.contract, op.output.element, 'output', 0) : undefined;
        const okId = call({ stream: element === undefined ? [] : [element] });
        await waitFor(() => frames.some((f) => f.id === okId && (f.type === 'complete' || f.type === 'error')));
        for (const f of frames.filter((x) => x.id === okId)) judge(f, f.type === 'next' ? `${op.name}Next` : f.type === 'complete' ? 'complete' : `${op.name}Error`);
        for (const errorName of [...op.errors, 'Internal']) {
          const desc = g.contract.errors.find((e) => e.name === errorName)!;
          const thrown = errorName === 'Internal' ? new Error('boom') : createError(g.errorClasses[errorName]!, 'scripted', objectValue(g.contract, desc.fields, 'output', 1, 0));
          const errId = call({ throw: thrown });
          await waitFor(() => frames.some((f) => f.id === errId && f.type === 'error'));
          const frame = frames.find((f) => f.id === errId && f.type === 'error')!;
          judge(frame, `${op.name}Error`);
          if (frame.error?.error !== errorName) problems.push(`${op.name}: expected ${errorName}, got ${JSON.stringify(frame.error)}`);
        }
      }
      expect(frames.length).toBeGreaterThan(0);
      expect(problems).toEqual([]);
    } finally {
      for (const socket of sockets) socket.terminate();
      await ws.close?.();
      http.closeAllConnections();
      await new Promise<void>((resolve) => http.close(() => resolve()));
    }
  }, 300_000);
});

describe('AsyncAPI document and WebRTC signalling agree', () => {

  it('every signalling frame, both ways, is one of the ws channel rtc messages whose payload schema allows it', async () => {
    const { RTCPeerConnection } = await import('werift');
    const g = await loadGenerated('bookstore');
    const loaded = await loadContract(join(CONTRACTS_DIR, 'bookstore.yaml'));
    const [file] = await asyncapiEmitter.emit(loaded.model!, { warn: () => undefined, options: {} });
    const doc = parse(file!.content) as Json;
    const ajv = new Ajv({ strict: false, allErrors: true });
    (formats as unknown as { default: (a: Ajv) => void }).default(ajv);
    ajv.addFormat('decimal', true);
    ajv.addSchema(doc, 'asyncapi');
    const messages = doc.channels.ws.messages as Json;
    const matching = (frame: unknown) =>
      Object.keys(messages).filter((key) => ajv.validate({ $ref: `asyncapi#/channels/ws/messages/${encodeURIComponent(key)}/payload` }, frame));
    const problems: string[] = [];
    const judge = (frame: Json, expected: string) => {
      const keys = matching(frame);
      if (!keys.includes(expected)) problems.push(`${expected}: ${JSON.stringify(frame).slice(0, 300)} matches ${keys.join(', ') || 'no message'}`);
    };

    const http = createServer();
    const attach = exportMatching<(server: unknown, impl: object, options: object) => { close?: () => Promise<void> }>(await import(join(g.dir, 'ws/server.ts')), /^attach\w+WsServer$/);
    const ws = attach(http, scriptedService(g.contract, new Script()), { authenticate: (c: { value: string }) => c.value === TOKEN, webrtc: { RTCPeerConnection, configuration: WERIFT_LOOPBACK } });
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    const socket = new WebSocket(`ws://127.0.0.1:${(http.address() as AddressInfo).port}/ws`, { headers: { Authorization: `Bearer ${TOKEN}` } });
    const frames: Json[] = [];
    socket.on('message', (data) => frames.push(JSON.parse(String(data)) as Json));
    await new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve());
      socket.once('error', reject);
    });
    const send = (frame: Json, expected: string) => {
      judge(frame, expected);
      socket.send(JSON.stringify(frame));
    };
    const waitFor = async (done: () => boolean) => {
      for (let i = 0; i < 1000 && !done(); i++) await new Promise((r) => setTimeout(r, 10));
      expect(done()).toBe(true);
    };
    const peer = new RTCPeerConnection({ iceServers: [], ...WERIFT_LOOPBACK });
    try {
      const channel = peer.createDataChannel('apigen', { ordered: true });
      const opened = new Promise<void>((resolve) => channel.stateChanged.subscribe((state: string) => state === 'open' && resolve()));
      const candidates: Json[] = [];
      peer.onIceCandidate.subscribe((candidate) => {
        if (candidate) candidates.push(candidate.toJSON() as Json);
      });
      await peer.setLocalDescription(await peer.createOffer());
      send({ type: 'rtc-offer', id: 'peer-1', sdp: peer.localDescription!.sdp }, 'rtcOffer');
      await waitFor(() => frames.some((f) => f.type === 'rtc-answer'));
      const answer = frames.find((f) => f.type === 'rtc-answer')!;
      judge(answer, 'rtcAnswer');
      await peer.setRemoteDescription({ type: 'answer', sdp: answer.sdp as string });
      for (const candidate of candidates) send({ type: 'rtc-candidate', id: 'peer-1', candidate }, 'rtcCandidate');
      send({ type: 'rtc-candidate', id: 'peer-1', candidate: null }, 'rtcCandidate');
      for (const f of frames.filter((x) => x.type === 'rtc-candidate')) {
        judge(f, 'rtcCandidate');
        await peer.addIceCandidate(f.candidate as never);
      }
      await opened;
      // The peer closes its data channel: the service ends the peer connection and says so.
      channel.close();
      await waitFor(() => frames.some((f) => f.type === 'rtc-close' && f.id === 'peer-1'));
      judge(frames.find((f) => f.type === 'rtc-close')!, 'rtcClose');
      // A refused offer: an error frame for the peer connection.
      send({ type: 'rtc-offer', id: 'peer-2', sdp: 'not a session description' }, 'rtcOffer');
      await waitFor(() => frames.some((f) => f.type === 'error' && f.id === 'peer-2'));
      judge(frames.find((f) => f.type === 'error' && f.id === 'peer-2')!, 'rtcFailed');
      send({ type: 'rtc-close', id: 'peer-2' }, 'rtcClose');
      expect(frames.map((f) => f.type)).toEqual(expect.arrayContaining(['rtc-answer', 'rtc-candidate', 'rtc-close', 'error']));
      expect(problems).toEqual([]);
    } finally {
      await peer.close();
      socket.terminate();
      await ws.close?.();
      http.closeAllConnections();
      await new Promise<void>((resolve) => http.close(() => resolve()));
    }
  }, 120_000);
});
