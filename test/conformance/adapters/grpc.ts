// gRPC: the generated service on a @grpc/grpc-js Server on 127.0.0.1, called
// by the generated client.
import * as grpc from '@grpc/grpc-js';
import { join } from 'node:path';
import { exportMatching, type ClientCredentials, type StyleAdapter, type StyleClient } from '../adapter.js';
import { settling } from './settle.js';

export const grpcAdapter: StyleAdapter = {
  style: 'grpc',
  supports: (op) => op.styles.includes('grpc'),
  async start(dir, _contractName, impl, options, credentials) {
    const add = exportMatching<(server: grpc.Server, impl: object, options: object) => void>(await import(join(dir, 'grpc/server.ts')), /^add\w+ToGrpcServer$/);
    const createClient = exportMatching<(options: object) => StyleClient & { close(): void }>(await import(join(dir, 'grpc/client.ts')), /^create\w+GrpcClient$/);
    const settle = settling(impl);
    const server = new grpc.Server();
    // Every handler counts as running from its start until its call is over.
    const counting = Object.create(server) as grpc.Server;
    counting.addService = (definition, handlers) => {
      const wrapped: grpc.UntypedServiceImplementation = {};
      for (const [name, handler] of Object.entries(handlers)) {
        wrapped[name] = ((call: NodeJS.EventEmitter, callback?: (...args: unknown[]) => void) => {
          const end = settle.begin();
          // Unary and client-streaming handlers are over when they answer; streaming ones when their writes end.
          if (!callback) {
            call.on('finish', end);
            call.on('error', end);
            call.on('cancelled', () => setImmediate(end));
          }
          if (callback) return (handler as (c: unknown, cb: unknown) => void)(call, (...args: unknown[]) => {
            end();
            callback(...args);
          });
          return (handler as (c: unknown) => void)(call);
        }) as grpc.UntypedHandleCall;
      }
      server.addService(definition, wrapped);
    };
    add(counting, settle.implementation, options);
    const port = await new Promise<number>((resolve, reject) =>
      server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (error, bound) => (error ? reject(error) : resolve(bound))),
    );
    const clients: { close(): void }[] = [];
    const connect = (creds: ClientCredentials | undefined) => {
      const client = createClient({ address: `127.0.0.1:${port}`, ...(creds ? { credentials: creds } : {}) });
      clients.push(client);
      return settle.wrap(client);
    };
    return {
      client: connect(credentials),
      connect,
      async close() {
        for (const client of clients) client.close();
        server.forceShutdown();
      },
    };
  },
};
