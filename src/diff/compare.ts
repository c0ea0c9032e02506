// Walks two versions of a contract's model side by side and reports each
// change once, by code (see rules.ts), at its contract path
// (`types.Book.fields.tags`), with the styles that see it and how.
import type { Constraints, EnumType, ErrorDef, EventDef, Field, FieldSet, Model, NamedType, ObjectType, Operation, UnionType } from '../contract/model.js';
import { reachOf, typeUse, type Reach, type Use } from './reach.js';
import { relate, typeText, type Relation } from './relate.js';
import { changeMessage, RULES, type ChangeCode, type Rule } from './rules.js';
import { EVENT_STYLES, operationStyles, STYLES, worse, type ChangeSeverity, type DiffStyle } from './styles.js';

export interface Change {
  code: ChangeCode;
  /** Where in the contract: `types.Book.fields.tags`, `operations.getBook.http`. */
  at: string;
  message: string;
  /** Severity in each style that sees the change. */
  severities: Partial<Record<DiffStyle, ChangeSeverity>>;
  /** The worst of `severities`. */
  severity: ChangeSeverity;
}

/** The styles that see something, and whether their callers send it, receive it, or neither matters. */
type Where = Map<DiffStyle, Use>;

const ANY: Use = { in: true, out: true };

function everywhere(styles: readonly DiffStyle[], use: Use = ANY): Where {
  return new Map(styles.map((s) => [s, use]));
}

/** Unused types are still emitted in these specs. */
const UNUSED_TYPE_STYLES: readonly DiffStyle[] = ['rest', 'graphql', 'grpc-wire', 'grpc-json', 'typescript'];

function severityIn(rule: Rule, style: DiffStyle, use: Use): ChangeSeverity {
  if (rule.any) return rule.any[style];
  let s: ChangeSeverity = 'safe';
  if (use.in && rule.in) s = worse(s, rule.in[style]);
  if (use.out && rule.out) s = worse(s, rule.out[style]);
  if (!use.in && !use.out) s = worse(rule.in?.[style] ?? 'safe', rule.out?.[style] ?? 'safe');
  return s;
}

export function compareModels(oldModel: Model, newModel: Model): Change[] {
  return new Comparison(oldModel, newModel).run();
}

class Comparison {
  readonly changes: Change[] = [];
  readonly reaches: Reach[];
  readonly oldReach: Reach;
  readonly newReach: Reach;
  /** Old type name -> new type name, for types the comparison judged renamed. */
  readonly typeRenames = new Map<string, string>();

  constructor(
    readonly a: Model,
    readonly b: Model,
  ) {
    this.oldReach = reachOf(a);
    this.newReach = reachOf(b);
    this.reaches = [this.oldReach, this.newReach];
  }

  run(): Change[] {
    this.service();
    this.authSchemes();
    this.types();
    this.errors();
    this.operations();
    this.events();
    return this.changes;
  }

  /**
   * Reports one change. `severityOf` picks, per style, which rule's severities apply (type changes are
   * widened in one style and another type in the next); by default the change's own rule.
   */
  report(code: ChangeCode, at: string, args: Record<string, string>, where: Where, severityOf: (style: DiffStyle) => ChangeCode = () => code): void {
    if (where.size === 0) return;
    const severities: Partial<Record<DiffStyle, ChangeSeverity>> = {};
    let severity: ChangeSeverity = 'safe';
    // In the one order of STYLES, so that reports and JSON list the styles alike.
    for (const style of STYLES) {
      const use = where.get(style);
      if (!use) continue;
      const s = severityIn(RULES[severityOf(style)], style, use);
      severities[style] = s;
      severity = worse(severity, s);
    }
    this.changes.push({ code, at, message: changeMessage(code, args), severities, severity });
  }

  renamed = (name: string): string => this.typeRenames.get(name) ?? name;

  // --- service and auth ---

