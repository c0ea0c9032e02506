// YAML text of a spec document (OpenAPI, AsyncAPI) and of the wire-number lock.
// The bytes are exactly those of the `yaml` package's `stringify` with
// SPEC_YAML_OPTIONS; building its node tree for a large document took most of
// the OpenAPI target's time (1.2 s of 1.3 s for ../shared/perf/M.yaml), so the
// common shapes are printed here directly. The choices that decide bytes (plain
// or quoted, which quote) follow the package's rules and use its own schema
// tests; any value outside the common shapes (a multi-line string, a fraction,
// null) is printed by the package itself in the same position, and a document
// with something this printer does not know is printed by the package whole.
// test/emit/yaml-text.test.ts compares the two on every golden document and on
// generated values.
import { Document, stringify, type ToStringOptions, type DocumentOptions, type SchemaOptions, type CreateNodeOptions } from 'yaml';

/**
 * No anchors/aliases for repeated objects, no line folding (a changed word
 * changes one line in a diff), and quoting that YAML 1.1 readers parse the same
 * way (enum values such as `ON` or `NO`).
 */
export const SPEC_YAML_OPTIONS: DocumentOptions & SchemaOptions & CreateNodeOptions & ToStringOptions = {
  aliasDuplicateObjects: false,
  lineWidth: 0,
  compat: 'yaml-1.1',
  singleQuote: true,
};

const STEP = '  ';

// The package's test for text that cannot be a plain scalar (an indicator first, `: ` or ` #` inside, ...).
const NOT_PLAIN = /^[\n\t ,[\]{}#&*!|>'"%@`]|^[?-]$|^[?-][ \t]|[\n:][ \t]|[ \t]\n|[\n\t ]#|[\n\t :]$/;
const FORCES_DOUBLE_QUOTES = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u{D800}-\u{DFFF}]/u;
const DOCUMENT_MARKER = /^(%|---|\.\.\.)/m;

type YamlOptions = DocumentOptions & SchemaOptions & CreateNodeOptions & ToStringOptions;

class Unprintable extends Error {}

/** Prints as `stringify(value, options)` does, for the options of one kind of document. */
export class YamlPrinter {
  // A plain scalar these tests match would be read back as null, a boolean, a number or a date.
  private readonly readsAsOtherType: RegExp[];
  /** The package writes `&anchor`/`*alias` for an object met twice unless told not to. */
  private readonly seen: Set<object> | undefined;
  /** Texts of keys and one-line strings already printed in this document: names and references repeat a lot. */
  private readonly keyTexts = new Map<string, string>();
  private readonly stringTexts = new Map<string, string>();

  constructor(private readonly options: YamlOptions) {
    const schema = new Document(null, options).schema;
    const tags = [...schema.tags, ...(schema.compat ?? [])] as { default?: unknown; tag: string; test?: RegExp }[];
    this.readsAsOtherType = tags.filter((t) => t.default && t.tag !== 'tag:yaml.org,2002:str' && t.test instanceof RegExp).map((t) => t.test!);
    this.seen = options.aliasDuplicateObjects === false ? undefined : new Set();
  }

  /** The same text as `stringify(value, options)`. */
  print(value: unknown): string {
    return this.printDirectly(value) ?? stringify(value, this.options);
  }

  /** The text printed here, or undefined for a value the package must print whole. */
  printDirectly(value: unknown): string | undefined {
    if (!isPlainObject(value) && !Array.isArray(value)) return undefined;
    this.seen?.clear();
    try {
      // One string appended to (V8 joins the pieces once, when the text is first read) and the
      // indents made once per depth: the printer handles hundreds of thousands of small pieces.
      this.text = '';
      this.collection(value, 0);
      return `${this.text}\n`;
    } catch (err) {
      if (err instanceof Unprintable) return undefined;
      throw err;
    } finally {
      this.text = '';
      this.seen?.clear();
      this.keyTexts.clear();
      this.stringTexts.clear();
    }
  }

  private text = '';
  /** `\n` and the indent of each depth. */
  private readonly newlines: string[] = ['\n'];

  private newline(depth: number): string {
    let known = this.newlines[depth];
    if (known === undefined) {
      known = `\n${STEP.repeat(depth)}`;
      this.newlines[depth] = known;
    }
    return known;
  }

