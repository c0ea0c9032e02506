// rest/: the REST handler and client for the contract, thin typed entry
// points over apigen-runtime/rest/server and apigen-runtime/rest/client.
import type { Model } from '../../contract/model.js';
import { bodyCall, printFunction } from './entry.js';
import { TsFile } from './file.js';
import { clientInterface, serviceInterface } from './service.js';
import { contractValue, errorClassesValue } from './shared.js';
import type { StyleFiles } from './styles.js';
import { runtime } from './symbols.js';

export const restFiles: StyleFiles = (model: Model) => {
  if (!model.operations.some((op) => op.styles.includes('rest'))) return [];
  return [printServer(model), printClient(model)];
};

function printServer(model: Model): TsFile {
  const f = new TsFile('rest/server.ts');
  const name = `create${model.service.name}RestHandler`;
  f.declare(name);
  const rt = runtime.restServer;
  f.reexport(rt.RestHandler, true);
  const doc = `/**
 * Serves \`implementation\` as the REST API the OpenAPI document describes.
 * Use it with \`http.createServer(handler)\`, as Express middleware
 * (\`app.use(handler)\`, without a body parser before it), or in Fastify with
 * \`reply.hijack(); handler(request.raw, reply.raw)\` after
 * \`app.removeAllContentTypeParsers(); app.addContentTypeParser('*', (_r, _p, done) => done(null))\`,
 * so that Fastify leaves the body for the handler to read.
 */
`;
  f.print(
    printFunction(
      doc,
      `export function ${name}`,
      [`implementation: ${f.type(serviceInterface(model))}`, `options: ${f.type(runtime.core.ServerOptions)} = {}`],
      f.type(rt.RestHandler),
      [bodyCall(`return ${f.value(rt.createRestHandler)}(`, [f.value(contractValue), f.value(errorClassesValue), 'implementation', 'options'], ');')],
    ),
  );
  return f;
}

function printClient(model: Model): TsFile {
  const f = new TsFile('rest/client.ts');
  const name = `create${model.service.name}RestClient`;
  f.declare(name);
  const rt = runtime.restClient;
  f.reexport(rt.RestClientOptions, true);
  const client = f.type(clientInterface(model, 'Rest'));
  f.print(
    printFunction(
      '/** A client of the REST API; every method rethrows the contract\'s error classes. */\n',
      `export function ${name}`,
      [`options: ${f.type(rt.RestClientOptions)}`],
      client,
      [
        `// The runtime builds one method per operation from the contract; ${client} is their typed view.`,
        bodyCall(`return ${f.value(rt.createRestClient)}(`, [f.value(contractValue), f.value(errorClassesValue), 'options'], `) as unknown as ${client};`),
      ],
    ),
  );
  return f;
}
