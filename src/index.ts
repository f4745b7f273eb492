import { TrieRouter } from 'hono/router/trie-router';
import { Hono, type Context, type ErrorHandler } from 'hono';
import type { AppEnv } from './env';
import { ApiError, type ErrorBody } from './lib/errors';
import { buildOpenApi, describe } from './lib/openapi';
import { d1Sessions } from './middleware/d1-session';
import { securityHeaders } from './middleware/headers';
import { surveyCors } from './middleware/survey-cors';
import { chatStartLimit, intakeRateLimit } from './middleware/rate-limit';
import { conversations, conversationStarts } from './routes/conversations';
import { accounts, oidcProviders } from './routes/accounts';
import { dashboard } from './routes/dashboard';
import { dashboardAccounts } from './routes/dashboard-accounts';
import { feeds } from './routes/feeds';
import { insights } from './routes/insights';
import { intake } from './routes/intake';
import { keys } from './routes/keys';
import { labels } from './routes/labels';
import { links, shortLinks } from './routes/links';
import { partners, services } from './routes/partners';
import { partnership } from './routes/partnership';
import { actions, youSaidWeDid } from './routes/actions';
import { audit } from './routes/audit';
import { pages } from './routes/pages';
import { safeguarding } from './routes/safeguarding';
import { surveys } from './routes/surveys';
import { queue } from './queue';
import { taxonomy } from './routes/taxonomy';
import { workspace } from './routes/workspace';
import { scheduled } from './scheduled';
import { RESUME_HEADER } from './schemas/headers';
import { surveyIdOfConversation } from './services/conversations';

// The router Hono's default (SmartRouter) settles on for these routes anyway: its first choice,
// RegExpRouter, refuses /dashboard/sign-in/oidc/:providerId beside the static …/oidc/callback, so every fresh
// isolate's first request paid for building and abandoning it (~3 ms) before falling back (issue 15 item 5).
export const app = new Hono<AppEnv>({ router: new TrieRouter() });

app.use('*', securityHeaders());
// Reads through D1's Sessions API, ready for read replicas (middleware/d1-session.ts).
app.use('*', d1Sessions());

app.get('/healthz', describe({ summary: 'Liveness (touches no database)', tags: ['public'], responses: { 200: { description: 'Alive' } } }), (c) =>
  c.json({ ok: true }),
);

// Before the routes, so a flood is turned away before any body is read or query run.
app.use('/api/v1/surveys/:id/responses', intakeRateLimit('responses'));
app.use('/api/v1/surveys/:id/conversations', intakeRateLimit('conversations'));
app.use('/api/v1/surveys/:id/conversations', chatStartLimit());
app.use('/api/v1/conversations/:id/replies', intakeRateLimit('replies'));

// CORS for the routes an embedding page calls, after the rate limits so a flood costs no lookup.
// Only these exact paths: an editor's routes under /api/v1/surveys/:id/… get no CORS headers.
const surveyOfPath = async (c: Context<AppEnv>) => c.req.param('id') ?? null;
const surveyOfChat = async (c: Context<AppEnv>) => surveyIdOfConversation(c.env.DB, c.req.param('id')!);
app.use('/api/v1/surveys/:id', surveyCors({ surveyIdOf: surveyOfPath, allowMethods: ['GET'], allowHeaders: ['Content-Type'] }));
for (const path of ['responses', 'conversations', 'you-said-we-did']) {
  app.use(`/api/v1/surveys/:id/${path}`, surveyCors({ surveyIdOf: surveyOfPath, allowMethods: ['GET', 'POST'], allowHeaders: ['Content-Type'] }));
}
app.use('/api/v1/conversations/:id', surveyCors({ surveyIdOf: surveyOfChat, allowMethods: ['GET'], allowHeaders: ['Content-Type', RESUME_HEADER] }));
app.use('/api/v1/conversations/:id/replies', surveyCors({ surveyIdOf: surveyOfChat, allowMethods: ['POST'], allowHeaders: ['Content-Type', RESUME_HEADER] }));

app.route('/api/v1/surveys', intake);
app.route('/api/v1/surveys', conversationStarts);
app.route('/api/v1/surveys', youSaidWeDid);
app.route('/api/v1/surveys', surveys);
app.route('/api/v1/partners', partners);
app.route('/api/v1/services', services);
app.route('/api/v1/links', links);
app.route('/api/v1/keys', keys);
app.route('/api/v1/partnership', partnership);
app.route('/', shortLinks);
app.route('/', feeds);
app.route('/', dashboardAccounts);
app.route('/', dashboard);
app.route('/', workspace);
app.route('/api/v1/accounts', accounts);
app.route('/api/v1/oidc-providers', oidcProviders);
app.route('/api/v1/insights', insights);
app.route('/api/v1/conversations', conversations);
app.route('/api/v1/safeguarding', safeguarding);
app.route('/api/v1', labels);
app.route('/api/v1/audit', audit);
app.route('/api/v1/actions', actions);
app.route('/api/v1/taxonomy', taxonomy);
app.route('/', pages);

let openApiDocument: unknown;
app.get('/api/v1/openapi.json', (c) => {
  openApiDocument ??= buildOpenApi(app, {
    title: 'Heard API',
    version: '1.0.0',
    description: 'Children’s and family voice for local safeguarding children partnerships.',
  });
  return c.json(openApiDocument);
});

app.notFound((c) => c.json<ErrorBody>({ error: { code: 'not_found', message: 'No such route.' } }, 404));

/** The one error handler: our ApiErrors as they are, anything else as a generic 500 with a logged id. */
export const handleError: ErrorHandler = (err, c) => {
  if (err instanceof ApiError) {
    for (const [name, value] of Object.entries(err.headers ?? {})) c.header(name, value);
    return c.json(err.toBody(), err.status);
  }
  // Unexpected: log an id and the error (never the request body), answer without details.
  const errorId = crypto.randomUUID();
  console.error(`[heard] ${errorId} ${c.req.method} ${new URL(c.req.url).pathname}:`, err instanceof Error ? (err.stack ?? err.message) : 'non-error thrown');
  return c.json<ErrorBody>({ error: { code: 'internal_error', message: 'Something went wrong on our side. Please try again.', errorId } }, 500);
};
app.onError(handleError);

export default { fetch: app.fetch, scheduled, queue } satisfies ExportedHandler<Env>;
