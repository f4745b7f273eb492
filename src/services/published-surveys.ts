import { findPublishedSurvey, type SurveyWithDefinition } from '../db/surveys';
import { notFound } from '../lib/errors';
import { Lru } from '../lib/lru';

/**
 * Live surveys kept in isolate memory for the read-only routes (the survey JSON and page), which
 * already tell browsers and CDNs `max-age=60`. Submissions and chat never read from here: they
 * see a close or a new version at once. An edit, publish or close through this isolate forgets
 * the survey at once; another isolate may serve the old version for up to 60 s, as a CDN would.
 */
const TTL_MS = 60_000;
const cache = new Lru<string, { survey: SurveyWithDefinition; until: number }>(500);

/** A published survey as it was at most 60 s ago; only live surveys are kept. */
export async function recentPublishedSurvey(db: D1Database, id: string): Promise<SurveyWithDefinition | null> {
  const now = Date.now();
  const hit = cache.get(id);
  if (hit && hit.until > now) return hit.survey;
  const survey = await findPublishedSurvey(db, id);
  if (survey?.status === 'live') cache.set(id, { survey, until: now + TTL_MS });
  else cache.delete(id);
  return survey;
}

/** Drop a survey after it changes, so this isolate's next read sees the change. */
export const forgetPublishedSurvey = (id: string) => cache.delete(id);

/** A survey respondents may see: live or closed (closed answers 410 on submit). Drafts stay hidden. */
export async function publishedSurvey(db: D1Database, id: string): Promise<SurveyWithDefinition> {
  const survey = await findPublishedSurvey(db, id);
  if (!survey || survey.status === 'draft') throw notFound('survey');
  return survey;
}
