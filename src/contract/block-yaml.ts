// Contracts are written in a small part of YAML: block mappings and sequences,
// one-line plain and quoted scalars, one-line flow collections, literal and
// folded block scalars, comments. The yaml package reads any YAML, but its
// lexer, parser and composer took three quarters of `apigen validate` on a
// contract of a few thousand lines (and as long again for its wire-number
// lock). This reader reads that part of YAML straight into the package's own
// node classes, with the values, scalar styles, sources and ranges the package
// gives the same text. The first construct outside it (anchors, aliases, tags,
// multi-line flow scalars, explicit keys, tabs, document markers, anything the
// package would report as an error) makes it give up, and the package reads the
// text instead, so diagnostics for broken YAML are the package's.
// test/contract/block-yaml.test.ts holds it to the package on every contract
// and lock of the repository, on generated documents, and on those documents
// with a character changed.
//
// Comments are skipped, not kept on nodes: the contract reader never reads them.
import { Document, isScalar, Pair, Scalar, YAMLMap, YAMLSeq, type LineCounter, type Node, type ParsedNode, type ScalarTag } from 'yaml';

/** The parts of a parsed document the contract reader uses. */
export interface ParsedYaml {
  contents: Node | null;
  errors: readonly { code: string; message: string; pos: [number, number] }[];
  /** False when the text is known to hold no anchor and no alias (this reader gives up on both). */
  mayHaveAliases?: boolean;
}

/** Thrown on the first construct outside the part of YAML read here. */
const OUTSIDE = Symbol('outside');

/** Characters that are not printable YAML, tabs, and line ends other than \n: the package's business. */
const UNUSUAL_CHARACTER = /[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\ufeff]/;

const enum Line {
  Blank,
  Comment,
  Content,
}

const SPACE = 0x20;
const HASH = 0x23;
const COLON = 0x3a;
const DASH = 0x2d;
const OPEN_BRACKET = 0x5b;
const OPEN_BRACE = 0x7b;
const LITERAL = 0x7c;
const FOLDED = 0x3e;

/**
 * The document `text` as the yaml package's `parseDocument` reads it (`uniqueKeys: false`), or
 * undefined when the text uses YAML this reader leaves to the package. On success the line starts
 * are added to `lines`.
 */
export function readBlockYaml(text: string, lines: LineCounter): ParsedYaml | undefined {
  if (UNUSUAL_CHARACTER.test(text)) return undefined;
  const reader = new BlockReader(text);
  let contents: ParsedNode;
  try {
    contents = reader.document();
  } catch (err) {
    // Nesting deeper than the stack (`[[[[...`, a hostile contract) is the package's to report too.
    if (err === OUTSIDE || err instanceof RangeError) return undefined;
    throw err;
  }
  for (const start of reader.starts) lines.addNewLine(start);
  return { contents, errors: [], mayHaveAliases: false };
}

class BlockReader {
  readonly starts: number[] = [];
  private readonly ends: number[] = [];
  private readonly indents: number[] = [];
  private readonly kinds: Line[] = [];
  /** The line the reader is at. */
  private line = 0;
  /** Whether a line starts with a document marker (`---`, `...`). */
  private markers = false;

  constructor(private readonly text: string) {
    let start = 0;
    for (;;) {
      const newline = text.indexOf('\n', start);
      const end = newline === -1 ? text.length : newline;
      let i = start;
      while (i < end && text.charCodeAt(i) === SPACE) i++;
      this.starts.push(start);
      this.ends.push(end);
      this.indents.push(i - start);
      this.kinds.push(i === end ? Line.Blank : text.charCodeAt(i) === HASH ? Line.Comment : Line.Content);
      if (i === start && (text.startsWith('---', i) || text.startsWith('...', i)) && (i + 3 === end || text.charCodeAt(i + 3) === SPACE)) this.markers = true;
      if (newline === -1) break;
      start = newline + 1;
    }
  }

