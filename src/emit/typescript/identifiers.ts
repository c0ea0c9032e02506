// Names in generated TypeScript: which words the language reserves, which
// globals a contract name may be spelled like, and how a name is printed where
// it is a property (any string may be one) or an identifier (made safe).

/** ECMAScript reserved words, strict-mode reserved words, and `await` (reserved in modules). */
export const RESERVED_WORDS: readonly string[] = [
  'await', 'break', 'case', 'catch', 'class', 'const', 'continue', 'debugger', 'default', 'delete', 'do', 'else',
  'enum', 'export', 'extends', 'false', 'finally', 'for', 'function', 'if', 'implements', 'import', 'in',
  'instanceof', 'interface', 'let', 'new', 'null', 'package', 'private', 'protected', 'public', 'return', 'static',
  'super', 'switch', 'this', 'throw', 'true', 'try', 'typeof', 'var', 'void', 'while', 'with', 'yield',
];

/** Words TypeScript gives a meaning in some positions (types, declarations), and names with a fixed meaning. */
export const CONTEXTUAL_WORDS: readonly string[] = [
  'abstract', 'any', 'as', 'asserts', 'async', 'bigint', 'boolean', 'constructor', 'declare', 'get', 'infer', 'is',
  'keyof', 'module', 'namespace', 'never', 'number', 'object', 'of', 'readonly', 'require', 'set', 'string', 'symbol',
  'type', 'undefined', 'unique', 'unknown', 'arguments', 'eval', 'globalThis', 'satisfies', 'accessor', 'using',
];

/** Global values and types of JavaScript, TypeScript's lib and Node that a PascalCase contract name may equal. */
export const GLOBAL_NAMES: readonly string[] = [
  'AbortController', 'AbortSignal', 'AggregateError', 'Array', 'ArrayBuffer', 'ArrayLike', 'AsyncGenerator',
  'AsyncIterable', 'AsyncIterableIterator', 'AsyncIterator', 'Awaited', 'BigInt', 'Blob', 'Boolean', 'Buffer',
  'DataView', 'Date', 'Error', 'EvalError', 'Exclude', 'Extract', 'Float32Array', 'Float64Array', 'Function',
  'Generator', 'Headers', 'Infinity', 'InstanceType', 'Int8Array', 'Int16Array', 'Int32Array', 'Intl', 'Iterable',
  'IterableIterator', 'Iterator', 'JSON', 'Map', 'Math', 'NaN', 'NonNullable', 'Number', 'Object', 'Omit',
  'Parameters', 'Partial', 'Pick', 'Promise', 'PromiseLike', 'Proxy', 'RangeError', 'Readonly', 'ReadonlyArray',
  'ReadonlyMap', 'ReadonlySet', 'Record', 'ReferenceError', 'Reflect', 'RegExp', 'Request', 'Required', 'Response',
  'ReturnType', 'Set', 'SharedArrayBuffer', 'String', 'Symbol', 'SyntaxError', 'TextDecoder', 'TextEncoder',
  'TypeError', 'URIError', 'URL', 'Uint8Array', 'Uint8ClampedArray', 'Uint16Array', 'Uint32Array', 'WeakMap',
  'WeakRef', 'WeakSet', 'WebSocket',
];

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** A property name as written in an object type or literal: bare when it is an identifier name (reserved words included), quoted otherwise. */
export function propertyName(name: string): string {
  return IDENTIFIER.test(name) ? name : printString(name);
}

/** A method name in an interface: as a property name, except `new`, which unquoted would declare a construct signature. */
export function methodName(name: string): string {
  return name === 'new' ? printString(name) : propertyName(name);
}

/**
 * An identifier for `name` that no other binding of the file holds (`taken`) and the language accepts: `name`
 * itself, else `name$1`, `name$2`... (contract names have no `$`, so these never meet one).
 */
export function safeIdentifier(name: string, taken: (candidate: string) => boolean): string {
  const usable = (candidate: string) => !RESERVED_WORDS.includes(candidate) && candidate !== 'globalThis' && !taken(candidate);
  if (usable(name)) return name;
  for (let n = 1; ; n++) if (usable(`${name}$${n}`)) return `${name}$${n}`;
}

/**
 * A string literal as prettier prints it with singleQuote: single quotes unless the text holds more single than
 * double quotes, escaped as JSON.stringify escapes (backslashes, control characters, lone surrogates; all
 * escapes prettier keeps as they are). The embedded specs make multi-megabyte literals: in single quotes only
 * the few characters that need it go through a function, and line ends through one native replace.
 */
export function printString(text: string): string {
  if (moreSinglesThanDoubles(text)) return JSON.stringify(text);
  return `'${text.replace(ESCAPED, escapeCharacter).replaceAll('\n', '\\n')}'`;
}

// What a single-quoted literal cannot hold as it is, line ends aside; surrogates are told apart from pairs below.
const ESCAPED = /[\\'\x00-\x09\x0b-\x1f\ud800-\udfff]/g;

function escapeCharacter(c: string, at: number, text: string): string {
  if (isPairedSurrogate(c, at, text)) return c;
  return c === "'" ? "\\'" : JSON.stringify(c).slice(1, -1);
}

/** Whether `c`, a surrogate at `at` in `text`, is half of a pair (kept as it is) rather than alone (escaped). */
function isPairedSurrogate(c: string, at: number, text: string): boolean {
  const code = c.charCodeAt(0);
  if (code >= 0xd800 && code <= 0xdbff) {
    const next = text.charCodeAt(at + 1);
    return next >= 0xdc00 && next <= 0xdfff;
  }
  if (code >= 0xdc00 && code <= 0xdfff) {
    const previous = text.charCodeAt(at - 1);
    return previous >= 0xd800 && previous <= 0xdbff;
  }
  return false;
}

/**
 * A template literal holding `text` line for line: the embedded specs (WSDL, .proto, SDL) read in the
 * generated module as the spec itself reads, so a change to the spec is a change to the same lines in a
 * diff, not to one line megabytes long. Escaped: backslashes, backquotes, `${`, carriage returns (a
 * template literal would read them as line feeds), other control characters but tab, and lone
 * surrogates. Nothing else is touched, so the scan over megabytes is one native search for most texts.
 */
export function printTemplateText(text: string): string {
  if (!TEMPLATE_ESCAPED.test(text)) return `\`${text}\``;
  return `\`${text.replace(TEMPLATE_ESCAPED_ALL, escapeInTemplate)}\``;
}

const TEMPLATE_ESCAPED = /[\\`\x00-\x08\x0b-\x1f\ud800-\udfff]|\$\{/;
const TEMPLATE_ESCAPED_ALL = new RegExp(TEMPLATE_ESCAPED.source, 'g');

function escapeInTemplate(c: string, at: number, text: string): string {
  if (c === '${') return '\\${';
  if (c === '`') return '\\`';
  if (isPairedSurrogate(c, at, text)) return c;
  return JSON.stringify(c).slice(1, -1);
}

function moreSinglesThanDoubles(text: string): boolean {
  let singles = 0;
  for (let i = text.indexOf("'"); i !== -1; i = text.indexOf("'", i + 1)) singles++;
  let doubles = 0;
  for (let i = text.indexOf('"'); i !== -1 && doubles < singles; i = text.indexOf('"', i + 1)) doubles++;
  return singles > doubles;
}
