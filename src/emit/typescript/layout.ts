// Line layout as prettier does it (printWidth 120, 2-space indentation,
// trailing commas), for the constructs whose length depends on the contract
// (its names, a long service name above all): a list goes on one line when
// it fits, else one item per line, each item broken in turn when it is still
// too long; signatures, intersections, unions and assignments as prettier
// breaks them.

export const WIDTH = 120;

/**
 * An item of a list: text; a bracketed list (a call's arguments, a function
 * type's parameters, an object literal or type) that prettier keeps flat
 * when it fits and else puts one item per line; or a union type, flat or one
 * `| member` per line.
 */
export type ListItem = string | Bracketed | UnionItem;

export interface Bracketed {
  /** Up to the first item (`{ `, `handler: (`); its trailing space goes when broken. */
  open: string;
  items: readonly ListItem[];
  /** After the last item (` }`, `) => void`); its leading space goes when broken. */
  close: string;
  /** Between items when flat; default `, `. */
  separator?: string;
  /** After each item when broken; default `,`. */
  terminator?: string;
  /** After the last item when broken; default the terminator (type arguments take none). */
  last?: string;
}

export interface UnionItem {
  /** Before the members (`implementation:`), empty for a union on its own (in type arguments). */
  head: string;
  members: readonly ListItem[];
}

/** An object literal (`{ a: 1, b }`) as a list item. */
export function objectItem(entries: readonly string[]): ListItem {
  return { open: '{ ', items: entries, close: ' }' };
}

/** An object type (`{ a: A; b: B }`), broken with a `;` after each member. */
export function objectTypeItem(open: string, members: readonly string[], close: string): Bracketed {
  return { open: `${open}{ `, items: members, close: ` }${close}`, separator: '; ', terminator: ';' };
}

/** `head` + `Name<A, B>`, a generic type whose arguments break one per line (without a trailing comma) when it does not fit. */
export function typeArgumentsItem(head: string, name: string, args: readonly ListItem[]): Bracketed {
  return { open: `${head}${name}<`, items: args, close: '>', last: '' };
}

/** `head` + `Pick<Type, 'a' | 'b'>`: flat, then the type arguments broken, then the union of keys too. */
export function pickItem(head: string, pick: string, type: string, keys: readonly string[]): Bracketed {
  return typeArgumentsItem(head, pick, [type, keys.length === 0 ? 'never' : { head: '', members: keys }]);
}

/** A function type, `head(params) => returns`, its parameters broken one per line when it does not fit. */
export function functionTypeItem(head: string, params: readonly ListItem[], returns: string): Bracketed {
  return { open: `${head}(`, items: params, close: `) => ${returns}` };
}

function isBracketed(item: ListItem): item is Bracketed {
  return typeof item !== 'string' && 'open' in item;
}

function flatItem(item: ListItem): string {
  if (typeof item === 'string') return item;
  if (isBracketed(item)) {
    if (item.items.length === 0 && item.open.endsWith('{ ') && item.close.startsWith(' }')) return `${item.open.slice(0, -1)}${item.close.slice(1)}`;
    return `${item.open}${item.items.map(flatItem).join(item.separator ?? ', ')}${item.close}`;
  }
  return `${item.head}${item.head === '' ? '' : ' '}${item.members.map(flatItem).join(' | ')}`;
}

/** `item` + `suffix` starting at `indent`: on one line when it fits, else broken as prettier breaks it (the rest of the line after `item` is `suffix`). */
export function printItem(indent: string, item: ListItem, suffix: string): string {
  const flat = `${indent}${flatItem(item)}${suffix}`;
  if (typeof item === 'string' || fits(flat)) return flat;
  if (isBracketed(item)) {
    if (item.items.length === 0) return flat;
    const inner = `${indent}  `;
    const terminator = item.terminator ?? ',';
    const lines = item.items.map((it, i) => printItem(inner, it, i === item.items.length - 1 ? (item.last ?? terminator) : terminator));
    return `${indent}${item.open.trimEnd()}\n${lines.join('\n')}\n${indent}${item.close.trimStart()}${suffix}`;
  }
  // The members one per line after `| `, indented under a head; a member that breaks aligns with its text.
  const at = item.head === '' ? indent : `${indent}  `;
  const members = item.members.map((member, i) => {
    const printed = printItem(`${at}  `, member, i === item.members.length - 1 ? suffix : '');
    return `${at}| ${printed.slice(at.length + 2)}`;
  });
  return item.head === '' ? members.join('\n') : `${indent}${item.head}\n${members.join('\n')}`;
}

/** `head` + items + `tail`, on one line (at `indent`) when it fits (or `unbreakable`), else one item per line with trailing commas. */
export function list(indent: string, head: string, items: readonly ListItem[], tail: string | Bracketed, unbreakable = false): string {
  const tailFlat = flatItem(tail);
  const itemsFlat = items.map(flatItem).join(', ');
  const flat = `${indent}${head}${itemsFlat}${tailFlat}`;
  if (items.length === 0 || unbreakable || fits(flat)) return typeof tail === 'string' || items.length > 0 ? flat : printItem(indent, { ...tail, open: `${head}${tail.open}` }, '');
  // prettier groups a sole parameter apart from an object return type: it stays on the line when the line fits up to the object's brace.
  if (typeof tail !== 'string' && items.length === 1 && fits(`${indent}${head}${itemsFlat}${tail.open.trimEnd()}`)) {
    return printItem(indent, { ...tail, open: `${head}${itemsFlat}${tail.open}` }, '');
  }
  const inner = `${indent}  `;
  const lines = items.map((item) => printItem(inner, item, ','));
  const closing = typeof tail === 'string' ? `${indent}${tail.trimStart()}` : printItem(indent, { ...tail, open: tail.open.trimStart() }, '');
  return `${indent}${head.trimEnd()}\n${lines.join('\n')}\n${closing}`;
}