  document(): ParsedNode {
    const first = this.nextContent(0);
    // Document markers, an empty document and a root that is not a mapping are left to the package.
    if (this.markers || first === this.kinds.length || this.indentOf(first) !== 0 || this.isSeqItem(first)) throw OUTSIDE;
    const at = this.lineStart(first);
    this.line = first;
    const root = this.mapping(0, at);
    if (this.nextContent(this.line) !== this.kinds.length) throw OUTSIDE;
    return root;
  }

  /** A block mapping whose first key starts at `at` on the current line, at column `indent`. */
  private mapping(indent: number, at: number): YAMLMap.Parsed {
    const map = new YAMLMap() as YAMLMap.Parsed;
    let keyAt = at;
    let end: number;
    for (;;) {
      const key = this.key(keyAt);
      if (!key) throw OUTSIDE;
      const value = this.valueAfter(key.after, indent, true);
      map.items.push(new Pair(key.node, value) as Pair<ParsedNode, ParsedNode>);
      end = value.range[2];
      const next = this.nextContent(this.line);
      if (next === this.kinds.length || this.indentOf(next) < indent) break;
      if (this.indentOf(next) > indent || this.isSeqItem(next)) throw OUTSIDE;
      this.line = next;
      keyAt = this.lineStart(next) + indent;
    }
    map.range = [at, ...this.collectionEnd(end, indent)] as [number, number, number];
    return map;
  }

  /** A block sequence whose first dash is on the current line at column `indent`. */
  private sequence(indent: number): YAMLSeq.Parsed {
    const seq = new YAMLSeq() as YAMLSeq.Parsed;
    const at = this.lineStart(this.line) + indent;
    let end: number;
    for (;;) {
      const item = this.valueAfter(this.lineStart(this.line) + indent + 1, indent, false);
      seq.items.push(item);
      end = item.range[2];
      const next = this.nextContent(this.line);
      if (next === this.kinds.length || this.indentOf(next) < indent) break;
      if (this.indentOf(next) > indent) throw OUTSIDE;
      if (!this.isSeqItem(next)) break;
      this.line = next;
    }
    seq.range = [at, ...this.collectionEnd(end, indent)] as [number, number, number];
    return seq;
  }

  /**
   * Where a block collection ends: after its last item, and (its third range value) through the
   * comment and blank lines after it up to the next content when one of those comments is indented
   * at least as far as the collection. The package's parser keeps such lines in the innermost open
   * collection and hands them to the parent when none of them is, and a collection at column 0 (the
   * root among them) always hands them on, to the document at the end.
   */
  private collectionEnd(end: number, indent: number): [number, number] {
    if (indent === 0) return [end, end];
    const next = this.nextContent(this.line);
    let kept = false;
    for (let line = this.line; line < next; line++) if (this.kindOf(line) === Line.Comment && this.indentOf(line) >= indent) kept = true;
    if (!kept) return [end, end];
    const through = next === this.kinds.length ? this.text.length : this.lineStart(next) + this.indentOf(next);
    // The lines are this collection's now: an enclosing one that ends here too does not take them.
    this.line = next;
    return [end, through];
  }

