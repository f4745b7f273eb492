import type { ApiKey } from './db/keys';
import type { InsightScope } from './domain/insights';

/** Hono's environment for every route: the Worker's bindings and the typed per-request variables. */
export interface AppEnv {
  Bindings: Env;
  Variables: {
    key: ApiKey;
    /** What a feed or export may show: set from an API key or a feed token. */
    scope: InsightScope;
    /** What a report's tag was made from (middleware/report-cache.ts), so the report computed after it does not read it again. */
    reportFingerprint: string | undefined;
  };
}
