import { describe, expect, it } from 'vitest';
import type { SourcePos } from '../../src/contract/model.js';
import {
  assignWireNumbers,
  lockPathFor,
  parseLock,
  printLock,
  type EnumShape,
  type MessageShape,
  type WireLock,
} from '../../src/contract/wire.js';
import { messageFor } from '../../src/diagnostics/table.js';

const pos = (line: number): SourcePos => ({ file: 'c.yaml', line, col: 7 });

function message(key: string, ...fields: (string | [string, number])[]): MessageShape {
  return {
    key,
    fields: fields.map((f, i) => (typeof f === 'string' ? { name: f, pos: pos(i + 1) } : { name: f[0], tag: f[1], pos: pos(i + 1) })),
  };
}

function enumShape(key: string, ...values: string[]): EnumShape {
  return { key, values: values.map((name, i) => ({ name, pos: pos(i + 1) })) };
}

function numbers(map: Map<string, Map<string, number>>, key: string): Record<string, number> {
  return Object.fromEntries(map.get(key) ?? []);
}

/** Runs one generation after another, each starting from the lock the previous one produced. */
function history(...runs: { messages?: MessageShape[]; enums?: EnumShape[] }[]) {
  let lock: WireLock | undefined;
  let last;
  for (const run of runs) {
    last = assignWireNumbers(lock, run.messages ?? [], run.enums ?? []);
    expect(last.problems).toEqual([]);
    // Through the file, as in real use.
    const reread = parseLock(printLock(last.lock, 'c.yaml'), 'c.apigen.lock');
    expect(reread.problem).toBeUndefined();
    lock = reread.lock;
  }
  return last!;
}

