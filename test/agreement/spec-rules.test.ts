// Issue 11, spec completeness: the rules a peer in another language needs are
// in the generated documents, stated so that following them gives exactly what
// the runtime does: the webhook signature (OpenAPI), the broker key encoding
// (AsyncAPI), and datetime time zones (WSDL, checked by xmllint).
import { spawnSync } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeAddressKey } from 'apigen-runtime/mqtt';
import { signWebhook } from 'apigen-runtime/webhooks/sender';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { loadContractSource } from '../../src/contract/index.js';
import { extractSchema } from '../support/wsdl-schema.js';
import { emitSpecs } from './spec-validators.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const source = [
  'apigen: 1',
  'service: { name: Shop, version: 1.0.0, package: shop.v1 }',
  'types:',
  '  Order: { fields: { id: string, at: datetime } }',
  'operations:',
  '  place: { input: { order: Order }, output: Order }',
  'events:',
  '  placed: { payload: Order, key: id }',
  '',
].join('\n');

async function specs() {
  const result = loadContractSource({ file: '/virtual/shop.yaml', source, lockSource: null });
  expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return emitSpecs(result.model!);
}

describe('rules a peer reads from the specs', () => {
  it('OpenAPI: a receiver following the signature header descriptions computes what the sender signs', async () => {
    const doc = parse((await specs()).openapi) as Json;
    const [signature, timestamp] = doc.webhooks.placed.post.parameters as [Json, Json];
    expect(signature.description).toContain('`sha256=` followed by the lower-case hexadecimal HMAC-SHA256 of the bytes `<timestamp>.<raw body>`');
    expect(timestamp.description).toContain('Unix milliseconds');
    const body = '{"id":"a/b","at":"2024-02-29T12:00:00.000Z"}';
    const ts = String(Date.UTC(2024, 1, 29));
    // As the description says: sha256= + lower-case hex of HMAC-SHA256(secret, "<timestamp>.<raw body>").
    const fromDocument = `sha256=${createHmac('sha256', 'shared secret').update(`${ts}.${body}`).digest('hex')}`;
    expect(signWebhook('shared secret', ts, body)).toBe(fromDocument);
    expect(new RegExp(signature.schema.pattern).test(fromDocument)).toBe(true);
    expect(new RegExp(timestamp.schema.pattern).test(ts)).toBe(true);
  });

  it('AsyncAPI: the key parameter states the percent-encoding the runtime applies, character by character', async () => {
    const doc = parse((await specs()).asyncapi) as Json;
    const mqtt = doc.channels.placedMqtt.parameters.key.description as string;
    const amqp = doc.channels.placedAmqp.parameters.key.description as string;
    for (const text of [mqtt, amqp]) expect(text).toContain('each of `%`, `/`, `+`, `#`, `.`, `*` and the control characters U+0000-U+001F and U+007F-U+009F');
    // Every character the description names is encoded as %XX (upper-case hex); every other character stays.
    const named = ['%', '/', '+', '#', '.', '*', ...Array.from({ length: 0x20 }, (_, i) => String.fromCharCode(i)), ...Array.from({ length: 0x21 }, (_, i) => String.fromCharCode(0x7f + i))];
    for (const c of named) expect(encodeAddressKey(c), JSON.stringify(c)).toBe(`%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
    for (const c of ['a', 'Z', '0', '-', '_', '~', ' ', 'é', '👩‍💻', ':', '$', '{']) expect(encodeAddressKey(c), c).toBe(c);
  });

  it('WSDL: a datetime without a time zone is refused by the schema, as the server refuses it', async () => {
    const { wsdl } = await specs();
    const dir = mkdtempSync(join(tmpdir(), 'apigen-datetime-'));
    try {
      writeFileSync(join(dir, 'schema.xsd'), extractSchema(wsdl.content));
      const check = (at: string) => {
        writeFileSync(join(dir, 'doc.xml'), `<Place xmlns="urn:shop:v1"><order><id>1</id><at>${at}</at></order></Place>`);
        return spawnSync('xmllint', ['--noout', '--schema', join(dir, 'schema.xsd'), join(dir, 'doc.xml')], { encoding: 'utf8' }).status;
      };
      for (const ok of ['2024-02-29T12:00:00Z', '2024-02-29T12:00:00.123+05:30', '2024-02-29T12:00:00-08:00']) expect(check(ok), ok).toBe(0);
      for (const bad of ['2024-02-29T12:00:00', '2024-02-29T12:00:00.123']) expect(check(bad), bad).not.toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
