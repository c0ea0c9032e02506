// Name forms (snake, Pascal, ...) and the names each target cannot use.
// Every target name is computed from the contract name through these, so the
// word boundaries must be the same everywhere: `userID` is the words user+id in
// proto (`user_id`) and in gRPC (`UserId`) alike.

/**
 * The words of a name, lower-cased. Boundaries: any non-alphanumeric character,
 * a lower-case letter or digit followed by an upper-case one, and the last
 * capital of an acronym that starts a capitalised word (`XMLParser` ->
 * xml, parser). Digits stay with the word before them (`isbn13`, `V2`).
 */
export function splitWords(name: string): readonly string[] {
  // Every name is converted to several forms by several emitters: split each once.
  let words = wordsOf.get(name);
  if (words === undefined) {
    words = wordsIn(name);
    wordsOf.set(name, words);
  }
  return words;
}

const wordsOf = new Map<string, readonly string[]>();

function wordsIn(name: string): readonly string[] {
  const words: string[] = [];
  for (const chunk of name.split(/[^A-Za-z0-9]+/)) {
    let start = 0;
    for (let i = 1; i < chunk.length; i++) {
      const prev = chunk[i - 1]!;
      const cur = chunk[i]!;
      const next = chunk[i + 1];
      if (!isUpper(cur)) continue;
      const afterLowerOrDigit = isLower(prev) || isDigit(prev);
      const endsAcronym = isUpper(prev) && next !== undefined && isLower(next);
      if (afterLowerOrDigit || endsAcronym) {
        words.push(chunk.slice(start, i));
        start = i;
      }
    }
    if (chunk.length > start) words.push(chunk.slice(start));
  }
  return words.filter((w) => w.length > 0).map((w) => w.toLowerCase());
}

function isUpper(c: string): boolean {
  return c >= 'A' && c <= 'Z';
}
function isLower(c: string): boolean {
  return c >= 'a' && c <= 'z';
}
function isDigit(c: string): boolean {
  return c >= '0' && c <= '9';
}

function capitalize(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}

export function toSnakeCase(name: string): string {
  return splitWords(name).join('_');
}

export function toScreamingSnake(name: string): string {
  return splitWords(name).join('_').toUpperCase();
}

export function toKebabCase(name: string): string {
  return splitWords(name).join('-');
}

export function toPascalCase(name: string): string {
  return splitWords(name).map(capitalize).join('');
}

export function toCamelCase(name: string): string {
  const [first = '', ...rest] = splitWords(name);
  return first + rest.map(capitalize).join('');
}

/** Types and errors. */
export const IS_PASCAL = /^[A-Z][a-zA-Z0-9]*$/;
/** Fields, operations, events. */
export const IS_CAMEL = /^[a-z][a-zA-Z0-9]*$/;
/** Enum values. */
export const IS_UPPER_SNAKE = /^[A-Z][A-Z0-9]*(_[A-Z0-9]+)*$/;

export type Target = 'typescript' | 'proto' | 'graphql' | 'xml' | 'openapi' | 'asyncapi';
export type NameRole = 'type' | 'field' | 'enumValue' | 'operation' | 'event' | 'error';

export const GRAPHQL_BUILT_IN_SCALARS: readonly string[] = ['String', 'Int', 'Float', 'Boolean', 'ID'];
/** Custom scalars the GraphQL emitter may declare (src/emit/graphql/scalars.ts). */
export const GRAPHQL_APIGEN_SCALARS: readonly string[] = ['Int64', 'Decimal', 'Date', 'DateTime', 'UUID', 'Bytes', 'JSON'];
export const GRAPHQL_ROOT_TYPES: readonly string[] = ['Query', 'Mutation', 'Subscription'];

/**
 * A contract type's GraphQL name. GraphQL's built-in scalars cannot be
 * redefined, so a type named like one takes a trailing underscore (`String`
 * -> `String_`): no contract name contains `_`, so the escape never meets
 * another name. The runtime's graphql-values.ts applies the same rule to
 * `__typename`.
 */
