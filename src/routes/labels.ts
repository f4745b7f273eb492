import { Hono } from 'hono';
import type { AppEnv } from '../env';
import { describe } from '../lib/openapi';
import { requireKey } from '../middleware/auth';
import { exportLabels } from '../services/labels';

/**
 * Labelled data from the work itself, as JSON Lines in the analysis fixtures' format:
 * `curl -H "Authorization: Bearer $KEY" …/api/v1/labels.jsonl > labels.jsonl && npm run eval -- labels.jsonl`.
 */
export const labels = new Hono<AppEnv>();

labels.get(
  '/labels.jsonl',
  describe({
    summary: 'Every decided label (review decisions, false-alarm alerts, corrections): redacted text only, one JSON object per line',
    tags: ['safeguarding'],
    auth: true,
    responses: {
      200: { description: 'application/x-ndjson, one line of tests/fixtures/analysis/*.jsonl per label' },
      401: { description: 'No valid key' },
      403: { description: 'Not a safeguarding lead or admin key' },
    },
  }),
  requireKey({ roles: ['safeguarding-lead', 'admin'] }),
  async (c) => {
    const body = await exportLabels(c.env.DB, c.get('key'));
    return c.body(body, 200, { 'Content-Type': 'application/x-ndjson; charset=utf-8', 'Content-Disposition': 'attachment; filename="labels.jsonl"' });
  },
);
