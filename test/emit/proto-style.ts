// The naming and shape rules of buf's STANDARD lint category, checked over a
// protobufjs reflection of the emitted file. `buf` itself cannot be a
// dependency: its npm package needs a per-platform binary package, and the
// registry this project installs from lacks the non-Linux ones, so `npm ci`
// fails on a lock file that lists them. The rules are those documented at
// buf.build/docs/lint/rules; each violation names its rule like buf does.
import protobuf from 'protobufjs';

const PASCAL = /^[A-Z][A-Za-z0-9]*$/;
const LOWER_SNAKE = /^[a-z][a-z0-9]*(_[a-z0-9]+)*$/;
const UPPER_SNAKE = /^[A-Z][A-Z0-9]*(_[A-Z0-9]+)*$/;
const VERSION_SUFFIX = /\.v\d+((alpha|beta)\d*)?(p\d+(alpha|beta)\d*)?$/;

/** `BookStatus` -> `BOOK_STATUS`, as buf derives an enum value prefix. */
function upperSnake(name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/([A-Z])([A-Z][a-z])/g, '$1_$2')
    .toUpperCase();
}

export interface StyleOptions {
  /** Rules not checked, as a buf.yaml `except` list would. */
  except?: string[];
}

/**
 * Returns `RULE: where: what` lines for every violation in `source` (the text
 * of a .proto file at `path`, relative to the module root); empty when clean.
 */
export function checkProtoStyle(path: string, source: string, options: StyleOptions = {}): string[] {
  const except = new Set(options.except ?? []);
  const problems: string[] = [];
  const report = (rule: string, where: string, what: string) => {
    if (!except.has(rule)) problems.push(`${rule}: ${where}: ${what}`);
  };

  const parsed = protobuf.parse(source, { keepCase: true, alternateCommentMode: true });
  const pkg = parsed.package ?? '';
  if (pkg === '') report('PACKAGE_DEFINED', path, 'no package');
  for (const segment of pkg.split('.')) {
    if (!LOWER_SNAKE.test(segment)) report('PACKAGE_LOWER_SNAKE_CASE', pkg, `segment "${segment}"`);
  }
  if (!VERSION_SUFFIX.test(pkg)) report('PACKAGE_VERSION_SUFFIX', pkg, 'no version suffix');
  const dir = path.split('/').slice(0, -1).join('/');
  if (dir !== pkg.replaceAll('.', '/')) report('PACKAGE_DIRECTORY_MATCH', path, `package ${pkg}`);
  if (/^\s*import\s+(public|weak)\b/m.test(source)) report('IMPORT_NO_PUBLIC', path, 'public or weak import');
  if (/^\s*required\s/m.test(source)) report('FIELD_NOT_REQUIRED', path, 'required field');

  const messageNames = new Set<string>();
  const rpcTypes = new Map<string, string>();
  const visit = (ns: protobuf.NamespaceBase) => {
    for (const nested of ns.nestedArray) {
      if (nested instanceof protobuf.Type) {
        messageNames.add(nested.fullName.replace(/^\./, ''));
        if (!PASCAL.test(nested.name)) report('MESSAGE_PASCAL_CASE', nested.fullName, 'not PascalCase');
        for (const field of nested.fieldsArray) {
          if (!LOWER_SNAKE.test(field.name)) report('FIELD_LOWER_SNAKE_CASE', `${nested.fullName}.${field.name}`, 'not lower_snake_case');
        }
        for (const oneof of nested.oneofsArray) {
          // proto3 `optional` is a synthetic oneof `_name`; buf skips those.
          if (oneof.name.startsWith('_')) continue;
          if (!LOWER_SNAKE.test(oneof.name)) report('ONEOF_LOWER_SNAKE_CASE', `${nested.fullName}.${oneof.name}`, 'not lower_snake_case');
        }
        visit(nested);
      } else if (nested instanceof protobuf.Enum) {
        checkEnum(nested, report);
      } else if (nested instanceof protobuf.Service) {
        if (!PASCAL.test(nested.name)) report('SERVICE_PASCAL_CASE', nested.fullName, 'not PascalCase');
        if (!nested.name.endsWith('Service')) report('SERVICE_SUFFIX', nested.fullName, 'does not end in Service');
        for (const method of nested.methodsArray) {
          const where = `${nested.fullName}.${method.name}`;
          if (!PASCAL.test(method.name)) report('RPC_PASCAL_CASE', where, 'not PascalCase');
          const request = method.requestType.split('.').pop()!;
          const response = method.responseType.split('.').pop()!;
          const allowed = (suffix: string) => [`${method.name}${suffix}`, `${nested.name}${method.name}${suffix}`];
          if (!allowed('Request').includes(request)) report('RPC_REQUEST_STANDARD_NAME', where, `request ${request}`);
          if (!allowed('Response').includes(response)) report('RPC_RESPONSE_STANDARD_NAME', where, `response ${response}`);
          for (const type of [method.requestType, method.responseType]) {
            const previous = rpcTypes.get(type);
            if (previous !== undefined && previous !== where) {
              report('RPC_REQUEST_RESPONSE_UNIQUE', where, `${type} also used by ${previous}`);
            }
            rpcTypes.set(type, where);
          }
          if (method.requestType === method.responseType) report('RPC_REQUEST_RESPONSE_UNIQUE', where, 'same request and response');
        }
      } else if (nested instanceof protobuf.Namespace) {
        visit(nested);
      }
    }
  };
  visit(parsed.root);
  return problems;
}

function checkEnum(en: protobuf.Enum, report: (rule: string, where: string, what: string) => void): void {
  if (!PASCAL.test(en.name)) report('ENUM_PASCAL_CASE', en.fullName, 'not PascalCase');
  if (en.options?.allow_alias) report('ENUM_NO_ALLOW_ALIAS', en.fullName, 'allow_alias set');
  const prefix = `${upperSnake(en.name)}_`;
  const entries = Object.entries(en.values);
  const first = entries[0];
  if (first === undefined || first[1] !== 0) report('ENUM_FIRST_VALUE_ZERO', en.fullName, 'first value is not 0');
  const zero = entries.find(([, n]) => n === 0);
  if (zero !== undefined && zero[0] !== `${prefix}UNSPECIFIED`) {
    report('ENUM_ZERO_VALUE_SUFFIX', `${en.fullName}.${zero[0]}`, `zero value is not ${prefix}UNSPECIFIED`);
  }
  for (const [name] of entries) {
    if (!UPPER_SNAKE.test(name)) report('ENUM_VALUE_UPPER_SNAKE_CASE', `${en.fullName}.${name}`, 'not UPPER_SNAKE_CASE');
    if (!name.startsWith(prefix)) report('ENUM_VALUE_PREFIX', `${en.fullName}.${name}`, `no ${prefix} prefix`);
  }
}
