// Servers: the WebSocket endpoint of the service (at `/ws` on each of the
// contract's servers, else on apigen's local default) and one local broker
// per broker transport, at the default ports the generated code connects to.
// Brokers are deployment details the contract does not name, so these are
// the local defaults; users override them at run time.
import type { Model } from '../../contract/model.js';
import { assertNever, type AuthScheme } from '../../contract/model.js';

export type Transport = 'ws' | 'mqtt' | 'amqp' | 'kafka';
export const TRANSPORTS: readonly Transport[] = ['ws', 'mqtt', 'amqp', 'kafka'];

export const WS_PATH = '/ws';

export function printServers(model: Model): Record<string, Record<string, unknown>> {
  const servers: Record<string, Record<string, unknown>> = {};
  model.service.servers.forEach((s, i) => {
    const url = new URL(s.url);
    const secure = url.protocol === 'https:';
    const base = url.pathname.replace(/\/+$/, '');
    const server: Record<string, unknown> = {
      host: url.host,
      protocol: secure ? 'wss' : 'ws',
      pathname: `${base}${WS_PATH}`,
      description: `WebSocket endpoint: events and streaming operations${s.description === undefined ? '' : ` (${s.description})`}.`,
    };
    if (model.auth.default.length > 0) server.security = model.auth.default.map((name) => ({ $ref: `#/components/securitySchemes/${name}` }));
    servers[i === 0 ? 'ws' : `ws${i + 1}`] = server;
  });
  servers.mqtt = { host: 'localhost:1883', protocol: 'mqtt', protocolVersion: '5', description: 'MQTT broker (local default).' };
  servers.amqp = { host: 'localhost:5672', protocol: 'amqp', protocolVersion: '0.9.1', description: 'AMQP 0-9-1 broker (local default).' };
  servers.kafka = { host: 'localhost:9092', protocol: 'kafka', description: 'Kafka bootstrap server (local default).' };
  return servers;
}

export function wsServerNames(model: Model): string[] {
  return model.service.servers.map((_, i) => (i === 0 ? 'ws' : `ws${i + 1}`));
}

/** The default schemes (the WebSocket servers require them) and those a streaming operation accepts. */
export function printSecuritySchemes(model: Model, used: Set<string>): Record<string, Record<string, unknown>> {
  const schemes: Record<string, Record<string, unknown>> = {};
  for (const scheme of model.auth.schemes) {
    if (!model.auth.default.includes(scheme.name) && !used.has(scheme.name)) continue;
    schemes[scheme.name] = printSecurityScheme(scheme);
  }
  return schemes;
}

function printSecurityScheme(scheme: AuthScheme): Record<string, unknown> {
  const printed = ((): Record<string, unknown> => {
    switch (scheme.type) {
      case 'bearer':
        return { type: 'http', scheme: 'bearer' };
      case 'basic':
        return { type: 'http', scheme: 'basic' };
      case 'apiKey':
        return { type: 'httpApiKey', in: 'header', name: scheme.httpHeader };
      default:
        return assertNever(scheme.type, 'auth type');
    }
  })();
  return scheme.description === undefined ? printed : { ...printed, description: scheme.description };
}
