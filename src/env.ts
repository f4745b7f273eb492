import type { ApiKey } from './db/keys';

/** Hono's environment for every route: the Worker's bindings and the typed per-request variables. */
export interface AppEnv {
  Bindings: Env;
  Variables: {
    key: ApiKey;
  };
}
