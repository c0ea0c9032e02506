// soap/: the WSDL embedded as text, the server (node-soap behind a plain
// request handler) and the client, thin typed entry points over
// runtime/soap-*.ts.
import type { Model } from '../../contract/model.js';
import { clientInterfaceName, serviceInterfaceName } from './service.js';
import { emitWsdl, printTextModule } from './specs.js';
import type { StyleFiles } from './styles.js';

export const soapFiles: StyleFiles = async (model: Model) => {
  if (!model.operations.some((op) => op.styles.includes('soap'))) return [];
  const wsdl = await emitWsdl(model);
  const name = model.service.name;
  const service = serviceInterfaceName(model);
  const client = clientInterfaceName(model, 'Soap');
  return [
    { path: 'soap/wsdl.ts', content: printTextModule('wsdlText', wsdl.content, `The service's WSDL (${wsdl.path}), as emitted by apigen.`) },
    {
      path: 'soap/server.ts',
      content: `import { contract } from '../contract.js';
import { errorClasses } from '../errors.js';
import { createSoapServer, type SoapServer, type SoapServerOptions } from 'apigen-runtime/soap/server';
import type { ${service} } from '../service.js';
import { wsdlText } from './wsdl.js';

export type { SoapHandler, SoapServer, SoapServerOptions } from 'apigen-runtime/soap/server';

/**
 * Serves \`implementation\` as the SOAP service of the WSDL (SOAP 1.1 and 1.2,
 * at \`options.path\`, default /soap; the WSDL itself at \`/soap?wsdl\`). Use
 * \`handler\` with \`http.createServer\`, as Express middleware (without a body
 * parser before it), or in Fastify with \`reply.hijack(); handler(request.raw, reply.raw)\`
 * after \`app.removeAllContentTypeParsers(); app.addContentTypeParser('*', (_r, _p, done) => done(null))\`,
 * so that Fastify leaves the body for the handler to read.
 */
export function create${name}SoapServer(implementation: ${service}, options: SoapServerOptions = {}): Promise<SoapServer> {
  return createSoapServer(contract, errorClasses, wsdlText, implementation, options);
}
`,
    },
    {
      path: 'soap/client.ts',
      content: `import { contract } from '../contract.js';
import { errorClasses } from '../errors.js';
import { createSoapClient, type SoapClientOptions } from 'apigen-runtime/soap/client';
import type { ${client} } from '../service.js';
import { wsdlText } from './wsdl.js';

export type { SoapClientOptions } from 'apigen-runtime/soap/client';

/** A SOAP client of the service; every method rethrows faults as the contract's error classes. */
export function create${name}SoapClient(options: SoapClientOptions): ${client} {
  // The runtime builds one method per SOAP operation from the contract; ${client} is their typed view.
  return createSoapClient(contract, errorClasses, wsdlText, options) as unknown as ${client};
}
`,
    },
  ];
};
