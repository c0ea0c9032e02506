// A corpus of contract edits generated from the example contracts: for every
// type, field, enum, union, operation, error and event the examples have (up
// to a few of each), the edits a team makes between releases. Each edit is the
// old contract and lock and the new contract and lock, as text. Edits that
// make the contract invalid (a removed field that was a path parameter) are
// dropped by the caller, which loads both sides.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';

export interface Edit {
  /** `bookstore: remove field Book.tags` */
  name: string;
  /** The kind of edit, for counting coverage: `field-remove`, `enum-add`, ... */
  kind: string;
  contract: string;
  oldText: string;
  oldLock: string;
  newText: string;
  newLock: string;
}

// The corpus works on plain data, so `any` is the honest type of a YAML document here.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Doc = any;

const PER_SECTION = 3;

function longForm(v: unknown): Record<string, unknown> {
  return typeof v === 'string' ? { type: v } : { ...(v as Record<string, unknown>) };
}

function typeOf(v: unknown): string {
  return String(longForm(v).type);
}

const SCALAR_SWAP: Record<string, string> = {
  string: 'int32', int32: 'int64', int64: 'string', uuid: 'string', decimal: 'float64', date: 'datetime',
  boolean: 'string', float32: 'float64', float64: 'int32', datetime: 'string', bytes: 'string', json: 'string',
};

