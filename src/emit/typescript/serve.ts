// server.ts: one entry that serves an implementation over every style the
// contract's output has: REST, GraphQL (and its subscriptions), SOAP, the
// WebSocket channel (and WebRTC data channels negotiated on it), SSE event
// streams and tRPC (HTTP and its WebSocket link) on one HTTP port under
// distinct paths, gRPC on another, with CORS, the user's middleware and the
// event transports from options. A typed call into apigen-runtime/serve, which does
// the serving; events published through the returned `events` reach every
// transport.
import type { Model } from '../../contract/model.js';
import { bodyCall, inBody, printFunction } from './entry.js';
import { assignCall, functionTypeItem, objectItem } from './layout.js';
import { createEventsFunction, eventsInterface } from './events.js';
import { TsFile } from './file.js';
import { serviceInterface } from './service.js';
import { contractValue, errorClassesValue } from './shared.js';
import { generated, globals, runtime } from './symbols.js';

export function printServeFile(model: Model, paths: ReadonlySet<string>): TsFile | undefined {
  const rest = paths.has('rest/server.ts');
  const graphql = paths.has('graphql/server.ts') && paths.has('graphql/schema.ts');
  const grpc = paths.has('grpc/server.ts') && paths.has('grpc/proto.ts');
  const soap = paths.has('soap/server.ts') && paths.has('soap/wsdl.ts');
  const ws = paths.has('ws/server.ts');
  const sse = paths.has('sse/server.ts');
  const trpc = paths.has('trpc/server.ts');
  if (!rest && !graphql && !grpc && !soap) return undefined;
  const name = model.service.name;
  const f = new TsFile('server.ts');
  f.declare(`Serve${name}Options`, `Running${name}`, `serve${name}`);
  const rt = runtime.serve;
  f.reexport(rt.CorsOptions, true);
  f.reexport(rt.Middleware, true);
  const events = f.type(eventsInterface(model));
  const service = f.type(serviceInterface(model));
  const styles = [
    rest ? 'rest: true' : '',
    graphql ? `graphql: ${f.value(generated('graphql/schema.ts', 'schemaText'))}` : '',
    soap ? `soap: ${f.value(generated('soap/wsdl.ts', 'wsdlText'))}` : '',
    grpc ? `grpc: ${f.value(generated('grpc/proto.ts', 'protoText'))}` : '',
    ws ? 'ws: true' : '',
    sse ? 'sse: true' : '',
    trpc ? `trpc: ${f.value(generated('trpc/server.ts', `${model.service.name.charAt(0).toLowerCase()}${model.service.name.slice(1)}Router`))}` : '',
  ].filter((s) => s !== '');
  const where = [
    rest ? 'REST at its root' : '',
    graphql ? 'GraphQL at /graphql' : '',
    soap ? 'SOAP at /soap' : '',
    ws ? 'the WebSocket channel at /ws and WebRTC data channels negotiated on it (`options.webrtc`)' : '',
    sse ? 'SSE at /events/…' : '',
    trpc ? "tRPC at /trpc over HTTP and over tRPC's WebSocket link" : '',
  ].filter((s) => s !== '');
  // WebRTC data channels are negotiated on /ws, so the option means something only where /ws is served.
  const optionsDoc = `Ports, CORS, middleware, an existing http.Server, ${ws ? 'WebRTC data channels (`webrtc`), ' : ''}the event transports (MQTT, AMQP, Kafka, webhooks), an interceptor.`;
  f.print(`${wrappedDoc(optionsDoc)}export type Serve${name}Options = ${f.type(rt.ServeOptions)};`);
  f.print(
    `export interface Running${name} extends ${f.type(rt.RunningService)} {\n  /** Publishes the contract's events on every transport served here. */\n  events: ${events};\n}`,
  );
  const doc = wrappedDoc(
    `Serves \`implementation\` over every style at once${where.length > 0 ? `: ${where.join(', ')}${grpc ? '; gRPC on its own port' : ''}` : ''}.`,
    'Pass `(events) => implementation` instead to give the implementation the events it publishes.',
  );
  f.print(
    printFunction(
      doc,
      `export async function serve${name}`,
      [{ head: 'implementation:', members: [service, functionTypeItem('(', [`events: ${events}`], `${service})`)] }, `options: Serve${name}Options = {}`],
      `${f.type(globals.Promise)}<Running${name}>`,
      [
        inBody(assignCall('  ', 'const { events, publisher } =', f.value(createEventsFunction(model)), [], ';')),
        "const service = typeof implementation === 'function' ? implementation(events) : implementation;",
        bodyCall(`const running = await ${f.value(rt.serve)}(`, [f.value(contractValue), f.value(errorClassesValue), 'service', 'publisher', objectItem(styles), 'options'], ');'),
        'return { ...running, events };',
      ],
    ),
  );
  return f;
}

/** Doc comment lines of at most 100 characters: each paragraph's words filled in, one paragraph after another. */
function wrappedDoc(...paragraphs: string[]): string {
  const lines: string[] = [];
  for (const paragraph of paragraphs) {
    let line = '';
    for (const word of paragraph.split(' ')) {
      if (line !== '' && line.length + 1 + word.length > 100) {
        lines.push(line);
        line = word;
      } else line = line === '' ? word : `${line} ${word}`;
    }
    lines.push(line);
  }
  return lines.length === 1 ? `/** ${lines[0]} */\n` : `/**\n${lines.map((l) => ` * ${l}`).join('\n')}\n */\n`;
}
