// Line layout as prettier does it (printWidth 120, 2-space indentation,
// trailing commas), for the few constructs whose length depends on the
// contract: a list goes on one line when it fits, else one item per line.

export const WIDTH = 120;

/** An item of a list: text, or an object literal that prettier keeps flat when it fits and else puts one entry per line. */
export type ListItem = string | { entries: readonly string[] };

/** An object literal (`{ a: 1, b }`) as a list item. */
export function objectItem(entries: readonly string[]): ListItem {
  return { entries };
}

function flatItem(item: ListItem): string {
  return typeof item === 'string' ? item : item.entries.length === 0 ? '{}' : `{ ${item.entries.join(', ')} }`;
}

/** `head` + items + `tail`, on one line (at `indent`) when it fits, else one item per line with trailing commas. */
export function list(indent: string, head: string, items: readonly ListItem[], tail: string, separator = ', '): string {
  const flat = `${indent}${head}${items.map(flatItem).join(separator)}${tail}`;
  if (items.length === 0 || fits(flat)) return flat;
  const inner = `${indent}  `;
  const lines = items.map((item) => {
    const line = `${inner}${flatItem(item)},`;
    if (typeof item === 'string' || fits(line)) return line;
    return `${inner}{\n${item.entries.map((e) => `${inner}  ${e},`).join('\n')}\n${inner}},`;
  });
  return `${indent}${head.trimEnd()}\n${lines.join('\n')}\n${indent}${tail.trimStart()}`;
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
