import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'packages/runtime/test/**/*.test.ts'],
    // CLI tests spawn node, and validator tests may start external tools (protoc, buf, xmllint).
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Real MQTT and AMQP brokers for the event-transport tests (skipped when not installed).
    globalSetup: ['test/brokers/global-setup.ts'],
    // graphql has no "exports" map: Vite resolves it to index.mjs, Node's own
    // loader (for externalized packages) to index.js, and graphql-js refuses a
    // schema from the other copy. Transforming the GraphQL servers like the
    // generated code makes them share one copy, as they do under plain Node.
    server: { deps: { inline: ['graphql-http', 'graphql-ws'] } },
  },
});
