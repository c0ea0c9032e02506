// Writes schema/contract.schema.json from the built loader's key table
// (src/contract/schema.ts). Run by `npm run schema`; test/package/schema.test.ts fails when the file is stale.
import { mkdirSync, writeFileSync } from 'node:fs';
import { contractSchemaText } from '../dist/contract/schema.js';

const target = new URL('../schema/contract.schema.json', import.meta.url);
mkdirSync(new URL('.', target), { recursive: true });
writeFileSync(target, contractSchemaText());
process.stdout.write('wrote schema/contract.schema.json\n');