  service(): void {
    const [sa, sb] = [this.a.service, this.b.service];
    const all = everywhere(['rest', 'graphql', 'grpc-wire', 'grpc-json', 'soap', 'ws', 'mqtt', 'amqp', 'kafka', 'typescript']);
    if (sa.name !== sb.name) this.report('service-name-changed', 'service.name', { old: sa.name, new: sb.name }, all);
    if (sa.package !== sb.package) this.report('service-package-changed', 'service.package', { old: sa.package, new: sb.package }, all);
    // Derived from the package unless `namespace:` is set; SOAP is judged by the namespace alone.
    if (sa.namespace !== sb.namespace) this.report('service-namespace-changed', 'service.namespace', { old: sa.namespace, new: sb.namespace }, all);
    if (sa.version !== sb.version) this.report('service-version-changed', 'service.version', { old: sa.version, new: sb.version }, all);
  }

  authSchemes(): void {
    const everyStyle = everywhere(['rest', 'graphql', 'grpc-wire', 'grpc-json', 'soap', 'ws', 'mqtt', 'amqp', 'kafka', 'typescript']);
    for (const s of this.a.auth.schemes) {
      const t = this.b.auth.schemes.find((x) => x.name === s.name);
      if (!t) this.report('auth-scheme-removed', `auth.schemes.${s.name}`, { scheme: s.name }, everyStyle);
      else if (s.type !== t.type || s.httpHeader !== t.httpHeader) {
        const show = (x: typeof s): string => (x.type === 'apiKey' ? `apiKey in ${x.httpHeader}` : x.type);
        this.report('auth-scheme-changed', `auth.schemes.${s.name}`, { scheme: s.name, old: show(s), new: show(t) }, everyStyle);
      }
    }
    for (const t of this.b.auth.schemes) {
      if (!this.a.auth.schemes.some((x) => x.name === t.name)) this.report('auth-scheme-added', `auth.schemes.${t.name}`, { scheme: t.name }, everyStyle);
    }
  }

  auth(owner: string, at: string, before: string[], after: string[], where: Where): void {
    const show = (list: string[]): string => (list.length === 0 ? 'none' : list.join(', '));
    const args = { owner, old: show(before), new: show(after) };
    const gone = before.filter((s) => !after.includes(s));
    const added = after.filter((s) => !before.includes(s));
    if (gone.length === 0 && added.length === 0) return;
    if (before.length === 0) this.report('auth-required', at, args, where);
    else if (after.length === 0) this.report('auth-dropped', at, args, where);
    else if (gone.length > 0) this.report('auth-narrowed', at, args, where);
    else this.report('auth-widened', at, args, where);
  }

  // --- named types ---

  typeWhere(oldName: string | undefined, newName: string | undefined): Where {
    const where: Where = new Map();
    const add = (reach: Reach, name: string | undefined): void => {
      if (name === undefined) return;
      for (const [style, use] of typeUse([reach], name)) {
        const prev = where.get(style) ?? { in: false, out: false };
        where.set(style, { in: prev.in || use.in, out: prev.out || use.out });
      }
    };
    add(this.oldReach, oldName);
    add(this.newReach, newName);
    if (where.size === 0) return everywhere(UNUSED_TYPE_STYLES, { in: false, out: true });
    return where;
  }

