// A client of the `/ws` channel's frames over a WebRTC data channel: it
// connects to the service's `/ws` endpoint with its credentials, negotiates a
// peer connection there (`rtc-offer`, `rtc-answer`, `rtc-candidate`,
// `rtc-close`; docs/webrtc.md) and then runs the same protocol as WsClient
// over the data channel `apigen`: subscriptions that resume after a reconnect,
// streaming calls that fail when the peer connection goes away. Browser-safe:
// the platform's RTCPeerConnection, or on Node the one passed in the options
// or werift's, imported only when the platform has none.
import type { ContractDescriptor } from './descriptor.js';
import { createError, type ErrorClass } from './errors.js';
import { errorOfProblem } from './http-events.js';
import { isPlainObject } from './json.js';
import { derivedSizes } from './limits.js';
import type { JsonValue } from './values.js';
import { guardWeriftReceive } from './werift-guard.js';
import { FrameClient, openServiceSocket, webSocketClass, type FrameChannel, type WebSocketConstructor, type WsClientOptions } from './ws-client.js';

export type { WsEventMeta, WsSubscribeOptions, WsSubscription } from './ws-client.js';

/** The label of the data channel that carries the frames. */
export const DATA_CHANNEL_LABEL = 'apigen';

/** A STUN or TURN server, as RTCPeerConnection takes it (the DOM's RTCIceServer). */
export interface IceServer {
  urls: string | string[];
  username?: string;
  credential?: string;
}

/**
 * An RTCPeerConnection class: the platform's, or werift's on Node. Typed
 * loosely so that both fit; only the standard members are used.
 */
export type PeerConnectionConstructor = abstract new (configuration: never) => object;

export interface WebRtcClientOptions extends WsClientOptions {
  /** The RTCPeerConnection class. Default: the platform's; on Node (which has none) werift's, imported on first use. */
  RTCPeerConnection?: PeerConnectionConstructor;
  /** STUN and TURN servers (docs/webrtc.md). Default none: host candidates only. */
  iceServers?: IceServer[];
  /** More members of the peer connection's configuration, as the class takes them (werift: `iceAdditionalHostAddresses`, ...). */
  configuration?: Record<string, unknown>;
  /** How long the data channel may take to open before the attempt is given up and retried. Default 30 s. */
  openTimeoutMs?: number;
}

/** The standard members of RTCPeerConnection used here and by the server. */
export interface PeerConnection {
  onicecandidate: ((event: { candidate?: IceCandidate | null }) => void) | null;
  ondatachannel: ((event: { channel: DataChannel }) => void) | null;
  onconnectionstatechange: (() => void) | null;
  readonly connectionState: string;
  readonly localDescription: { sdp: string } | null;
  createDataChannel(label: string, options: { ordered: boolean }): DataChannel;
  createOffer(): Promise<{ type: string; sdp?: string }>;
  createAnswer(): Promise<{ type: string; sdp?: string }>;
  setLocalDescription(description: { type: string; sdp?: string }): Promise<unknown>;
  setRemoteDescription(description: { type: 'offer' | 'answer'; sdp: string }): Promise<unknown>;
  addIceCandidate(candidate: IceCandidateInit): Promise<unknown>;
  close(): unknown;
}

export interface IceCandidate {
  candidate: string;
  sdpMid?: string | null;
  sdpMLineIndex?: number | null;
  toJSON?(): object;
}

export interface IceCandidateInit {
  candidate: string;
  sdpMid?: string;
  sdpMLineIndex?: number;
  usernameFragment?: string;
}

/** The standard members of RTCDataChannel used here and by the server. */
export interface DataChannel {
  readonly label: string;
  readonly readyState: string;
  readonly bufferedAmount: number;
  onopen: (() => void) | null | undefined;
  onmessage: ((event: { data: unknown }) => void) | null | undefined;
  onclose: (() => void) | null | undefined;
  send(data: string): void;
  close(): void;
}

let loadedWerift: Promise<PeerConnectionConstructor> | undefined;

/**
 * The RTCPeerConnection class to use: the one given, the platform's, or
 * werift's. The specifier is not a literal, so bundlers building for the
 * browser neither follow nor include it.
 */
export function peerConnectionClass(given?: PeerConnectionConstructor): Promise<PeerConnectionConstructor> {
  if (given) return Promise.resolve(given);
  const platform = (globalThis as { RTCPeerConnection?: PeerConnectionConstructor }).RTCPeerConnection;
  if (typeof platform === 'function') return Promise.resolve(platform);
  const specifier = 'werift';
  return (loadedWerift ??= import(/* @vite-ignore */ /* webpackIgnore: true */ specifier).then(
    (module: { RTCPeerConnection?: PeerConnectionConstructor }) => {
      if (typeof module.RTCPeerConnection !== 'function') throw new Error('werift has no RTCPeerConnection');
      return module.RTCPeerConnection;
    },
    () => {
      loadedWerift = undefined;
      throw new Error('this platform has no RTCPeerConnection: install the `werift` package or pass one as the `RTCPeerConnection` option');
    },
  ));
}

