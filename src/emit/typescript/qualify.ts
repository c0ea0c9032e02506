// Files other than types.ts refer to contract types through a namespace
// import (`types.Book`), so a contract type can never clash with a name the
// file itself declares or imports (a type called `CallContext`, say).
const GLOBAL_TYPES = new Set(['Map', 'Uint8Array', 'Date', 'AsyncIterable', 'Promise', 'Record']);

export function qualify(text: string): string {
  return text.replace(/\b[A-Z][A-Za-z0-9_]*\b/g, (name) => (GLOBAL_TYPES.has(name) ? name : `types.${name}`));
}