  types(): void {
    const removed = this.a.types.filter((t) => !this.b.types.some((x) => x.name === t.name));
    const added = this.b.types.filter((t) => !this.a.types.some((x) => x.name === t.name));
    // A removed and an added type of the same shape is a rename.
    for (const t of removed) {
      const match = added.find((x) => !this.typeRenames.has(t.name) && ![...this.typeRenames.values()].includes(x.name) && sameShape(t, x));
      if (match) this.typeRenames.set(t.name, match.name);
    }
    for (const t of this.a.types) {
      const newName = this.renamed(t.name);
      const u = this.b.types.find((x) => x.name === newName);
      if (!u) {
        this.report('type-removed', `types.${t.name}`, { type: t.name }, this.typeWhere(t.name, undefined));
        continue;
      }
      const where = this.typeWhere(t.name, u.name);
      if (u.name !== t.name) {
        this.report('type-renamed', `types.${t.name}`, { old: t.name, new: u.name }, where);
        for (const union of this.a.types) {
          if (union.kind === 'union' && union.members.some((m) => m.type === t.name)) {
            this.report('union-member-tag-changed', `types.${union.name}.union.${t.name}`, { type: union.name, old: t.name, new: u.name }, this.typeWhere(union.name, this.renamed(union.name)));
          }
        }
      }
      this.type(t, u, where);
    }
    for (const u of this.b.types) {
      if (!this.a.types.some((t) => this.renamed(t.name) === u.name)) this.report('type-added', `types.${u.name}`, { type: u.name }, this.typeWhere(undefined, u.name));
    }
  }

  type(t: NamedType, u: NamedType, where: Where): void {
    const at = `types.${u.name}`;
    if (t.kind !== u.kind) {
      this.report('type-kind-changed', at, { type: u.name, old: t.kind, new: u.kind }, where);
      return;
    }
    this.deprecation(t.deprecated, u.deprecated, 'type-deprecated', 'type-undeprecated', at, { type: u.name }, where);
    if ((t.description ?? '') !== (u.description ?? '')) this.report('description-changed', at, { owner: `type ${u.name}` }, where);
    if (t.kind === 'object') this.fields(`type ${u.name}`, `${at}.fields`, t, u as ObjectType, where);
    if (t.kind === 'enum') this.enumValues(t, u as EnumType, where);
    if (t.kind === 'union') this.unionMembers(t, u as UnionType, where);
  }

  enumValues(t: EnumType, u: EnumType, where: Where): void {
    for (const v of t.values) {
      const w = u.values.find((x) => x.name === v.name);
      const at = `types.${u.name}.enum.${v.name}`;
      const args = { type: u.name, value: v.name };
      if (!w) {
        this.report('enum-value-removed', at, args, where);
        continue;
      }
      if (v.number !== w.number) this.report('enum-value-number-changed', at, { ...args, old: String(v.number), new: String(w.number) }, where);
      this.deprecation(v.deprecated, w.deprecated, 'enum-value-deprecated', 'enum-value-undeprecated', at, args, where);
    }
    for (const w of u.values) {
      if (!t.values.some((v) => v.name === w.name)) this.report('enum-value-added', `types.${u.name}.enum.${w.name}`, { type: u.name, value: w.name }, where);
    }
  }

  unionMembers(t: UnionType, u: UnionType, where: Where): void {
    for (const m of t.members) {
      const n = u.members.find((x) => x.type === this.renamed(m.type));
      const at = `types.${u.name}.union.${m.type}`;
      if (!n) {
        this.report('union-member-removed', at, { type: u.name, member: m.type }, where);
        continue;
      }
      if (m.number !== n.number) this.report('union-member-number-changed', at, { type: u.name, member: m.type, old: String(m.number), new: String(n.number) }, where);
    }
    for (const n of u.members) {
      if (!t.members.some((m) => this.renamed(m.type) === n.type)) this.report('union-member-added', `types.${u.name}.union.${n.type}`, { type: u.name, member: n.type }, where);
    }
    if (t.discriminator !== u.discriminator) this.report('union-discriminator-changed', `types.${u.name}.discriminator`, { type: u.name, old: t.discriminator, new: u.discriminator }, where);
  }

  // --- fields ---

  /** The field's styles: readOnly fields are in no input form, so senders never see them. */
  fieldWhere(where: Where, before: Field | undefined, after: Field | undefined): Where {
    const inInput = (before !== undefined && !before.readOnly) || (after !== undefined && !after.readOnly);
    if (inInput) return where;
    return new Map([...where].map(([s, use]) => [s, { in: false, out: use.out }]));
  }

