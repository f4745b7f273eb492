import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildWidgets, GENERATED_MODULE, generatedModule } from '../../src/cli/build-widgets';

describe('src/views/assets.generated.ts', () => {
  it('is what widgets/ builds to now, so a commit cannot ship a stale bundle', async () => {
    const committed = readFileSync(GENERATED_MODULE, 'utf8');
    const fresh = generatedModule(await buildWidgets());
    // A failure here means widgets/ changed without `npm run build:widgets`.
    expect(committed === fresh, 'assets.generated.ts is stale: run `npm run build:widgets` and commit it').toBe(true);
  });
});
