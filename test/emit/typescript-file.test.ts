// The generated-file object of the typescript emitter: using a symbol imports
// it (type-only unless used as a value), the file's own names keep their
// spelling and win over imports (aliased) and globals (through globalThis).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TsFile } from '../../src/emit/typescript/file.js';
import { printString, printTemplateText, safeIdentifier } from '../../src/emit/typescript/identifiers.js';
import { generated, globals, library, runtime } from '../../src/emit/typescript/symbols.js';

describe('TsFile', () => {
  it('imports what is used, type-only unless a use is a value, in a fixed order', () => {
    const f = new TsFile('rest/server.ts');
    f.declare('createShopRestHandler');
    f.print(
      `export const x: ${f.type(runtime.restServer.RestHandler)} = ${f.value(runtime.restServer.createRestHandler)}(${f.value(generated('contract.ts', 'contract'))});`,
    );
    f.print(`export type Y = ${f.type(generated('types.ts', 'Book'))} | ${f.type(library.http.IncomingMessage)};`);
    expect(f.content()).toBe(
      [
        "import type { IncomingMessage } from 'node:http';",
        "import { createRestHandler, type RestHandler } from 'apigen-runtime/rest/server';",
        "import { contract } from '../contract.js';",
        "import type { Book } from '../types.js';",
        '',
        'export const x: RestHandler = createRestHandler(contract);',
        '',
        'export type Y = Book | IncomingMessage;',
        '',
      ].join('\n'),
    );
  });

  it('keeps declared names, aliases an import that meets a taken name, reaches a shadowed global through globalThis', () => {
    const f = new TsFile('types.ts');
    f.declareTypes('Date', 'Decimal');
    expect(f.type(globals.Date)).toBe('globalThis.Date');
    expect(f.type(runtime.core.Decimal)).toBe('Decimal$1');
    expect(f.type(generated('types.ts', 'Date'))).toBe('Date');
    f.reexport(runtime.core.Decimal, true);
    f.reexport(runtime.core.Uuid, true);
    expect(f.content()).toBe("import type { Decimal as Decimal$1 } from 'apigen-runtime';\n\nexport type { Uuid } from 'apigen-runtime';\n");

    const g = new TsFile('service.ts');
    expect(g.type(globals.Promise)).toBe('Promise');
    expect(g.type(generated('types.ts', 'Promise'))).toBe('Promise$1');
  });

  it('refuses a declaration after a use of the same name', () => {
    const f = new TsFile('service.ts');
    f.type(generated('types.ts', 'Book'));
    expect(() => f.declare('Book')).toThrow(/declared after a use/);
  });

  it('breaks an import list that does not fit in 120 columns, one name per line', () => {
    const f = new TsFile('x.ts');
    const names = ['Alpha', 'Bravo', 'Charlie', 'Delta', 'Echo', 'Foxtrot', 'Golf', 'Hotel', 'India', 'Juliett', 'Kilo', 'Lima', 'Mike'];
    f.print(`export type X = ${names.map((n) => f.type(generated('types.ts', `${n}Type`))).join(' | ')};`);
    expect(f.content().split('\n').slice(0, 3)).toEqual(['import type {', '  AlphaType,', '  BravoType,']);
  });
});

describe('names and literals', () => {
  it('makes an identifier safe from reserved words and taken names', () => {
    expect(safeIdentifier('Book', () => false)).toBe('Book');
    expect(safeIdentifier('delete', () => false)).toBe('delete$1');
    expect(safeIdentifier('Book', (n) => n === 'Book' || n === 'Book$1')).toBe('Book$2');
  });

  it('prints string literals as prettier does (single quotes unless more of them inside) and as JavaScript reads them', () => {
    for (const text of ["it's", 'say "hi"', `a 'b' "c" 'd'`, 'back\\slash\nline\ttab\u0001', '\ud83d\ude00 \ud800 lone', '']) {
      const literal = printString(text);
      expect((0, eval)(literal)).toBe(text);
    }
    expect(printString("it's")).toBe(`"it's"`);
    expect(printString('say "hi"')).toBe(`'say "hi"'`);
  });

  it('prints any text byte for byte as JSON.stringify escapes it, in the quotes prettier picks', () => {
    // The reference: JSON.stringify's escapes, its double quotes swapped for single ones unless more single quotes are inside.
    const reference = (text: string): string => {
      const json = JSON.stringify(text);
      if (text.split("'").length > text.split('"').length) return json;
      return `'${json.slice(1, -1).split('\\"').join('"').split("'").join("\\'")}'`;
    };
    const tricky = fc.constantFrom("'", '"', '\\', '\n', '\r', '\t', '\u0000', '\u001f', '\u007f', '\ud800', '\udc00', '\ud83d', '\ude00', '\u2028', 'a', 'é');
    const text = fc.oneof(fc.string({ unit: 'binary' }), fc.array(tricky, { maxLength: 12 }).map((parts) => parts.join('')));
    fc.assert(
      fc.property(text, (t) => {
        expect(printString(t)).toBe(reference(t));
        expect((0, eval)(printString(t))).toBe(t);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('layout', () => {
  it('keeps an object argument flat when its line fits, else one entry per line, as prettier does', async () => {
    const { bodyCall } = await import('../../src/emit/typescript/entry.js');
    const { objectItem } = await import('../../src/emit/typescript/layout.js');
    expect(bodyCall('call(', ['a', objectItem(['x: 1', 'y'])], ');')).toBe('call(a, { x: 1, y });');
    const long = Array.from({ length: 12 }, (_, i) => `entry${i}: value${i}`);
    expect(bodyCall('call(', ['a', objectItem(long)], ');').split('\n').slice(0, 5)).toEqual(['call(', '  a,', '  {', '    entry0: value0,', '    entry1: value1,']);
  });

  it('prints an embedded spec as a template literal that reads back as the text, its lines kept as lines', () => {
    const tricky = fc.constantFrom('`', '$', '{', '}', '${', '\\', '\n', '\r', '\r\n', '\t', '\u0000', '\u001f', '\u007f', '\ud800', '\udc00', '\ud83d', '\ude00', '\u2028', 'a', 'é');
    const text = fc.oneof(fc.string({ unit: 'binary' }), fc.array(tricky, { maxLength: 12 }).map((parts) => parts.join('')));
    fc.assert(
      fc.property(text, (t) => {
        const literal = printTemplateText(t);
        expect((0, eval)(literal)).toBe(t);
        // Nothing but a line feed breaks a line of the literal, and only the line feeds of the text do.
        expect(literal.split('\n').length).toBe(t.split('\n').length);
        expect(literal).not.toMatch(/\r/);
      }),
      { numRuns: 2000 },
    );
    expect(printTemplateText('<a b="c">\n  <d/>\n</a>\n')).toBe('`<a b="c">\n  <d/>\n</a>\n`');
  });
});