/** A candidate as a signalling frame carries it (RTCIceCandidateInit). */
export function candidateJson(candidate: IceCandidate): JsonValue {
  const init = (candidate.toJSON?.() ?? candidate) as IceCandidate;
  const json: Record<string, JsonValue> = { candidate: init.candidate };
  if (typeof init.sdpMid === 'string') json['sdpMid'] = init.sdpMid;
  if (typeof init.sdpMLineIndex === 'number') json['sdpMLineIndex'] = init.sdpMLineIndex;
  return json;
}

/** A signalling frame's `candidate` member as RTCIceCandidateInit, or undefined when it is not one. */
export function candidateInit(value: unknown): IceCandidateInit | undefined {
  if (!isPlainObject(value)) return undefined;
  const { candidate, sdpMid, sdpMLineIndex, usernameFragment } = value;
  if (typeof candidate !== 'string') return undefined;
  if (sdpMid !== undefined && sdpMid !== null && typeof sdpMid !== 'string') return undefined;
  if (sdpMLineIndex !== undefined && sdpMLineIndex !== null && !(Number.isInteger(sdpMLineIndex) && (sdpMLineIndex as number) >= 0)) return undefined;
  if (usernameFragment !== undefined && usernameFragment !== null && typeof usernameFragment !== 'string') return undefined;
  const init: IceCandidateInit = { candidate };
  if (typeof sdpMid === 'string') init.sdpMid = sdpMid;
  if (typeof sdpMLineIndex === 'number') init.sdpMLineIndex = sdpMLineIndex;
  if (typeof usernameFragment === 'string') init.usernameFragment = usernameFragment;
  return init;
}

/** WebSocket.OPEN, the same in every implementation. */
const OPEN = 1;

/**
 * The `/ws` channel's client over a WebRTC data channel, with WsClient's
 * methods (`subscribe`, `events`, `call`, `ready`, `close`). Each connection
 * is a `/ws` WebSocket plus the peer connection negotiated on it; losing
 * either ends both, fails the calls running and, unless closed, connects
 * again after a delay, resubscribing where the events left off.
 */
export class WebRtcClient extends FrameClient {
  private peers = 0;

  constructor(contract: ContractDescriptor, errorClasses: Record<string, ErrorClass>, protected override readonly options: WebRtcClientOptions) {
    super(contract, errorClasses, options);
    this.connect();
  }

  protected withOptions(options: WsClientOptions): FrameClient {
    return new WebRtcClient(this.contract, this.errorClasses, { ...this.options, ...options });
  }

  protected connect(): void {
    if (this.closed) return;
    Promise.all([webSocketClass(this.options.WebSocket, this.options.headers !== undefined), peerConnectionClass(this.options.RTCPeerConnection)]).then(
      ([WebSocketClass, PeerClass]) => this.open(WebSocketClass, PeerClass as unknown as new (configuration: object) => PeerConnection),
      (error: Error) => this.shutdown(createError(this.errorClasses['Internal']!, error.message, {})),
    );
  }

