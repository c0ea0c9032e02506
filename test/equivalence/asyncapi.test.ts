// Equivalence of asyncapi.yaml and the model: read the document back with
// @asyncapi/parser and check, for every contract, that each event is a channel
// and a receive operation on every transport at the model's address, that
// each streaming operation is on the WebSocket channel, that payloads,
// inputs and every reached type have the model's fields with an equivalent
// shape, and that nothing else is there. Expectations are written here
// independently of the emitter.
import { readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Parser } from '@asyncapi/parser';
import { describe, expect, it } from 'vitest';
import { loadContract } from '../../src/contract/index.js';
import { findType, type Field, type Model, type TypeRef } from '../../src/contract/model.js';
import { asyncapiEmitter } from '../../src/emit/asyncapi/index.js';

const CONTRACTS_DIR = resolve(import.meta.dirname, '../../contracts');
const contracts = readdirSync(CONTRACTS_DIR).filter((f) => f.endsWith('.yaml')).sort();

type Json = Record<string, any>;

const JSON_TYPE: Record<string, string | undefined> = {
  string: 'string', boolean: 'boolean', int32: 'integer', int64: 'string', float32: 'number', float64: 'number',
  decimal: 'string', bytes: 'string', date: 'string', datetime: 'string', uuid: 'string', json: undefined,
};

const BROKERS = [['Mqtt', 'mqttTopic'], ['Amqp', 'amqpRoutingKey'], ['Kafka', 'kafkaTopic']] as const;
const cap = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** A dereferenced schema: `allOf` parts merged (union variants), which is all the emitter composes. */
function flatten(schema: Json): Json {
  if (!schema.allOf) return schema;
  const merged: Json = { ...schema, properties: {}, required: [] };
  for (const part of schema.allOf.map(flatten)) {
    Object.assign(merged.properties, part.properties ?? {});
    merged.required.push(...(part.required ?? []));
  }
  return merged;
}

function expectShape(model: Model, type: TypeRef, schema: Json, where: string, depth: number): void {
  switch (type.kind) {
    case 'scalar': {
      const expected = JSON_TYPE[type.scalar];
      if (expected === undefined) expect(schema.type, where).toBeUndefined();
      else expect(schema.type, where).toBe(expected);
      return;
    }
    case 'list':
      expect(schema.type, where).toBe('array');
      expectShape(model, type.element, schema.items, `${where}[]`, depth);
      return;
    case 'map':
      expect(schema.type, where).toBe('object');
      expectShape(model, type.value, schema.additionalProperties, `${where}{}`, depth);
      return;
    case 'enum': {
      const t = findType(model, type.name);
      if (t.kind !== 'enum') throw new Error('not an enum');
      expect(schema.enum, where).toEqual(t.values.map((v) => v.names.json));
      return;
    }
    case 'union': {
      const t = findType(model, type.name);
      if (t.kind !== 'union') throw new Error('not a union');
      expect(schema.oneOf?.length, where).toBe(t.members.length);
      expect(schema.discriminator, where).toBe(t.discriminator);
      t.members.forEach((m, i) => {
        const variant = flatten(schema.oneOf[i]);
        expect(variant.properties[t.discriminator].const, `${where} member ${m.type}`).toBe(m.tag);
      });
      return;
    }
    case 'object': {
      const t = findType(model, type.name);
      if (t.kind !== 'object') throw new Error('not an object');
      if (depth > 0) expectFields(model, t.fields, schema, `${where}:${t.name}`, depth - 1);
      return;
    }
  }
}

function expectFields(model: Model, fields: Field[], schema: Json, where: string, depth: number): void {
  const flat = flatten(schema);
  expect(Object.keys(flat.properties ?? {}), `${where} properties`).toEqual(fields.map((f) => f.names.json));
  const required = fields.filter((f) => !f.optional && !f.hasDefault).map((f) => f.names.json);
  expect([...(flat.required ?? [])].sort(), `${where} required`).toEqual([...required].sort());
  for (const f of fields) expectShape(model, f.type, flat.properties[f.names.json], `${where}.${f.name}`, depth);
}

