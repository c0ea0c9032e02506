// The comparison's judgement in the cases the checkers cannot see: the event
// transports, direction (sent or received), encodings per style, renames, and
// acceptances. Each case is a small contract and one edit of it.
import { describe, expect, it } from 'vitest';
import { loadContractSource } from '../../src/contract/index.js';
import type { Model } from '../../src/contract/model.js';
import { applyAcceptances } from '../../src/diff/accept.js';
import { compareModels, type Change } from '../../src/diff/compare.js';

const BASE = `apigen: 1
service: { name: Shop, version: 1.0.0, package: acme.shop.v1 }
types:
  Item:
    fields:
      id: uuid
      name: string
      count: int32
  Receipt:
    fields:
      total: decimal
      note: string?
  Kind:
    enum: [BOOK, TOY]
  Thing:
    union: [Item, Receipt]
operations:
  addItem:
    input: { item: Item }
    output: Receipt
  findThing:
    kind: query
    input: { text: string }
    output: Thing
  kindOf:
    kind: query
    input: { kind: Kind }
    output: Kind
events:
  itemAdded:
    payload: Receipt
`;

function load(text: string, lock: string | null): { model: Model; lock: string } {
  const loaded = loadContractSource({ file: '/virtual/shop.yaml', source: text, lockSource: lock });
  if (!loaded.model) throw new Error(loaded.diagnostics.map((d) => d.message).join('\n'));
  return { model: loaded.model, lock: loaded.lock!.content };
}

/** Two versions as a user has them: the new one loaded with the lock the old one wrote. */
function versions(before: string, after: string): [Model, Model] {
  const old = load(before, null);
  return [old.model, load(after, old.lock).model];
}

function compare(before: string, after: string): Change[] {
  return compareModels(...versions(before, after));
}

function changes(edit: (t: string) => string): Change[] {
  return compare(BASE, edit(BASE));
}

function only(edit: (t: string) => string): Change {
  const found = changes(edit).filter((c) => c.code !== 'description-changed');
  expect(found.map((c) => c.message)).toHaveLength(1);
  return found[0]!;
}

