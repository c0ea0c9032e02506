// Reading a request body within a byte limit, for the HTTP servers (REST,
// GraphQL over HTTP, SOAP, webhooks), keeping no more than the limit.
import type { IncomingMessage } from 'node:http';

/** The body's bytes; undefined once it grows past `limit` (the rest is left unread). */
export function readBodyWithin(req: IncomingMessage, limit: number): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) return void chunks.push(chunk);
      chunks.length = 0;
      cleanup();
      // The rest is discarded while the answer goes out (closing a socket with unread data resets it, and the
      // caller would lose the answer); a sender that keeps going past four times the limit more is cut off.
      discardBody(req, 4 * limit);
      resolve(undefined);
    };
    const onEnd = () => {
      cleanup();
      resolve(Buffer.concat(chunks));
    };
    const onError = (error: Error) => {
      cleanup();
      reject(error);
    };
    const cleanup = () => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
    };
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
  });
}

/**
 * Reads and drops a body that is answered without being read (refused
 * credentials, a foreign media type), so that the caller gets the answer
 * rather than a reset; past `limit` bytes the connection is cut.
 */
export function discardBody(req: IncomingMessage, limit: number): void {
  let discarded = 0;
  req.on('data', (chunk: Buffer) => {
    discarded += chunk.length;
    if (discarded > limit) req.socket.destroy();
  });
  req.resume();
}
