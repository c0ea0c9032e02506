// The `/ws` channel's frames over WebRTC data channels. A client negotiates a
// peer connection on its `/ws` WebSocket connection (`rtc-offer` ->
// `rtc-answer`, `rtc-candidate` both ways, `rtc-close` either way; each with
// the peer connection's `id`) and opens one data channel labelled `apigen`
// (ordered, reliable), which carries exactly the WebSocket's frames and is
// served by the same session code (ws-server.ts): same dispatcher, same
// subscriptions, same published events. A data channel inherits the
// credential of the connection that negotiated it, and ends with it.
// The Node side is werift (pure TypeScript), loaded when the first offer
// arrives unless the options pass an RTCPeerConnection class.
import type { ContractDescriptor } from './descriptor.js';
import { ApigenError, type Violation } from './errors.js';
import type { Limits } from './limits.js';
import type { JsonValue } from './values.js';
import type { FrameSession, ServedChannel } from './ws-server.js';
import { guardWeriftReceive, WERIFT_RECEIVE_WINDOW } from './werift-guard.js';
import { candidateInit, candidateJson, DATA_CHANNEL_LABEL, type DataChannel, type IceServer, type PeerConnection, type PeerConnectionConstructor } from './webrtc-client.js';

export { DATA_CHANNEL_LABEL, type IceServer, type PeerConnectionConstructor } from './webrtc-client.js';

export interface WebRtcServerOptions {
  /** The RTCPeerConnection class. Default: werift's, imported when the first offer arrives. */
  RTCPeerConnection?: PeerConnectionConstructor;
  /**
   * STUN and TURN servers the service's peer connections use (docs/webrtc.md). Default none: host candidates
   * only, enough where the service's addresses are reachable from its clients.
   */
  iceServers?: IceServer[];
  /**
   * More members of each peer connection's configuration, as the class takes them: with werift, for instance,
   * `icePortRange`, `iceInterfaceAddresses`, `iceAdditionalHostAddresses` or `iceFilterCandidatePair`.
   */
  configuration?: Record<string, unknown>;
}

/** What the signalling needs of one `/ws` connection (WsServer makes it). */
export interface SignallingLink {
  /** Peer connections of this connection, open or being negotiated. */
  peers: number;
  /** Sends a signalling frame on the connection. */
  send(frame: Record<string, JsonValue>): void;
  /** Sends an `error` frame for the peer connection `peer`. */
  fail(peer: string, error: ApigenError): void;
  /** Rejects (with UNAUTHENTICATED) when the connection's credential may not negotiate a peer connection. */
  authorize(): Promise<void>;
  /** Serves the protocol over a data channel, with the connection's credential. */
  openSession(channel: ServedChannel): FrameSession;
}

interface Peer {
  id: string;
  link: SignallingLink;
  connection?: PeerConnection;
  channel?: DataChannel;
  session?: FrameSession;
  /** The peer's signalling frames, handled one after another. */
  work: Promise<void>;
  /** Ends a peer connection whose data channel has not opened in time. */
  timer: ReturnType<typeof setTimeout>;
  /** Candidates the peer signalled. */
  candidates: number;
  ended: boolean;
}

const ID_LENGTH = 64;


let loadedWerift: Promise<PeerConnectionConstructor> | undefined;

/** werift's RTCPeerConnection, imported once, on first use. */
function weriftClass(): Promise<PeerConnectionConstructor> {
  const specifier = 'werift';
  return (loadedWerift ??= import(/* @vite-ignore */ specifier).then(
    (module: { RTCPeerConnection?: PeerConnectionConstructor }) => {
      if (typeof module.RTCPeerConnection !== 'function') throw new Error('werift has no RTCPeerConnection');
      return module.RTCPeerConnection;
    },
    () => {
      loadedWerift = undefined;
      throw new ApigenError('Unimplemented', 'UNIMPLEMENTED', 'WebRTC needs the werift package on the server (npm i werift), or an RTCPeerConnection class in the webrtc option');
    },
  ));
}

/** The peer connections of a WsServer's connections, bounded by the limits. */
export class WebRtcSignalling {
  private readonly peers = new Map<SignallingLink, Map<string, Peer>>();
  private total = 0;
  private closing = false;
  private readonly closings = new Set<Promise<unknown>>();

  constructor(
    readonly contract: ContractDescriptor,
    private readonly limits: Limits,
    private readonly options: WebRtcServerOptions,
    private readonly invalid: (violations: Violation[]) => ApigenError,
  ) {}

