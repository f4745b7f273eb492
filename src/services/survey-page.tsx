import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { findLinkByTokenHash } from '../db/links';
import type { SurveyWithDefinition } from '../db/surveys';
import { privacyFor } from '../domain/privacy';
import { registerFor } from '../domain/register';
import { chooseAgeBand, chooseLanguage, resolveSurvey } from '../domain/survey';
import type { AppEnv } from '../env';
import { sha256Hex } from '../lib/crypto';
import type { FieldProblem } from '../lib/errors';
import { originAllowed } from '../lib/origins';
import { fill, localeFor, type Locale } from '../locales';
import { pagePolicy, styleHash } from '../lib/csp';
import { documentHtml } from '../views/layout';
import { pageTemplate, slot } from './page-templates';
import { SurveyPage, type FormErrors } from '../views/survey';

/**
 * The survey page as a use case: the pages route shows it, and the intake route shows it again
 * (400, with the posted values and the problems) when a form post without JavaScript needs fixing.
 * Also what every respondent page shares: its headers, its accent, where "Leave quickly" goes.
 */

/** Where "Leave quickly" goes unless the partner chose another neutral page. */
export const DEFAULT_LEAVE_URL = 'https://www.google.com/';
/** Neutral sites anyone may choose; otherwise the page must be on one of the survey's own allowed origins. */
const NEUTRAL_SITES = ['https://www.google.com', 'https://www.google.co.uk', 'https://www.bing.com', 'https://duckduckgo.com', 'https://www.bbc.co.uk'];

export const LINK_TOKEN = /^[A-Za-z0-9_-]{8,100}$/;

export interface SurveyRequest {
  lang?: string;
  age?: string;
  link?: string;
  embed: boolean;
  leave?: string;
  /** Unsaved wording from the editor: rendered afresh, never from (or into) the per-isolate page cache. */
  unsaved?: boolean;
}

/**
 * Renders the survey page; the intake route reuses it (status 400, with the posted values and
 * the problems) when a form post without JavaScript needs fixing.
 */
export async function renderSurvey(
  c: Context<AppEnv>,
  survey: SurveyWithDefinition,
  req: SurveyRequest,
  problem?: { values: URLSearchParams; fields: FieldProblem[] },
  status: ContentfulStatusCode = 200,
) {
  const def = survey.definition;
  const lang = chooseLanguage(def, req.lang);
  const askedBand = def.ageBands.find((b) => b === req.age);
  const resolved = resolveSurvey(def, lang, chooseAgeBand(def, req.age));
  const locale = localeFor(lang, registerFor(resolved.ageBand));
  let link = req.link && LINK_TOKEN.test(req.link) ? req.link : undefined;
  const errors = problem ? formErrors(problem.fields, resolved.questions, locale) : undefined;
  if (problem?.fields.some((f) => f.path === 'link')) link = undefined; // let them answer without the bad link

  const leaveUrl = leaveUrlFor(req.leave, survey);
  const carry = carryQuery({ age: askedBand, link, embed: req.embed, leaveUrl });
  // Through a link carrying a practitioner's contact reference, the privacy line must say so honestly.
  const linked = link ? await findLinkByTokenHash(c.env.DB, await sha256Hex(link)) : null;
  if (linked?.surveyId === survey.id) resolved.privacy = privacyFor(def, lang, linked, resolved.ageBand).privacy;

  const ageBand = askedBand ?? (def.ageBands.length === 1 ? def.ageBands[0] : undefined);
  const render = (id: string, pressId?: string) =>
    documentHtml(
      <SurveyPage
        surveyId={survey.id}
        audience={survey.audience}
        survey={resolved}
        locale={locale}
        lang={lang}
        leaveUrl={leaveUrl}
        embed={req.embed}
        inlineStyle={accentStyle(survey)}
        hidden={{ id, lang, ageBand, link }}
        pressId={pressId}
        carry={carry}
        values={problem?.values}
        errors={errors}
      />,
    );

  // Fresh ids per page (the response's and the "I'm not safe" press's), so two people never
  // share one (the page is never cached downstream).
  const id = () => crypto.randomUUID();
  if (!problem && !link && !req.unsaved) {
    // The common page, rendered once per isolate (page-templates.ts). A link's page and a page
    // showing a person's answers back are rendered per request: one is looked up, the other is theirs.
    const key = [survey.id, survey.definitionVersion, survey.updatedAt, lang, askedBand ?? '', req.embed ? 'embed' : '', leaveUrl].join('\n');
    const template = await pageTemplate(key, async () => ({
      html: render(slot('responseId'), slot('pressId')),
      headers: { 'Content-Security-Policy': await surveyPolicy(survey), 'Cache-Control': 'no-store' },
    }));
    for (const [name, value] of Object.entries(template.headers)) c.header(name, value);
    return c.html(template.fill({ responseId: id(), pressId: id() }), status);
  }
  await pageHeaders(c, survey);
  const keepId = problem && !problem.fields.some((f) => f.path === 'id') ? problem.values.get('id') : undefined;
  return c.html(render(keepId ?? id()), status);
}

