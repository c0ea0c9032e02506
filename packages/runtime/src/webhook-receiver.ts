// The receiving end of the webhooks: a node:http handler at
// `<basePath>/<event webhook name>` that checks the signature (in constant
// time), rejects stale timestamps and replayed deliveries, decodes and checks
// the payload against the contract, and calls the event's handler. It answers
// 204 only after the handler resolved (so a failing handler gets the event
// again), 401 for forged or stale deliveries, 409 for replays, 400 for
// payloads that break the contract.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ContractDescriptor } from './descriptor.js';
import { decodeEventPayload } from './http-events.js';
import { derivedSizes, type Limits } from './limits.js';
import { readBodyWithin } from './http-body.js';
import { EVENT_ID_HEADER, signatureMatches, SIGNATURE_HEADER, TIMESTAMP_HEADER } from './webhook-signature.js';

export interface WebhookMeta {
  /** The signing time. */
  timestamp: Date;
  /** The published event's id (header `X-Apigen-Event-Id`), the same on every delivery attempt. */
  id?: string;
}

export type WebhookHandler = (payload: unknown, meta: WebhookMeta) => void | Promise<void>;

export interface WebhookReceiverOptions {
  /** The shared secret; several during a rotation (any one may sign). */
  secret: string | string[];
  /** Default `/webhooks`. */
  basePath?: string;
  /** How far the timestamp (Unix milliseconds) may be from now. Default 300 s. */
  toleranceSeconds?: number;
  /** Signatures remembered to reject replays, and event ids remembered to handle a redelivered event once. Default 10000. */
  maxSeen?: number;
  /** Largest body accepted (413 past it). Default: derived from the largest event payload the contract allows, 16 MiB where unbounded. */
  maxBodyBytes?: number;
  /** Only `bodyBytes` applies (maxBodyBytes wins). */
  limits?: Partial<Limits>;
  now?: () => Date;
  /** Rejected deliveries and failing handlers, for logging. */
  onError?: (error: Error) => void;
}

