import { existsSync, readFileSync } from 'node:fs';
// The helpers the aliases replace (mimetext's own dependency), to compare the stand-ins with. They ship no types.
// @ts-expect-error untyped JavaScript
import babelTrim from '@babel/runtime-corejs3/core-js/instance/trim';
// @ts-expect-error untyped JavaScript
import babelDefineProperty from '@babel/runtime-corejs3/helpers/esm/defineProperty';
import { describe, expect, it } from 'vitest';
import { BUNDLE_ALIASES } from '../../src/cli/bundle-aliases';
import { bundleWorker } from '../../src/cli/worker-server';
import nativeDefineProperty from '../../src/lib/native-babel-runtime/define-property';
import nativeTrim from '../../src/lib/native-babel-runtime/trim';

/** The `[alias]` table of wrangler.toml, as `"from" = "to"` lines. */
function wranglerAliases(): Record<string, string> {
  const toml = readFileSync('wrangler.toml', 'utf8');
  const table = toml.split(/^\[alias\]$/m)[1]?.split(/^\[/m)[0] ?? '';
  return Object.fromEntries([...table.matchAll(/^"([^"]+)"\s*=\s*"([^"]+)"$/gm)].map((m) => [m[1]!, m[2]!]));
}

describe('the bundle aliases (src/cli/bundle-aliases.ts)', () => {
  it('are the ones wrangler deploys with, and point at files that exist', () => {
    expect(wranglerAliases()).toEqual(BUNDLE_ALIASES);
    for (const to of Object.values(BUNDLE_ALIASES)) expect(existsSync(to), to).toBe(true);
  });

  it('trim as core-js does, for every kind of white space', () => {
    const samples = ['', '  a b  ', '\u00a0\ufeff x \u2028\u2029', '\t\n\v\f\r y \u3000', '\u200b z \u200b', '<a@b.org>', ' "Heard" <heard@example.org> '];
    for (const s of samples) expect(nativeTrim(s).call(s)).toBe((babelTrim(s) as () => string).call(s));
  });

  it('define properties as Babel’s helper does, for a new key and an existing one', () => {
    for (const seed of [{}, { name: 'old' }]) {
      const ours = nativeDefineProperty({ ...seed }, 'name', 'new');
      const babel = babelDefineProperty({ ...seed }, 'name', 'new') as object;
      expect(ours).toEqual(babel);
      expect(Object.getOwnPropertyDescriptor(ours, 'name')).toEqual(Object.getOwnPropertyDescriptor(babel, 'name'));
    }
    class WithGetter {
      get name() {
        return 'getter';
      }
    }
    const ours = nativeDefineProperty(new WithGetter(), 'name', 'own');
    const babel = babelDefineProperty(new WithGetter(), 'name', 'own') as object;
    expect(Object.getOwnPropertyDescriptor(ours, 'name')).toEqual(Object.getOwnPropertyDescriptor(babel, 'name'));
  });

  it('leave no core-js in the Worker bundle', async () => {
    const bundle = await bundleWorker({ minify: false });
    expect(bundle).toContain('createMimeMessage');
    expect(bundle).not.toMatch(/core-js-pure/);
  });
});
