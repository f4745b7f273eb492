import { Hono, type Context } from 'hono';
import { findPublishedSurvey, type SurveyWithDefinition } from '../db/surveys';
import { youSaidWeDidFor } from '../db/actions';
import { signpostFor } from '../domain/privacy';
import { registerFor } from '../domain/register';
import { chooseAgeBand, chooseLanguage, resolveSurvey } from '../domain/survey';
import type { AppEnv } from '../env';
import { localeFor } from '../locales';
import { pagePolicy } from '../lib/csp';
import { findAsset } from '../views/assets';
import { documentHtml } from '../views/layout';
import { ChatPage } from '../views/chat';
import { MessagePage, ThanksPage } from '../views/thanks';
import { UnsafePage } from '../views/unsafe';
import { announceAlert } from '../services/alert-webhook';
import { pressUnsafe } from '../services/unsafe';
import { clientAddress, parseRateLimit, take } from '../middleware/rate-limit';
import { hashedAddress } from '../lib/address-hash';
import { readForm } from '../lib/validate';
import { recentPublishedSurvey } from '../services/published-surveys';
import { accentStyle, carryQuery, DEFAULT_LEAVE_URL, LINK_TOKEN, leaveUrlFor, pageHeaders, renderSurvey } from '../services/survey-page';

/** Pages a person sees, and the browser assets they load. */
export const pages = new Hono<AppEnv>();

pages.get('/widget.js', (c) => {
  const asset = findAsset('/widget.js');
  if (!asset) return c.notFound();
  // A stable URL partners paste once, so it cannot be cached forever; it is small and pulls nothing else.
  c.header('Cache-Control', 'public, max-age=300');
  c.header('Content-Type', asset.type);
  c.header('Cross-Origin-Resource-Policy', 'cross-origin');
  return c.body(asset.body);
});

pages.get('/assets/:file', (c) => {
  const asset = findAsset(new URL(c.req.url).pathname);
  if (!asset) return c.notFound();
  c.header('Cache-Control', asset.hashed ? 'public, max-age=31536000, immutable' : 'no-cache');
  c.header('Content-Type', asset.type);
  return c.body(asset.body);
});

pages.get('/s/:id', async (c) => {
  const survey = await recentPublishedSurvey(c.env.DB, c.req.param('id'));
  if (!survey || survey.status === 'draft') return missingPage(c);
  if (survey.status === 'closed') return closedPage(c, survey);
  const q = c.req.query();
  return renderSurvey(c, survey, {
    lang: q.lang,
    age: q.age,
    link: q.link,
    embed: q.embed === '1',
    leave: q.leave,
  });
});

/** The survey as a chat (issue 5): the same survey, words and safety, one message at a time. */
pages.get('/s/:id/chat', async (c) => {
  const survey = await findPublishedSurvey(c.env.DB, c.req.param('id'));
  if (!survey || survey.status === 'draft') return missingPage(c);
  if (survey.status === 'closed') return closedPage(c, survey);
  const q = c.req.query();
  const def = survey.definition;
  const lang = chooseLanguage(def, q.lang);
  const askedBand = def.ageBands.find((b) => b === q.age);
  const link = q.link && LINK_TOKEN.test(q.link) ? q.link : undefined;
  const leaveUrl = leaveUrlFor(q.leave, survey);
  const embed = q.embed === '1';
  await pageHeaders(c, survey);
  return c.html(
    documentHtml(
      <ChatPage
        surveyId={survey.id}
        survey={resolveSurvey(def, lang, chooseAgeBand(def, q.age))}
        locale={localeFor(lang, registerFor(chooseAgeBand(def, q.age)))}
        lang={lang}
        leaveUrl={leaveUrl}
        embed={embed}
        inlineStyle={accentStyle(survey)}
        start={{ lang, ageBand: askedBand ?? (def.ageBands.length === 1 ? def.ageBands[0] : undefined), link }}
        carry={carryQuery({ age: askedBand, link, embed, leaveUrl })}
      />,
    ),
  );
});

