// Hostile WebRTC signalling on `/ws` and hostile peers on its data channels,
// against every example contract's generated server (werift on both sides,
// loopback only): malformed and oversized SDP, garbage ICE candidates,
// signalling for peer connections that do not exist, offers past the limits
// and offers left to time out, and data channels that send garbage, frames
// past the limit, or open hundreds of channels on one peer connection. Same
// child process and after-case checks as hostile.test.ts.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { RTCPeerConnection } from 'werift';
import WebSocket from 'ws';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { AuthSchemeDesc, ContractDescriptor, Limits } from 'apigen-runtime';
import { resolveLimits } from 'apigen-runtime';
import { CONTRACTS_DIR } from '../typescript/generated.js';
import { inputValue } from '../conformance/values.js';
import { MiB, PEAK_RSS_LIMIT, startHostile, TOKEN, type Hostile } from './harness.js';
import { WERIFT_LOOPBACK } from '../webrtc-loopback.js';

const BASIC = Buffer.from('hostile:s3cret').toString('base64');
const CONTRACTS = readdirSync(CONTRACTS_DIR).filter((f) => f.endsWith('.yaml')).map((f) => f.replace(/\.yaml$/, ''));
/** Offers left alone end after 10 s here (werift on two busy cores takes seconds to answer 256 at once), so that the cases can wait for it; frames are held to 256 KiB. */
const LIMITS: Partial<Limits> = { bufferedElements: 8, rtcOpenMs: 10_000, frameBytes: 256 * 1024 };


type Frame = Record<string, unknown>;

interface Signalling {
  socket: WebSocket;
  frames: Frame[];
  send(frame: unknown): void;
  next(match: (frame: Frame) => boolean, limitMs?: number): Promise<Frame>;
}

function secretOf(scheme: AuthSchemeDesc): string {
  return scheme.type === 'basic' ? BASIC : TOKEN;
}