  /**
   * The value after a `key:` or `- ` indicator ending at `after`, on the current line or the lines
   * below; `indent` is the column of the collection it belongs to. Leaves the reader on the line after it.
   */
  private valueAfter(after: number, indent: number, inMapping: boolean): ParsedNode {
    const text = this.text;
    const lineEnd = this.lineEnd(this.line);
    let at = after;
    while (at < lineEnd && text.charCodeAt(at) === SPACE) at++;
    if (at === lineEnd || text.charCodeAt(at) === HASH) {
      if (at < lineEnd && at === after) throw OUTSIDE;
      const next = this.nextContent(this.line + 1);
      if (next < this.kinds.length && (this.indentOf(next) > indent || (inMapping && this.indentOf(next) === indent && this.isSeqItem(next)))) {
        // A collection on the lines below. A scalar there would be a multi-line one: the package's.
        this.line = next;
        const column = this.indentOf(next);
        if (this.isSeqItem(next)) return this.sequence(column);
        return this.mapping(column, this.lineStart(next) + column);
      }
      if (this.firstComment(this.line + 1, next) !== -1) throw OUTSIDE;
      // An empty item after comment lines ends where the package's item properties end.
      if (!inMapping) for (let line = this.line - 1; line >= 0 && this.kindOf(line) !== Line.Content; line--) if (this.kindOf(line) === Line.Comment) throw OUTSIDE;
      // Empty: a null scalar after the indicator and its spaces. With a comment on the line, the
      // package ends it where the next line's content starts.
      let nodeEnd = at;
      if (at < lineEnd) {
        if (next !== this.line + 1 || next === this.kinds.length) throw OUTSIDE;
        nodeEnd = this.lineStart(next) + this.indentOf(next);
      }
      this.line++;
      return emptyScalar(at, nodeEnd);
    }
    const first = text.charCodeAt(at);
    if (!inMapping && !isQuote(first) && first !== OPEN_BRACKET && first !== OPEN_BRACE) {
      // `- key: value`: a mapping in the item, its keys at this column.
      const key = this.key(at);
      if (key) return this.mapping(at - this.lineStart(this.line), at);
    }
    if (first === LITERAL || first === FOLDED) return this.blockScalar(at, indent);
    let node: ParsedNode;
    let valueEnd: number;
    if (isQuote(first)) {
      const quoted = this.quoted(at, lineEnd);
      node = quoted.node;
      valueEnd = quoted.end;
    } else if (first === OPEN_BRACKET || first === OPEN_BRACE) {
      const flow = this.flow(at, lineEnd);
      node = flow.node;
      valueEnd = flow.end;
    } else {
      valueEnd = this.plainEnd(at, lineEnd);
      const source = text.slice(at, valueEnd);
      if (!startsPlain(source)) throw OUTSIDE;
      // `a: b: c` and `a: b:` are mappings the package refuses in this place.
      if (/:(?: |$)/.test(source)) throw OUTSIDE;
      node = plainScalar(source);
    }
    let nodeEnd = this.restOfLine(valueEnd, lineEnd);
    this.line++;
    // Comment lines indented past the collection go with the value (through the last of them).
    let line = this.line;
    while (line < this.kinds.length && (this.kindOf(line) === Line.Blank || (this.kindOf(line) === Line.Comment && this.indentOf(line) > indent))) {
      if (this.kindOf(line) === Line.Comment) {
        nodeEnd = this.lineEndWithBreak(line);
        this.line = line + 1;
      }
      line++;
    }
    node.range = [at, valueEnd, nodeEnd];
    // A more indented line after a one-line value continues it (a multi-line scalar) or is an error.
    const next = this.nextContent(this.line);
    if (next < this.kinds.length && this.indentOf(next) > indent) throw OUTSIDE;
    return node;
  }