  fields(owner: string, at: string, t: FieldSet, u: FieldSet, where: Where): void {
    const removed = t.fields.filter((f) => !u.fields.some((x) => x.name === f.name));
    const added = u.fields.filter((f) => !t.fields.some((x) => x.name === f.name));
    // Exactly one field gone and one of the same type and optionality new: a rename.
    if (removed.length === 1 && added.length === 1) {
      const [f, g] = [removed[0]!, added[0]!];
      if (f.optional === g.optional && relate(f.type, g.type, 'typescript', this.renamed) === 'same') {
        const fw = this.fieldWhere(where, f, g);
        this.report('field-renamed', `${at}.${f.name}`, { owner, old: f.name, new: g.name }, fw);
        this.field(owner, `${at}.${g.name}`, { ...f, name: g.name }, g, fw);
        return;
      }
    }
    for (const f of t.fields) {
      const g = u.fields.find((x) => x.name === f.name);
      if (!g) {
        this.report(f.optional ? 'optional-field-removed' : 'field-removed', `${at}.${f.name}`, { owner, field: f.name }, this.fieldWhere(where, f, undefined));
        continue;
      }
      this.field(owner, `${at}.${f.name}`, f, g, this.fieldWhere(where, f, g));
    }
    for (const g of added) {
      const required = !g.optional && !g.hasDefault;
      this.report(required ? 'field-added-required' : 'field-added-optional', `${at}.${g.name}`, { owner, field: g.name }, this.fieldWhere(where, undefined, g));
    }
  }

  field(owner: string, at: string, f: Field, g: Field, where: Where): void {
    const args = { owner, field: g.name };
    if (f.optional && !g.optional) this.report('field-made-required', at, args, where);
    if (!f.optional && g.optional) this.report('field-made-optional', at, args, where);
    this.typeChange('field-type-changed', at, args, f.type, g.type, where, {
      wider: 'field-type-widened',
      narrower: 'field-type-narrowed',
      incompatible: 'field-type-changed',
    });
    this.constraints(at, args, f.constraints, g.constraints, where);
    const shown = (x: Field): string => (x.hasDefault ? JSON.stringify(x.default) : 'none');
    if (shown(f) !== shown(g)) this.report('default-changed', at, { ...args, old: shown(f), new: shown(g) }, where);
    if (!f.readOnly && g.readOnly) this.report('field-readonly-added', at, args, where);
    if (f.readOnly && !g.readOnly) this.report(g.optional || g.hasDefault ? 'optional-field-readonly-removed' : 'field-readonly-removed', at, args, where);
    if (f.number !== g.number) this.report('field-number-changed', at, { ...args, old: String(f.number), new: String(g.number) }, where);
    this.deprecation(f.deprecated, g.deprecated, 'field-deprecated', 'field-undeprecated', at, args, where);
    if ((f.description ?? '') !== (g.description ?? '')) this.report('description-changed', at, { owner: `${owner} field ${g.name}` }, where);
  }

  typeChange(
    code: ChangeCode,
    at: string,
    args: Record<string, string>,
    before: Field['type'],
    after: Field['type'],
    where: Where,
    codes: Record<Exclude<Relation, 'same'>, ChangeCode>,
  ): void {
    const relations = new Map([...where.keys()].map((s) => [s, relate(before, after, s, this.renamed)]));
    if ([...relations.values()].every((r) => r === 'same')) return;
    // Styles in which nothing changes (float32 -> float64 is `Float` in GraphQL both times) are left out.
    const changed: Where = new Map([...where].filter(([s]) => relations.get(s) !== 'same'));
    this.report(code, at, { ...args, old: typeText(before), new: typeText(after) }, changed, (s) => codes[relations.get(s) as Exclude<Relation, 'same'>]);
  }

