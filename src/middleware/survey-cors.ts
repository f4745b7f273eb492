import type { Context, MiddlewareHandler } from 'hono';
import { cors } from 'hono/cors';
import type { AppEnv } from '../env';
import { originAllowed } from '../lib/origins';
import { recentPublishedSurvey } from '../services/published-surveys';

export interface SurveyCorsOptions {
  /** The survey whose allowed origins decide, or null when there is none (no CORS headers then). */
  surveyIdOf: (c: Context<AppEnv>) => Promise<string | null>;
  /** The methods the route answers; other methods (an editor's PUT on the same path) get no CORS headers. */
  allowMethods: string[];
  allowHeaders: string[];
}

/**
 * CORS for a survey's public routes, through `hono/cors`: only an origin in the survey's
 * `allowedOrigins` gets Access-Control-Allow-Origin, on the preflight (answered here, 204, cached
 * by the browser for 600 s) and on the response, errors included, so the embedding page can read
 * a 400 or 410. Every answer varies by Origin. Surveys come from the isolate's cache of live ones,
 * so a busy survey costs no extra read; a request without an Origin costs none at all.
 *
 * @example app.use('/api/v1/surveys/:id', surveyCors({ surveyIdOf: async (c) => c.req.param('id') ?? null, allowMethods: ['GET'], allowHeaders: ['Content-Type'] }))
 */
export const surveyCors = (opts: SurveyCorsOptions): MiddlewareHandler<AppEnv> => {
  const handler = cors({
    origin: async (origin, c: Context<AppEnv>) => {
      if (!origin) return null;
      const id = await opts.surveyIdOf(c);
      const survey = id ? await recentPublishedSurvey(c.env.DB, id) : null;
      // A draft is answered 404 and never shown to respondents, so it grants no origin either.
      if (!survey || survey.status === 'draft') return null;
      return originAllowed(origin, survey.allowedOrigins) ? origin : null;
    },
    allowMethods: opts.allowMethods,
    allowHeaders: opts.allowHeaders,
    maxAge: 600,
  });
  const answers = (method: string) => opts.allowMethods.includes(method) || (method === 'HEAD' && opts.allowMethods.includes('GET'));
  return async function surveyCors(c, next) {
    if (c.req.method !== 'OPTIONS' && !answers(c.req.method)) return next();
    return handler(c, next);
  };
};
