// rest/: the REST handler and client for the contract, thin typed entry
// points over runtime/rest-server.ts and runtime/rest-client.ts.
import type { Model } from '../../contract/model.js';
import { clientInterfaceName, serviceInterfaceName } from './service.js';
import type { StyleFiles } from './styles.js';

export const restFiles: StyleFiles = (model: Model) => {
  if (!model.operations.some((op) => op.styles.includes('rest'))) return [];
  const name = model.service.name;
  const service = serviceInterfaceName(model);
  const client = clientInterfaceName(model, 'Rest');
  return [
    {
      path: 'rest/server.ts',
      content: `import { contract } from '../contract.js';
import { errorClasses } from '../errors.js';
import type { ServerOptions } from 'apigen-runtime';
import { createRestHandler, type RestHandler } from 'apigen-runtime/rest/server';
import type { ${service} } from '../service.js';

export type { RestHandler } from 'apigen-runtime/rest/server';

/**
 * Serves \`implementation\` as the REST API the OpenAPI document describes.
 * Use it with \`http.createServer(handler)\`, as Express middleware
 * (\`app.use(handler)\`, without a body parser before it), or in Fastify with
 * \`reply.hijack(); handler(request.raw, reply.raw)\` after
 * \`app.removeAllContentTypeParsers(); app.addContentTypeParser('*', (_r, _p, done) => done(null))\`,
 * so that Fastify leaves the body for the handler to read.
 */
export function create${name}RestHandler(implementation: ${service}, options: ServerOptions = {}): RestHandler {
  return createRestHandler(contract, errorClasses, implementation, options);
}
`,
    },
    {
      path: 'rest/client.ts',
      content: `import { contract } from '../contract.js';
import { errorClasses } from '../errors.js';
import { createRestClient, type RestClientOptions } from 'apigen-runtime/rest/client';
import type { ${client} } from '../service.js';

export type { RestClientOptions } from 'apigen-runtime/rest/client';

/** A client of the REST API; every method rethrows the contract's error classes. */
export function create${name}RestClient(options: RestClientOptions): ${client} {
  // The runtime builds one method per operation from the contract; ${client} is their typed view.
  return createRestClient(contract, errorClasses, options) as unknown as ${client};
}
`,
    },
  ];
};