describe('apigen diff judges', () => {
  it('an unchanged contract: no change at all', () => {
    expect(changes((t) => t)).toEqual([]);
  });

  it('a required field by direction: breaking for senders (Item is an input), safe to receive except strict XML', () => {
    const sent = only((t) => t.replace('      count: int32\n', '      count: int32\n      sku: string\n'));
    expect(sent.code).toBe('field-added-required');
    expect(sent.severities.rest).toBe('breaking');
    const received = only((t) => t.replace('      note: string?\n', '      note: string?\n      paidAt: datetime\n'));
    expect(received.severities.rest).toBe('safe');
    expect(received.severities.soap).toBe('dangerous');
    expect(received.severities.mqtt).toBe('safe'); // Receipt is also the event payload
  });

  it('a field removed from what clients receive is breaking everywhere that sees it, and only there', () => {
    const c = only((t) => t.replace('      total: decimal\n', ''));
    expect(c).toMatchObject({ code: 'field-removed', at: 'types.Receipt.fields.total', message: 'type Receipt: field total removed', severity: 'breaking' });
    expect(Object.keys(c.severities).sort()).toEqual(['amqp', 'graphql', 'grpc-json', 'grpc-wire', 'kafka', 'mqtt', 'rest', 'soap', 'typescript', 'ws'].sort());
  });

  it('event keys per transport: MQTT topics and AMQP routing keys change shape, Kafka repartitions, GraphQL gains an optional filter', () => {
    const c = only((t) => t.replace('    payload: Receipt\n', '    payload: Receipt\n    key: total\n'));
    expect(c.code).toBe('event-key-added');
    expect(c.severities).toMatchObject({ mqtt: 'breaking', amqp: 'breaking', kafka: 'dangerous', graphql: 'safe', ws: 'safe', typescript: 'safe' });
    expect(c.severities.soap).toBeUndefined();
  });

  it('a scalar change by encoding: uuid -> string sent is wider JSON but another GraphQL scalar', () => {
    const c = only((t) => t.replace('      id: uuid\n', '      id: string\n'));
    expect(c.code).toBe('field-type-changed');
    // Item is sent (addItem) and received (findThing): wider is safe to send but not to receive.
    expect(c.severities.graphql).toBe('breaking');
    expect(c.severities['grpc-wire']).toBe('dangerous'); // the same proto string, values no longer checked
    expect(c.severities.rest).toBe('breaking'); // OpenAPI clients check the format of what they receive
  });

  it('float32 -> float64 is no change in GraphQL (Float both times) and is judged only elsewhere', () => {
    const widened = compare(BASE.replace('      count: int32\n', '      count: float32\n'), BASE.replace('      count: int32\n', '      count: float64\n'));
    expect(widened).toHaveLength(1);
    expect(widened[0]!.severities.graphql).toBeUndefined();
    expect(widened[0]!.severities['grpc-wire']).toBe('breaking'); // float (fixed32) -> double (fixed64)
  });

  it('an enum value added: safe for what is sent, dangerous for what is received', () => {
    const c = only((t) => t.replace('[BOOK, TOY]', '[BOOK, TOY, GAME]'));
    expect(c.code).toBe('enum-value-added');
    expect(c.severity).toBe('dangerous');
  });

  it('a renamed type is one change (not a removal and an addition), with the union tag and oneof number it carries', () => {
    const found = changes((t) => t.replace(/\bReceipt\b/g, 'Bill'));
    // The lock numbers oneof members by member type, so the renamed member gets a new number too.
    expect(found.map((c) => c.code).sort()).toEqual(['type-renamed', 'union-member-number-changed', 'union-member-tag-changed']);
    expect(found.find((c) => c.code === 'union-member-number-changed')!.severities['grpc-wire']).toBe('breaking');
    expect(found.find((c) => c.code === 'type-renamed')!.severities.rest).toBe('safe');
    expect(found.find((c) => c.code === 'union-member-tag-changed')!.severities.rest).toBe('breaking');
  });

  it('a renamed operation keeps its REST route when the route is explicit', () => {
    const withRoute = BASE.replace('    output: Receipt\n', '    output: Receipt\n    http: POST /items\n');
    const c = compare(withRoute, withRoute.replace('  addItem:', '  putItem:'));
    expect(c.map((x) => x.code)).toEqual(['operation-renamed']);
    expect(c[0]!.severities.rest).toBeUndefined();
    expect(c[0]!.severities.graphql).toBe('breaking');
  });

  it('auth: requiring credentials breaks every caller; dropping them is safe', () => {
    const secured = (t: string): string => t.replace('types:', 'auth:\n  schemes: { bearer: { type: bearer } }\ntypes:');
    const required = compare(secured(BASE), secured(BASE).replace('auth:\n  schemes: { bearer: { type: bearer } }', 'auth:\n  schemes: { bearer: { type: bearer } }\n  default: [bearer]'));
    const perOperation = required.filter((c) => c.code === 'auth-required');
    expect(perOperation.map((c) => c.at)).toEqual(['operations.addItem.auth', 'operations.findThing.auth', 'operations.kindOf.auth', 'auth.default']);
    expect(perOperation[0]!.severities.rest).toBe('breaking');
  });
});

describe('acceptances', () => {
  const found = changes((t) => t.replace('      total: decimal\n', '').replace('  kindOf:', '  kindFor:'));

  it('accept the changes at a path or below it, optionally of one code, and name the ones that match nothing', () => {
    const { changes: judged, unused } = applyAcceptances(found, [
      { at: 'types.Receipt', from: 'test' },
      { at: 'operations.kindOf', change: 'operation-removed', from: 'test' },
      { at: 'operations.kindOf', change: 'operation-renamed', reason: 'unreleased', from: 'test' },
      { at: 'types.Receip', from: 'test' },
    ]);
    expect(judged.filter((c) => c.accepted).map((c) => c.code).sort()).toEqual(['field-removed', 'operation-renamed']);
    expect(unused.map((u) => `${u.at}/${u.change ?? '*'}`)).toEqual(['operations.kindOf/operation-removed', 'types.Receip/*']);
  });
});