export function graphqlTypeName(name: string): string {
  return GRAPHQL_BUILT_IN_SCALARS.includes(name) ? `${name}_` : name;
}

/**
 * A name apigen itself puts in a GraphQL schema (a root type, a custom
 * scalar): as written unless the contract's own names take it, then with a
 * trailing underscore (`Query_`, `Date_`), which no contract name has.
 */
export function graphqlOwnName(name: string, taken: ReadonlySet<string>): string {
  return taken.has(name) ? `${name}_` : name;
}

/**
 * Members the generated clients have besides the operations, on the same
 * object (`close`, the event clients' `subscribe`/`events`, the WebSocket
 * client's `ready`/`reconnects`), and `then`, which would make a client a
 * thenable that `await` unwraps.
 */
export const TS_CLIENT_MEMBERS: readonly string[] = ['close', 'events', 'ready', 'reconnects', 'subscribe', 'then'];

/**
 * Why `name` cannot be used for `role` in `target`, or undefined when it can.
 * Only single-name rules live here; collisions between two names after
 * conversion are the loader's business. The reason is a predicate phrase
 * ("is a built-in GraphQL scalar") to follow the quoted name in a message.
 */
export function reservedIn(target: Target, role: NameRole, name: string): string | undefined {
  switch (target) {
    case 'graphql':
      return reservedInGraphql(role, name);
    case 'typescript':
      return reservedInTypescript(role, name);
    case 'xml':
      return reservedInXml(role, name);
    case 'proto':
      return reservedInProto(role, name);
    case 'openapi':
    case 'asyncapi':
      // Schema names, property names and operationIds are free-form strings there.
      return undefined;
  }
}

function reservedInGraphql(role: NameRole, name: string): string | undefined {
  // GraphQL spec: type, field, argument, enum value and directive names starting with "__" belong to
  // introspection. Contract names cannot start with "_" (their case rules), so this only guards the rule.
  if (name.startsWith('__')) return 'begins with "__", which GraphQL reserves for introspection';
  // GraphQL spec, EnumValue: Name but not `true`, `false` or `null` (contract enum values are upper-case).
  if (role === 'enumValue' && (name === 'true' || name === 'false' || name === 'null')) return 'is a GraphQL literal, not allowed as an enum value';
  // Every other clash has an escape: a type named like a built-in scalar is `String_` (graphqlTypeName),
  // and apigen's own root types and custom scalars yield to contract names (graphqlOwnName).
  return undefined;
}

function reservedInTypescript(role: NameRole, name: string): string | undefined {
  // The typescript emitter prints every other name a contract may have: reserved words are property names there,
  // and a type named like a global (Date, Promise, Record, ...) is declared under its own name, the file's use of the
  // global then reached through globalThis (src/emit/typescript/file.ts, README "Names").
  if (role === 'operation' && TS_CLIENT_MEMBERS.includes(name)) {
    return `is a member every generated client has besides the operations (${TS_CLIENT_MEMBERS.join(', ')})`;
  }
  return undefined;
}

function reservedInXml(role: NameRole, name: string): string | undefined {
  void role;
  void name;
  // XML 1.0 (section 2.3) reserves names beginning with "xml" for future versions of XML, but every
  // processor must accept them (libxml2, node-soap and zeep do), so they are kept as written.
  // Types and elements share no symbol space in XSD, and the loader's collision checks cover the rest.
  return undefined;
}

function reservedInProto(role: NameRole, name: string): string | undefined {
  void role;
  void name;
  // An enum value UNSPECIFIED keeps its name; apigen's zero value yields (build.ts zeroValueName).
  // protoc accepts keywords as field names (a field statement starts with its type), and contract
  // type names are PascalCase while proto keywords and scalar names are lower-case. Collisions
  // after conversion are checked elsewhere.
  return undefined;
}