async function until(done: () => boolean, what: string, limitMs = 20_000): Promise<void> {
  const deadline = Date.now() + limitMs;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

const errorOf = (frames: Frame[], id: string) => frames.find((f) => f['type'] === 'error' && f['id'] === id)?.['error'] as { code: string; detail?: string } | undefined;

/**
 * The test's own werift peers get the guard the service gives its own: an ACK the service sends for a data
 * channel this side has closed already makes werift throw in a handler nobody awaits (an unhandled rejection
 * here, not a failure of the service).
 */
function guarded(peer: RTCPeerConnection): RTCPeerConnection {
  const manager = (peer as unknown as { sctpManager: { createSctpTransport: (...args: unknown[]) => { datachannelReceive: (...args: unknown[]) => Promise<void> } } }).sctpManager;
  const create = manager.createSctpTransport.bind(manager);
  manager.createSctpTransport = (...args) => {
    const transport = create(...args);
    const receive = transport.datachannelReceive;
    transport.datachannelReceive = (...received) => receive(...received).catch(() => undefined);
    return transport;
  };
  return peer;
}

/** An offer from a werift peer with the protocol's data channel; the peers are closed after each case. */
async function offerSdp(peers: RTCPeerConnection[]): Promise<string> {
  const peer = new RTCPeerConnection(WERIFT_LOOPBACK);
  peers.push(peer);
  peer.createDataChannel('apigen');
  await peer.setLocalDescription(await peer.createOffer());
  return peer.localDescription!.sdp;
}

for (const name of CONTRACTS) {
  describe(`${name}: hostile WebRTC`, () => {
    let h: Hostile;
    let contract: ContractDescriptor;
    let limits: Limits;
    let baselineHeap = 0;
    let health: () => Promise<unknown>;
    let wsUrl: string;
    let headers: Record<string, string>;
    const peers: RTCPeerConnection[] = [];
    const sockets: WebSocket[] = [];

    const signalling = (): Promise<Signalling> =>
      new Promise((resolve, reject) => {
        const socket = new WebSocket(wsUrl, { headers });
        sockets.push(socket);
        const frames: Frame[] = [];
        socket.on('message', (data) => frames.push(JSON.parse(String(data)) as Frame));
        socket.once('error', reject);
        socket.once('open', () =>
          resolve({
            socket,
            frames,
            send: (frame) => socket.send(typeof frame === 'string' ? frame : JSON.stringify(frame)),
            async next(match, limitMs) {
              await until(() => frames.some(match), 'a signalling frame', limitMs);
              return frames.find(match)!;
            },
          }),
        );
      });

    /** A peer connection negotiated by hand; `answer` may rewrite the service's answer. */
    async function connectedPeer(link: Signalling, id: string, answer: (sdp: string) => string = (sdp) => sdp) {
      const peer = guarded(new RTCPeerConnection(WERIFT_LOOPBACK));
      peers.push(peer);
      const channel = peer.createDataChannel('apigen', { ordered: true });
      const received: Frame[] = [];
      channel.onmessage = ({ data }) => received.push(JSON.parse(String(data)) as Frame);
      const opened = new Promise<void>((resolve) => (channel.onopen = () => resolve()));
      // Candidates follow the offer.
      const gathered: object[] = [];
      peer.onicecandidate = ({ candidate }) => {
        if (candidate) gathered.push(candidate.toJSON());
      };
      await peer.setLocalDescription(await peer.createOffer());
      link.send({ type: 'rtc-offer', id, sdp: peer.localDescription!.sdp });
      for (const candidate of gathered) link.send({ type: 'rtc-candidate', id, candidate });
      peer.onicecandidate = ({ candidate }) => {
        if (candidate) link.send({ type: 'rtc-candidate', id, candidate: candidate.toJSON() });
      };
      const reply = await link.next((f) => f['id'] === id && (f['type'] === 'rtc-answer' || f['type'] === 'error'));
      if (reply['type'] === 'error') throw new Error(`offer refused: ${JSON.stringify(reply)}`);
      await peer.setRemoteDescription({ type: 'answer', sdp: answer(reply['sdp'] as string) });
      let applied = 0;
      const apply = async () => {
        const theirs = link.frames.filter((f) => f['id'] === id && f['type'] === 'rtc-candidate');
        for (; applied < theirs.length; applied++) await peer.addIceCandidate(theirs[applied]!['candidate'] as never);
      };
      const pump = setInterval(() => void apply(), 20);
      await opened;
      clearInterval(pump);
      return { peer, channel, received };
    }

    beforeAll(async () => {
      h = await startHostile(name, LIMITS);
      contract = h.contract;
      limits = resolveLimits(contract, LIMITS);
      wsUrl = `${h.ready.httpUrl.replace('http', 'ws')}/ws`;
      const scheme = contract.auth.schemes.find((s) => s.name === contract.auth.default[0]);
      headers = scheme ? { [scheme.httpHeader.toLowerCase()]: `${scheme.valuePrefix}${secretOf(scheme)}` } : {};
      const createClient = Object.entries((await import(join(h.dir, 'rest/client.ts'))) as Record<string, unknown>).find(([k]) => /^create\w+RestClient$/.test(k))![1] as (o: object) => Record<string, (input: unknown) => Promise<unknown>>;
      const credentials = Object.fromEntries(contract.auth.schemes.map((s) => [s.name, secretOf(s)]));
      const client = createClient({ baseUrl: h.ready.httpUrl, credentials });
      const op = contract.operations.find((o) => o.stream === 'unary' && o.styles.includes('rest'))!;
      health = () => client[op.name]!(inputValue(contract, op, 1));
      await health();
      baselineHeap = (await h.stats()).heapUsed;
    });
    afterAll(async () => h?.stop());

    afterEach(async () => {
      for (const socket of sockets.splice(0)) socket.terminate();
      await Promise.all(peers.splice(0).map((peer) => peer.close().catch(() => undefined)));
      expect(h.alive(), h.log()).toBe(true);
      await health();
      const stats = await h.stats();
      expect(stats.peakRss, 'peak resident set').toBeLessThan(PEAK_RSS_LIMIT);
      expect(stats.heapUsed - baselineHeap, 'heap growth after a gc').toBeLessThan(64 * MiB);
      await h.resetPeak();
    });

    it('answers malformed SDP with INVALID_ARGUMENT, or answers it and ends the peer connection by rtcOpenMs', async () => {
      const valid = await offerSdp(peers);
      const garbage = Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256)).toString('latin1');
      const cases: Record<string, unknown> = {
        'not-sdp': 'hello',
        'version-only': 'v=0',
        'version-line': 'v=0\r\n',
        binary: `v=0\r\n${garbage}`,
        'nul-bytes': `v=0\r\n${'\u0000'.repeat(1000)}`,
        'no-fingerprint': valid.replace(/a=fingerprint:[^\r\n]*\r\n/g, ''),
        'no-ice-ufrag': valid.replace(/a=ice-(ufrag|pwd):[^\r\n]*\r\n/g, ''),
        'md5-fingerprint': valid.replace(/a=fingerprint:\S+ [^\r\n]*/g, 'a=fingerprint:md5 00'),
        'bad-fingerprint': valid.replace(/a=fingerprint:(\S+) [^\r\n]*/g, `a=fingerprint:$1 ${'ZZ:'.repeat(2000)}ZZ`),
        'bad-m-line': valid.replace(/m=application[^\r\n]*/, 'm=application x y z'),
        'audio-only': valid.replace(/m=application[^\r\n]*/, 'm=audio 9 UDP/TLS/RTP/SAVPF 111'),
        'no-m-line': valid.slice(0, valid.indexOf('m=')),
        'bad-sctp-port': valid.replace(/a=sctp-port:\d+/, 'a=sctp-port:999999999'),
        'huge-max-message-size': valid.replace(/a=max-message-size:\d+/, 'a=max-message-size:99999999999999999999'),
        'no-setup': valid.replace(/a=setup:[^\r\n]*\r\n/g, ''),
        'bundle-unknown-mid': valid.replace(/a=group:BUNDLE[^\r\n]*/, 'a=group:BUNDLE nosuchmid other'),
        'crlf-less': valid.replace(/\r\n/g, '\n'),
        'number-sdp': 42,
        'object-sdp': { sdp: valid },
      };
      // A connection each: one may negotiate only rtcPeersPerConnection at once.
      const links = new Map<string, Signalling>();
      for (const [id, sdp] of Object.entries(cases)) {
        const link = await signalling();
        links.set(id, link);
        link.send({ type: 'rtc-offer', id, sdp });
      }
      // Each is refused, or answered and then ended (nobody completes the connection) by rtcOpenMs.
      const ended = (id: string) => errorOf(links.get(id)!.frames, id) !== undefined || links.get(id)!.frames.some((f) => f['id'] === id && f['type'] === 'rtc-close');
      await until(() => Object.keys(cases).every(ended), 'every offer refused or closed', limits.rtcOpenMs + 10_000);
      for (const id of Object.keys(cases)) {
        const error = errorOf(links.get(id)!.frames, id);
        if (error) expect(error.code, `${id}: ${error.detail}`).toMatch(/^(INVALID_ARGUMENT|DEADLINE_EXCEEDED)$/);
      }
      for (const id of ['not-sdp', 'version-only', 'number-sdp', 'object-sdp']) expect(errorOf(links.get(id)!.frames, id)?.code, id).toBe('INVALID_ARGUMENT');
      // The connection and the service's slots are whole: a valid offer is answered.
      const link = links.get('binary')!;
      link.send({ type: 'rtc-offer', id: 'valid', sdp: valid });
      await link.next((f) => f['id'] === 'valid' && f['type'] === 'rtc-answer');
    });

    it('answers an SDP past rtcSignalBytes, and ones with as many m= sections as fit, with bounded memory', async () => {
      const link = await signalling();
      const valid = await offerSdp(peers);
      const section = valid.slice(valid.indexOf('m=application'));
      const head = valid.slice(0, valid.indexOf('m=application')).replace(/a=group:BUNDLE[^\r\n]*\r\n/, '');
      link.send({ type: 'rtc-offer', id: 'big', sdp: `${valid}a=x:${'x'.repeat(limits.rtcSignalBytes)}\r\n` });
      expect(errorOf([await link.next((f) => f['id'] === 'big')], 'big')?.code).toBe('RESOURCE_EXHAUSTED');
      // As many application sections as fit in the limit, unbundled (each could be a transport of its own), and audio ones.
      const count = Math.floor((limits.rtcSignalBytes - head.length) / section.length);
      const many = head + Array.from({ length: count }, (_, i) => section.replace(/a=mid:\S+/, `a=mid:${i}`)).join('');
      const audio = head + Array.from({ length: Math.floor((limits.rtcSignalBytes - head.length) / 60) }, (_, i) => `m=audio 9 UDP/TLS/RTP/SAVPF 0\r\nc=IN IP4 0.0.0.0\r\na=mid:a${i}\r\n`).join('');
      const start = await h.stats();
      link.send({ type: 'rtc-offer', id: 'many', sdp: many });
      link.send({ type: 'rtc-offer', id: 'audio', sdp: audio.slice(0, limits.rtcSignalBytes) });
      for (const id of ['many', 'audio']) await link.next((f) => f['id'] === id && (f['type'] === 'error' || f['type'] === 'rtc-answer'));
      const during = await h.stats();
      expect(during.rss - start.rss, 'memory while negotiating').toBeLessThan(128 * MiB);
      await until(() => ['many', 'audio'].every((id) => errorOf(link.frames, id) !== undefined || link.frames.some((f) => f['id'] === id && f['type'] === 'rtc-close')), 'both ended', limits.rtcOpenMs + 10_000);
    });

    it('answers signalling for peer connections that do not exist, and garbage candidates, and ends a peer past rtcCandidates', async () => {
      const link = await signalling();
      link.send({ type: 'rtc-candidate', id: 'nobody', candidate: { candidate: 'candidate:1 1 udp 1 127.0.0.1 9 typ host' } });
      link.send({ type: 'rtc-answer', id: 'nobody-answer', sdp: 'v=0\r\n' });
      link.send({ type: 'rtc-close', id: 'nobody-close' });
      link.send({ type: 'rtc-offer', id: 'x'.repeat(100), sdp: 'v=0\r\n' });
      link.send({ type: 'rtc-offer', id: 7, sdp: 'v=0\r\n' });
      expect(errorOf([await link.next((f) => f['id'] === 'nobody')], 'nobody')?.code).toBe('INVALID_ARGUMENT');
      expect(errorOf([await link.next((f) => f['id'] === 'nobody-answer')], 'nobody-answer')?.code).toBe('INVALID_ARGUMENT');
      await link.next((f) => f['id'] === 'x'.repeat(100));
      await link.next((f) => f['type'] === 'error' && f['id'] === '');

      const sdp = await offerSdp(peers);
      link.send({ type: 'rtc-offer', id: 'p', sdp });
      await link.next((f) => f['id'] === 'p' && f['type'] === 'rtc-answer');
      const garbage: unknown[] = [
        'candidate:1 1 udp 1 127.0.0.1 9 typ host',
        { candidate: 42 },
        { candidate: 'garbage' },
        { candidate: 'candidate:' },
        { candidate: 'candidate:1 1 udp 1 999.999.999.999 99999 typ host' },
        { candidate: 'candidate:1 1 udp 99999999999999999999 127.0.0.1 -1 typ host' },
        { candidate: 'candidate:1 1 tcp 1 127.0.0.1 9 typ host tcptype active' },
        { candidate: 'candidate:1 1 udp 1 hostile-peer.local 9 typ host' },
        { candidate: 'candidate:1 1 udp 1 ::ffff:zz 9 typ host' },
        { candidate: 'candidate:1 1 udp 1 127.0.0.1 9 typ relay raddr 0.0.0.0 rport 0' },
        { candidate: 'candidate:1 1 udp 1 127.0.0.1 9 typ host', sdpMid: 'no-such-mid', sdpMLineIndex: 1e9 },
        { candidate: 'candidate:1 1 udp 1 127.0.0.1 9 typ host', sdpMid: { a: 1 } },
        { candidate: `candidate:1 1 udp 1 127.0.0.1 9 typ host ${'x'.repeat(1000)}` },
      ];
      for (const candidate of garbage) link.send({ type: 'rtc-candidate', id: 'p', candidate });
      // Refused one by one, or taken and dropped by the ICE agent; past rtcCandidates the peer connection ends.
      await until(() => link.frames.some((f) => f['id'] === 'p' && f['type'] === 'rtc-close') || link.frames.filter((f) => f['id'] === 'p' && f['type'] === 'error').length > 0, 'the candidates answered');
      for (let i = 0; i < limits.rtcCandidates + 2; i++) link.send({ type: 'rtc-candidate', id: 'p', candidate: { candidate: `candidate:${i} 1 udp 1 127.0.0.1 ${1000 + i} typ host`, sdpMid: '0', sdpMLineIndex: 0 } });
      await link.next((f) => f['id'] === 'p' && f['type'] === 'rtc-close');
      for (const f of link.frames.filter((f) => f['id'] === 'p' && f['type'] === 'error')) expect((f['error'] as { code: string }).code).toMatch(/^(INVALID_ARGUMENT|RESOURCE_EXHAUSTED)$/);
      expect(link.socket.readyState).toBe(WebSocket.OPEN);
    });

    it('bounds offers by rtcPeersPerConnection and rtcPeers, and frees the slots of offers left alone after rtcOpenMs', async () => {
      const sdp = await offerSdp(peers);
      const perConnection = limits.rtcPeersPerConnection;
      const connections = Math.ceil(limits.rtcPeers / perConnection);
      const links = await Promise.all(Array.from({ length: connections + 1 }, () => signalling()));
      const start = await h.stats();
      for (const [n, link] of links.entries()) for (let i = 0; i <= perConnection; i++) link.send({ type: 'rtc-offer', id: `p${n}-${i}`, sdp });
      const outcome = (link: Signalling, id: string) => link.frames.find((f) => f['id'] === id && (f['type'] === 'rtc-answer' || f['type'] === 'error'));
      const ids = (n: number) => Array.from({ length: perConnection + 1 }, (_, i) => `p${n}-${i}`);
      await until(() => links.every((link, n) => ids(n).every((id) => outcome(link, id) !== undefined)), 'every offer answered or refused', 60_000);
      // Exactly rtcPeers taken (answered, or timed out before werift answered on this busy machine), at most
      // rtcPeersPerConnection on a connection; every other offer refused as exhausted.
      const taken = (link: Signalling, id: string) => outcome(link, id)!['type'] === 'rtc-answer' || errorOf(link.frames, id)?.code === 'DEADLINE_EXCEEDED';
      const accepted = links.map((link, n) => ids(n).filter((id) => taken(link, id)).length);
      expect(accepted.reduce((a, b) => a + b, 0)).toBe(limits.rtcPeers);
      expect(Math.max(...accepted)).toBeLessThanOrEqual(perConnection);
      for (const [n, link] of links.entries()) {
        for (const id of ids(n).filter((id) => !taken(link, id))) expect(errorOf(link.frames, id), id).toMatchObject({ code: 'RESOURCE_EXHAUSTED', detail: expect.stringMatching(/a connection may have|the service has/) });
      }
      const full = await h.stats();
      // Nobody completes them: each ends after rtcOpenMs, and the slots are free again.
      await until(() => links.every((link, n) => ids(n).every((id) => outcome(link, id)!['type'] === 'error' || link.frames.some((f) => f['id'] === id && f['type'] === 'rtc-close'))), 'every offer ended', limits.rtcOpenMs + 30_000);
      const last = links.at(-1)!;
      last.send({ type: 'rtc-offer', id: 'again', sdp });
      await last.next((f) => f['id'] === 'again' && f['type'] === 'rtc-answer');
      expect(full.rss - start.rss, `${limits.rtcPeers} peer connections being negotiated`).toBeLessThan(256 * MiB);
    });

    it('answers garbage on a data channel with error frames, ends it on a frame past frameBytes, and closes channels past the first', async () => {
      const link = await signalling();
      const { peer, channel, received } = await connectedPeer(link, 'dc', (sdp) => sdp.replace(/a=max-message-size:\d+/, 'a=max-message-size:1073741824'));
      const frames = ['not json', '[]', '42', 'null', JSON.stringify({ type: 'rtc-offer', id: 'inner', sdp: 'v=0\r\n' }), JSON.stringify({ type: 'call', id: 'c', operation: '__proto__' }), JSON.stringify({ type: 'subscribe', event: 'constructor' }), JSON.stringify({ type: 'input', id: 'none', data: 1 })];
      for (const frame of frames) channel.send(frame);
      channel.send(Buffer.from([0xff, 0x00, 0x01]));
      await until(() => received.length >= frames.length + 1, 'an answer to every frame');
      for (const frame of received) expect((frame['error'] as { code: string }).code).toBe('INVALID_ARGUMENT');

      // Channels past the protocol's one (any label) are closed by the service.
      const extra = Array.from({ length: 200 }, (_, i) => peer.createDataChannel(i % 2 === 0 ? 'apigen' : `other-${i}`));
      const closed = new Set<number>();
      for (const [i, c] of extra.entries()) c.onclose = () => void closed.add(i);
      await until(() => closed.size === extra.length, 'the extra channels closed', 30_000);
      expect(channel.readyState).toBe('open');

      // Past frameBytes (this peer ignores the advertised max-message-size): the data channel and its peer connection end.
      channel.send('x'.repeat(limits.frameBytes + 1));
      await link.next((f) => f['id'] === 'dc' && f['type'] === 'rtc-close', 30_000);
    });

    it('survives garbage DTLS records, STUN messages and RTP packets from a connected peer', async () => {
      const link = await signalling();
      const { peer } = await connectedPeer(link, 'dtls');
      const ice = (peer as unknown as { sctpTransport: { dtlsTransport: { iceTransport: { connection: { send(data: Buffer): Promise<void> } } } } }).sctpTransport.dtlsTransport.iceTransport.connection;
      const lengths = [1, 5, 13, 14, 25, 61, 100, 300, 1200];
      for (let i = 0; i < 3000; i++) {
        const record = Buffer.from(Array.from({ length: lengths[i % lengths.length]! }, (_, j) => (j * 2654435761 + i * 40503) >>> 24));
        // What the first byte demultiplexes on (RFC 7983): DTLS (20-63) with a version and a length that may lie,
        // STUN (0-3) with the magic cookie, RTP and RTCP (128-191).
        const kind = i % 3;
        if (kind === 0) {
          record[0] = 20 + (i % 44);
          if (record.length > 2) record.writeUInt16BE(i % 2 === 0 ? 0xfefd : 0xfeff, 1);
          if (record.length > 12) record.writeUInt16BE(i % 5 === 0 ? 0xffff : record.length - 13, 11);
        } else if (kind === 1) {
          record[0] = i % 4;
          if (record.length >= 8) record.writeUInt32BE(0x2112a442, 4);
          if (record.length >= 4) record.writeUInt16BE(i % 7 === 0 ? 0xfffc : Math.max(0, record.length - 20) & ~3, 2);
        } else record[0] = 128 + (i % 64);
        await ice.send(record);
      }
      await new Promise((resolve) => setTimeout(resolve, 1000));
      expect(h.alive(), h.log()).toBe(true);
      link.send({ type: 'subscribe', event: 'no-such-event' });
      await link.next((f) => f['type'] === 'error' && f['id'] === '');
    });

    it('ends a peer connection that sends past the SCTP receive window it was given', async () => {
      const link = await signalling();
      const { peer, channel } = await connectedPeer(link, 'window');
      const sctp = (peer as unknown as { sctpTransport: { sctp: { send(stream: number, ppid: number, data: Buffer): Promise<void> } } }).sctpTransport.sctp;
      // This peer ignores the window the service advertises (werift's sender asks peerRwnd before each chunk).
      Object.defineProperty(sctp, 'peerRwnd', { get: () => 1e12 });
      const start = await h.stats();
      void sctp.send(channel.id!, 51, Buffer.alloc(64 * MiB, 0x61)).catch(() => undefined);
      expect(errorOf([await link.next((f) => f['id'] === 'window' && f['type'] === 'error', 60_000)], 'window')).toMatchObject({ code: 'INVALID_ARGUMENT', detail: expect.stringMatching(/receive window/) });
      await link.next((f) => f['id'] === 'window' && f['type'] === 'rtc-close');
      const stats = await h.stats();
      // Held whole, the message took 250 MiB at the peak; cut off, about two windows (2 MiB) are held.
      expect(stats.peakRss - start.rss).toBeLessThan(64 * MiB);
    });

    it('ends only the peer connection that sends a malformed SCTP packet or data channel message', async () => {
      type Sctp = { send(stream: number, ppid: number, data: Buffer): Promise<void>; sendChunk(chunk: { bytes: Buffer }): Promise<void>; transport: { send(packet: Buffer): Promise<void> } };
      const DCEP = 50;
      // werift itself drops these two (the second opens a channel labelled '', which the service closes).
      const tolerated: Record<string, (sctp: Sctp, stream: number) => Promise<void>> = {
        'an OPEN cut short': (sctp, stream) => sctp.send(stream + 102, DCEP, Buffer.from([0x03])),
        'an OPEN whose label runs past its end': (sctp, stream) => sctp.send(stream + 104, DCEP, Buffer.from([0x03, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 0xff, 0xff])),
      };
      const attacks: Record<string, (sctp: Sctp, stream: number) => Promise<void>> = {
        'an ACK for a channel never opened': (sctp, stream) => sctp.send(stream + 100, DCEP, Buffer.from([0x02])),
        'an unknown payload protocol': (sctp, stream) => sctp.send(stream, 99, Buffer.from('{}')),
        'a packet with a wrong checksum': (sctp) => sctp.transport.send(Buffer.alloc(32, 1)),
        'a packet of 5 bytes': (sctp) => sctp.transport.send(Buffer.alloc(5)),
        'an unknown chunk type': (sctp) => sctp.sendChunk({ bytes: Buffer.from([0xee, 0, 0, 4]) }),
        // A COOKIE ACK (no body) whose length field says 0: the parser did not move past it.
        'a chunk of length 0': (sctp) => sctp.sendChunk({ bytes: Buffer.from([11, 0, 0, 0]) }),
        'a chunk longer than its packet': (sctp) => sctp.sendChunk({ bytes: Buffer.from([11, 0, 0x40, 0]) }),
      };
      {
        const link = await signalling();
        const { peer, channel, received } = await connectedPeer(link, 'tolerant');
        const sctp = (peer as unknown as { sctpTransport: { sctp: Sctp } }).sctpTransport.sctp;
        for (const attack of Object.values(tolerated)) await attack(sctp, channel.id!);
        channel.send('42');
        await until(() => received.length > 0, 'an answer on the data channel');
        expect((received[0]!['error'] as { code: string }).code).toBe('INVALID_ARGUMENT');
        link.socket.terminate();
        await peer.close();
      }
      for (const [what, attack] of Object.entries(attacks)) {
        const link = await signalling();
        const { peer, channel, received } = await connectedPeer(link, 'sctp');
        const sctp = (peer as unknown as { sctpTransport: { sctp: Sctp } }).sctpTransport.sctp;
        await attack(sctp, channel.id!);
        const error = await link.next((f) => f['id'] === 'sctp' && f['type'] === 'error');
        expect(errorOf([error], 'sctp')?.code, what).toBe('INVALID_ARGUMENT');
        await link.next((f) => f['id'] === 'sctp' && f['type'] === 'rtc-close');
        expect(h.alive(), `${what}: ${h.log()}`).toBe(true);
        expect(received).toEqual([]);
        // The signalling connection goes on.
        link.send({ type: 'subscribe', event: 'no-such-event' });
        await link.next((f) => f['type'] === 'error' && f['id'] === '');
        link.socket.terminate();
        await peer.close();
      }
    });
  });
}
