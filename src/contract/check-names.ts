// Names every target derives from the contract, checked once: a name a target
// cannot use (names.ts' reservedIn), and two names that become the same name
// in some target. Each problem names the target and its rule.
import type { Model, SourcePos } from './model.js';
import { reservedIn, type NameRole, type Target } from './names.js';
import type { ContractSource } from './source.js';

interface Claim {
  converted: string;
  what: string;
  name: string;
  pos: SourcePos;
}

const RULES: Record<string, string> = {
  proto: 'messages, enums, enum values and the service share the package scope',
  graphql: 'types, inputs and scalars share one schema namespace',
  typescript: 'generated types and classes share one module',
  xml: 'complex types and elements of the schema must be unique',
  openapi: 'component schema names must be unique',
  protoField: 'protobuf field names of one message are snake_case and must differ',
};

/** Errors the runtime raises itself in every style (missing credentials, a cancelled call): their wire names are taken. */
const RUNTIME_ERRORS: Record<string, string> = { Unauthenticated: 'UNAUTHENTICATED', Cancelled: 'CANCELLED' };

/** The name spaces and rules each emitter target relies on; the typescript target serves every style, so all. */
const SPACES_OF_TARGET: Record<string, readonly string[]> = {
  openapi: ['openapi'],
  asyncapi: ['openapi', 'asyncapi'],
  graphql: ['graphql'],
  proto: ['proto', 'protoField'],
  wsdl: ['xml'],
  typescript: ['typescript', 'proto', 'protoField', 'graphql', 'xml', 'openapi', 'asyncapi'],
  model: [],
};

/**
 * `targets`: the emitter targets being generated (`generate --only`); a name
 * problem of a target that is not generated is not reported. All when undefined.
 */
