// The webhook signature the OpenAPI document declares: `X-Apigen-Timestamp`
// is the signing time in Unix milliseconds (strictly increasing per receiver,
// so no two deliveries to one receiver share a signature), and `X-Apigen-Signature` is
// `sha256=<hex HMAC-SHA256 of "<timestamp>.<raw body>" keyed with the shared
// secret>`. Signing the timestamp with the body lets receivers reject old and
// replayed deliveries.
import { createHmac, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_HEADER = 'X-Apigen-Signature';
export const TIMESTAMP_HEADER = 'X-Apigen-Timestamp';
/** The published event's id: the same on every attempt, so a receiver handles an event delivered twice once. */
export const EVENT_ID_HEADER = 'X-Apigen-Event-Id';

export function signWebhook(secret: string, timestamp: string, body: string | Uint8Array): string {
  const hmac = createHmac('sha256', secret);
  hmac.update(`${timestamp}.`);
  hmac.update(body);
  return `sha256=${hmac.digest('hex')}`;
}

/** Compares in constant time (for equal lengths; the length of a valid signature is public). */
export function signatureMatches(secret: string, timestamp: string, body: Uint8Array, signature: string): boolean {
  const expected = Buffer.from(signWebhook(secret, timestamp, body), 'utf8');
  const given = Buffer.from(signature, 'utf8');
  return expected.length === given.length && timingSafeEqual(expected, given);
}