  constraints(at: string, args: Record<string, string>, c: Constraints, d: Constraints, where: Where): void {
    const lower = ['min', 'minLength', 'minItems'] as const;
    const upper = ['max', 'maxLength', 'maxItems'] as const;
    const show = (v: unknown): string => (v === undefined ? 'none' : String(v));
    for (const key of [...lower, ...upper]) {
      const [x, y] = [c[key], d[key]];
      if (x === y || (x !== undefined && y !== undefined && Number(x) === Number(y))) continue;
      const isLower = (lower as readonly string[]).includes(key);
      // A bound added narrows; a bound removed widens; otherwise compare the numbers.
      const tighter = x === undefined ? true : y === undefined ? false : isLower ? Number(y) > Number(x) : Number(y) < Number(x);
      this.report(tighter ? 'constraint-tightened' : 'constraint-loosened', `${at}.${key}`, { ...args, constraint: key, old: show(x), new: show(y) }, where);
    }
    if (c.pattern !== d.pattern) {
      const a2 = { ...args, constraint: 'pattern', old: show(c.pattern), new: show(d.pattern) };
      if (c.pattern === undefined) this.report('constraint-tightened', `${at}.pattern`, a2, where);
      else if (d.pattern === undefined) this.report('constraint-loosened', `${at}.pattern`, a2, where);
      else this.report('constraint-changed', `${at}.pattern`, a2, where);
    }
  }

  deprecation(
    before: { reason?: string } | undefined,
    after: { reason?: string } | undefined,
    added: ChangeCode,
    removed: ChangeCode,
    at: string,
    args: Record<string, string>,
    where: Where,
  ): void {
    if (!before && after) this.report(added, at, args, where);
    if (before && !after) this.report(removed, at, args, where);
  }

  // --- errors ---

  errorWhere(model: Model, name: string): DiffStyle[] {
    const styles = new Set<DiffStyle>(['typescript']);
    for (const op of model.operations) if (op.errors.includes(name)) for (const s of operationStyles(op.styles)) styles.add(s);
    return [...styles];
  }

  errors(): void {
    for (const e of this.a.errors.filter((x) => x.declared)) {
      const f = this.b.errors.find((x) => x.declared && x.name === e.name);
      const where = everywhere([...new Set([...this.errorWhere(this.a, e.name), ...(f ? this.errorWhere(this.b, e.name) : []), 'graphql' as const])], { in: false, out: true });
      if (!f) {
        this.report('error-removed', `errors.${e.name}`, { error: e.name }, where);
        continue;
      }
      this.error(e, f, where);
    }
    for (const f of this.b.errors.filter((x) => x.declared)) {
      if (!this.a.errors.some((x) => x.declared && x.name === f.name)) this.report('error-added', `errors.${f.name}`, { error: f.name }, everywhere(this.errorWhere(this.b, f.name)));
    }
  }

  error(e: ErrorDef, f: ErrorDef, where: Where): void {
    if (e.mapping.code !== f.mapping.code) this.report('error-code-changed', `errors.${f.name}.code`, { error: f.name, old: e.mapping.code, new: f.mapping.code }, where);
    if ((e.description ?? '') !== (f.description ?? '')) this.report('description-changed', `errors.${f.name}`, { owner: `error ${f.name}` }, where);
    this.fields(`error ${f.name}`, `errors.${f.name}.fields`, e, f, where);
  }

  // --- operations ---