pages.get('/s/:id/thanks', async (c) => {
  const survey = await findPublishedSurvey(c.env.DB, c.req.param('id'));
  if (!survey || survey.status === 'draft') return missingPage(c);
  const q = c.req.query();
  const def = survey.definition;
  const resolved = resolveSurvey(def, chooseLanguage(def, q.lang), chooseAgeBand(def, q.age));
  const locale = localeFor(resolved.lang, registerFor(resolved.ageBand));
  const youSaidWeDid = await youSaidWeDidFor(c.env.DB, survey.id, resolved.lang);
  await pageHeaders(c, survey);
  return c.html(
    documentHtml(
      <ThanksPage
        youSaidWeDid={youSaidWeDid}
        survey={resolved}
        locale={locale}
        leaveUrl={leaveUrlFor(q.leave, survey)}
        embed={q.embed === '1'}
        surveyId={survey.id}
        inlineStyle={accentStyle(survey)}
        // known=1: the answers came through a link with a contact reference, so "we can't see who you are" would be untrue.
        signpost={q.support === '1' ? signpostFor(q.known === '1', resolved.lang, resolved.ageBand) : undefined}
        known={q.known === '1'}
        ownActionsOnly={survey.audience === 'community'}
      />,
    ),
  );
});

/**
 * "I'm not safe" (a form post from every respondent screen, so it works without JavaScript): the
 * signpost at once, one optional question, and one safeguarding alert even with no words. A press
 * past the intake rate limit still sees the signpost (429) but raises nothing more.
 */
pages.post('/s/:id/unsafe', async (c) => {
  const survey = await findPublishedSurvey(c.env.DB, c.req.param('id'));
  if (!survey || survey.status === 'draft') return missingPage(c);
  const q = c.req.query();
  const form = await readForm(c);
  const lang = chooseLanguage(survey.definition, q.lang);
  const locale = localeFor(lang, registerFor(chooseAgeBand(survey.definition, q.age)));
  const link = q.link && LINK_TOKEN.test(q.link) ? q.link : undefined;
  const asked = form.get('press') ?? '';
  const press = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i.test(asked) ? asked.toLowerCase() : crypto.randomUUID();
  const text = (form.get('text') ?? '').slice(0, 4000);

  const limit = parseRateLimit(c.env.INTAKE_RATE_LIMIT);
  const wait = limit ? take(`unsafe\n${survey.id}\n${await hashedAddress(clientAddress(c))}`, limit) : null;
  let identifiable = false;
  if (wait === null) {
    const outcome = await pressUnsafe(c.env, survey, { press, text, link, sender: c.req.header('cf-connecting-ip') });
    identifiable = outcome.identifiable;
    if (outcome.raised) c.executionCtx.waitUntil(announceAlert(c.env, outcome.raised));
  } else {
    c.header('Retry-After', String(wait));
  }

  const leaveUrl = leaveUrlFor(q.leave, survey);
  const embed = q.embed === '1';
  const carry = carryQuery({ link, embed, leaveUrl });
  carry.set('lang', lang);
  await pageHeaders(c, survey);
  return c.html(
    documentHtml(
      <UnsafePage
        surveyId={survey.id}
        locale={locale}
        lang={locale.lang}
        leaveUrl={leaveUrl}
        embed={embed}
        inlineStyle={accentStyle(survey)}
        action={`/s/${encodeURIComponent(survey.id)}/unsafe?${carry}`}
        press={press}
        identifiable={identifiable}
        told={text.trim() !== ''}
        backUrl={`/s/${encodeURIComponent(survey.id)}?${carry}`}
      />,
    ),
    wait === null ? 200 : 429,
  );
});

function missingPage(c: Context<AppEnv>) {
  const locale = localeFor(c.req.query('lang') === 'cy' ? 'cy' : 'en');
  c.header('Content-Security-Policy', pagePolicy({ frameAncestors: [] }));
  c.header('Cache-Control', 'no-store');
  return c.html(
    documentHtml(
      <MessagePage
        lang={locale.lang}
        locale={locale}
        leaveUrl={DEFAULT_LEAVE_URL}
        embed={false}
        heading={locale.m.notFoundTitle}
        body={locale.m.notFoundBody}
      />,
    ),
    404,
  );
}

async function closedPage(c: Context<AppEnv>, survey: SurveyWithDefinition) {
  const lang = chooseLanguage(survey.definition, c.req.query('lang'));
  const locale = localeFor(lang, registerFor(chooseAgeBand(survey.definition, c.req.query('age'))));
  await pageHeaders(c, survey);
  return c.html(
    documentHtml(
      <MessagePage
        lang={locale.lang}
        locale={locale}
        leaveUrl={leaveUrlFor(c.req.query('leave'), survey)}
        embed={c.req.query('embed') === '1'}
        surveyId={survey.id}
        heading={locale.m.closedTitle}
        body={locale.m.closed}
      />,
    ),
    410,
  );
}
