import { Hono } from 'hono';
import { listAnalysisRows, updateAnalyses, type AnalysisUpdate } from '../db/responses';
import { findTaxonomy, saveTaxonomy, type StoredTaxonomy } from '../db/taxonomies';
import type { TextAnswerAnalysis } from '../domain/intake';
import { reanalyseResponse } from '../domain/reanalysis';
import { themeViews } from '../domain/taxonomy';
import type { AppEnv } from '../env';
import { describe } from '../lib/openapi';
import { nowIso } from '../lib/time';
import { validate } from '../lib/validate';
import { requireKey } from '../middleware/auth';
import { ReanalysedSchema, ReanalyseSchema, TaxonomyInputSchema, TaxonomyViewSchema } from '../schemas/taxonomy';
import { remember, taxonomyFor } from '../services/taxonomy';

/** The partnership's themes (the defaults plus its own synonyms and themes) and re-analysis of stored answers. */
export const taxonomy = new Hono<AppEnv>();

/** Responses re-analysed per call: enough to make progress, little enough for one request's CPU and one D1 query. */
export const REANALYSE_BATCH = 200;

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
  async (c) => {
    const partnershipId = c.get('key').partnershipId;
    const stored = await saveTaxonomy(c.env.DB, partnershipId, c.req.valid('json'), nowIso());
    remember(partnershipId, stored);
    return c.json(view(stored));
  },
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
  async (c) => {
    const partnershipId = c.get('key').partnershipId;
    const { cursor } = c.req.valid('json');
    const [current, rows] = await Promise.all([
      taxonomyFor(c.env.DB, partnershipId),
      // One more than a batch, to know whether there is a next one.
      listAnalysisRows(c.env.DB, partnershipId, cursor ?? null, REANALYSE_BATCH + 1),
    ]);
    const batch = rows.slice(0, REANALYSE_BATCH);
    const updates: AnalysisUpdate[] = [];
    for (const row of batch) {
      const next = reanalyseResponse(
        { answers: JSON.parse(row.answers), analysis: JSON.parse(row.analysis) as Record<string, TextAnswerAnalysis>, rating: row.rating },
        current.taxonomy,
      );
      if (!next) continue;
      const update = { analysis: JSON.stringify(next.analysis), themes: JSON.stringify(next.themes), sentiment: next.sentiment };
      if (update.analysis === row.analysis && update.themes === row.themes && update.sentiment === row.sentiment) continue;
      updates.push({ id: row.id, was: { analysis: row.analysis, themes: row.themes, sentiment: row.sentiment }, ...update });
    }
    const changed = await updateAnalyses(c.env.DB, partnershipId, updates);
    return c.json({
      processed: batch.length,
      changed: changed.length,
      nextCursor: rows.length > REANALYSE_BATCH ? batch[batch.length - 1]!.id : null,
      version: current.version,
    });
  },
);
