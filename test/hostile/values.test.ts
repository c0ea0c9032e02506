// Values of any size the contract allows: base64 in linear time and constant
// stack (64 MiB values; the regex it replaced overflowed V8's stack at about
// 3.2 MiB), and a 16 MiB `bytes` field (test/hostile/fixtures/blobs.yaml)
// carried both ways by REST, SOAP, GraphQL and gRPC, whose transports take
// their limits from the contract.
import * as grpc from '@grpc/grpc-js';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeBase64, decodeJson, derivedSizes, encodeBase64, encodeJson, type ContractDescriptor, type Violation } from 'apigen-runtime';
import { grpcServerOptions } from 'apigen-runtime/grpc/server';
import { generateTypescript, ROOT } from '../typescript/generated.js';

const MiB = 1024 * 1024;

function pattern(size: number): Uint8Array {
  const bytes = new Uint8Array(size);
  for (let i = 0; i < size; i++) bytes[i] = (i * 131 + (i >>> 11)) & 255;
  return bytes;
}

describe('base64', () => {
  it('encodes and decodes 64 MiB as Node does, without Buffer', () => {
    const bytes = pattern(64 * MiB);
    const text = encodeBase64(bytes);
    expect(text).toBe(Buffer.from(bytes).toString('base64'));
    const back = decodeBase64(text)!;
    expect(back).toBeInstanceOf(Uint8Array);
    expect(Buffer.compare(Buffer.from(back), Buffer.from(bytes))).toBe(0);
    // The core runs in browsers.
    const code = readFileSync(join(ROOT, 'packages/runtime/src/values.ts'), 'utf8').replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, '');
    expect(code).not.toMatch(/\bBuffer\b/);
  });

  it('takes every length, and only standard padded base64', () => {
    for (let n = 0; n < 40; n++) {
      const bytes = pattern(n);
      const text = encodeBase64(bytes);
      expect(text).toBe(Buffer.from(bytes).toString('base64'));
      expect([...decodeBase64(text)!]).toEqual([...bytes]);
    }
    for (const bad of ['a', 'ab', 'abc', 'ab=c', '====', 'a===', 'ab c', 'abc-', 'abc_', 'ab==ab==', 'é===', '\u0100AAA', 'YQ==\n']) expect(decodeBase64(bad), bad).toBeUndefined();
    // A 16 MiB text that breaks at its very end is refused, not a stack overflow.
    expect(decodeBase64(`${'A'.repeat(16 * MiB)}A==`)).toBeUndefined();
  });

  it('decodes a 64 MiB bytes value through the JSON codec', () => {
    const contract = { codes: {}, service: {}, types: {}, operations: [], errors: [], auth: { schemes: [], default: [] }, events: [] } as unknown as ContractDescriptor;
    const bytes = pattern(64 * MiB);
    const json = encodeJson(contract, { kind: 'scalar', scalar: 'bytes' }, bytes);
    const violations: Violation[] = [];
    const back = decodeJson(contract, { kind: 'scalar', scalar: 'bytes' }, json, '', violations, 'input') as Uint8Array;
    expect(violations).toEqual([]);
    expect(back.length).toBe(bytes.length);
    expect(back[back.length - 1]).toBe(bytes[bytes.length - 1]);
  });
});

describe('a 16 MiB bytes field travels on every style', () => {
  type Echo = { echoBlob(input: { data: Uint8Array }): Promise<{ data: Uint8Array }> };
  let dir: string;
  let contract: ContractDescriptor;
  let http: Server;
  let grpcServer: grpc.Server;
  let baseUrl: string;
  let grpcAddress: string;
  const implementation = { echoBlob: async (input: { data: Uint8Array }) => ({ data: input.data }) };

  beforeAll(async () => {
    dir = await generateTypescript('blobs', join(ROOT, 'test/hostile/fixtures'));
    contract = ((await import(join(dir, 'contract.ts'))) as { contract: ContractDescriptor }).contract;
    const { createBlobsRestHandler } = await import(join(dir, 'rest/server.ts'));
    const { createBlobsSoapServer } = await import(join(dir, 'soap/server.ts'));
    const { createBlobsGraphqlServer } = await import(join(dir, 'graphql/server.ts'));
    const { addBlobsToGrpcServer } = await import(join(dir, 'grpc/server.ts'));
    const rest = createBlobsRestHandler(implementation);
    const soap = await createBlobsSoapServer(implementation);
    const graphql = createBlobsGraphqlServer(implementation);
    http = createServer((req, res) => graphql.handler(req, res, () => soap.handler(req, res, () => rest(req, res))));
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
    grpcServer = new grpc.Server(grpcServerOptions(contract));
    addBlobsToGrpcServer(grpcServer, implementation);
    const port = await new Promise<number>((resolve, reject) => grpcServer.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (e, p) => (e ? reject(e) : resolve(p))));
    grpcAddress = `127.0.0.1:${port}`;
  });
  afterAll(async () => {
    grpcServer?.forceShutdown();
    http?.closeAllConnections();
    await new Promise<void>((resolve) => (http ? http.close(() => resolve()) : resolve()));
  });

  it('derives limits above it', () => {
    const sizes = derivedSizes(contract);
    expect(sizes.bodyBytes).toBeGreaterThan((16 * MiB * 4) / 3);
    expect(sizes.outputBytes).toBeGreaterThan((16 * MiB * 4) / 3);
  });

  it('grpc, served by serveBlobs()', async () => {
    const { serveBlobs } = await import(join(dir, 'server.ts'));
    const running = (await serveBlobs(implementation, { httpPort: 0, grpcPort: 0 })) as { grpcAddress: string; close(): Promise<void> };
    const client = (await import(join(dir, 'grpc/client.ts'))).createBlobsGrpcClient({ address: running.grpcAddress }) as Echo & { close(): void };
    try {
      const data = pattern(16 * MiB);
      expect((await client.echoBlob({ data })).data.length).toBe(data.length);
    } finally {
      client.close();
      await running.close();
    }
  });

  for (const style of ['rest', 'soap', 'graphql', 'grpc'] as const) {
    it(style, async () => {
      const data = pattern(16 * MiB);
      let client: Echo & { close?(): void };
      if (style === 'rest') client = (await import(join(dir, 'rest/client.ts'))).createBlobsRestClient({ baseUrl });
      else if (style === 'soap') client = (await import(join(dir, 'soap/client.ts'))).createBlobsSoapClient({ endpoint: `${baseUrl}/soap` });
      else if (style === 'graphql') client = (await import(join(dir, 'graphql/client.ts'))).createBlobsGraphqlClient({ url: `${baseUrl}/graphql` });
      else client = (await import(join(dir, 'grpc/client.ts'))).createBlobsGrpcClient({ address: grpcAddress });
      try {
        const answer = await client.echoBlob({ data });
        expect(answer.data.length).toBe(data.length);
        expect(Buffer.compare(Buffer.from(answer.data), Buffer.from(data))).toBe(0);
      } finally {
        client.close?.();
      }
    });
  }
});
