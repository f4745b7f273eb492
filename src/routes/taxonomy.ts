import { Hono } from 'hono';
import { findTaxonomy, type StoredTaxonomy } from '../db/taxonomies';
import { themeViews } from '../domain/taxonomy';
import type { AppEnv } from '../env';
import { describe } from '../lib/openapi';
import { nowIso } from '../lib/time';
import { validate } from '../lib/validate';
import { requireKey } from '../middleware/auth';
import { ReanalysedSchema, ReanalyseSchema, TaxonomyInputSchema, TaxonomyViewSchema } from '../schemas/taxonomy';
import { REANALYSE_BATCH, reanalyseBatch, saveThemes } from '../services/taxonomy';

export { REANALYSE_BATCH };

/** The partnership's themes (the defaults plus its own synonyms and themes) and re-analysis of stored answers. */
export const taxonomy = new Hono<AppEnv>();

const view = (stored: StoredTaxonomy | null) => {
  const custom = { synonyms: stored?.synonyms ?? {}, themes: stored?.themes ?? [] };
  return { version: stored?.version ?? 0, updatedAt: stored?.updatedAt ?? null, themes: themeViews(custom), custom };
};

taxonomy.get(
  '/',
  describe({
    summary: 'The themes answers are analysed for: the defaults, then the partnership’s own, each with the terms the partnership added',
    tags: ['taxonomy'],
    auth: true,
    responses: {
      200: { description: 'The effective theme list', schema: TaxonomyViewSchema },
      403: { description: 'Not an admin, practice lead or scrutineer key' },
    },
  }),
  requireKey({ roles: ['admin', 'practice-lead', 'scrutineer'] }),
  async (c) => {
    c.header('Cache-Control', 'private, no-store');
    return c.json(view(await findTaxonomy(c.env.DB, c.get('key').partnershipId)));
  },
);

taxonomy.put(
  '/',
  describe({
    summary:
      'Replace the partnership’s synonyms ({themeId: [term]}, for default or its own themes) and own themes ([{id, label, terms}]). Applies to new responses; POST /api/v1/taxonomy/reanalyse applies it to stored ones',
    tags: ['taxonomy'],
    auth: true,
    responses: {
      200: { description: 'Saved; the version went up by one', schema: TaxonomyViewSchema },
      400: { description: 'Invalid fields, each named' },
      403: { description: 'Not an admin key' },
    },
  }),
  requireKey({ roles: ['admin'] }),
  validate('json', TaxonomyInputSchema),
  async (c) => c.json(view(await saveThemes(c.env.DB, c.get('key').partnershipId, c.req.valid('json'), nowIso()))),
);

taxonomy.post(
  '/reanalyse',
  describe({
    summary: `Re-analyse up to ${REANALYSE_BATCH} stored responses (in id order, after the cursor) with the current themes; call again with nextCursor until it is null`,
    tags: ['taxonomy'],
    auth: true,
    responses: {
      200: { description: 'One batch done; the insight rollups already reflect it', schema: ReanalysedSchema },
      400: { description: 'Invalid fields, each named' },
      403: { description: 'Not an admin key' },
    },
  }),
  requireKey({ roles: ['admin'] }),
  validate('json', ReanalyseSchema),
  async (c) => c.json(await reanalyseBatch(c.env.DB, c.get('key').partnershipId, c.req.valid('json').cursor ?? null)),
);
