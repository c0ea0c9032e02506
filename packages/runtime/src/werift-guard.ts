// Guards a werift peer connection against what a hostile far end sends over
// its SCTP association. Plain JavaScript without Node's Buffer: the WebRTC
// client, which browsers load too, takes it as well as the service.

/**
 * werift reassembles each data channel message whole inside its 1 MiB SCTP receive window: a larger one
 * stalls the data channel for good. Advertised as the `max-message-size` (no larger than `frameBytes`), it
 * makes a client refuse such a frame itself instead of waiting forever.
 */
export const WERIFT_RECEIVE_WINDOW = 1024 * 1024;

type Handler = (...args: unknown[]) => unknown;

/**
 * werift handles what a peer sends over its SCTP association in async functions whose promises nothing
 * awaits, and throws there on what it does not expect: one crafted packet (a wrong checksum, fewer than 12
 * bytes, an unknown chunk type) or data channel message (an ACK for a channel never opened, an OPEN cut
 * short, an unknown payload type) was an unhandled rejection, which ends a Node process; and a chunk whose
 * length field is 0 made its packet parser loop forever, adding chunks until the heap was gone. The
 * handlers of each association this connection creates are wrapped before any data arrives (werift calls
 * them by name), so that such a packet or message ends this peer connection only. Classes other than
 * werift's (a browser's RTCPeerConnection) are left as they are. The service and the Node client both take it:
 * either end of a data channel may be the hostile one.
 */
export function guardWeriftReceive(connection: object, fail: (error: unknown) => void): void {
  const manager = (connection as unknown as { sctpManager?: { createSctpTransport?: Handler } }).sctpManager;
  const create = manager?.createSctpTransport;
  if (!manager || typeof create !== 'function') return;
  manager.createSctpTransport = (...args: unknown[]) => {
    const transport = create.apply(manager, args) as { datachannelReceive?: Handler; setDtlsTransport?: Handler; sctp?: { handleData?: Handler; advertisedRwnd?: number } };
    const receive = transport.datachannelReceive;
    if (typeof receive === 'function') transport.datachannelReceive = guarded(transport, receive, fail);
    // Each DTLS transport set makes a new association: its packet handler is wrapped as it is made.
    const setDtls = transport.setDtlsTransport;
    if (typeof setDtls === 'function') {
      transport.setDtlsTransport = (...dtls: unknown[]) => {
        const result = setDtls.apply(transport, dtls);
        const sctp = transport.sctp;
        const handle = sctp?.handleData;
        if (sctp && typeof handle === 'function' && !guardedHandlers.has(handle)) {
          const checked = guarded(sctp, handle, fail);
          sctp.handleData = (packet: unknown) => {
            if (packet instanceof Uint8Array && !chunksWellFormed(packet)) return fail(new Error('an SCTP chunk is shorter than its header or longer than its packet'));
            const handled = checked(packet);
            // werift takes every chunk, whatever window it advertised, and keeps an unfinished message's
            // fragments: a peer that ignores the window made it hold a 64 MiB message whole (250 MiB at the
            // peak), and one that never finishes its message, all it sends. A peer more than a window past
            // the window is cut off.
            if ((sctp.advertisedRwnd ?? 0) < -WERIFT_RECEIVE_WINDOW) fail(new Error('it sent past the receive window'));
            return handled;
          };
          guardedHandlers.add(sctp.handleData);
        }
        return result;
      };
    }
    return transport;
  };
}

const guardedHandlers = new WeakSet<Handler>();

/** `handler` on `target`, its exceptions and rejections handed to `fail`. */
function guarded(target: object, handler: Handler, fail: (error: unknown) => void): Handler {
  return (...args: unknown[]) => {
    try {
      return Promise.resolve(handler.apply(target, args)).catch(fail);
    } catch (error) {
      fail(error);
      return undefined;
    }
  };
}

/** Whether every chunk of an SCTP packet (RFC 9260 section 3) has at least its 4-byte header and ends within the packet. */
function chunksWellFormed(packet: Uint8Array): boolean {
  for (let at = 12; at + 4 <= packet.length; ) {
    const length = (packet[at + 2]! << 8) | packet[at + 3]!;
    if (length < 4 || at + length > packet.length) return false;
    at += length + ((4 - (length % 4)) % 4);
  }
  return true;
}