  operations(): void {
    const removed = this.a.operations.filter((o) => !this.b.operations.some((x) => x.name === o.name));
    const added = this.b.operations.filter((o) => !this.a.operations.some((x) => x.name === o.name));
    const renames = new Map<string, Operation>();
    for (const o of removed) {
      const match = added.find((x) => ![...renames.values()].includes(x) && this.sameSignature(o, x));
      if (match) renames.set(o.name, match);
    }
    for (const o of this.a.operations) {
      const p = renames.get(o.name) ?? this.b.operations.find((x) => x.name === o.name);
      const at = `operations.${o.name}`;
      if (!p) {
        this.report('operation-removed', at, { operation: o.name }, everywhere(operationStyles(o.styles)));
        continue;
      }
      if (p.name !== o.name) {
        const sameRoute = o.http.method === p.http.method && o.http.path === p.http.path;
        const styles = operationStyles(o.styles).filter((s) => s !== 'rest' || !sameRoute);
        // REST knows the operation by its route: a rename that keeps it is invisible there.
        this.report('operation-renamed', at, { old: o.name, new: p.name }, everywhere(styles));
      }
      this.operation(o, p);
    }
    for (const p of added) {
      if (![...renames.values()].includes(p)) this.report('operation-added', `operations.${p.name}`, { operation: p.name }, everywhere(operationStyles(p.styles)));
    }
  }

  sameSignature(o: Operation, p: Operation): boolean {
    const sig = (x: Operation): string =>
      JSON.stringify([
        x.stream,
        x.input.kind === 'fields' ? x.input.fields.map((f) => [f.name, typeText(f.type), f.optional]) : x.input.kind === 'stream' ? typeText(x.input.element) : null,
        x.output.kind === 'none' ? null : x.output.kind === 'value' ? [typeText(x.output.type), x.output.optional] : typeText(x.output.element),
      ]);
    return sig(o) === sig(p);
  }

  operation(o: Operation, p: Operation): void {
    const at = `operations.${p.name}`;
    const before = operationStyles(o.styles);
    const after = operationStyles(p.styles);
    const both = before.filter((s) => after.includes(s));
    const where = everywhere(both);
    const args = { operation: p.name };
    if (o.stream !== p.stream) {
      this.report('operation-stream-changed', `${at}.stream`, { ...args, old: o.stream, new: p.stream }, everywhere([...new Set([...before, ...after])]));
      return;
    }
    const dropped = before.filter((s) => !after.includes(s));
    if (dropped.length > 0) this.report('operation-style-dropped', at, { ...args, styles: dropped.join(', ') }, everywhere(dropped));
    if (o.kind !== p.kind) this.report('operation-kind-changed', `${at}.kind`, { ...args, old: o.kind, new: p.kind }, where);
    // A renamed operation's new route is part of the rename (reported for REST there), not a second change.
    if (both.includes('rest') && o.name === p.name) {
      if (o.http.method !== p.http.method) this.report('http-method-changed', `${at}.http`, { ...args, old: o.http.method, new: p.http.method }, everywhere(['rest']));
      if (o.http.path !== p.http.path) this.report('http-path-changed', `${at}.http`, { ...args, old: o.http.path, new: p.http.path }, everywhere(['rest']));
    }
    this.auth(`operation ${p.name}`, `${at}.auth`, o.auth, p.auth, where);
    this.input(o, p, where);
    this.output(o, p, where);
    for (const e of o.errors) if (!p.errors.includes(e)) this.report('operation-error-removed', `${at}.errors.${e}`, { ...args, error: e }, where);
    for (const e of p.errors) if (!o.errors.includes(e)) this.report('operation-error-added', `${at}.errors.${e}`, { ...args, error: e }, where);
    this.deprecation(o.deprecated, p.deprecated, 'operation-deprecated', 'operation-undeprecated', at, args, where);
    if ((o.description ?? '') !== (p.description ?? '')) this.report('description-changed', at, { owner: `operation ${p.name}` }, where);
  }

