// Where each named type is used, per style: whether callers in that style
// send it (input), receive it (output), or both. A change inside a type is
// judged only in the styles that see the type, and by how they see it.
import type { FieldSet, Model, TypeRef } from '../contract/model.js';
import { EVENT_STYLES, operationStyles, type DiffStyle } from './styles.js';

export interface Use {
  in: boolean;
  out: boolean;
}

export type Site = 'in' | 'out';

/** For every style, the named types its callers see and how. */
export type Reach = Map<DiffStyle, Map<string, Use>>;

export function reachOf(model: Model): Reach {
  const reach: Reach = new Map();
  const byName = new Map(model.types.map((t) => [t.name, t]));
  const mark = (styles: readonly DiffStyle[], ref: TypeRef, site: Site): void => {
    for (const style of styles) {
      let used = reach.get(style);
      if (!used) reach.set(style, (used = new Map()));
      visit(used, ref, site);
    }
  };
  const visit = (used: Map<string, Use>, ref: TypeRef, site: Site): void => {
    if (ref.kind === 'list') return visit(used, ref.element, site);
    if (ref.kind === 'map') return visit(used, ref.value, site);
    if (ref.kind === 'scalar') return;
    let use = used.get(ref.name);
    if (!use) used.set(ref.name, (use = { in: false, out: false }));
    if (use[site]) return;
    use[site] = true;
    const t = byName.get(ref.name);
    if (t?.kind === 'object') for (const f of t.fields) visit(used, f.type, site);
    if (t?.kind === 'union') for (const m of t.members) visit(used, { kind: 'object', name: m.type }, site);
  };
  const markFields = (styles: readonly DiffStyle[], set: FieldSet, site: Site): void => {
    for (const f of set.fields) mark(styles, f.type, site);
  };
  for (const op of model.operations) {
    const styles = operationStyles(op.styles);
    if (op.input.kind === 'fields') {
      if (op.input.named) mark(styles, { kind: 'object', name: op.input.named }, 'in');
      else markFields(styles, op.input, 'in');
    }
    if (op.input.kind === 'stream') mark(styles, op.input.element, 'in');
    if (op.output.kind === 'value') mark(styles, op.output.type, 'out');
    if (op.output.kind === 'stream') mark(styles, op.output.element, 'out');
    for (const name of op.errors) {
      const e = model.errors.find((x) => x.name === name);
      if (e) markFields(styles, e, 'out');
    }
  }
  for (const ev of model.events) {
    if (ev.payload.kind === 'named') mark(EVENT_STYLES, { kind: 'object', name: ev.payload.type }, 'out');
    else markFields(EVENT_STYLES, ev.payload, 'out');
  }
  return reach;
}

/** How the styles see a type in either version: the union of both. */
export function typeUse(reaches: Reach[], type: string): Map<DiffStyle, Use> {
  const out = new Map<DiffStyle, Use>();
  for (const reach of reaches) {
    for (const [style, used] of reach) {
      const use = used.get(type);
      if (!use) continue;
      const prev = out.get(style) ?? { in: false, out: false };
      out.set(style, { in: prev.in || use.in, out: prev.out || use.out });
    }
  }
  return out;
}