  /** A signalling frame (`rtc-offer`, `rtc-candidate`, `rtc-close`) of the connection `link`. */
  receive(link: SignallingLink, frame: Record<string, unknown>): void {
    const id = frame['id'];
    if (typeof id !== 'string' || id === '' || id.length > ID_LENGTH) {
      return link.fail(typeof id === 'string' ? id : '', this.invalid([{ path: 'id', message: `must be a non-empty string of at most ${ID_LENGTH} characters` }]));
    }
    const peer = this.peers.get(link)?.get(id);
    switch (frame['type']) {
      case 'rtc-offer':
        return this.offer(link, id, frame['sdp']);
      case 'rtc-candidate':
        if (!peer) return link.fail(id, this.invalid([{ path: 'id', message: 'no peer connection has this id' }]));
        return this.candidate(peer, frame['candidate']);
      case 'rtc-close':
        if (peer) this.end(peer, false);
        return;
    }
  }

  private offer(link: SignallingLink, id: string, sdp: unknown): void {
    // Only the version line is checked here; werift parses the rest.
    if (typeof sdp !== 'string' || !sdp.startsWith('v=0')) return link.fail(id, this.invalid([{ path: 'sdp', message: 'must be a session description (SDP text)' }]));
    if (byteLength(sdp) > this.limits.rtcSignalBytes) return link.fail(id, exhausted(`an SDP may have ${this.limits.rtcSignalBytes} bytes`));
    let ofLink = this.peers.get(link);
    if (ofLink?.has(id)) return link.fail(id, this.invalid([{ path: 'id', message: 'a peer connection with this id exists' }]));
    if (this.closing) return link.fail(id, new ApigenError('Unavailable', 'UNAVAILABLE', 'the service is closing'));
    if ((ofLink?.size ?? 0) >= this.limits.rtcPeersPerConnection) return link.fail(id, exhausted(`a connection may have ${this.limits.rtcPeersPerConnection} peer connections`));
    if (this.total >= this.limits.rtcPeers) return link.fail(id, exhausted(`the service has ${this.limits.rtcPeers} peer connections`));
    if (!ofLink) this.peers.set(link, (ofLink = new Map()));
    const peer: Peer = {
      id,
      link,
      work: Promise.resolve(),
      ended: false,
      candidates: 0,
      timer: setTimeout(() => {
        link.fail(id, new ApigenError('Cancelled', 'DEADLINE_EXCEEDED', `the data channel did not open within ${this.limits.rtcOpenMs} ms`));
        this.end(peer, true);
      }, this.limits.rtcOpenMs),
    };
    peer.timer.unref?.();
    ofLink.set(id, peer);
    link.peers++;
    this.total++;
    this.run(peer, async () => {
      await link.authorize();
      // werift answers an offer without one (`v=0` alone), and the peer connection it makes can never open.
      if (!/^m=application /m.test(sdp)) throw this.invalid([{ path: 'sdp', message: 'must offer a data channel (an m=application section)' }]);
      const PeerClass = (this.options.RTCPeerConnection ?? (await weriftClass())) as unknown as new (configuration: object) => PeerConnection;
      if (peer.ended) return;
      const connection = new PeerClass({
        iceServers: this.options.iceServers ?? [],
        // werift advertises it in the answer, so a peer sends frames up to the frame limit in one message.
        maxMessageSize: Math.min(this.limits.frameBytes, WERIFT_RECEIVE_WINDOW),
        ...this.options.configuration,
      });
      peer.connection = connection;
      guardWeriftReceive(connection, (error) => this.refuse(peer, this.invalid([{ path: '', message: `the peer broke the data channel protocol (${messageOf(error)})` }])));
      // Candidates follow the answer, as the client's follow its offer.
      let unsent: JsonValue[] | undefined = [];
      connection.onicecandidate = ({ candidate }) => {
        if (!candidate || peer.ended) return;
        if (unsent) unsent.push(candidateJson(candidate));
        else link.send({ type: 'rtc-candidate', id, candidate: candidateJson(candidate) });
      };
      connection.ondatachannel = ({ channel }) => this.attach(peer, channel);
      connection.onconnectionstatechange = () => {
        if (connection.connectionState === 'failed' || connection.connectionState === 'closed') this.end(peer, true);
      };
      try {
        await connection.setRemoteDescription({ type: 'offer', sdp });
      } catch (error) {
        throw this.invalid([{ path: 'sdp', message: `not an offer this service can answer (${messageOf(error)})` }]);
      }
      const answer = await connection.setLocalDescription(await connection.createAnswer()).then(() => connection.localDescription);
      if (peer.ended || !answer) return;
      link.send({ type: 'rtc-answer', id, sdp: answer.sdp });
      for (const candidate of unsent) link.send({ type: 'rtc-candidate', id, candidate });
      unsent = undefined;
    });
  }

