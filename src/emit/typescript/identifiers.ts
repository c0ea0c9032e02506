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
 * double quotes. JSON.stringify does the escaping (backslashes, control characters, lone surrogates, all escapes
 * prettier keeps as they are) in one native pass: the embedded specs make multi-megabyte literals.
 */
export function printString(text: string): string {
  let singles = 0;
  let doubles = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code === 39) singles++;
    else if (code === 34) doubles++;
  }
  const json = JSON.stringify(text);
  if (singles > doubles) return json;
  // In JSON text every `"` of the content is `\"`, so this finds exactly those.
  const body = json.slice(1, -1).split('\\"').join('"').split("'").join("\\'");
  return `'${body}'`;
}