  /**
   * A literal (`|`) or folded (`>`) block scalar whose header is at `at`, with clipped or stripped
   * (`-`) final line breaks; explicit indentation, kept breaks (`+`), leading empty lines and, when
   * folded, more indented lines are the package's.
   */
  private blockScalar(at: number, indent: number): Scalar.Parsed {
    const text = this.text;
    const literal = text.charCodeAt(at) === LITERAL;
    const lineEnd = this.lineEnd(this.line);
    let headerEnd = at + 1;
    const strip = text.charCodeAt(headerEnd) === DASH;
    if (strip) headerEnd++;
    if (headerEnd < lineEnd && text.charCodeAt(headerEnd) !== SPACE) throw OUTSIDE;
    this.restOfLine(headerEnd, lineEnd);
    const first = this.line + 1;
    if (first >= this.kinds.length || this.kindOf(first) === Line.Blank) throw OUTSIDE;
    const trim = this.indentOf(first);
    if (trim <= indent) throw OUTSIDE;
    const parts: string[] = [];
    let last = first;
    for (let line = first; line < this.kinds.length; line++) {
      const lineIndent = this.indentOf(line);
      if (this.kindOf(line) === Line.Blank) {
        if (this.lineEnd(line) - this.lineStart(line) > trim) throw OUTSIDE;
        parts.push('');
        continue;
      }
      if (lineIndent < trim) {
        if (lineIndent > indent) throw OUTSIDE;
        break;
      }
      if (!literal && lineIndent > trim) throw OUTSIDE;
      parts.push(text.slice(this.lineStart(line) + trim, this.lineEnd(line)));
      last = line;
    }
    parts.length = last - first + 1;
    let value = '';
    if (literal) value = parts.join('\n');
    else {
      let sep = '';
      for (const part of parts) {
        if (part === '') {
          if (sep === '\n') value += '\n';
          else sep = '\n';
        } else {
          value += sep + part;
          sep = ' ';
        }
      }
    }
    if (!strip) value += '\n';
    const node = new Scalar(value) as Scalar.Parsed;
    node.source = value;
    node.type = literal ? Scalar.BLOCK_LITERAL : Scalar.BLOCK_FOLDED;
    const end = this.lineEndWithBreak(last);
    node.range = [at, end, end];
    this.line = last + 1;
    // A comment indented past the collection would be the package's trailing comment of the scalar.
    const comment = this.firstComment(this.line, this.nextContent(this.line));
    if (comment !== -1 && this.indentOf(comment) > indent) throw OUTSIDE;
    return node;
  }

  /** A one-line key at `at` and the offset after its colon, or undefined when the line holds no `key:` there. */
  private key(at: number): { node: Scalar.Parsed; after: number } | undefined {
    const text = this.text;
    const lineEnd = this.lineEnd(this.line);
    const first = text.charCodeAt(at);
    let node: Scalar.Parsed;
    let end: number;
    if (isQuote(first)) {
      const quoted = this.quoted(at, lineEnd);
      node = quoted.node;
      end = quoted.end;
      if (text.charCodeAt(end) !== COLON) return undefined;
    } else {
      end = at;
      for (;;) {
        if (end >= lineEnd) return undefined;
        if (text.charCodeAt(end) === COLON && (end + 1 === lineEnd || text.charCodeAt(end + 1) === SPACE)) break;
        end++;
      }
      const source = text.slice(at, end);
      if (source === '' || !startsPlain(source) || source.includes(' #') || /[[\]{},]/.test(source) || text.charCodeAt(end - 1) === SPACE) throw OUTSIDE;
      node = plainScalar(source);
    }
    if (end - at > 1000) throw OUTSIDE;
    const after = end + 1;
    if (after < lineEnd && text.charCodeAt(after) !== SPACE) throw OUTSIDE;
    node.range = [at, end, end];
    return { node, after };
  }

  /** A quoted scalar starting at `at` that ends on its line. */
  private quoted(at: number, lineEnd: number): { node: Scalar.Parsed; end: number } {
    const text = this.text;
    const quote = text[at];
    let value = '';
    let i = at + 1;
    for (;;) {
      if (i >= lineEnd) throw OUTSIDE;
      const ch = text[i];
      if (ch === quote) {
        if (quote === "'" && text[i + 1] === "'") {
          value += "'";
          i += 2;
          continue;
        }
        break;
      }
      if (ch === '\\' && quote === '"') {
        const escaped = ESCAPES[text.charAt(i + 1)];
        if (escaped === undefined) throw OUTSIDE;
        value += escaped;
        i += 2;
        continue;
      }
      value += ch;
      i++;
    }
    const node = new Scalar(value) as Scalar.Parsed;
    node.source = value;
    node.type = quote === '"' ? Scalar.QUOTE_DOUBLE : Scalar.QUOTE_SINGLE;
    return { node, end: i + 1 };
  }

