// webrtc/: the streaming operations and events over an RTCDataChannel to the
// service, `webrtc/client.ts`, printed for the same contracts as `ws/client.ts`
// (events or streaming operations). The data channel carries exactly the
// WebSocket channel's frames and is negotiated by signalling frames on `/ws`,
// so the server side is the WebSocket server's (`serve<Service>()` with its
// `webrtc` option); the protocol work is in apigen-runtime/webrtc/*.
import { printFrameClientFile, wsOperations } from './http-events.js';
import type { StyleFiles } from './styles.js';
import { runtime } from './symbols.js';

export const webrtcFiles: StyleFiles = (model) => {
  const ops = wsOperations(model);
  if (model.events.length === 0 && ops.length === 0) return [];
  const rt = runtime.webrtcClient;
  return [
    printFrameClientFile(model, ops, {
      path: 'webrtc/client.ts',
      style: 'WebRtc',
      transport: 'WebRTC',
      how: 'one data channel, negotiated over `/ws`, that reconnects by itself',
      client: rt.WebRtcClient,
      options: rt.WebRtcClientOptions,
      eventTypes: [rt.WsEventMeta, rt.WsSubscribeOptions, rt.WsSubscription],
    }),
  ];
};
