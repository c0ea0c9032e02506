// ECMAScript `pattern` (the contract's dialect; the loader compiles it with the
// `u` flag) to an XSD pattern facet. The two dialects differ: an XSD pattern
// always matches the whole value and has no anchors, `\d` and `\w` are
// Unicode-wide in XSD but ASCII in ECMAScript, and XSD has no lookaround,
// backreferences or word boundaries. The common subset is translated; a pattern
// outside it is stated in xs:documentation instead of becoming a facet.
//
// Two approximations remain: `.` also matches U+2028 and U+2029 in XSD, and
// `\s` is only space, tab, CR and LF in XSD (ECMAScript adds the Unicode
// spaces such as U+00A0).

export type PatternTranslation = { ok: true; xsd: string } | { ok: false; reason: string };

/** Any string at all: how an unanchored end of an ECMAScript pattern reads in XSD. */
const ANYTHING = '[\\s\\S]*';

// Characters that must be escaped to be literal in an XSD regular expression,
// outside and inside a character class.
const XSD_META = new Set([...'\\.?*+{}()[]|']);
const XSD_CLASS_META = new Set([...'\\[]^-']);

// The general categories XSD 1.0 knows by their short names, as `\p{Lu}`.
const CATEGORIES = new Set(
  'L Lu Ll Lt Lm Lo M Mn Mc Me N Nd Nl No P Pc Pd Ps Pe Pi Pf Po Z Zs Zl Zp S Sm Sc Sk So C Cc Cf Co Cn'.split(' '),
);

const NOT_XML_CHAR = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;

class Untranslatable extends Error {}

export function translatePattern(source: string): PatternTranslation {
  try {
    return { ok: true, xsd: new PatternReader(source).translate() };
  } catch (e) {
    if (e instanceof Untranslatable) return { ok: false, reason: e.message };
    throw e;
  }
}

class PatternReader {
  private readonly chars: string[];
  private at = 0;

  constructor(source: string) {
    this.chars = Array.from(source);
  }

  translate(): string {
    const branches: string[] = [];
    for (;;) {
      branches.push(this.readTopBranch());
      if (this.at >= this.chars.length) break;
      this.at++; // the top-level `|`
    }
    return branches.join('|');
  }

  // A top-level alternative may start with `^` and end with `$`; without
  // them, ECMAScript finds the match anywhere in the value.
  private readTopBranch(): string {
    const anchoredStart = this.peek() === '^';
    if (anchoredStart) this.at++;
    let body = '';
    let anchoredEnd = false;
    while (this.at < this.chars.length && this.peek() !== '|') {
      if (this.peek() === '$') {
        this.at++;
        if (this.at < this.chars.length && this.peek() !== '|') throw new Untranslatable('`$` before the end of the pattern');
        anchoredEnd = true;
        break;
      }
      body += this.readPiece(0);
    }
    if (body === '') return anchoredStart && anchoredEnd ? '' : ANYTHING;
    return `${anchoredStart ? '' : ANYTHING}${body}${anchoredEnd ? '' : ANYTHING}`;
  }

  /** One atom and its quantifier. */
  private readPiece(depth: number): string {
    const atom = this.readAtom(depth);
    return atom + this.readQuantifier();
  }

  private readAtom(depth: number): string {
    const c = this.next();
    switch (c) {
      case '\\':
        return this.readEscape(false);
      case '.':
        return '.';
      case '[':
        return this.readClass();
      case '(':
        return this.readGroup(depth + 1);
      case '^':
        throw new Untranslatable('`^` inside the pattern');
      case '$':
        throw new Untranslatable('`$` inside the pattern');
      default:
        return literal(c, XSD_META);
    }
  }

  private readGroup(depth: number): string {
    if (this.peek() === '?') {
      this.at++;
      const kind = this.next();
      if (kind === ':') {
        // non-capturing: XSD groups capture nothing anyway
      } else if (kind === '<' && this.peek() !== '=' && this.peek() !== '!') {
        while (this.next() !== '>'); // a named group
      } else {
        throw new Untranslatable('lookaround');
      }
    }
    let inner = '';
    for (;;) {
      const c = this.peek();
      if (c === undefined) throw new Untranslatable('unclosed group');
      if (c === ')') {
        this.at++;
        return `(${inner})`;
      }
      if (c === '|') {
        this.at++;
        inner += '|';
        continue;
      }
      inner += this.readPiece(depth);
    }
  }