/**
 * A call `head(args)tail` whose last argument is an object literal, as prettier lays it out: flat; else the
 * object broken with the other arguments on the line, when that line fits; else one argument per line.
 */
export function callWithLastObject(indent: string, head: string, args: readonly string[], object: readonly string[], tail: string): string {
  const last = objectItem(object);
  const flat = `${indent}${head}${[...args, flatItem(last)].join(', ')}${tail}`;
  if (fits(flat)) return flat;
  const hugged = `${indent}${head}${[...args, '{'].join(', ')}`;
  if (fits(hugged)) return `${hugged}\n${object.map((e) => `${indent}  ${e},`).join('\n')}\n${indent}}${tail}`;
  return list(indent, head, [...args, last], tail);
}

/**
 * `head = callee(args)tail;` as prettier's fluid assignment: on one line when it fits; else the call stays
 * after `=` when the line fits up to its `(` (its arguments broken); else it moves to the next line.
 */
export function assignCall(indent: string, head: string, callee: string, args: readonly ListItem[], tail: string): string {
  const flat = `${indent}${head} ${callee}(${args.map(flatItem).join(', ')})${tail}`;
  if (fits(flat)) return flat;
  if (args.length > 0 && fits(`${indent}${head} ${callee}(`)) return list(indent, `${head} ${callee}(`, args, `)${tail}`);
  return `${indent}${head}\n${list(`${indent}  `, `${callee}(`, args, `)${tail}`)}`;
}

/**
 * A return or annotated type that may be an intersection (`A & B & { close(): void }`), after `prefix` and
 * before `suffix`: flat when it fits, else as prettier breaks an intersection (a line after each ` &` between
 * named types, an object type kept on the line of the type before it).
 */
export function typeLine(indent: string, prefix: string, type: string, suffix: string): string {
  const flat = `${indent}${prefix}${type}${suffix}`;
  const members = splitTopLevel(type, ' & ');
  if (fits(flat) || members.length < 2) return flat;
  const isObject = (m: string) => m.startsWith('{');
  let out = `${indent}${prefix}${members[0]}`;
  for (let i = 1; i < members.length; i++) {
    const member = members[i]!;
    out += !isObject(members[i - 1]!) && !isObject(member) ? ` &\n${indent}  ${member}` : ` & ${member}`;
  }
  return `${out}${suffix}`;
}

/**
 * `head(params): returns` + `tail` (a function's signature): on one line when it fits; else one parameter
 * per line (a sole one stays while the line fits up to an object return type's `{`), then the return type
 * broken if its line is still too long.
 */
export function signature(indent: string, head: string, params: readonly ListItem[], returns: string | Bracketed, tail: string): string {
  if (typeof returns !== 'string') return list(indent, `${head}(`, params, { ...returns, open: `): ${returns.open}`, close: `${returns.close}${tail}` });
  const paramsFlat = params.map(flatItem).join(', ');
  const flat = `${indent}${head}(${paramsFlat}): ${returns}${tail}`;
  if (fits(flat)) return flat;
  if (params.length === 0) return typeLine(indent, `${head}(): `, returns, tail);
  const lines = params.map((item) => printItem(`${indent}  `, item, ','));
  return `${indent}${head}(\n${lines.join('\n')}\n${typeLine(indent, '): ', returns, tail)}`;
}

/** `text` split at `separator` outside brackets and strings. */
function splitTopLevel(text: string, separator: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quote = '';
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quote !== '') {
      if (c === '\\') i++;
      else if (c === quote) quote = '';
    } else if (c === "'" || c === '"' || c === '`') quote = c;
    else if ('<({['.includes(c)) depth++;
    else if ('>)}]'.includes(c) && !(c === '>' && text[i - 1] === '=')) depth--;
    else if (depth === 0 && text.startsWith(separator, i)) {
      parts.push(text.slice(start, i));
      start = i + separator.length;
      i += separator.length - 1;
    }
  }
  parts.push(text.slice(start));
  return parts;
}

/** `export type X = A | B;`, or one `| member` per line when it does not fit (or `always` asks for it). */
export function unionAlias(indent: string, head: string, members: readonly string[], always = false): string {
  const flat = `${indent}${head} ${members.join(' | ')};`;
  if (!always && fits(flat)) return flat;
  return `${indent}${head}\n${members.map((m) => `${indent}  | ${m}`).join('\n')};`;
}

/** `head value;` (a declaration with a long initializer), broken after `head` when it does not fit. */
export function assignment(indent: string, head: string, value: string): string {
  const short = indent.length + head.length + value.length + 2 <= WIDTH;
  return short ? `${indent}${head} ${value};` : `${indent}${head}\n${indent}  ${value};`;
}

export function fits(line: string): boolean {
  return line.length <= WIDTH;
}

/** Each line of `text` indented by `indent` (blank lines stay empty). */
export function indentLines(text: string, indent: string): string {
  return text
    .split('\n')
    .map((line) => (line === '' ? '' : indent + line))
    .join('\n');
}
