// The GraphQL cost limit multiplies what is selected below a list field by
// the elements the list may hold (maxItems, else 10 per level): nested lists
// of a recursive type cannot hide in a short document. The cost limit starts
// from the costliest document the generated client sends, so that client is
// never refused.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateTypescript } from '../typescript/generated.js';
import { send } from './harness.js';

const CONTRACT = `apigen: 1
service: { name: Catalog, version: 1.0.0, package: acme.catalog.v1 }
types:
  Category:
    fields:
      name: string
      children: Category[]
      featured: { type: "Category[]", maxItems: 2 }
operations:
  getCategory:
    kind: query
    input: { name: string }
    output: Category
`;

interface Category {
  name: string;
  children: Category[];
  featured: Category[];
}

/** `field { field { ... { name } } }`, `levels` deep. */
const nested = (field: string, levels: number): string => (levels === 0 ? 'name' : `name ${field} { ${nested(field, levels - 1)} }`);

describe('GraphQL cost of list fields', () => {
  let dir: string;
  let servers: Server[] = [];
  const leaf: Category = { name: 'leaf', children: [], featured: [] };
  const implementation = { getCategory: async ({ name }: { name: string }): Promise<Category> => ({ name, children: [leaf, leaf], featured: [leaf] }) };

  const serve = async (options: object): Promise<string> => {
    const { createCatalogGraphqlServer } = (await import(join(dir, 'graphql/server.ts'))) as { createCatalogGraphqlServer: (impl: object, options: object) => { handler: Server['emit'] } };
    const graphql = createCatalogGraphqlServer(implementation, options);
    const server = createServer((req, res) => (graphql.handler as unknown as (q: typeof req, s: typeof res) => void)(req, res));
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(server.address() as { port: number }).port}/graphql`;
  };
  const query = async (url: string, document: string) => JSON.parse((await send(url, 'POST', { 'content-type': 'application/json' }, JSON.stringify({ query: document }))).body) as { data?: unknown; errors?: { message: string; extensions: { code: string } }[] };

  beforeAll(async () => {
    const from = mkdtempSync(join(tmpdir(), 'apigen-cost-'));
    writeFileSync(join(from, 'catalog.yaml'), CONTRACT);
    dir = await generateTypescript('catalog', from);
  });
  afterAll(async () => {
    await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
    servers = [];
  });

  it('refuses lists of an unbounded list nested six deep, which cost 10 per level', async () => {
    const url = await serve({});
    const answer = await query(url, `{ getCategory(name: "a") { ${nested('children', 6)} } }`);
    expect(answer.errors?.[0]?.extensions.code).toBe('RESOURCE_EXHAUSTED');
    expect(answer.errors?.[0]?.message).toMatch(/cost/);
    // Two levels cost 10 + 10 * (1 + 1 + 10 * 1) + ...: far below the limit.
    expect((await query(url, `{ getCategory(name: "a") { ${nested('children', 2)} } }`)).errors).toBeUndefined();
  });

  it('takes the contract maxItems as the multiplier of a bounded list', async () => {
    const url = await serve({});
    // featured holds at most 2: six levels cost about 2^7, where children's 10 per level is refused above.
    const answer = await query(url, `{ getCategory(name: "a") { ${nested('featured', 6)} } }`);
    expect(answer.errors, JSON.stringify(answer.errors)).toBeUndefined();
    expect(answer.data).toMatchObject({ getCategory: { name: 'a', featured: [{ name: 'leaf', featured: [] }] } });
  });

  it("serves the generated client's own document, recursive lists five levels deep, under the default limits", async () => {
    const url = await serve({});
    const { createCatalogGraphqlClient } = (await import(join(dir, 'graphql/client.ts'))) as { createCatalogGraphqlClient: (o: object) => { getCategory(input: { name: string }): Promise<Category> } };
    expect(await createCatalogGraphqlClient({ url }).getCategory({ name: 'root' })).toEqual({ name: 'root', children: [leaf, leaf], featured: [leaf] });
  });

  it('keeps a cost limit set in the options, below what the client sends', async () => {
    const url = await serve({ limits: { graphqlCost: 1000 } });
    const { createCatalogGraphqlClient } = (await import(join(dir, 'graphql/client.ts'))) as { createCatalogGraphqlClient: (o: object) => { getCategory(input: { name: string }): Promise<Category> } };
    await expect(createCatalogGraphqlClient({ url }).getCategory({ name: 'root' })).rejects.toThrow(/cost \d+ exceeds the limit 1000/);
  });
});
