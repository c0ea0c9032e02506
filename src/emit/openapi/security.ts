// Auth: bearer and basic are HTTP authentication schemes, apiKey a header.
// A requirement lists alternatives (any one scheme suffices); an empty list
// means no auth.
import { assertNever, type AuthScheme, type Model } from '../../contract/model.js';
import type { SecurityRequirement, SecurityScheme } from './spec.js';

export function printSecurityScheme(scheme: AuthScheme): SecurityScheme {
  const printed = ((): SecurityScheme => {
    switch (scheme.type) {
      case 'bearer':
        return { type: 'http', scheme: 'bearer' };
      case 'basic':
        return { type: 'http', scheme: 'basic' };
      case 'apiKey':
        return { type: 'apiKey', in: 'header', name: scheme.httpHeader };
      default:
        return assertNever(scheme.type, 'auth type');
    }
  })();
  return scheme.description === undefined ? printed : { ...printed, description: scheme.description };
}

/** Only the default schemes and those some operation accepts: an unused scheme describes nothing callable. */
export function printSecuritySchemes(model: Model, used: Set<string>): Record<string, SecurityScheme> {
  return Object.fromEntries(model.auth.schemes.filter((s) => used.has(s.name)).map((s) => [s.name, printSecurityScheme(s)]));
}

export function printSecurityRequirements(schemes: string[]): SecurityRequirement[] {
  return schemes.map((name) => ({ [name]: [] }));
}
