// SOAP carries credentials in HTTP headers of the POST, as REST does. WSDL 1.1
// has no standard way to declare them, so each operation's documentation
// names the headers it accepts.
import { assertNever, type AuthScheme, type Model } from '../../contract/model.js';

export function describeAuth(model: Model, schemeNames: string[]): string {
  if (schemeNames.length === 0) return 'Authentication: none.';
  const schemes = schemeNames.map((name) => {
    const scheme = model.auth.schemes.find((s) => s.name === name);
    if (!scheme) throw new Error(`model invariant: unknown auth scheme ${name}`);
    return scheme;
  });
  const lead = schemes.length === 1 ? 'Authentication: HTTP header' : 'Authentication, any one of: HTTP header';
  return `${lead} ${schemes.map(describeScheme).join('; HTTP header ')}.`;
}

function describeScheme(scheme: AuthScheme): string {
  const about = scheme.description ? `${scheme.name}: ${scheme.description.trimEnd().replace(/\.$/, '')}` : scheme.name;
  return `"${scheme.httpHeader}: ${scheme.valuePrefix}${credential(scheme)}" (${about})`;
}

function credential(scheme: AuthScheme): string {
  switch (scheme.type) {
    case 'bearer':
      return '<token>';
    case 'apiKey':
      return '<key>';
    case 'basic':
      return '<base64 of user:password>';
    default:
      return assertNever(scheme.type, 'auth type');
  }
}
