// One generated TypeScript file. Emitter code prints into it and names every
// symbol it uses that the file does not declare (from apigen-runtime, a library,
// another generated file, or the globals) through `type()` or `value()`; each
// such use registers an import (type-only unless some use is a value), and the
// import block is printed last, when every name is known. Names the file
// declares are given first and keep their spelling; an import that meets a
// taken name is aliased (`Book as Book$1`), a global that meets one is reached
// as `globalThis.Date`, so no declaration ever shadows what the file uses.
import { safeIdentifier } from './identifiers.js';
import { list } from './layout.js';
import { isGeneratedFile, type TsSymbol } from './symbols.js';

interface Imported {
  symbol: TsSymbol;
  local: string;
  typeOnly: boolean;
}

export class TsFile {
  private readonly sections: string[] = [];
  /** Local name -> what holds it: `declared`, `global`, or the import's key. */
  private readonly taken = new Map<string, string>();
  private readonly imports = new Map<string, Imported>();
  private readonly reexports = new Map<string, { symbol: TsSymbol; typeOnly: boolean }>();
  /** Every name the file exports, and whether it is only a type. */
  private readonly exported = new Map<string, boolean>();
  private leadingComment = '';

  /**
   * `avoidExports`: names other generated modules export next to this one (through index.ts's `export *`), which a
   * re-export of the runtime here must not repeat.
   */
  constructor(
    readonly path: string,
    private readonly avoidExports: ReadonlySet<string> = new Set(),
  ) {}

  /** Names this file declares and exports as values (or classes), before any use of a symbol, so none of them is taken by an import. */
  declare(...names: string[]): void {
    for (const name of names) this.declareName(name, false);
  }

  /** Names this file declares and exports as types only (interfaces, type aliases). */
  declareTypes(...names: string[]): void {
    for (const name of names) this.declareName(name, true);
  }

  /** What the file exports: each name, and whether it is only a type. */
  exports(): ReadonlyMap<string, boolean> {
    return this.exported;
  }

  private declareName(name: string, typeOnly: boolean): void {
    const holder = this.taken.get(name);
    if (holder !== undefined && holder !== 'declared') throw new Error(`${this.path}: ${name} is declared after a use of ${holder}`);
    this.taken.set(name, 'declared');
    // A name declared as both (an interface and a const of the same name) is a value too.
    this.exported.set(name, typeOnly && this.exported.get(name) !== false);
  }

  /** The symbol as this file spells it where a type is expected. */
  type(symbol: TsSymbol): string {
    return this.use(symbol, true);
  }

  /** The symbol as this file spells it where a value is expected (its import is not type-only). */
  value(symbol: TsSymbol): string {
    return this.use(symbol, false);
  }

  /** `export { name } from '...'` (or `export type`), unless the file declares a name of its own spelled the same. */
  reexport(symbol: TsSymbol, typeOnly: boolean): void {
    if (this.exported.has(symbol.name) || this.avoidExports.has(symbol.name)) return;
    this.exported.set(symbol.name, typeOnly);
    this.reexports.set(`${symbol.from}#${symbol.name}`, { symbol, typeOnly });
  }

  /** A `//` comment above the imports, saying what the file is. */
  comment(text: string): void {
    this.leadingComment = `// ${text}`;
  }

  /** A top-level section of the body (a declaration with its doc comment); sections are separated by one blank line. */
  print(section: string): void {
    this.sections.push(section);
  }

  content(): string {
    const head = this.leadingComment === '' ? [] : [this.leadingComment];
    const blocks = [[...head, ...this.importLines()].join('\n'), this.reexportLines().join('\n'), ...this.sections];
    return `${blocks.filter((b) => b !== '').join('\n\n')}\n`;
  }

  private use(symbol: TsSymbol, typeOnly: boolean): string {
    if (symbol.from === 'global') {
      const holder = this.taken.get(symbol.name);
      if (holder === undefined || holder === 'global') {
        this.taken.set(symbol.name, 'global');
        return symbol.name;
      }
      return `globalThis.${symbol.name}`;
    }
    if (symbol.from === this.path) {
      if (this.taken.get(symbol.name) !== 'declared') throw new Error(`${this.path}: ${symbol.name} is used but not declared`);
      return symbol.name;
    }
    const key = `${symbol.from}#${symbol.namespace ? '*' : symbol.name}`;
    let imported = this.imports.get(key);
    if (imported === undefined) {
      const local = safeIdentifier(symbol.name, (candidate) => this.taken.has(candidate));
      this.taken.set(local, key);
      imported = { symbol, local, typeOnly };
      this.imports.set(key, imported);
    } else if (!typeOnly) imported.typeOnly = false;
    return imported.local;
  }

  private specifier(from: string): string {
    if (!isGeneratedFile(from)) return from;
    const here = this.path.split('/').slice(0, -1);
    const there = from.split('/');
    let common = 0;
    while (common < here.length && common < there.length - 1 && here[common] === there[common]) common++;
    const up = here.length - common;
    const rest = there.slice(common).join('/').replace(/\.ts$/, '.js');
    return up === 0 ? `./${rest}` : `${'../'.repeat(up)}${rest}`;
  }

  private importLines(): string[] {
    const byModule = groupByModule([...this.imports.values()].map((i) => ({ ...i, name: i.symbol.name })), (from) => this.specifier(from));
    return byModule.map(([from, entries]) => {
      const module = this.specifier(from);
      const namespace = entries.find((e) => e.symbol.namespace);
      if (namespace) return `import ${namespace.typeOnly ? 'type ' : ''}* as ${namespace.local} from '${module}';`;
      const allTypes = entries.every((e) => e.typeOnly);
      const names = entries.map((e) => {
        const alias = e.local === e.name ? e.name : `${e.name} as ${e.local}`;
        return !allTypes && e.typeOnly ? `type ${alias}` : alias;
      });
      // prettier breaks the braces of two names or more only.
      return list('', `import ${allTypes ? 'type ' : ''}{ `, names, ` } from '${module}';`, names.length === 1);
    });
  }

  private reexportLines(): string[] {
    const byModule = groupByModule([...this.reexports.values()].map((r) => ({ ...r, name: r.symbol.name })), (from) => this.specifier(from));
    return byModule.map(([from, entries]) => {
      const allTypes = entries.every((e) => e.typeOnly);
      const names = entries.map((e) => (!allTypes && e.typeOnly ? `type ${e.name}` : e.name));
      return list('', `export ${allTypes ? 'type ' : ''}{ `, names, ` } from '${this.specifier(from)}';`, names.length === 1);
    });
  }
}

/** Imports in a fixed order: node builtins, libraries, the runtime, then this output's own files; names sorted within each. */
function groupByModule<E extends { symbol: TsSymbol; name: string }>(entries: E[], specifier: (from: string) => string): [string, E[]][] {
  const groups = new Map<string, E[]>();
  for (const e of entries) {
    const group = groups.get(e.symbol.from);
    if (group) group.push(e);
    else groups.set(e.symbol.from, [e]);
  }
  const rank = (from: string) => (from.startsWith('node:') ? 0 : isGeneratedFile(from) ? 3 : from.startsWith('apigen-runtime') ? 2 : 1);
  return [...groups.entries()]
    .sort(([a], [b]) => rank(a) - rank(b) || compare(specifier(a), specifier(b)))
    .map(([from, group]) => [from, group.sort((a, b) => compare(a.name, b.name))]);
}

function compare(a: string, b: string): number {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  return x < y ? -1 : x > y ? 1 : a < b ? -1 : a > b ? 1 : 0;
}