  private open(WebSocketClass: WebSocketConstructor, PeerClass: new (configuration: object) => PeerConnection): void {
    if (this.closed) return;
    const id = `p${(this.peers++).toString(36)}`;
    let peer: PeerConnection | undefined;
    let dataChannel: DataChannel | undefined;
    let ended = false;
    /** The service's candidates wait for its answer: a browser takes none before the remote description. */
    let early: IceCandidateInit[] | undefined = [];
    let remote: Promise<unknown> = Promise.resolve();
    const channel: FrameChannel = {
      get open() {
        return !ended && dataChannel?.readyState === 'open';
      },
      send: (text) => dataChannel?.send(text),
      close: () => end('the client was closed'),
    };
    this.channel = channel;
    const socket = openServiceSocket(WebSocketClass, this.contract, this.options, (status) => {
      this.report(new Error(`the WebSocket upgrade was refused with HTTP ${status}`));
      if (status === 401) this.shutdown(createError(this.errorClasses['Unauthenticated']!, 'the credentials were not accepted', {}));
    });
    const signal = (frame: Record<string, JsonValue>) => {
      if (socket.readyState === OPEN) socket.send(JSON.stringify(frame));
    };
    const openTimeoutMs = this.options.openTimeoutMs ?? 30_000;
    const timer = setTimeout(() => end(`the data channel did not open within ${openTimeoutMs} ms`), openTimeoutMs);
    const end = (reason: string) => {
      if (ended) return;
      ended = true;
      clearTimeout(timer);
      signal({ type: 'rtc-close', id });
      try {
        dataChannel?.close();
      } catch {
        // already closed
      }
      const closing = peer?.close();
      if (closing instanceof Promise) closing.catch(() => undefined);
      socket.close();
      this.channelClosed(channel, reason);
    };
    socket.addEventListener('open', () => {
      void (async () => {
        const connection = new PeerClass({
          iceServers: this.options.iceServers ?? [],
          // werift advertises it (its default is 64 KiB): the largest output or event the contract allows.
          maxMessageSize: derivedSizes(this.contract).outputBytes,
          ...this.options.configuration,
        });
        peer = connection;
        // A service that breaks the SCTP or data channel protocol must not end the caller's process (werift throws
        // on it where nothing awaits): the connection ends instead, as a lost one does.
        guardWeriftReceive(connection, (error) => {
          if (ended) return;
          this.report(new Error(`the service broke the data channel protocol (${error instanceof Error ? error.message : String(error)})`));
          end('the service broke the data channel protocol');
        });
        const data = connection.createDataChannel(DATA_CHANNEL_LABEL, { ordered: true });
        dataChannel = data;
        data.onopen = () => {
          clearTimeout(timer);
          this.channelOpened(channel);
        };
        data.onmessage = ({ data: message }) => this.channelFrame(channel, typeof message === 'string' ? message : undefined);
        data.onclose = () => end('the data channel was closed');
        // Candidates follow the offer: the service knows no peer connection before it.
        let unsent: JsonValue[] | undefined = [];
        connection.onicecandidate = ({ candidate }) => {
          if (!candidate) return;
          if (unsent) unsent.push(candidateJson(candidate));
          else signal({ type: 'rtc-candidate', id, candidate: candidateJson(candidate) });
        };
        connection.onconnectionstatechange = () => {
          if (connection.connectionState === 'failed' || connection.connectionState === 'closed') end(`the peer connection ${connection.connectionState === 'failed' ? 'failed' : 'was closed'}`);
        };
        await connection.setLocalDescription(await connection.createOffer());
        const offer = connection.localDescription;
        if (!offer) throw new Error('the peer connection made no offer');
        signal({ type: 'rtc-offer', id, sdp: offer.sdp });
        for (const candidate of unsent) signal({ type: 'rtc-candidate', id, candidate });
        unsent = undefined;
      })().catch((error: unknown) => {
        // A client closed while it was negotiating has nothing to report.
        if (ended) return;
        this.report(error instanceof Error ? error : new Error(String(error)));
        end('the peer connection could not be set up');
      });
    });
    socket.addEventListener('message', (message: MessageEvent) => {
      if (ended || typeof message.data !== 'string') return;
      let frame: unknown;
      try {
        frame = JSON.parse(message.data);
      } catch {
        return this.report(new Error('the service sent a frame that is not JSON'));
      }
      if (!isPlainObject(frame)) return;
      if (frame['id'] !== id) {
        if (frame['type'] === 'error') this.report(errorOfProblem(this.contract, this.errorClasses, frame['error']));
        return;
      }
      switch (frame['type']) {
        case 'rtc-answer': {
          const sdp = frame['sdp'];
          if (typeof sdp !== 'string' || !peer) return end('the service sent an answer without an SDP');
          const connection = peer;
          remote = remote
            .then(() => connection.setRemoteDescription({ type: 'answer', sdp }))
            .then(async () => {
              const waiting = early ?? [];
              early = undefined;
              for (const candidate of waiting) await connection.addIceCandidate(candidate);
            })
            .catch((error: unknown) => {
              this.report(error instanceof Error ? error : new Error(String(error)));
              end('the service sent an answer the peer connection could not take');
            });
          return;
        }
        case 'rtc-candidate': {
          const candidate = candidateInit(frame['candidate']);
          if (!candidate || candidate.candidate === '' || !peer) return;
          if (early) early.push(candidate);
          else {
            const connection = peer;
            remote = remote.then(() => connection.addIceCandidate(candidate)).catch((error: unknown) => this.report(error instanceof Error ? error : new Error(String(error))));
          }
          return;
        }
        case 'rtc-close':
          return end('the service closed the peer connection');
        case 'error': {
          const problem = frame['error'];
          const error = errorOfProblem(this.contract, this.errorClasses, problem);
          const code = isPlainObject(problem) ? problem['code'] : undefined;
          // Neither a refused credential nor a service without WebRTC changes by trying again.
          if (code === 'UNAUTHENTICATED' || code === 'UNIMPLEMENTED') this.shutdown(error);
          else this.report(error);
          return end(`the service refused the peer connection: ${error.message}`);
        }
      }
    });
    socket.addEventListener('error', () => this.report(new Error(`the WebSocket connection to ${this.options.url} failed`)));
    socket.addEventListener('close', () => end('the signalling connection was lost'));
  }
}