  /** A non-scalar value whose lines after the first are at `depth`. */
  private collection(value: object, depth: number): void {
    if (this.seen) {
      if (this.seen.has(value)) throw new Unprintable();
      this.seen.add(value);
    }
    if (Array.isArray(value)) {
      if (value.length === 0) {
        this.text += '[]';
        return;
      }
      const between = this.newline(depth);
      for (let i = 0; i < value.length; i++) {
        this.text += i > 0 ? `${between}- ` : '- ';
        const item: unknown = value[i];
        if (item === undefined) throw new Unprintable();
        this.value(item, depth + 1, false);
      }
      return;
    }
    if (!isPlainObject(value)) throw new Unprintable();
    let first = true;
    const between = this.newline(depth);
    for (const key of Object.keys(value)) {
      const item = value[key];
      if (item === undefined) continue;
      this.text += first ? `${this.key(key)}:` : `${between}${this.key(key)}:`;
      first = false;
      this.value(item, depth + 1, true);
    }
    if (first) this.text += '{}';
  }

  /** After `key:` (`afterKey`) or `- `; `depth` is the value's own indent. */
  private value(value: unknown, depth: number, afterKey: boolean): void {
    if (value !== null && typeof value === 'object') {
      if (isEmptyCollection(value)) {
        if (this.seen) {
          if (this.seen.has(value)) throw new Unprintable();
          this.seen.add(value);
        }
        const empty = Array.isArray(value) ? '[]' : '{}';
        this.text += afterKey ? ` ${empty}` : empty;
        return;
      }
      // After a key, a block collection starts on its own line; after `- `, on the same one.
      if (afterKey) this.text += this.newline(depth);
      this.collection(value, depth);
      return;
    }
    const text = this.scalar(value, depth);
    this.text += afterKey ? ` ${text}` : text;
  }

  private scalar(value: unknown, depth: number): string {
    if (typeof value === 'string') {
      const known = this.stringTexts.get(value);
      if (known !== undefined) return known;
      if (!value.includes('\n') && !FORCES_DOUBLE_QUOTES.test(value)) {
        const text = !NOT_PLAIN.test(value) && !this.readsAsOtherType.some((t) => t.test(value)) ? value : this.quoted(value);
        this.stringTexts.set(value, text);
        return text;
      }
    } else if (typeof value === 'boolean') {
      return value ? 'true' : 'false';
    } else if (typeof value === 'number' && Number.isSafeInteger(value) && !Object.is(value, -0)) {
      return String(value);
    }
    return this.delegated(value, depth);
  }

  /**
   * One line without control characters, quoted as the package quotes it. Its
   * double-quoted form of such a line is the JSON string: only `"` and `\\`
   * are escaped, and JSON spells them as YAML does.
   */
  private quoted(value: string): string {
    const hasDouble = value.includes('"');
    const hasSingle = value.includes("'");
    const single = this.options.singleQuote === false ? false : hasDouble !== hasSingle ? hasDouble : this.options.singleQuote === true;
    return single ? `'${value.replace(/'/g, "''")}'` : JSON.stringify(value);
  }

  private key(key: string): string {
    const known = this.keyTexts.get(key);
    if (known !== undefined) return known;
    const text = this.newKey(key);
    this.keyTexts.set(key, text);
    return text;
  }

  private newKey(key: string): string {
    if (key.includes('\n') || FORCES_DOUBLE_QUOTES.test(key) || DOCUMENT_MARKER.test(key)) throw new Unprintable();
    const text = NOT_PLAIN.test(key) || this.readsAsOtherType.some((t) => t.test(key)) ? this.quoted(key) : key;
    // Longer keys are written as explicit `? key` by the package.
    if (text.length > 1024) throw new Unprintable();
    return text;
  }

  /**
   * A scalar as the package prints it after `key: ` or `- ` at `depth`: printed
   * as the value of a one-key mapping (whose value indent is one step), then each
   * following line moved from that indent to this one. Lines of a block scalar
   * that are empty stay empty, as the package leaves them.
   */
  private delegated(value: unknown, depth: number): string {
    if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean' && value !== null) throw new Unprintable();
    const text = stringify({ k: value }, this.options);
    if (!text.startsWith('k: ') || !text.endsWith('\n')) throw new Unprintable();
    const body = text.slice(3, -1);
    const extra = STEP.repeat(depth - 1);
    return extra === '' ? body : body.replace(/\n(?=[^\n])/g, `\n${extra}`);
  }
}

const specYaml = new YamlPrinter(SPEC_YAML_OPTIONS);

/** The same text as `stringify(value, SPEC_YAML_OPTIONS)`. */
export function printYaml(value: unknown): string {
  return specYaml.print(value);
}

/** The text printed here with SPEC_YAML_OPTIONS, or undefined for a value the package must print whole. */
export function printYamlDirectly(value: unknown): string | undefined {
  return specYaml.printDirectly(value);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object') return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

function isEmptyCollection(value: unknown): boolean {
  if (Array.isArray(value)) return value.length === 0;
  if (isPlainObject(value)) {
    for (const key in value) if (value[key] !== undefined) return false;
    return true;
  }
  return false;
}
