// Which gRPC metadata an rpc needs. proto has no syntax for auth, so the rpc
// comment names the metadata key and value form of each accepted scheme.
import type { Model } from '../../contract/model.js';

export function describeAuth(model: Model, schemeNames: string[]): string {
  if (schemeNames.length === 0) return 'Auth: none.';
  const ways = schemeNames.map((name) => {
    const scheme = model.auth.schemes.find((s) => s.name === name);
    if (!scheme) throw new Error(`model invariant: unknown auth scheme ${name}`);
    const value = `${scheme.valuePrefix}<${scheme.type === 'apiKey' ? 'key' : scheme.type === 'basic' ? 'base64 user:password' : 'token'}>`;
    return `metadata "${scheme.grpcMetadataKey}: ${value}" (${scheme.name === scheme.type ? scheme.name : `${scheme.name}, ${scheme.type}`})`;
  });
  return `Auth: ${ways.length > 1 ? 'any one of ' : ''}${ways.join(', or ')}.`;
}
