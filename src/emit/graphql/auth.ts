// Auth. GraphQL schemas have no security keyword: the schema description
// says where each scheme's credential goes (an HTTP header on GraphQL over
// HTTP, a connection parameter on graphql-ws), and each operation's
// description names the schemes that may call it.
import type { AuthScheme, Model } from '../../contract/model.js';
import { assertNever } from '../../contract/model.js';

function describeCredential(scheme: AuthScheme): string {
  switch (scheme.type) {
    case 'bearer':
      return 'a bearer token';
    case 'apiKey':
      return 'an API key';
    case 'basic':
      return 'HTTP basic credentials';
    default:
      return assertNever(scheme.type, 'auth type');
  }
}

/** One paragraph per scheme, for the schema description. */
export function describeAuthSchemes(model: Model): string | undefined {
  if (model.auth.schemes.length === 0) return undefined;
  const lines = model.auth.schemes.map((s) => {
    const carrier = `header \`${s.httpHeader}: ${s.valuePrefix}<credential>\` over HTTP, connection parameter \`${s.connectionParam}\` over graphql-ws`;
    return `- \`${s.name}\`: ${describeCredential(s)}; ${carrier}.${s.description !== undefined ? ` ${s.description.trim()}` : ''}`;
  });
  return ['Auth schemes (each operation says which ones it accepts):', ...lines].join('\n');
}

/** The "Auth:" line of an operation's description. */
export function describeOperationAuth(auth: string[]): string {
  if (auth.length === 0) return 'Auth: none.';
  const names = auth.map((a) => `\`${a}\``);
  return auth.length === 1 ? `Auth: ${names[0]}.` : `Auth: any one of ${names.join(', ')}.`;
}