export function checkNames(src: ContractSource, model: Model, targets?: readonly string[]): void {
  const active = targets === undefined ? undefined : new Set(targets.flatMap((t) => SPACES_OF_TARGET[t] ?? [t]));
  const checks = (space: string) => active === undefined || active.has(space);
  const spaces = new Map<string, Map<string, Claim>>();
  const claim = (space: string, converted: string, what: string, name: string, pos: SourcePos, target = space) => {
    if (!checks(space)) return;
    let m = spaces.get(space);
    if (!m) spaces.set(space, (m = new Map()));
    const prev = m.get(converted);
    if (prev) {
      src.reportAt('name-collision', pos, name.length, { what, name, target, converted, other: `${prev.what} "${prev.name}"`, rule: RULES[space] ?? RULES[target] ?? 'names must be unique' });
      return;
    }
    m.set(converted, { converted, what, name, pos });
  };
  const reserved = (candidates: Target[], role: NameRole, what: string, name: string, pos: SourcePos) => {
    for (const target of candidates) {
      if (!checks(target)) continue;
      const reason = reservedIn(target, role, name);
      if (reason) {
        src.reportAt('name-reserved', pos, name.length, { what, name, reason, target });
        return;
      }
    }
  };
  const all: Target[] = ['typescript', 'proto', 'graphql', 'xml', 'openapi', 'asyncapi'];

  claim('proto', model.service.name, 'the service', model.service.name, { file: src.file, line: 1, col: 1 });
  // The implicit INVALID_ARGUMENT and INTERNAL errors claim their names first, so a contract name
  // that takes one is reported where the contract wrote it.
  const implicit = model.errors.filter((x) => !x.declared);
  for (const e of implicit) claimError(e, 'the implicit error');
  for (const schema of ['UnauthenticatedProblem', 'CancelledProblem', 'ContentTooLargeProblem', 'UnsupportedMediaTypeProblem'])
    claim('openapi', schema, 'a problem schema of the runtime', schema, { file: src.file, line: 1, col: 1 });
  for (const t of model.types) {
    reserved(all, 'type', 'type', t.name, t.pos);
    claim('proto', t.names.proto, `type`, t.name, t.pos);
    claim('graphql', t.names.graphql, 'type', t.name, t.pos);
    claim('typescript', t.names.ts, 'type', t.name, t.pos);
    claim('xml', t.names.xsd, 'type', t.name, t.pos);
    claim('openapi', t.names.openapi, 'type', t.name, t.pos);
    if (t.usedInInput && t.kind !== 'enum') claim('graphql', t.names.graphqlInput, `the input form of type`, t.name, t.pos);
    if (t.kind === 'object' && t.needsInputVariant && t.usedInInput) {
      claim('typescript', t.names.tsInput, 'the input form of type', t.name, t.pos);
      claim('xml', t.names.xsdInput, 'the input form of type', t.name, t.pos);
    }
    if (t.kind === 'enum') {
      claim('proto', t.protoZeroName, 'the zero value of enum', t.name, t.pos);
      for (const v of t.values) {
        reserved(all, 'enumValue', `value of enum "${t.name}"`, v.name, v.pos);
        claim('proto', v.names.proto, `value of enum "${t.name}"`, v.name, v.pos);
      }
    }
    if (t.kind === 'object') checkFields(t.fields, `type "${t.name}"`);
  }
  for (const e of model.errors.filter((x) => x.declared)) {
    reserved(all, 'error', 'error', e.name, e.pos);
    const same = implicit.find((x) => x.name === e.name);
    if (same) src.reportAt('name-reserved', e.pos, e.name.length, { what: 'error', name: e.name, reason: `is the name of the implicit ${same.mapping.code} error that every operation may raise`, target: 'every target' });
    else if (Object.hasOwn(RUNTIME_ERRORS, e.name))
      src.reportAt('name-reserved', e.pos, e.name.length, { what: 'error', name: e.name, reason: `is the name of the ${RUNTIME_ERRORS[e.name]} error every style answers by itself`, target: 'every target' });
    else claimError(e, 'error');
    checkFields(e.fields, `error "${e.name}"`);
    // Error fields travel in a member of their own (problem `fields`, GraphQL `extensions.fields`),
    // so they may be named like any problem member.
  }
  for (const op of model.operations) {
    reserved(all, 'operation', 'operation', op.name, op.pos);
    claim('proto', op.names.protoRequest, 'the request message of operation', op.name, op.pos);
    claim('proto', op.names.protoResponse, 'the response message of operation', op.name, op.pos);
    claim('xml', `element ${op.names.soapResponseElement}`, 'the response element of operation', op.name, op.pos);
    claim('xml', `element ${op.names.soapRequestElement}`, 'the request element of operation', op.name, op.pos);
    if (op.input.kind === 'fields' && !op.input.named) {
      claim('graphql', op.names.inputType, 'the input type of operation', op.name, op.pos);
      claim('typescript', op.names.inputType, 'the input type of operation', op.name, op.pos);
      claim('openapi', op.names.inputType, 'the input schema of operation', op.name, op.pos);
      checkFields(op.input.fields, `the input of "${op.name}"`);
    }
  }
  for (const ev of model.events) {
    reserved(all, 'event', 'event', ev.name, ev.pos);
    claim('proto', ev.names.protoRequest, 'the subscribe request of event', ev.name, ev.pos);
    claim('proto', `${ev.names.grpc}Response`, 'the subscribe response of event', ev.name, ev.pos);
    if (ev.payload.kind === 'inline') {
      claim('proto', ev.names.payloadType, 'the payload message of event', ev.name, ev.pos);
      claim('graphql', ev.names.payloadType, 'the payload type of event', ev.name, ev.pos);
      claim('typescript', ev.names.payloadType, 'the payload type of event', ev.name, ev.pos);
      claim('openapi', ev.names.payloadType, 'the payload schema of event', ev.name, ev.pos);
      claim('xml', ev.names.payloadType, 'the payload type of event', ev.name, ev.pos);
      checkFields(ev.payload.fields, `the payload of event "${ev.name}"`);
    }
  }

  function claimError(e: Model['errors'][number], what: string): void {
    claim('proto', e.names.proto, `the detail message of ${what}`, e.name, e.pos);
    claim('graphql', e.names.graphql, `the detail type of ${what}`, e.name, e.pos);
    claim('typescript', e.names.tsClass, `the class of ${what}`, e.name, e.pos);
    claim('xml', e.names.xsd, `the fault of ${what}`, e.name, e.pos);
    claim('openapi', e.names.openapi, `the problem schema of ${what}`, e.name, e.pos);
  }

  function checkFields(fields: { name: string; names: { proto: string }; pos: SourcePos }[], owner: string): void {
    const seen = new Map<string, string>();
    for (const f of fields) {
      reserved(all, 'field', `field of ${owner}`, f.name, f.pos);
      const prev = seen.get(f.names.proto);
      if (prev !== undefined)
        src.reportAt('name-collision', f.pos, f.name.length, { what: `field of ${owner}`, name: f.name, target: 'proto', converted: f.names.proto, other: `field "${prev}"`, rule: RULES.protoField! });
      else seen.set(f.names.proto, f.name);
    }
  }
}
