// The WebRTC data channel: a peer connection to the service whose one data
// channel (label `apigen`, ordered and reliable) carries exactly the WebSocket
// channel's frames, so its channel's messages are references to the `ws`
// channel's. The peer connection is negotiated by signalling frames of their
// own on the WebSocket connection, with the credential of that connection:
//   client -> service: rtc-offer, rtc-candidate, rtc-close
//   service -> client: rtc-answer, rtc-candidate, rtc-close, error
// each naming the peer connection by the `id` the client chose. AsyncAPI has
// no WebRTC binding; `protocol` is a free string (the specification lists
// common ones "but not limited to"), so the server says `webrtc` and an
// `x-apigen-webrtc` extension names the data channel and where it is
// negotiated.
import type { Model } from '../../contract/model.js';
import { PROBLEM } from '../openapi/problems.js';
import { schemaRef, type Schema } from './schemas.js';
import { cap, type FrameTransport, WS_CHANNEL } from './ws.js';

export const WEBRTC_CHANNEL = 'webrtc';
export const DATA_CHANNEL_LABEL = 'apigen';

/**
 * Its operations end in `Webrtc`; a streaming operation's begins with `call` too, so that none can be named like
 * the subscribe or receive operations (a streaming operation `subscribe`, or `receiveBookPublished`).
 */
export const WEBRTC_TRANSPORT: FrameTransport = {
  channel: WEBRTC_CHANNEL,
  suffix: 'Webrtc',
  streamName: (op) => `call${cap(op.names.ts)}Webrtc`,
  where: 'over the WebRTC data channel',
};

type Message = Record<string, unknown>;

/** A `webrtc` server beside each WebSocket server: the same host, reached by ICE after signalling on its `/ws`. */
export function printWebrtcServers(model: Model, wsServers: Record<string, Record<string, unknown>>): Record<string, Record<string, unknown>> {
  const servers: Record<string, Record<string, unknown>> = {};
  for (const [name, ws] of Object.entries(wsServers)) {
    const server: Record<string, unknown> = {
      host: ws.host,
      protocol: 'webrtc',
      description: `WebRTC data channel \`${DATA_CHANNEL_LABEL}\` to the service, negotiated with \`rtc-*\` frames on the WebSocket endpoint \`${String(ws.pathname)}\` (server \`${name}\`) and authenticated by that connection's credentials; ICE, not \`host\`, gives the peer connection's addresses.`,
      'x-apigen-webrtc': { dataChannel: { label: DATA_CHANNEL_LABEL, ordered: true, reliable: true }, signalling: { server: name, channel: WS_CHANNEL } },
    };
    if (model.auth.default.length > 0) server.security = model.auth.default.map((scheme) => ({ $ref: `#/components/securitySchemes/${scheme}` }));
    servers[name.replace(/^ws/, WEBRTC_CHANNEL)] = server;
  }
  return servers;
}

/** The data channel: every frame of the `ws` channel (not its signalling), by reference. */
export function printWebrtcChannel(frameKeys: string[], servers: string[]): Record<string, unknown> {
  return {
    address: DATA_CHANNEL_LABEL,
    title: 'WebRTC data channel frames',
    description: `The frames of the \`${WS_CHANNEL}\` channel, unchanged, over a WebRTC data channel labelled \`${DATA_CHANNEL_LABEL}\` (ordered, reliable; one per peer connection): the same events and streaming operations. It ends with its peer connection, which ends with the WebSocket connection that negotiated it.`,
    messages: Object.fromEntries(frameKeys.map((key) => [key, { $ref: `#/channels/${WS_CHANNEL}/messages/${key}` }])),
    servers: servers.map((name) => ({ $ref: `#/servers/${name}` })),
  };
}

function frame(type: string, properties: Record<string, Schema>, required: string[]): Schema {
  return { type: 'object', required: ['type', 'id', ...required], properties: { type: { type: 'string', const: type }, id: PEER_ID, ...properties } } as Schema;
}

const PEER_ID = { type: 'string', minLength: 1, maxLength: 64, description: 'The peer connection, named by the client in its `rtc-offer`; the same on every signalling frame of it.' } as Schema;
const SDP = { type: 'string', minLength: 1, description: 'A session description (SDP text) with one data channel (`m=application`).' } as Schema;

const CANDIDATE = {
  description: 'An ICE candidate, as `RTCIceCandidate.toJSON()` gives it; `null` or absent: the sender has no more (the service needs not be told, and never sends it).',
  oneOf: [
    {
      type: 'object',
      required: ['candidate'],
      properties: {
        candidate: { type: 'string', description: 'The candidate line (`candidate:…`).' },
        sdpMid: { type: 'string' },
        sdpMLineIndex: { type: 'integer', minimum: 0 },
        usernameFragment: { type: 'string' },
      },
    },
    { type: 'null' },
  ],
} as Schema;

function message(name: string, title: string, payload: Schema, description?: string): Message {
  return { name, title, contentType: 'application/json', payload, ...(description === undefined ? {} : { description }) };
}

/**
 * The signalling frames on the `ws` channel, by message key. No key ends like a frame's (`Event`, `Call`, `Input`,
 * `Next`, `Result`, `Error`), so none meets an event's or an operation's.
 */
export function printSignallingMessages(): Record<string, Message> {
  return {
    rtcOffer: message('rtcOffer', 'Offer a peer connection', frame('rtc-offer', { sdp: SDP }, ['sdp']), 'The client offers a peer connection with one data channel; the service answers with `rtc-answer`, or `error` with the same `id`.'),
    rtcAnswer: message('rtcAnswer', 'Answer a peer connection', frame('rtc-answer', { sdp: SDP }, ['sdp'])),
    rtcCandidate: message('rtcCandidate', 'An ICE candidate', frame('rtc-candidate', { candidate: CANDIDATE }, []), 'Both sides send their candidates as they find them (trickle ICE).'),
    rtcClose: message('rtcClose', 'End a peer connection', frame('rtc-close', {}, []), 'Either side ends the peer connection and its data channel; its calls are cancelled and its subscriptions dropped.'),
    rtcFailed: message(
      'rtcFailed',
      'Negotiating a peer connection failed',
      frame('error', { error: schemaRef(PROBLEM) }, ['error']),
      'The peer connection is ended, with INVALID_ARGUMENT (a malformed frame, or an offer the service cannot answer), UNAUTHENTICATED, RESOURCE_EXHAUSTED (too many peer connections), DEADLINE_EXCEEDED (the data channel did not open in time), UNAVAILABLE (the service is closing) or UNIMPLEMENTED (the service does not serve WebRTC). The client may offer another.',
    ),
  };
}

/** Negotiating a peer connection on the WebSocket. */
export function printSignallingOperations(): Record<string, Record<string, unknown>> {
  const channel = { $ref: `#/channels/${WS_CHANNEL}` };
  const ref = (key: string) => ({ $ref: `#/channels/${WS_CHANNEL}/messages/${key}` });
  return {
    negotiateWebrtc: {
      action: 'send',
      channel,
      summary: 'Negotiate a WebRTC peer connection whose data channel carries the frames.',
      description: `Offer, then trickle ICE candidates both ways until the data channel \`${DATA_CHANNEL_LABEL}\` opens (the \`${WEBRTC_CHANNEL}\` channel); \`rtc-close\` from either side ends it.`,
      messages: [ref('rtcOffer'), ref('rtcCandidate'), ref('rtcClose')],
      reply: { channel, messages: [ref('rtcAnswer'), ref('rtcCandidate'), ref('rtcClose'), ref('rtcFailed')] },
    },
  };
}