describe.each(contracts)('%s', (contract) => {
  it('describes every event and streaming operation of the model, and nothing else', async () => {
    const model = (await loadContract(join(CONTRACTS_DIR, contract))).model!;
    const [file] = await asyncapiEmitter.emit(model, { warn: () => {}, options: {} });
    const { document } = await new Parser().parse(file!.content);
    const doc = document!.json() as Json;
    const streams = model.operations.filter((op) => op.stream !== 'unary');
    expect(streams.every((op) => op.styles.includes('asyncapi'))).toBe(true);

    const channels = [
      ...(model.events.length + streams.length > 0 ? ['ws', 'webrtc'] : []),
      ...model.events.flatMap((e) => BROKERS.map(([t]) => `${e.names.ts}${t}`)),
    ];
    expect(Object.keys(doc.channels ?? {}).sort()).toEqual(channels.sort());
    const operations = [
      ...(model.events.length > 0 ? ['subscribeWs'] : []),
      // The round trip (ping, pong) on either channel.
      ...(model.events.length + streams.length > 0 ? ['pingWs', 'pingWebrtc'] : []),
      ...model.events.map((e) => `receive${cap(e.names.ts)}Ws`),
      ...streams.map((op) => op.names.ts),
      // The same over the WebRTC data channel, and its negotiation on the WebSocket.
      ...(model.events.length + streams.length > 0 ? ['negotiateWebrtc'] : []),
      ...(model.events.length > 0 ? ['subscribeWebrtc'] : []),
      ...model.events.map((e) => `receive${cap(e.names.ts)}Webrtc`),
      ...streams.map((op) => `call${cap(op.names.ts)}Webrtc`),
      ...model.events.flatMap((e) => BROKERS.map(([t]) => `receive${cap(e.names.ts)}${t}`)),
    ];
    expect(Object.keys(doc.operations ?? {}).sort()).toEqual(operations.sort());
    if (doc.channels.webrtc) {
      // The data channel's messages are the WebSocket's frames themselves, without the signalling.
      const frames = Object.entries(doc.channels.ws.messages).filter(([, m]) => !String((m as Json).payload.properties.type.const).startsWith('rtc-') && (m as Json).name !== 'rtcFailed');
      expect(doc.channels.webrtc.messages).toEqual(Object.fromEntries(frames));
    }

    for (const event of model.events) {
      const fields = event.payload.kind === 'inline' ? event.payload.fields : (findType(model, event.payload.type) as { fields: Field[] }).fields;
      for (const [t, address] of BROKERS) {
        const channel = doc.channels[`${event.names.ts}${t}`];
        expect(channel.address, `${event.name} ${t}`).toBe(event.addresses[address]);
        const messages = Object.values(channel.messages) as Json[];
        expect(messages).toHaveLength(1);
        expectFields(model, fields, messages[0]!.payload, `${event.name} ${t}`, 2);
        expect(doc.operations[`receive${cap(event.names.ts)}${t}`].action).toBe('receive');
      }
      const frame = doc.channels.ws.messages[`${event.names.ts}Event`];
      expectFields(model, fields, frame.payload.properties.data, `${event.name} ws`, 2);
    }
    for (const op of streams) {
      expect(doc.operations[op.names.ts].action).toBe('send');
      const call = doc.channels.ws.messages[`${op.names.ts}Call`].payload;
      if (op.input.kind === 'fields') expectFields(model, op.input.fields.filter((f) => !f.readOnly), call.properties.input, `${op.name} input`, 2);
      if (op.input.kind === 'stream') expectShape(model, op.input.element, doc.channels.ws.messages[`${op.names.ts}Input`].payload.properties.data, `${op.name} input`, 2);
      if (op.output.kind === 'stream') expectShape(model, op.output.element, doc.channels.ws.messages[`${op.names.ts}Next`].payload.properties.data, `${op.name} output`, 2);
      if (op.output.kind === 'value') expectShape(model, op.output.type, doc.channels.ws.messages[`${op.names.ts}Result`].payload.properties.data, `${op.name} output`, 2);
      const errors = doc.channels.ws.messages[`${op.names.ts}Error`].payload.properties.error.oneOf.map((s: Json) => flatten(s).properties.error.const);
      expect(errors, `${op.name} errors`).toEqual([...op.errors, 'InvalidArgument', 'Internal', ...(op.auth.length > 0 ? ['Unauthenticated'] : []), 'Cancelled']);
    }
  });
});
