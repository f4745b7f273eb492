/**
 * Modules swapped when the Worker is bundled, the same in every build: wrangler (wrangler.toml
 * `[alias]`, which tests/build/aliases.test.ts keeps equal to this), the bench's and soak's
 * bundles (worker-server.ts, cold-start.ts) and the tests in workerd (vitest.config.ts).
 *
 * mimetext's builds call two Babel helpers backed by core-js-pure; both only reach for what every
 * runtime Heard runs on has natively, so they point at src/lib/native-babel-runtime/ instead and
 * 38 KB of core-js leave the bundle (issue 15 item 5: cold start).
 */
export const BUNDLE_ALIASES: Readonly<Record<string, string>> = {
  '@babel/runtime-corejs3/core-js/instance/trim': './src/lib/native-babel-runtime/trim.ts',
  '@babel/runtime-corejs3/helpers/esm/defineProperty': './src/lib/native-babel-runtime/define-property.ts',
};
