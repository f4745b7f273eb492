import { cloudflareTest, readD1Migrations } from '@cloudflare/vitest-pool-workers';
import { resolve } from 'node:path';
import { defineConfig } from 'vitest/config';
import { BUNDLE_ALIASES } from './src/cli/bundle-aliases';

// The Worker's module swaps (src/cli/bundle-aliases.ts), so tests in workerd run what is deployed.
const alias = Object.fromEntries(Object.entries(BUNDLE_ALIASES).map(([from, to]) => [from, resolve(to)]));

export default defineConfig({
  test: {
    projects: [
      {
        test: { name: 'domain', include: ['tests/domain/**/*.test.ts', 'tests/build/**/*.test.ts', 'tests/cli/**/*.test.ts'], environment: 'node' },
      },
      {
        resolve: { alias },
        plugins: [
          cloudflareTest(async () => ({
            wrangler: { configPath: './wrangler.toml' },
            miniflare: {
              bindings: {
                TEST_MIGRATIONS: await readD1Migrations('./migrations'),
                // A fixed test-only key; production sets ALERT_KEY with `wrangler secret put`.
                ALERT_KEY: 'dGVzdC1vbmx5LWFsZXJ0LWtleS0zMi1ieXRlcy1vayE=',
                // Counted on every request but never reached: tests share one address and isolate.
                // tests/routes/rate-limit.test.ts sets its own small limit per request.
                INTAKE_RATE_LIMIT: '100000/60',
                CHAT_START_LIMIT: '100000/3600',
                // The same for wrong keys; tests/routes/auth-backoff.test.ts sets its own small budget.
                AUTH_BACKOFF: '100000/900',
              },
              // Two empty databases beside DB, for tests/routes/migrations.test.ts to migrate step by step.
              d1Databases: ['DB', 'MIGRATION_OLD', 'MIGRATION_NEW'],
              // ALERT_EMAIL as wrangler.toml has it, and a second emulated binding that refuses every
              // recipient but one, so tests/routes/alert-email.test.ts sees a real send fail and retry.
              email: {
                send_email: [{ name: 'ALERT_EMAIL' }, { name: 'REFUSING_EMAIL', allowed_destination_addresses: ['nobody@heard.invalid'] }],
              },
            },
          })),
        ],
        test: {
          name: 'workers',
          include: ['tests/routes/**/*.test.ts', 'tests/db/**/*.test.ts'],
          setupFiles: ['./tests/apply-migrations.ts'],
        },
      },
      {
        // The short soak: the built Worker in Miniflare, SIGKILLed and restarted under 50 widgets' traffic.
        test: { name: 'soak', include: ['tests/soak/**/*.test.ts'], environment: 'node', testTimeout: 90_000 },
      },
      {
        // The attacker of issue 18 end to end: the built Worker in Miniflare (a fresh D1 per planting),
        // scraped over HTTP by every role and bounded with HiGHS (tests/attacker/scrape.test.ts).
        test: { name: 'attacker', include: ['tests/attacker/**/*.test.ts'], environment: 'node', testTimeout: 180_000, hookTimeout: 60_000 },
      },
      {
        // The same Worker with the optional ingest queue bound (a local Miniflare queue, consumed
        // by the Worker's own queue handler), so intake takes the queued path.
        resolve: { alias },
        plugins: [
          cloudflareTest(async () => ({
            wrangler: { configPath: './wrangler.toml' },
            miniflare: {
              bindings: {
                TEST_MIGRATIONS: await readD1Migrations('./migrations'),
                ALERT_KEY: 'dGVzdC1vbmx5LWFsZXJ0LWtleS0zMi1ieXRlcy1vayE=',
                INTAKE_RATE_LIMIT: 'off',
                CHAT_START_LIMIT: 'off',
                AUTH_BACKOFF: 'off',
              },
              queueProducers: { INGEST_QUEUE: { queueName: 'heard-ingest' } },
              queueConsumers: { 'heard-ingest': { maxBatchSize: 100, maxBatchTimeout: 1, maxRetries: 3 } },
            },
          })),
        ],
        test: {
          name: 'queue',
          include: ['tests/queue/**/*.test.ts'],
          setupFiles: ['./tests/apply-migrations.ts'],
        },
      },
      {
        // Real Chromium (Debian's /usr/bin/chromium) against the Worker in Miniflare, started once.
        test: {
          name: 'browser',
          include: ['tests/browser/**/*.test.ts'],
          environment: 'node',
          globalSetup: ['./tests/browser/global-setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