describe('assignWireNumbers', () => {
  it('numbers fields from 1 in declaration order the first time', () => {
    const r = assignWireNumbers(undefined, [message('type:Book', 'id', 'title', 'price')], []);
    expect(r.problems).toEqual([]);
    expect(numbers(r.fieldNumbers, 'type:Book')).toEqual({ id: 1, title: 2, price: 3 });
    expect(r.lock.messages['type:Book']).toEqual({ fields: { id: 1, title: 2, price: 3 }, reserved: {} });
    expect(r.reserved.get('type:Book')).toEqual([]);
  });

  it('keeps every number when a field is inserted in the middle or fields are reordered', () => {
    const r = history(
      { messages: [message('type:Book', 'id', 'title', 'price')] },
      { messages: [message('type:Book', 'price', 'id', 'isbn', 'title')] },
    );
    expect(numbers(r.fieldNumbers, 'type:Book')).toEqual({ price: 3, id: 1, isbn: 4, title: 2 });
  });

  it('reserves the number of a removed field and never reuses it', () => {
    const r = history(
      { messages: [message('type:Book', 'id', 'title', 'price')] },
      { messages: [message('type:Book', 'id', 'price')] },
      { messages: [message('type:Book', 'id', 'price', 'pages')] },
    );
    expect(numbers(r.fieldNumbers, 'type:Book')).toEqual({ id: 1, price: 3, pages: 4 });
    expect(r.reserved.get('type:Book')).toEqual([{ name: 'title', number: 2 }]);
    expect(r.lock.messages['type:Book']?.reserved).toEqual({ title: 2 });
  });

  it('gives a field that comes back its old number', () => {
    const r = history(
      { messages: [message('type:Book', 'id', 'title', 'price')] },
      { messages: [message('type:Book', 'id')] },
      { messages: [message('type:Book', 'id', 'pages', 'price')] },
    );
    expect(numbers(r.fieldNumbers, 'type:Book')).toEqual({ id: 1, pages: 4, price: 3 });
    expect(r.reserved.get('type:Book')).toEqual([{ name: 'title', number: 2 }]);
  });

  it('uses tags, and numbers new fields above every tag', () => {
    const r = assignWireNumbers(undefined, [message('type:Book', 'id', ['title', 10], 'price')], []);
    expect(r.problems).toEqual([]);
    expect(numbers(r.fieldNumbers, 'type:Book')).toEqual({ id: 11, title: 10, price: 12 });
  });

  it('accepts a tag equal to the locked number', () => {
    const r = history({ messages: [message('type:Book', 'id', 'title')] }, { messages: [message('type:Book', 'id', ['title', 2])] });
    expect(numbers(r.fieldNumbers, 'type:Book')).toEqual({ id: 1, title: 2 });
  });

  it('skips the implementation-reserved range when counting up', () => {
    const r = assignWireNumbers(undefined, [message('type:Big', ['a', 18999], 'b')], []);
    expect(r.problems).toEqual([]);
    expect(numbers(r.fieldNumbers, 'type:Big')).toEqual({ a: 18999, b: 20000 });
  });

  it.each([0, -1, 19000, 19999, 536870912, 1.5])('rejects tag %s as out of range', (tag) => {
    const r = assignWireNumbers(undefined, [message('type:Book', 'id', ['title', tag])], []);
    expect(r.problems).toEqual([
      { code: 'tag-out-of-range', pos: pos(2), args: expect.objectContaining({ tag: String(tag), field: 'title', message: 'type "Book"' }) },
    ]);
    // The model stays complete: the field still gets a number.
    expect(numbers(r.fieldNumbers, 'type:Book')).toEqual({ id: 1, title: 2 });
  });

  it('rejects a tag that would renumber a field', () => {
    const first = assignWireNumbers(undefined, [message('type:Book', 'id', 'title')], []);
    const r = assignWireNumbers(first.lock, [message('type:Book', 'id', ['title', 7])], []);
    expect(r.problems).toEqual([{ code: 'tag-renumbers', pos: pos(2), args: expect.objectContaining({ tag: '7', locked: '2', field: 'title' }) }]);
    expect(numbers(r.fieldNumbers, 'type:Book')).toEqual({ id: 1, title: 2 });
    expect(messageFor(r.problems[0]!.code, r.problems[0]!.args)).toBe(
      'tag 7 of field "title" in type "Book" would renumber it: it has been emitted as 2, and numbers never change (remove the tag or set it to 2)',
    );
  });

  it('rejects a tag that another field already has, locked or tagged', () => {
    const first = assignWireNumbers(undefined, [message('type:Book', 'id', 'title')], []);
    const locked = assignWireNumbers(first.lock, [message('type:Book', ['isbn', 1], 'id', 'title')], []);
    expect(locked.problems).toEqual([{ code: 'tag-duplicate', pos: pos(1), args: expect.objectContaining({ tag: '1', field: 'isbn', other: 'id' }) }]);
    const tagged = assignWireNumbers(undefined, [message('type:Book', ['a', 5], ['b', 5])], []);
    expect(tagged.problems).toEqual([{ code: 'tag-duplicate', pos: pos(2), args: expect.objectContaining({ field: 'b', other: 'a' }) }]);
    expect(numbers(tagged.fieldNumbers, 'type:Book')).toEqual({ a: 5, b: 6 });
  });

  it('rejects a tag that is a removed field\'s reserved number', () => {
    const first = assignWireNumbers(undefined, [message('type:Book', 'id', 'title')], []);
    const r = assignWireNumbers(first.lock, [message('type:Book', 'id', ['subtitle', 2])], []);
    expect(r.problems).toEqual([{ code: 'tag-reserved', pos: pos(2), args: expect.objectContaining({ tag: '2', field: 'subtitle', other: 'title' }) }]);
    expect(numbers(r.fieldNumbers, 'type:Book')).toEqual({ id: 1, subtitle: 3 });
    expect(r.lock.messages['type:Book']?.reserved).toEqual({ title: 2 });
  });

  it('numbers enum values from 1 and keeps them like fields', () => {
    const r = history(
      { enums: [enumShape('enum:BookStatus', 'DRAFT', 'PUBLISHED', 'ARCHIVED')] },
      { enums: [enumShape('enum:BookStatus', 'DRAFT', 'REVIEW', 'ARCHIVED')] },
      { enums: [enumShape('enum:BookStatus', 'PUBLISHED', 'DRAFT', 'REVIEW', 'ARCHIVED', 'GONE')] },
    );
    expect(numbers(r.enumNumbers, 'enum:BookStatus')).toEqual({ PUBLISHED: 2, DRAFT: 1, REVIEW: 4, ARCHIVED: 3, GONE: 5 });
    expect(r.reserved.get('enum:BookStatus')).toEqual([]);

    const removed = history(
      { enums: [enumShape('enum:BookStatus', 'DRAFT', 'PUBLISHED', 'ARCHIVED')] },
      { enums: [enumShape('enum:BookStatus', 'DRAFT', 'ARCHIVED', 'REVIEW')] },
    );
    expect(numbers(removed.enumNumbers, 'enum:BookStatus')).toEqual({ DRAFT: 1, ARCHIVED: 3, REVIEW: 4 });
    expect(removed.reserved.get('enum:BookStatus')).toEqual([{ name: 'PUBLISHED', number: 2 }]);
  });

  it('drops keys that are no longer in the contract and keeps messages apart', () => {
    const first = assignWireNumbers(undefined, [message('type:Book', 'id'), message('input:getBook', 'id', 'view')], [enumShape('enum:Old', 'A')]);
    const r = assignWireNumbers(first.lock, [message('input:getBook', 'view', 'id')], []);
    expect(Object.keys(r.lock.messages)).toEqual(['input:getBook']);
    expect(r.lock.enums).toEqual({});
    expect(numbers(r.fieldNumbers, 'input:getBook')).toEqual({ view: 2, id: 1 });
  });

  it('treats names like __proto__ as plain keys', () => {
    const r = assignWireNumbers(undefined, [message('type:X', '__proto__', 'constructor')], []);
    expect(numbers(r.fieldNumbers, 'type:X')).toEqual(JSON.parse('{"__proto__": 1, "constructor": 2}'));
    expect(Object.getPrototypeOf(r.lock.messages['type:X']?.fields)).toBe(Object.prototype);
    const again = assignWireNumbers(parseLock(printLock(r.lock, 'x.yaml'), 'x.apigen.lock').lock, [message('type:X', 'constructor', '__proto__')], []);
    expect(again.lock.messages['type:X']?.fields).toEqual(r.lock.messages['type:X']?.fields);
  });
});