/** What a page passes on to its language links (and the chat to its form page). */
export function carryQuery(p: { age?: string; link?: string; embed: boolean; leaveUrl: string }): URLSearchParams {
  const carry = new URLSearchParams();
  if (p.age) carry.set('age', p.age);
  if (p.link) carry.set('link', p.link);
  if (p.embed) carry.set('embed', '1');
  if (p.leaveUrl !== DEFAULT_LEAVE_URL) carry.set('leave', p.leaveUrl);
  return carry;
}

function formErrors(fields: FieldProblem[], questions: { id: string; text: string; maxLength?: number }[], locale: Locale): FormErrors {
  const errors: FormErrors = { summary: [], byQuestion: {} };
  let general = false;
  for (const f of fields) {
    const q = f.path.startsWith('answers.') ? questions.find((x) => `answers.${x.id}` === f.path) : undefined;
    if (q) {
      // Our own words, never the server's message: it is English and written for developers.
      const text = /at most/.test(f.message) && q.maxLength ? fill(locale.m.tooLong, { max: q.maxLength }) : locale.m.notAnOption;
      errors.byQuestion[q.id] = text;
      errors.summary.push({ href: `#a-${q.id}`, text });
    } else if (f.path === 'link') {
      errors.summary.push({ href: '', text: locale.m.linkProblem });
    } else if (!general) {
      general = true;
      errors.summary.push({ href: '', text: locale.m.formProblem });
    }
  }
  return errors;
}

/** The partner's accent as a CSS custom property; the partner API already refused colours under 4.5:1 on white. */
export function accentStyle(survey: SurveyWithDefinition): string | undefined {
  return survey.accentColour && /^#[0-9a-f]{6}$/i.test(survey.accentColour) ? `:root{--accent:${survey.accentColour}}` : undefined;
}

/** CSP framing per survey and no caching: the page carries a response id and, after an error, answers. */
export async function pageHeaders(c: Context<AppEnv>, survey: SurveyWithDefinition) {
  c.header('Content-Security-Policy', await surveyPolicy(survey));
  c.header('Cache-Control', 'no-store');
}

/** A survey's page CSP: framed only by its allowed origins, with its accent style's hash. */
async function surveyPolicy(survey: SurveyWithDefinition): Promise<string> {
  const inline = accentStyle(survey);
  return pagePolicy({ frameAncestors: survey.allowedOrigins, styleHashes: inline ? [await styleHash(inline)] : [] });
}

/**
 * "Leave quickly" goes to a neutral page: the default search engine, the home page of a well-known
 * neutral site, or a page on one of the survey's own allowed origins (a partner's embed may choose
 * one). A neutral site keeps only its bare origin: a path or query there could be a redirector
 * (`https://www.google.com/url?q=https://evil…`) or a search that says what the child was doing.
 * Anything else is ignored, so a crafted link cannot send a child somewhere harmful.
 */
export function leaveUrlFor(asked: string | undefined, survey: { allowedOrigins: string[] }): string {
  if (!asked) return DEFAULT_LEAVE_URL;
  let url: URL;
  try {
    url = new URL(asked);
  } catch {
    return DEFAULT_LEAVE_URL;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return DEFAULT_LEAVE_URL;
  if (NEUTRAL_SITES.includes(url.origin)) return `${url.origin}/`;
  // user:password@ is dropped by url.origin but kept by url.href; no neutral page needs it.
  if (url.username || url.password) return DEFAULT_LEAVE_URL;
  return originAllowed(url.origin, survey.allowedOrigins) ? url.href : DEFAULT_LEAVE_URL;
}
