// How a query parameter travels: shared by the REST server and client.
import type { FieldDesc, TypeDesc } from './descriptor.js';

export type QueryEncoding = 'plain' | 'repeated' | 'json';

export function queryEncoding(field: FieldDesc): QueryEncoding {
  const plain = (t: TypeDesc) => t.kind === 'enum' || (t.kind === 'scalar' && t.scalar !== 'json');
  const type = field.type;
  if (plain(type)) return 'plain';
  if (type.kind === 'list' && plain(type.element) && !field.optional && field.default === undefined) return 'repeated';
  return 'json';
}