describe('lock file', () => {
  it('lives beside the contract', () => {
    expect(lockPathFor('bookstore.yaml')).toBe('bookstore.apigen.lock');
    expect(lockPathFor('contracts/bookstore.yaml')).toBe('contracts/bookstore.apigen.lock');
    expect(lockPathFor('/abs/dir/shop.yml')).toBe('/abs/dir/shop.apigen.lock');
  });

  const lock: WireLock = {
    messages: {
      'type:Book': { fields: { title: 2, id: 1, price: 4 }, reserved: { subtitle: 3 } },
      'input:getBook': { fields: { id: 1 }, reserved: {} },
    },
    enums: { 'enum:BookStatus': { values: { DRAFT: 1, PUBLISHED: 2 }, reserved: {} } },
  };

  it('prints deterministically with sorted keys and a header', () => {
    expect(printLock(lock, 'bookstore.yaml')).toBe(
      [
        "# apigen wire-number lock for bookstore.yaml: the protobuf field and enum numbers already emitted.",
        '# Commit it with the contract. Do not edit it by hand: apigen keeps it, and numbers never change.',
        'apigen-lock: 1',
        'enums:',
        '  enum:BookStatus:',
        '    values:',
        '      DRAFT: 1',
        '      PUBLISHED: 2',
        'messages:',
        '  input:getBook:',
        '    fields:',
        '      id: 1',
        '  type:Book:',
        '    fields:',
        '      id: 1',
        '      price: 4',
        '      title: 2',
        '    reserved:',
        '      subtitle: 3',
        '',
      ].join('\n'),
    );
  });

  it('round-trips', () => {
    const parsed = parseLock(printLock(lock, 'bookstore.yaml'), 'bookstore.apigen.lock');
    expect(parsed).toEqual({ lock });
    const empty: WireLock = { messages: {}, enums: {} };
    expect(parseLock(printLock(empty, 'x.yaml'), 'x.apigen.lock')).toEqual({ lock: empty });
  });

  it.each([
    ['', 1, 1, /empty/],
    ['apigen-lock: 1\nmessages: [\n', 3, 1, /YAML syntax error/],
    ['- 1\n', 1, 1, /must be a mapping/],
    ['apigen-lock: 2\n', 1, 14, /"apigen-lock" must be 1/],
    ['messages: {}\n', 1, 1, /missing "apigen-lock: 1"/],
    ['apigen-lock: 1\nfields: {}\n', 2, 1, /unknown key "fields"/],
    ['apigen-lock: 1\nmessages:\n  type:Book:\n    feilds: { id: 1 }\n', 4, 5, /unknown key "feilds" in "type:Book"/],
    ['apigen-lock: 1\nmessages:\n  type:Book:\n    fields: { id: one }\n', 4, 19, /"id" in "type:Book" has "one", which is not a valid field number/],
    ['apigen-lock: 1\nmessages:\n  type:Book:\n    fields: { id: 19001 }\n', 4, 19, /not a valid field number/],
    ['apigen-lock: 1\nenums:\n  enum:S:\n    values: { A: 0 }\n', 4, 18, /not a valid enum number/],
    ['apigen-lock: 1\nmessages:\n  type:Book:\n    fields: { id: 1, title: 1 }\n', 4, 29, /"title" and "id" in "type:Book" have the same number 1/],
    ['apigen-lock: 1\nmessages:\n  type:Book:\n    fields: { id: 1 }\n    reserved: { id: 2 }\n', 5, 17, /"id" appears twice/],
    ['apigen-lock: 1\nmessages:\n  type:Book:\n    fields: { id: 1 }\n  type:Book:\n    fields: { id: 1 }\n', 5, 3, /YAML syntax error/],
  ])('rejects a malformed lock: %j', (text, line, col, detail) => {
    const r = parseLock(text, 'bookstore.apigen.lock');
    expect(r.lock).toBeUndefined();
    expect(r.problem?.code).toBe('lock-invalid');
    expect(r.problem?.pos).toEqual({ file: 'bookstore.apigen.lock', line, col });
    expect(r.problem?.args.file).toBe('bookstore.apigen.lock');
    expect(r.problem?.args.detail).toMatch(detail);
  });
});
