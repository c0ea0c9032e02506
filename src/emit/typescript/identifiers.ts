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
 * double quotes; escapes only where a literal needs them (and for characters that would not survive in a file).
 */
export function printString(text: string): string {
  let singles = 0;
  let doubles = 0;
  for (const c of text) {
    if (c === "'") singles++;
    else if (c === '"') doubles++;
  }
  const quote = singles > doubles ? '"' : "'";
  let out = quote;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    const code = text.charCodeAt(i);
    if (c === quote || c === '\\') out += `\\${c}`;
    else if (c === '\n') out += '\\n';
    else if (c === '\r') out += '\\r';
    else if (c === '\t') out += '\\t';
    else if (code < 0x20 || code === 0x7f) out += `\\u${code.toString(16).padStart(4, '0')}`;
    else if (code >= 0xd800 && code <= 0xdfff) {
      const next = text.charCodeAt(i + 1);
      if (code <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
        out += c + text[i + 1]!;
        i++;
      } else out += `\\u${code.toString(16)}`;
    } else out += c;
  }
  return out + quote;
}