  input(o: Operation, p: Operation, where: Where): void {
    const at = `operations.${p.name}.input`;
    const args = { operation: p.name };
    const [x, y] = [o.input, p.input];
    const show = (i: Operation['input']): string => (i.kind === 'none' ? 'none' : i.kind === 'stream' ? `stream<${typeText(i.element)}>` : i.named ?? 'fields');
    const sending = new Map([...where].map(([s]) => [s, { in: true, out: false }]));
    if (x.kind !== y.kind) {
      // No input to an input of optional fields only is compatible for every caller.
      const onlyOptional = x.kind === 'none' && y.kind === 'fields' && y.fields.every((f) => f.optional || f.hasDefault || f.readOnly);
      if (!onlyOptional) this.report('operation-input-changed', at, { ...args, old: show(x), new: show(y) }, sending);
      if (x.kind === 'none' && y.kind === 'fields') this.fields(`operation ${p.name} input`, at, { fields: [], reservedNames: [], reservedNumbers: [] }, y, sending);
      return;
    }
    if (x.kind === 'stream' && y.kind === 'stream') {
      this.typeChange('operation-input-changed', at, args, x.element, y.element, sending, {
        wider: 'field-type-widened',
        narrower: 'field-type-narrowed',
        incompatible: 'operation-input-changed',
      });
      return;
    }
    if (x.kind !== 'fields' || y.kind !== 'fields') return;
    if (x.named && y.named) {
      // Both named: the type's own comparison covers the fields.
      if (this.renamed(x.named) !== y.named) this.report('operation-input-type-renamed', at, { ...args, old: x.named, new: y.named }, sending);
      return;
    }
    if (x.named !== y.named) this.report('operation-input-type-renamed', at, { ...args, old: x.named ?? 'inline fields', new: y.named ?? 'inline fields' }, sending);
    this.fields(`operation ${p.name} input`, at, x, y, sending);
  }

  output(o: Operation, p: Operation, where: Where): void {
    const at = `operations.${p.name}.output`;
    const args = { operation: p.name };
    const [x, y] = [o.output, p.output];
    const receiving = new Map([...where].map(([s]) => [s, { in: false, out: true }]));
    const show = (out: Operation['output']): string => (out.kind === 'none' ? 'nothing' : out.kind === 'stream' ? `stream<${typeText(out.element)}>` : typeText(out.type));
    if (x.kind === 'none' && y.kind === 'value') return this.report('operation-output-added', at, { ...args, new: show(y) }, receiving);
    if (x.kind === 'value' && y.kind === 'none') return this.report('operation-output-removed', at, { ...args, old: show(x) }, receiving);
    if (x.kind !== y.kind) return this.report('operation-output-changed', at, { ...args, old: show(x), new: show(y) }, receiving);
    if (x.kind === 'none' || y.kind === 'none') return;
    const [ta, tb] = [x.kind === 'value' ? x.type : x.element, y.kind === 'value' ? y.type : y.element];
    this.typeChange('operation-output-changed', at, { ...args }, ta, tb, receiving, {
      wider: 'operation-output-widened',
      narrower: 'operation-output-narrowed',
      incompatible: 'operation-output-changed',
    });
    if (x.kind === 'value' && y.kind === 'value') {
      if (!x.optional && y.optional) this.report('operation-output-made-optional', at, args, receiving);
      if (x.optional && !y.optional) this.report('operation-output-made-required', at, args, receiving);
    }
  }

  // --- events ---

  events(): void {
    const eventWhere = everywhere(EVENT_STYLES, { in: false, out: true });
    if (this.a.events.length > 0 && this.b.events.length > 0) {
      // Subscriptions use the default auth; brokers authenticate on their own.
      const subscribing = everywhere(['rest', 'graphql', 'grpc-wire', 'grpc-json', 'ws', 'typescript'], { in: false, out: true });
      this.auth('event subscriptions', 'auth.default', this.a.auth.default, this.b.auth.default, subscribing);
    }
    const removed = this.a.events.filter((e) => !this.b.events.some((x) => x.name === e.name));
    const added = this.b.events.filter((e) => !this.a.events.some((x) => x.name === e.name));
    const renames = new Map<string, EventDef>();
    for (const e of removed) {
      const match = added.find((x) => ![...renames.values()].includes(x) && this.samePayload(e, x) && (e.key === undefined) === (x.key === undefined));
      if (match) renames.set(e.name, match);
    }
    for (const e of this.a.events) {
      const f = renames.get(e.name) ?? this.b.events.find((x) => x.name === e.name);
      const at = `events.${e.name}`;
      if (!f) {
        this.report('event-removed', at, { event: e.name }, eventWhere);
        continue;
      }
      if (f.name !== e.name) this.report('event-renamed', at, { old: e.name, new: f.name }, eventWhere);
      this.event(e, f, eventWhere);
    }
    for (const f of added) if (![...renames.values()].includes(f)) this.report('event-added', `events.${f.name}`, { event: f.name }, eventWhere);
  }

