import type { D1Migration } from '@cloudflare/vitest-pool-workers';

declare global {
  namespace Cloudflare {
    interface Env {
      TEST_MIGRATIONS: D1Migration[];
      /** Empty databases for tests/routes/migrations.test.ts. */
      MIGRATION_OLD: D1Database;
      MIGRATION_NEW: D1Database;
      /** Miniflare's send_email emulation, refusing every recipient but nobody@heard.invalid. */
      REFUSING_EMAIL: SendEmail;
    }
  }
}
