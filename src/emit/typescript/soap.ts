// soap/: the WSDL embedded as text, the server (node-soap behind a plain
// request handler) and the client, thin typed entry points over
// apigen-runtime/soap/*.
import type { Model } from '../../contract/model.js';
import { bodyCall, printFunction } from './entry.js';
import { TsFile } from './file.js';
import { clientInterface, serviceInterface } from './service.js';
import { contractValue, errorClassesValue } from './shared.js';
import { emitWsdl, printTextModule } from './specs.js';
import type { StyleFiles } from './styles.js';
import { generated, globals, runtime } from './symbols.js';

const WSDL_FILE = 'soap/wsdl.ts';
const wsdlText = generated(WSDL_FILE, 'wsdlText');

export const soapFiles: StyleFiles = async (model: Model) => {
  if (!model.operations.some((op) => op.styles.includes('soap'))) return [];
  const wsdl = await emitWsdl(model);
  return [
    printTextModule(WSDL_FILE, wsdlText.name, wsdl.content, `The service's WSDL (${wsdl.path}), as emitted by apigen.`),
    printServer(model),
    printClient(model),
  ];
};

function printServer(model: Model): TsFile {
  const f = new TsFile('soap/server.ts');
  const name = `create${model.service.name}SoapServer`;
  f.declare(name);
  const rt = runtime.soapServer;
  for (const symbol of [rt.SoapHandler, rt.SoapServer, rt.SoapServerOptions]) f.reexport(symbol, true);
  const doc = `/**
 * Serves \`implementation\` as the SOAP service of the WSDL (SOAP 1.1 and 1.2,
 * at \`options.path\`, default /soap; the WSDL itself at \`/soap?wsdl\`). Use
 * \`handler\` with \`http.createServer\`, as Express middleware (without a body
 * parser before it), or in Fastify with \`reply.hijack(); handler(request.raw, reply.raw)\`
 * after \`app.removeAllContentTypeParsers(); app.addContentTypeParser('*', (_r, _p, done) => done(null))\`,
 * so that Fastify leaves the body for the handler to read.
 */
`;
  f.print(
    printFunction(
      doc,
      `export function ${name}`,
      [`implementation: ${f.type(serviceInterface(model))}`, `options: ${f.type(rt.SoapServerOptions)} = {}`],
      `${f.type(globals.Promise)}<${f.type(rt.SoapServer)}>`,
      [bodyCall(`return ${f.value(rt.createSoapServer)}(`, [f.value(contractValue), f.value(errorClassesValue), f.value(wsdlText), 'implementation', 'options'], ');')],
    ),
  );
  return f;
}

function printClient(model: Model): TsFile {
  const f = new TsFile('soap/client.ts');
  const name = `create${model.service.name}SoapClient`;
  f.declare(name);
  const rt = runtime.soapClient;
  f.reexport(rt.SoapClientOptions, true);
  const client = f.type(clientInterface(model, 'Soap'));
  f.print(
    printFunction(
      '/** A SOAP client of the service; every method rethrows faults as the contract\'s error classes. */\n',
      `export function ${name}`,
      [`options: ${f.type(rt.SoapClientOptions)}`],
      client,
      [
        `// The runtime builds one method per SOAP operation from the contract; ${client} is their typed view.`,
        bodyCall(`return ${f.value(rt.createSoapClient)}(`, [f.value(contractValue), f.value(errorClassesValue), f.value(wsdlText), 'options'], `) as unknown as ${client};`),
      ],
    ),
  );
  return f;
}