  /** A one-line flow sequence or mapping starting at `at`. */
  private flow(at: number, lineEnd: number): { node: YAMLMap.Parsed | YAMLSeq.Parsed; end: number } {
    const text = this.text;
    const isMap = text[at] === '{';
    const close = isMap ? '}' : ']';
    const node = (isMap ? new YAMLMap() : new YAMLSeq()) as YAMLMap.Parsed | YAMLSeq.Parsed;
    node.flow = true;
    let i = this.skipSpaces(at + 1, lineEnd);
    if (text[i] === close) return { node, end: i + 1 };
    for (;;) {
      if (isMap) {
        const key = this.flowScalar(i, lineEnd);
        if (text[key.end] !== ':' || text[key.end + 1] !== ' ') throw OUTSIDE;
        key.node.range = [i, key.end, key.end];
        i = this.skipSpaces(key.end + 1, lineEnd);
        const value = this.flowItem(i, lineEnd);
        (node as YAMLMap.Parsed).items.push(new Pair(key.node, value) as Pair<ParsedNode, ParsedNode>);
        i = value.range[2];
      } else {
        const item = this.flowItem(i, lineEnd);
        (node as YAMLSeq.Parsed).items.push(item);
        i = item.range[2];
      }
      if (text[i] === close) return { node, end: i + 1 };
      if (text[i] !== ',') throw OUTSIDE;
      i = this.skipSpaces(i + 1, lineEnd);
      // A trailing comma, an empty item: the package's.
      if (text[i] === close || text[i] === ',') throw OUTSIDE;
    }
  }

  /** An item or value inside a flow collection, its range through the spaces after it. */
  private flowItem(at: number, lineEnd: number): ParsedNode {
    const first = this.text[at];
    const { node, end } = first === '[' || first === '{' ? this.flow(at, lineEnd) : this.flowScalar(at, lineEnd);
    node.range = [at, end, this.skipSpaces(end, lineEnd)];
    return node;
  }

  /** A quoted or plain scalar inside a flow collection. */
  private flowScalar(at: number, lineEnd: number): { node: Scalar.Parsed; end: number } {
    const text = this.text;
    if (at >= lineEnd) throw OUTSIDE;
    if (isQuote(text.charCodeAt(at))) return this.quoted(at, lineEnd);
    let end = at;
    while (end < lineEnd && !FLOW_PLAIN_STOP.has(text.charAt(end))) end++;
    while (end > at && text.charCodeAt(end - 1) === SPACE) end--;
    const source = text.slice(at, end);
    if (source === '' || !startsPlain(source) || source.includes('#')) throw OUTSIDE;
    return { node: plainScalar(source), end };
  }

  /** The end of a one-line plain scalar in a block: before ` #` or the line end, without trailing spaces. */
  private plainEnd(at: number, lineEnd: number): number {
    const text = this.text;
    let end = at;
    while (end < lineEnd && !(text.charCodeAt(end) === HASH && text.charCodeAt(end - 1) === SPACE)) end++;
    while (end > at && text.charCodeAt(end - 1) === SPACE) end--;
    return end;
  }

  /** After a value that ends at `valueEnd`: spaces, a comment and the line break; anything else is not ours. */
  private restOfLine(valueEnd: number, lineEnd: number): number {
    const text = this.text;
    const at = this.skipSpaces(valueEnd, lineEnd);
    if (at < lineEnd && (text.charCodeAt(at) !== HASH || at === valueEnd)) throw OUTSIDE;
    return this.lineEndWithBreak(this.line);
  }

  private lineEndWithBreak(line: number): number {
    return this.lineEnd(line) === this.text.length ? this.lineEnd(line) : this.lineEnd(line) + 1;
  }

  private skipSpaces(at: number, lineEnd: number): number {
    while (at < lineEnd && this.text.charCodeAt(at) === SPACE) at++;
    return at;
  }

  /** The first content line at or after `line` (the line count when there is none). */
  private nextContent(line: number): number {
    const kinds = this.kinds;
    while (line < kinds.length && kinds[line] !== Line.Content) line++;
    return line;
  }