  private candidate(peer: Peer, candidate: unknown): void {
    // `null` (or no member): the end of the peer's candidates, which the ICE agent needs not be told.
    if (candidate === null || candidate === undefined) return;
    const init = candidateInit(candidate);
    if (!init) return this.refuse(peer, this.invalid([{ path: 'candidate', message: 'must be an ICE candidate: { candidate, sdpMid?, sdpMLineIndex? }' }]));
    if (byteLength(init.candidate) > this.limits.rtcSignalBytes) return this.refuse(peer, exhausted(`a candidate may have ${this.limits.rtcSignalBytes} bytes`));
    if (init.candidate === '') return;
    if (++peer.candidates > this.limits.rtcCandidates) return this.refuse(peer, exhausted(`a peer connection may signal ${this.limits.rtcCandidates} candidates`));
    this.run(peer, async () => {
      try {
        await peer.connection?.addIceCandidate(init);
      } catch (error) {
        throw this.invalid([{ path: 'candidate', message: `not a candidate of this peer connection (${messageOf(error)})` }]);
      }
    });
  }

  /** Runs `step` after the peer's earlier frames; a failure ends the peer connection with an error frame. */
  private run(peer: Peer, step: () => Promise<void>): void {
    peer.work = peer.work.then(async () => {
      if (peer.ended) return;
      try {
        await step();
      } catch (error) {
        this.refuse(peer, error instanceof ApigenError ? error : new ApigenError('Internal', 'INTERNAL', `the peer connection failed: ${messageOf(error)}`));
      }
    });
  }

  private refuse(peer: Peer, error: ApigenError): void {
    if (peer.ended) return;
    peer.link.fail(peer.id, error);
    this.end(peer, true);
  }

  private attach(peer: Peer, channel: DataChannel): void {
    // One data channel per peer connection, and only the protocol's.
    if (peer.ended || peer.channel || channel.label !== DATA_CHANNEL_LABEL) {
      channel.close();
      return;
    }
    peer.channel = channel;
    const served: ServedChannel = {
      get open() {
        return channel.readyState === 'open';
      },
      get bufferedAmount() {
        return channel.bufferedAmount;
      },
      send: (text) => {
        try {
          channel.send(text);
        } catch {
          // A frame past the peer's max-message-size: the session cannot go on without it.
          this.end(peer, true);
        }
      },
      // A data channel has no close codes; the peer connection ends with its channel.
      close: () => this.end(peer, true),
      terminate: () => this.end(peer, true),
    };
    const session = peer.link.openSession(served);
    peer.session = session;
    const opened = () => clearTimeout(peer.timer);
    if (channel.readyState === 'open') opened();
    channel.onopen = opened;
    channel.onmessage = ({ data }) => {
      if (typeof data !== 'string') return session.receive(undefined);
      // As the WebSocket's 1009: a frame past the limit ends the channel.
      if (byteLength(data) > this.limits.frameBytes) return this.end(peer, true);
      session.receive(data);
    };
    channel.onclose = () => this.end(peer, true);
  }

  /** Ends a peer connection: its calls are cancelled, its subscriptions dropped; `tell` sends `rtc-close`. */
  private end(peer: Peer, tell: boolean): void {
    if (peer.ended) return;
    peer.ended = true;
    clearTimeout(peer.timer);
    const ofLink = this.peers.get(peer.link);
    if (ofLink?.get(peer.id) === peer) {
      ofLink.delete(peer.id);
      if (ofLink.size === 0) this.peers.delete(peer.link);
      peer.link.peers--;
      this.total--;
    }
    peer.session?.closed();
    if (tell) peer.link.send({ type: 'rtc-close', id: peer.id });
    try {
      peer.channel?.close();
    } catch {
      // already closed
    }
    const connection = peer.connection;
    if (connection) {
      const closing = Promise.resolve()
        .then(() => connection.close())
        .catch(() => undefined);
      this.closings.add(closing);
      void closing.finally(() => this.closings.delete(closing));
    }
  }

  /** The `/ws` connection ended: so do the peer connections it negotiated. */
  linkClosed(link: SignallingLink): void {
    for (const peer of [...(this.peers.get(link)?.values() ?? [])]) this.end(peer, false);
  }

  /** Ends every peer connection and waits until they are closed; later offers are refused. */
  async close(): Promise<void> {
    this.closing = true;
    for (const ofLink of [...this.peers.values()]) for (const peer of [...ofLink.values()]) this.end(peer, false);
    await Promise.allSettled([...this.closings]);
  }
}

function exhausted(message: string): ApigenError {
  return new ApigenError('ResourceExhausted', 'RESOURCE_EXHAUSTED', message);
}

function byteLength(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
