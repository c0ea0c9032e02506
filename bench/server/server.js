// One server of the benchmark, in its own process:
//   node bench/server/server.js <generated|handwritten> <rest|all|graphql|grpc|soap> <generated typescript dir>
// prints {"port": N} once it listens, and exits when its stdin closes.
import { createServer } from 'node:http';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import * as grpc from '@grpc/grpc-js';
import { bookstore } from './bookstore.js';
import * as hand from './handwritten.js';

export const TOKEN = 'bench-token';
const [side, style, dir] = process.argv.slice(2);
const load = (file) => import(pathToFileURL(join(dir, file)).href);

async function listenHttp(handler) {
  const server = createServer((req, res) => handler(req, res));
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server.address().port;
}

async function listenGrpc(add) {
  const server = new grpc.Server();
  add(server);
  return new Promise((resolve, reject) =>
    server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (error, port) => (error ? reject(error) : resolve(port))),
  );
}

async function generated() {
  const { BookNotFoundError } = await load('errors.js');
  const implementation = bookstore((id) => new BookNotFoundError({ bookId: id }));
  // validateOutput: whether results are checked against the contract as they are written. The generated server is
  // measured as it ships, checking every result, although the hand-written servers check none of theirs;
  // BENCH_SERVER_VALIDATE_OUTPUT=0 measures the documented production setting with the check off.
  const options = { authenticate: (credentials) => credentials.value === TOKEN, validateOutput: process.env.BENCH_SERVER_VALIDATE_OUTPUT !== '0' };
  switch (style) {
    case 'rest':
      return listenHttp((await load('rest/server.js')).createBookstoreRestHandler(implementation, options));
    case 'all': {
      const { serveBookstore } = await load('server.js');
      const running = await serveBookstore(implementation, { ...options, httpPort: 0, grpcPort: 0 });
      return Number(new URL(running.httpUrl).port);
    }
    case 'graphql':
      return listenHttp((await load('graphql/server.js')).createBookstoreGraphqlServer(implementation, options).handler);
    case 'soap':
      return listenHttp((await (await load('soap/server.js')).createBookstoreSoapServer(implementation, options)).handler);
    case 'grpc': {
      const { addBookstoreToGrpcServer } = await load('grpc/server.js');
      return listenGrpc((server) => addBookstoreToGrpcServer(server, implementation, options));
    }
  }
  throw new Error(`unknown style ${style}`);
}

async function handwritten() {
  const implementation = bookstore((id) => new hand.BookNotFoundError(id));
  const { contract } = await load('contract.js');
  switch (style) {
    case 'rest':
      return listenHttp(hand.restHandler(implementation, TOKEN));
    case 'all': {
      const rest = hand.restHandler(implementation, TOKEN);
      const graphql = hand.graphqlHandler(implementation, TOKEN, (await load('graphql/schema.js')).schemaText);
      const soapHandle = await hand.soapHandler(implementation, TOKEN, (await load('soap/wsdl.js')).wsdlText);
      const server = hand.allStyles(rest, graphql, soapHandle);
      await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
      // The gRPC server too, as the generated serve starts one beside the HTTP server.
      const { protoText } = await load('grpc/proto.js');
      const service = hand.grpcService(implementation, TOKEN, protoText, contract.service.package, contract.service.grpcService);
      await listenGrpc((grpcServer) => grpcServer.addService(service.definition, service.handlers));
      return server.address().port;
    }
    case 'graphql':
      return listenHttp(hand.graphqlHandler(implementation, TOKEN, (await load('graphql/schema.js')).schemaText));
    case 'soap':
      return listenHttp(await hand.soapHandler(implementation, TOKEN, (await load('soap/wsdl.js')).wsdlText));
    case 'grpc': {
      const { protoText } = await load('grpc/proto.js');
      const { definition, handlers } = hand.grpcService(implementation, TOKEN, protoText, contract.service.package, contract.service.grpcService);
      return listenGrpc((server) => server.addService(definition, handlers));
    }
  }
  throw new Error(`unknown style ${style}`);
}

const port = side === 'generated' ? await generated() : await handwritten();
process.stdout.write(`${JSON.stringify({ port })}\n`);
process.stdin.on('end', () => process.exit(0));
process.stdin.on('close', () => process.exit(0));
process.stdin.resume();