  /** The first comment line in [from, to), or -1. */
  private firstComment(from: number, to: number): number {
    for (let line = from; line < to; line++) if (this.kindOf(line) === Line.Comment) return line;
    return -1;
  }

  private isSeqItem(line: number): boolean {
    const at = this.lineStart(line) + this.indentOf(line);
    if (this.text.charCodeAt(at) !== DASH) return false;
    return at + 1 === this.lineEnd(line) || this.text.charCodeAt(at + 1) === SPACE;
  }

  private lineStart(line: number): number {
    return this.starts[line]!;
  }

  private lineEnd(line: number): number {
    return this.ends[line]!;
  }

  private indentOf(line: number): number {
    return this.indents[line]!;
  }

  private kindOf(line: number): Line {
    return this.kinds[line]!;
  }
}

const FLOW_PLAIN_STOP = new Set([',', '[', ']', '{', '}', ':']);

const ESCAPES: Record<string, string> = { '\\': '\\', '"': '"', '/': '/', n: '\n', t: '\t', r: '\r', '0': '\0', b: '\b', f: '\f' };

function isQuote(code: number): boolean {
  return code === 0x22 || code === 0x27;
}

/** Whether a plain scalar may start this way: not with an indicator the package reads otherwise. */
function startsPlain(source: string): boolean {
  const first = source.charAt(0);
  if ('-?:'.includes(first)) return source.length > 1 && source[1] !== ' ';
  return !',[]{}#&*!|>\'"%@`'.includes(first);
}

/**
 * A plain scalar as the package's core schema reads it: the first of its default tags whose test
 * matches resolves the text (null, booleans, numbers); any other text is a string.
 */
function plainScalar(source: string): Scalar.Parsed {
  const tag = coreTagOf(source);
  let node: Scalar.Parsed;
  if (tag) {
    const resolved = tag.resolve(source, () => {
      throw OUTSIDE;
    }, PARSE_OPTIONS) as unknown;
    node = (isScalar(resolved) ? resolved : new Scalar(resolved)) as Scalar.Parsed;
    if (tag.format) node.format = tag.format;
  } else node = new Scalar(source) as Scalar.Parsed;
  node.source = source;
  node.type = Scalar.PLAIN;
  return node;
}

/** The options of parseDocument that the schema's tags read (`intAsBigInt`), at their defaults. */
const PARSE_OPTIONS = { intAsBigInt: false } as Parameters<ScalarTag['resolve']>[2];

let core: (ScalarTag & { test: RegExp })[] | undefined;
/** The tag each plain text resolved by; a contract repeats its words (type names, `required`, `true`) thousands of times. */
const tagOfText = new Map<string, (ScalarTag & { test: RegExp }) | null>();

function coreTagOf(source: string): (ScalarTag & { test: RegExp }) | undefined {
  let tag = tagOfText.get(source);
  if (tag === undefined) {
    tag = coreTags().find((t) => t.test.test(source)) ?? null;
    // Long texts (descriptions) rarely repeat and are not kept; the table is bounded for long-lived processes (watch).
    if (source.length <= 64) {
      if (tagOfText.size >= 10_000) tagOfText.clear();
      tagOfText.set(source, tag);
    }
  }
  return tag ?? undefined;
}

/** The core schema's scalar tags that plain text can select, in the package's order. */
function coreTags(): (ScalarTag & { test: RegExp })[] {
  core ??= new Document(null).schema.tags.filter((t): t is ScalarTag & { test: RegExp } => t.default === true && 'test' in t && t.test instanceof RegExp);
  return core;
}

function emptyScalar(at: number, nodeEnd: number): Scalar.Parsed {
  const node = new Scalar(null) as Scalar.Parsed;
  node.source = '';
  node.type = Scalar.PLAIN;
  node.range = [at, at, nodeEnd];
  return node;
}