  private readQuantifier(): string {
    const c = this.peek();
    let quantifier = '';
    if (c === '*' || c === '+' || c === '?') {
      this.at++;
      quantifier = c;
    } else if (c === '{') {
      const rest = this.chars.slice(this.at).join('');
      const m = /^\{\d+(,\d*)?\}/.exec(rest);
      if (!m) return '';
      this.at += m[0].length;
      quantifier = m[0];
    } else {
      return '';
    }
    // A lazy quantifier matches the same whole values as a greedy one.
    if (this.peek() === '?') this.at++;
    return quantifier;
  }

  private readClass(): string {
    let negated = false;
    if (this.peek() === '^') {
      this.at++;
      negated = true;
    }
    let items = '';
    for (;;) {
      const c = this.next();
      if (c === ']') break;
      let item = c === '\\' ? this.readEscape(true) : literal(c, XSD_CLASS_META);
      // A range: both ends are single characters (the loader's `u` flag guarantees it).
      if (this.peek() === '-' && this.chars[this.at + 1] !== undefined && this.chars[this.at + 1] !== ']') {
        this.at++;
        const end = this.next();
        item += '-' + (end === '\\' ? this.readEscape(true) : literal(end, XSD_CLASS_META));
      }
      items += item;
    }
    if (items === '') {
      if (negated) return '[\\s\\S]';
      throw new Untranslatable('an empty character class');
    }
    return `[${negated ? '^' : ''}${items}]`;
  }

  /** After a backslash; `inClass` for an escape inside `[...]`. */
  private readEscape(inClass: boolean): string {
    const c = this.next();
    const meta = inClass ? XSD_CLASS_META : XSD_META;
    switch (c) {
      case 'd':
        return inClass ? '0-9' : '[0-9]';
      case 'w':
        return inClass ? 'a-zA-Z0-9_' : '[a-zA-Z0-9_]';
      case 'D':
      case 'W':
        if (inClass) throw new Untranslatable(`\\${c} inside a character class`);
        return c === 'D' ? '[^0-9]' : '[^a-zA-Z0-9_]';
      case 's':
      case 'S':
        return `\\${c}`;
      case 't':
      case 'n':
      case 'r':
        return `\\${c}`;
      case 'x':
        return literal(String.fromCodePoint(parseInt(this.take(2), 16)), meta);
      case 'u':
        return literal(this.readUnicodeEscape(), meta);
      case 'p':
      case 'P': {
        const name = this.readBraced();
        if (!CATEGORIES.has(name)) throw new Untranslatable(`\\${c}{${name}}`);
        return `\\${c}{${name}}`;
      }
      case '-':
        return '\\-';
      default:
        if (/^[\^$\\.*+?()[\]{}|/]$/.test(c)) return literal(c, meta);
        throw new Untranslatable(`\\${c}`);
    }
  }

  private readUnicodeEscape(): string {
    if (this.peek() === '{') return String.fromCodePoint(parseInt(this.readBraced(), 16));
    const unit = parseInt(this.take(4), 16);
    // A surrogate pair written as two escapes is one character.
    if (unit >= 0xd800 && unit <= 0xdbff && this.chars[this.at] === '\\' && this.chars[this.at + 1] === 'u') {
      const low = parseInt(this.chars.slice(this.at + 2, this.at + 6).join(''), 16);
      if (low >= 0xdc00 && low <= 0xdfff) {
        this.at += 6;
        return String.fromCharCode(unit, low);
      }
    }
    return String.fromCharCode(unit);
  }

  private readBraced(): string {
    if (this.next() !== '{') throw new Untranslatable('a malformed escape');
    let name = '';
    for (let c = this.next(); c !== '}'; c = this.next()) name += c;
    return name;
  }

  private take(n: number): string {
    const s = this.chars.slice(this.at, this.at + n).join('');
    this.at += n;
    return s;
  }

  private peek(): string | undefined {
    return this.chars[this.at];
  }

  private next(): string {
    const c = this.chars[this.at++];
    if (c === undefined) throw new Untranslatable('an incomplete pattern');
    return c;
  }
}

function literal(c: string, meta: Set<string>): string {
  if (NOT_XML_CHAR.test(c)) throw new Untranslatable('a character XML cannot hold');
  return meta.has(c) ? `\\${c}` : c;
}
