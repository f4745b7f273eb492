// Secrets are not in wrangler.toml, so `wrangler types` cannot see them: set with
// `wrangler secret put NAME` in production; `npm start` writes local values to .dev.vars.
declare namespace Cloudflare {
  interface Env {
    /** 32 random bytes, base64: seals safeguarding alert text and contact references. */
    ALERT_KEY: string;
  }
}