export function buildCorpus(root: string, contracts: string[]): Edit[] {
  const edits: Edit[] = [];
  for (const contract of contracts) {
    const oldText = readFileSync(join(root, `${contract}.yaml`), 'utf8');
    const oldLock = readFileSync(join(root, `${contract}.apigen.lock`), 'utf8');
    const base: Doc = parse(oldText);
    const add = (kind: string, what: string, change: (d: Doc) => void, lock: (l: Doc) => void = () => undefined): void => {
      const doc = structuredClone(base);
      change(doc);
      const l = parse(oldLock);
      lock(l);
      edits.push({ name: `${contract}: ${what}`, kind, contract, oldText, oldLock, newText: stringify(doc), newLock: stringify(l) });
    };
    const addText = (kind: string, what: string, newText: string): void => {
      edits.push({ name: `${contract}: ${what}`, kind, contract, oldText, oldLock, newText, newLock: oldLock });
    };

    const types = Object.entries((base.types ?? {}) as Record<string, Doc>);
    const objects = types.filter(([, t]) => t.fields).slice(0, PER_SECTION);
    const enums = types.filter(([, t]) => t.enum).slice(0, 2);
    const unions = types.filter(([, t]) => t.union).slice(0, 2);

    for (const [tn, t] of objects) {
      const fields = Object.entries(t.fields as Record<string, unknown>);
      const [first] = fields[0]!;
      const plainRequired = fields.find(([, v]) => !typeOf(v).endsWith('?') && !longForm(v).readOnly && !typeOf(v).includes('<') && !typeOf(v).endsWith('[]'));
      const optional = fields.find(([, v]) => typeOf(v).endsWith('?'));
      const last = fields[fields.length - 1]![0];
      add('field-remove', `remove field ${tn}.${last}`, (d) => delete d.types[tn].fields[last]);
      add('field-rename', `rename field ${tn}.${last}`, (d) => {
        d.types[tn].fields = Object.fromEntries(Object.entries(d.types[tn].fields).map(([k, v]) => [k === last ? `${k}Renamed` : k, v]));
      });
      add('field-add-optional', `add optional field ${tn}.extraNote`, (d) => (d.types[tn].fields.extraNote = 'string?'));
      add('field-add-required', `add required field ${tn}.extraCount`, (d) => (d.types[tn].fields.extraCount = 'int32'));
      add('field-add-defaulted', `add defaulted field ${tn}.extraLimit`, (d) => (d.types[tn].fields.extraLimit = { type: 'int32', default: 10 }));
      add('field-deprecate', `deprecate field ${tn}.${first}`, (d) => (d.types[tn].fields[first] = { ...longForm(d.types[tn].fields[first]), deprecated: 'use something else' }));
      if (plainRequired) {
        const [fn, fv] = plainRequired;
        const scalar = typeOf(fv);
        add('field-make-optional', `make ${tn}.${fn} optional`, (d) => (d.types[tn].fields[fn] = { ...longForm(fv), type: `${scalar}?` }));
        if (SCALAR_SWAP[scalar]) {
          const to = SCALAR_SWAP[scalar]!;
          add('field-type', `change ${tn}.${fn} from ${scalar} to ${to}`, (d) => (d.types[tn].fields[fn] = { type: to }));
        }
        add('field-make-list', `make ${tn}.${fn} a list`, (d) => (d.types[tn].fields[fn] = { type: `${scalar}[]` }));
        add('field-make-map', `make ${tn}.${fn} a map`, (d) => (d.types[tn].fields[fn] = { type: `map<string, ${scalar}>` }));
        if (scalar === 'string') {
          add('constraint-tighten', `maxLength 3 on ${tn}.${fn}`, (d) => (d.types[tn].fields[fn] = { ...longForm(fv), maxLength: 3, minLength: undefined }));
          add('constraint-pattern', `pattern on ${tn}.${fn}`, (d) => (d.types[tn].fields[fn] = { ...longForm(fv), pattern: '^[a-z]*$' }));
        }
        if (scalar === 'int32' || scalar === 'float64') add('constraint-tighten', `max 10 on ${tn}.${fn}`, (d) => (d.types[tn].fields[fn] = { ...longForm(fv), max: 10 }));
        const lf = longForm(fv);
        if (['min', 'max', 'minLength', 'maxLength', 'pattern', 'maxItems'].some((k) => lf[k] !== undefined)) {
          add('constraint-loosen', `drop constraints of ${tn}.${fn}`, (d) => (d.types[tn].fields[fn] = { type: lf.type }));
        }
      }
      if (optional) {
        const [on, ov] = optional;
        add('field-make-required', `make ${tn}.${on} required`, (d) => (d.types[tn].fields[on] = { ...longForm(ov), type: typeOf(ov).slice(0, -1) }));
      }
      // Wire numbers: two fields swap numbers in the lock, as if the lock had been edited.
      if (fields.length >= 2) {
        add('wire-number', `swap the protobuf numbers of ${tn}.${fields[0]![0]} and ${tn}.${fields[1]![0]}`, () => undefined, (l) => {
          const numbers = l.messages?.[`type:${tn}`]?.fields;
          if (!numbers) return;
          const [a, b] = [fields[0]![0], fields[1]![0]];
          [numbers[a], numbers[b]] = [numbers[b], numbers[a]];
        });
      }
    }

    for (const [tn, t] of enums) {
      const values = (t.enum as unknown[]).map((v) => (typeof v === 'string' ? v : Object.keys(v as object)[0]!));
      add('enum-add', `add value NEW_VALUE to enum ${tn}`, (d) => d.types[tn].enum.push('NEW_VALUE'));
      add('enum-remove', `remove value ${values[values.length - 1]} from enum ${tn}`, (d) => d.types[tn].enum.pop());
      add('enum-deprecate', `deprecate value ${values[0]} of enum ${tn}`, (d) => (d.types[tn].enum[0] = { [values[0]!]: { deprecated: true } }));
    }

    for (const [tn, t] of unions) {
      const members = t.union as string[];
      const outsider = types.find(([n, x]) => x.fields && !members.includes(n))?.[0];
      if (outsider) add('union-add', `add member ${outsider} to union ${tn}`, (d) => d.types[tn].union.push(outsider));
      add('union-remove', `remove member ${members[members.length - 1]} from union ${tn}`, (d) => d.types[tn].union.pop());
      add('union-discriminator', `discriminator of union ${tn} changed`, (d) => (d.types[tn].discriminator = 'variant'));
    }

    if (objects[0]) {
      const tn = objects[0][0];
      addText('type-rename', `rename type ${tn} to ${tn}Renamed`, oldText.replace(new RegExp(`\\b${tn}\\b(?!\\w)`, 'g'), `${tn}Renamed`));
    }
    add('type-add', 'add type ExtraThing', (d) => (d.types = { ...d.types, ExtraThing: { fields: { name: 'string' } } }));

    const operations = Object.entries((base.operations ?? {}) as Record<string, Doc>).slice(0, PER_SECTION + 1);
    for (const [on, o] of operations) {
      add('operation-remove', `remove operation ${on}`, (d) => delete d.operations[on]);
      add('operation-rename', `rename operation ${on}`, (d) => {
        d.operations = Object.fromEntries(Object.entries(d.operations).map(([k, v]) => [k === on ? `${k}Renamed` : k, v]));
      });
      add('operation-kind', `operation ${on} kind toggled`, (d) => (d.operations[on].kind = o.kind === 'query' ? 'mutation' : 'query'));
      add('operation-deprecate', `deprecate operation ${on}`, (d) => (d.operations[on].deprecated = true));
      if (o.http) add('http-path', `operation ${on} moves to /v2`, (d) => (d.operations[on].http = String(o.http).replace(' /', ' /v2/')));
      else add('http-method', `operation ${on} gets http PUT`, (d) => (d.operations[on].http = `PUT /${on.toLowerCase()}`));
      if (o.auth === 'none') add('auth-add', `operation ${on} requires the default auth`, (d) => delete d.operations[on].auth);
      else if (base.auth?.schemes) add('auth-drop', `operation ${on} needs no auth`, (d) => (d.operations[on].auth = 'none'));
      const firstError = Object.keys(base.errors ?? {})[0];
      if (firstError && !(o.errors ?? []).includes(firstError)) add('operation-error-add', `operation ${on} may fail with ${firstError}`, (d) => (d.operations[on].errors = [...(o.errors ?? []), firstError]));
      if ((o.errors ?? []).length > 0) add('operation-error-remove', `operation ${on} no longer fails with ${o.errors[0]}`, (d) => (d.operations[on].errors = o.errors.slice(1)));
      const output = o.output === undefined ? undefined : typeOf(o.output);
      if (output && !output.startsWith('stream<')) {
        if (!output.endsWith('?')) add('output-optional', `output of ${on} optional`, (d) => (d.operations[on].output = `${output}?`));
        add('output-type', `output of ${on} becomes string`, (d) => (d.operations[on].output = 'string'));
        add('output-stream', `operation ${on} streams its output`, (d) => (d.operations[on].output = `stream<${output.replace(/\?$/, '').replace(/\[\]$/, '')}>`));
      }
      if (o.input && typeof o.input === 'object' && !Array.isArray(o.input)) {
        const inputs = Object.entries(o.input as Record<string, unknown>);
        add('input-add-required', `operation ${on} needs input extraFlag`, (d) => (d.operations[on].input.extraFlag = 'boolean'));
        add('input-add-optional', `operation ${on} takes optional input extraHint`, (d) => (d.operations[on].input.extraHint = 'string?'));
        const removable = inputs.find(([n]) => !String(o.http ?? '').includes(`{${n}}`));
        if (removable) add('input-remove', `operation ${on} drops input ${removable[0]}`, (d) => delete d.operations[on].input[removable[0]]);
        const optionalInput = inputs.find(([, v]) => typeOf(v).endsWith('?'));
        if (optionalInput) add('input-make-required', `input ${on}.${optionalInput[0]} required`, (d) => (d.operations[on].input[optionalInput[0]] = typeOf(optionalInput[1]).slice(0, -1)));
        const defaulted = inputs.find(([, v]) => longForm(v).default !== undefined);
        if (defaulted) add('default-change', `default of ${on}.${defaulted[0]} changed`, (d) => (d.operations[on].input[defaulted[0]] = { ...longForm(defaulted[1]), default: changedDefault(longForm(defaulted[1]).default) }));
      }
    }

    const errors = Object.entries((base.errors ?? {}) as Record<string, Doc>).slice(0, 2);
    for (const [en, e] of errors) {
      add('error-code', `error ${en} code changed`, (d) => (d.errors[en].code = e.code === 'FAILED_PRECONDITION' ? 'ABORTED' : 'FAILED_PRECONDITION'));
      add('error-field', `error ${en} gets field extraDetail`, (d) => (d.errors[en].fields = { ...(e.fields ?? {}), extraDetail: 'string' }));
      add('error-add', `add error ExtraProblem`, (d) => (d.errors = { ...d.errors, ExtraProblem: { code: 'ABORTED' } }));
    }

    const events = Object.entries((base.events ?? {}) as Record<string, Doc>).slice(0, 2);
    for (const [vn, v] of events) {
      add('event-remove', `remove event ${vn}`, (d) => delete d.events[vn]);
      add('event-rename', `rename event ${vn}`, (d) => {
        d.events = Object.fromEntries(Object.entries(d.events).map(([k, x]) => [k === vn ? `${k}Renamed` : k, x]));
      });
      if (v.key) add('event-key-remove', `event ${vn} loses its key`, (d) => delete d.events[vn].key);
      else {
        const payloadFields = typeof v.payload === 'object' ? Object.keys(v.payload) : Object.keys(base.types?.[v.payload]?.fields ?? {});
        if (payloadFields[0]) add('event-key-add', `event ${vn} keyed by ${payloadFields[0]}`, (d) => (d.events[vn].key = payloadFields[0]));
      }
      add('event-deprecate', `deprecate event ${vn}`, (d) => (d.events[vn].deprecated = true));
    }
    add('event-add', 'add event somethingHappened', (d) => (d.events = { ...(d.events ?? {}), somethingHappened: { payload: { at: 'datetime' } } }));

    add('service-version', 'service version bumped', (d) => (d.service.version = '99.0.0'));
    add('service-package', 'service package changed', (d) => (d.service.package = `${d.service.package}.next`));
    add('service-name', 'service renamed', (d) => (d.service.name = `${d.service.name}Next`));
    const scheme = Object.entries((base.auth?.schemes ?? {}) as Record<string, Doc>).find(([, s]) => s.type === 'apiKey');
    if (scheme) add('auth-scheme', `auth scheme ${scheme[0]} moves to another header`, (d) => (d.auth.schemes[scheme[0]].header = 'X-Other-Key'));
  }
  return edits;
}

function changedDefault(value: unknown): unknown {
  if (typeof value === 'number') return value + 1;
  if (typeof value === 'boolean') return !value;
  if (typeof value === 'string') return value;
  return value;
}