export function createWebhookReceiver(
  contract: ContractDescriptor,
  handlers: Record<string, WebhookHandler | undefined>,
  options: WebhookReceiverOptions,
): { handle(request: IncomingMessage, response: ServerResponse): boolean; listener(request: IncomingMessage, response: ServerResponse): void } {
  const secrets = Array.isArray(options.secret) ? options.secret : [options.secret];
  const base = (options.basePath ?? '/webhooks').replace(/\/+$/, '');
  const seen = new Map<string, number>();
  const tolerance = options.toleranceSeconds ?? 300;
  const report = (message: string) => options.onError?.(new Error(message));

  // An event delivered again (a retry whose answer was lost, another instance of a cluster taking over) is
  // acknowledged without calling the handler twice.
  const handledIds = new Set<string>();
  const rememberId = (id: string): boolean => {
    if (handledIds.has(id)) return false;
    handledIds.add(id);
    while (handledIds.size > (options.maxSeen ?? 10_000)) handledIds.delete(handledIds.values().next().value as string);
    return true;
  };

  const remember = (signature: string, timestamp: number): boolean => {
    if (seen.has(signature)) return false;
    seen.set(signature, timestamp);
    // Bounded: the oldest entries go first; entries past the tolerance could not be replayed anyway.
    while (seen.size > (options.maxSeen ?? 10_000)) seen.delete(seen.keys().next().value as string);
    return true;
  };

  async function receive(eventName: string, request: IncomingMessage, response: ServerResponse): Promise<void> {
    const event = contract.events.find((e) => e.webhook === eventName);
    if (!event) return answer(response, 404, 'no such webhook');
    if (request.method !== 'POST') return answer(response, 405, 'webhooks are POSTed');
    const limit = options.maxBodyBytes ?? options.limits?.bodyBytes ?? derivedSizes(contract).outputBytes;
    if (Number(request.headers['content-length'] ?? 0) > limit) {
      answer(response, 413, 'the body is too large', true);
      return;
    }
    const body = await readBody(request, limit);
    if (body === undefined) return answer(response, 413, 'the body is too large');
    const signature = header(request, SIGNATURE_HEADER);
    const timestampText = header(request, TIMESTAMP_HEADER);
    if (signature === undefined || timestampText === undefined || !/^[0-9]{1,15}$/.test(timestampText)) {
      report(`${event.name}: missing signature headers`);
      return answer(response, 401, 'missing or malformed signature headers');
    }
    if (!secrets.some((secret) => signatureMatches(secret, timestampText, body, signature))) {
      report(`${event.name}: forged delivery (bad signature)`);
      return answer(response, 401, 'the signature does not match');
    }
    const timestamp = Number(timestampText);
    const now = (options.now?.() ?? new Date()).getTime();
    if (Math.abs(now - timestamp) > tolerance * 1000) {
      report(`${event.name}: stale delivery (timestamp ${timestampText})`);
      return answer(response, 401, 'the timestamp is too old or in the future');
    }
    if (!remember(signature, timestamp)) {
      report(`${event.name}: replayed delivery`);
      return answer(response, 409, 'this delivery was received already');
    }
    let json: unknown;
    try {
      json = JSON.parse(Buffer.from(body).toString('utf8'));
    } catch {
      seen.delete(signature);
      return answer(response, 400, 'the body is not JSON');
    }
    const decoded = decodeEventPayload(contract, event, json);
    if ('violations' in decoded) {
      seen.delete(signature);
      const detail = decoded.violations.map((v) => (v.path === '' ? v.message : `${v.path}: ${v.message}`)).join('; ');
      report(`${event.name}: invalid payload: ${detail}`);
      return answer(response, 400, `invalid payload: ${detail}`);
    }
    const handler = handlers[event.name];
    const id = header(request, EVENT_ID_HEADER);
    if (id !== undefined && !rememberId(id)) return void response.writeHead(204).end();
    try {
      await handler?.(decoded.value, id === undefined ? { timestamp: new Date(timestamp) } : { timestamp: new Date(timestamp), id });
    } catch (error) {
      // The sender retries with a fresh signature.
      if (id !== undefined) handledIds.delete(id);
      report(`${event.name}: the handler failed: ${String(error)}`);
      return answer(response, 500, 'the handler failed');
    }
    response.writeHead(204).end();
  }

  const handle = (request: IncomingMessage, response: ServerResponse): boolean => {
    const path = new URL(request.url ?? '/', 'http://localhost').pathname;
    if (!path.startsWith(`${base}/`)) return false;
    let name: string;
    try {
      name = decodeURIComponent(path.slice(base.length + 1));
    } catch {
      answer(response, 400, 'the path is not valid percent-encoding');
      request.resume();
      return true;
    }
    receive(name, request, response).catch((error: unknown) => {
      report(`webhook: ${String(error)}`);
      if (!response.headersSent) answer(response, 500, 'internal error');
    });
    return true;
  };
  return {
    handle,
    listener: (request, response) => {
      if (!handle(request, response)) answer(response, 404, 'no such webhook');
    },
  };
}

function header(request: IncomingMessage, name: string): string | undefined {
  const value = request.headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}

async function readBody(request: IncomingMessage, limit: number): Promise<Uint8Array | undefined> {
  const bytes = await readBodyWithin(request, limit);
  return bytes === undefined ? undefined : new Uint8Array(bytes);
}

function answer(response: ServerResponse, status: number, detail: string, close = false): void {
  if (response.headersSent) return void response.end();
  // An unread body is not drained: the connection closes after the answer.
  response.writeHead(status, { 'content-type': 'application/problem+json', ...(close ? { connection: 'close' } : {}) });
  response.end(JSON.stringify({ title: detail, status, detail }));
}
