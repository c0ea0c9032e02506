import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // CLI tests spawn node, and validator tests may start external tools (protoc, buf, xmllint).
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Real MQTT and AMQP brokers for the event-transport tests (skipped when not installed).
    globalSetup: ['test/brokers/global-setup.ts'],
  },
});
