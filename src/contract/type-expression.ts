// Parser for type expressions: `string`, `Book`, `T[]`, `map<string, T>`,
// `T?`, `stream<T>`. It returns a syntax tree with the offset of every name, so
// an unknown name is pointed at exactly, inside the larger expression.

export type TypeSyntax =
  | { kind: 'name'; name: string; offset: number }
  | { kind: 'list'; element: TypeSyntax }
  | { kind: 'map'; key: TypeSyntax; value: TypeSyntax };

export interface ParsedTypeExpression {
  type: TypeSyntax;
  optional: boolean;
  stream: boolean;
}

export interface TypeSyntaxError {
  detail: string;
  offset: number;
  /** The code for this problem, when it is not plain syntax. */
  code: 'type-syntax' | 'optional-element' | 'stream-position';
}

/** Offsets are relative to the start of `text`. */
export function parseTypeExpression(text: string): ParsedTypeExpression | TypeSyntaxError {
  let i = 0;
  const skip = () => {
    while (text[i] === ' ') i++;
  };
  const fail = (detail: string, code: TypeSyntaxError['code'] = 'type-syntax'): TypeSyntaxError => ({ detail, offset: Math.min(i, Math.max(0, text.length - 1)), code });
  const ident = (): { name: string; offset: number } | undefined => {
    const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(text.slice(i));
    if (!m) return undefined;
    const r = { name: m[0], offset: i };
    i += m[0].length;
    return r;
  };

  // Parses `base ('[]')* ('?')?` and reports where `?` may stand.
  const element = (allowOptional: boolean): { type: TypeSyntax; optional: boolean } | TypeSyntaxError => {
    skip();
    const id = ident();
    if (!id) return fail(i >= text.length ? 'a type name is missing' : `unexpected "${text[i]}"`);
    let type: TypeSyntax;
    if ((id.name === 'map' || id.name === 'stream') && text[i] === '<') {
      if (id.name === 'stream') return fail('stream<T> is allowed only as the whole input or output of an operation', 'stream-position');
      i++;
      const key = element(false);
      if ('detail' in key) return key;
      skip();
      if (text[i] !== ',') return fail('expected "," after the map key type');
      i++;
      const value = element(false);
      if ('detail' in value) return value;
      skip();
      if (text[i] !== '>') return fail('expected ">" to close map<');
      i++;
      type = { kind: 'map', key: key.type, value: value.type };
    } else {
      type = { kind: 'name', name: id.name, offset: id.offset };
    }
    for (;;) {
      skip();
      if (text.startsWith('[]', i)) {
        i += 2;
        type = { kind: 'list', element: type };
        continue;
      }
      if (text[i] === '?') {
        const at = i;
        i++;
        skip();
        if (text.startsWith('[]', i)) {
          i = at;
          return fail('an element of a list cannot be optional (T?[])', 'optional-element');
        }
        if (!allowOptional) {
          i = at;
          return fail('an element of a map or list cannot be optional', 'optional-element');
        }
        return { type, optional: true };
      }
      return { type, optional: false };
    }
  };

  skip();
  let stream = false;
  if (/^stream\s*</.test(text.slice(i))) {
    stream = true;
    i = text.indexOf('<', i) + 1;
  }
  const parsed = element(!stream);
  if ('detail' in parsed) return parsed;
  skip();
  if (stream) {
    if (text[i] !== '>') return fail('expected ">" to close stream<');
    i++;
    skip();
  }
  if (i < text.length) {
    if (text[i] === '?' && stream) return fail('a stream cannot be optional', 'type-syntax');
    return fail(`unexpected "${text.slice(i)}"`);
  }
  return { type: parsed.type, optional: parsed.optional, stream };
}

export function printTypeSyntax(t: TypeSyntax): string {
  switch (t.kind) {
    case 'name':
      return t.name;
    case 'list':
      return `${printTypeSyntax(t.element)}[]`;
    case 'map':
      return `map<${printTypeSyntax(t.key)}, ${printTypeSyntax(t.value)}>`;
  }
}