  samePayload(e: EventDef, f: EventDef): boolean {
    if (e.payload.kind === 'named' && f.payload.kind === 'named') return this.renamed(e.payload.type) === f.payload.type;
    if (e.payload.kind === 'inline' && f.payload.kind === 'inline') {
      const sig = (p: FieldSet): string => JSON.stringify(p.fields.map((x) => [x.name, typeText(x.type), x.optional]));
      return sig(e.payload) === sig(f.payload);
    }
    return false;
  }

  event(e: EventDef, f: EventDef, where: Where): void {
    const at = `events.${f.name}`;
    const args = { event: f.name };
    const [x, y] = [e.payload, f.payload];
    if (x.kind === 'named' && y.kind === 'named') {
      if (this.renamed(x.type) !== y.type) this.report('event-payload-changed', `${at}.payload`, { ...args, old: x.type, new: y.type }, where);
    } else if (x.kind === 'inline' && y.kind === 'inline') {
      this.fields(`event ${f.name} payload`, `${at}.payload`, x, y, where);
    } else {
      const shown = (p: EventDef['payload']): string => (p.kind === 'named' ? p.type : 'inline fields');
      const fieldsOf = (p: EventDef['payload'], m: Model): FieldSet => (p.kind === 'inline' ? p : (m.types.find((t) => t.name === p.type) as ObjectType | undefined) ?? { fields: [], reservedNames: [], reservedNumbers: [] });
      this.report('event-payload-renamed', `${at}.payload`, { ...args, old: shown(x), new: shown(y) }, where);
      this.fields(`event ${f.name} payload`, `${at}.payload`, fieldsOf(x, this.a), fieldsOf(y, this.b), where);
    }
    if (e.key !== f.key) {
      if (e.key === undefined) this.report('event-key-added', `${at}.key`, { ...args, new: f.key! }, where);
      else if (f.key === undefined) this.report('event-key-removed', `${at}.key`, { ...args, old: e.key }, where);
      else this.report('event-key-changed', `${at}.key`, { ...args, old: e.key, new: f.key }, where);
    }
    this.deprecation(e.deprecated, f.deprecated, 'event-deprecated', 'event-undeprecated', at, args, where);
    if ((e.description ?? '') !== (f.description ?? '')) this.report('description-changed', at, { owner: `event ${f.name}` }, where);
  }
}

/** Two types with the same structure (names of members aside from the type's own name). */
function sameShape(t: NamedType, u: NamedType): boolean {
  if (t.kind !== u.kind) return false;
  if (t.kind === 'object' && u.kind === 'object') {
    const sig = (o: ObjectType): string => JSON.stringify(o.fields.map((f) => [f.name, typeText(f.type), f.optional, f.readOnly]));
    return sig(t) === sig(u);
  }
  if (t.kind === 'enum' && u.kind === 'enum') return JSON.stringify(t.values.map((v) => v.name)) === JSON.stringify(u.values.map((v) => v.name));
  if (t.kind === 'union' && u.kind === 'union') return JSON.stringify(t.members.map((m) => m.type)) === JSON.stringify(u.members.map((m) => m.type)) && t.discriminator === u.discriminator;
  return false;
}
