import type { Child, FC, PropsWithChildren } from 'hono/jsx';
import { raw } from 'hono/html';
import { fill, type Locale, type MessageKey } from '../locales';
import { assetPath } from './assets';

export interface PageProps {
  /** The language the page's own content is in (the survey's). */
  lang: string;
  dir: 'ltr' | 'rtl';
  /** Heard's wording; its `lang` differs from the page's when Heard has no translation (say `ar`). */
  locale: Locale;
  /** Neutral on purpose: someone glancing at a tab list sees only "Feedback". */
  title: string;
  leaveUrl: string;
  embed: boolean;
  surveyId?: string;
  /** An inline `<style>` body whose hash is in the page's CSP (the partner's accent colour). */
  inlineStyle?: string;
  /** The enhancement script: the form's (default) or the chat's. */
  script?: 'survey.js' | 'chat.js';
  /** The feedback link token the page was opened with: an "I'm not safe" press carries it to the alert. */
  link?: string;
  /** This page answers an "I'm not safe" press: no second button on it. */
  pressed?: boolean;
  /**
   * The "I'm not safe" press id; fresh per render when absent. A page rendered once as a template
   * passes a slot here, so each copy gets its own: a shared id would join two children's presses.
   */
  pressId?: string;
}

/**
 * Heard's wording, marked `lang` (and isolated left-to-right) only when it is not in the
 * page's language: an Arabic survey keeps English buttons readable and correctly announced.
 */
export const Say: FC<{ locale: Locale; page: string; k: MessageKey; values?: Record<string, string | number> }> = ({ locale, page, k, values }) => {
  const text = values ? fill(locale.m[k], values) : locale.m[k];
  return locale.lang === page ? (
    text
  ) : (
    <span lang={locale.lang} dir="ltr">
      {text}
    </span>
  );
};

/** Attributes for an element whose text is Heard's wording rather than the survey's. */
export const uiLang = (locale: Locale, page: string) => (locale.lang === page ? {} : { lang: locale.lang });

/** "If you are in danger now, call 999. …" with the numbers as phone links. */
export const SafetyLine: FC<{ locale: Locale; page: string }> = ({ locale, page }) => {
  const parts: Child[] = locale.m.safety
    .split(/(\{999\}|\{childline\})/)
    .map((part) => (part === '{999}' ? <a href="tel:999">999</a> : part === '{childline}' ? <a href="tel:08001111">0800 1111</a> : part));
  return (
    <p class="safety" {...uiLang(locale, page)}>
      {parts}
    </p>
  );
};

/**
 * What every page's head starts with: no referrer leaves the page (a survey URL can carry a link
 * token), search engines stay away, and dark mode follows the device.
 */
export const BaseMeta: FC = () => (
  <>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <meta name="referrer" content="no-referrer" />
    <meta name="robots" content="noindex, nofollow" />
    <meta name="color-scheme" content="light dark" />
  </>
);

/** The frame every page a respondent sees shares: Leave quickly, the safety line, then the content. */
export const Page: FC<PropsWithChildren<PageProps>> = (p) => (
  <html lang={p.lang} dir={p.dir}>
    <head>
      <BaseMeta />
      <title>{p.title}</title>
      <link rel="stylesheet" href={assetPath('survey.css')} />
      {p.inlineStyle ? <style>{raw(p.inlineStyle)}</style> : null}
      <script src={assetPath(p.script ?? 'survey.js')} defer></script>
    </head>
    <body class={p.embed ? 'embed' : undefined} data-leave={p.leaveUrl} data-survey={p.surveyId} data-embed={p.embed ? '1' : undefined}>
      {/* Sticky at the top at every scroll position; it takes its own room, so it covers nothing. */}
      <div class="actions">
        {p.surveyId && !p.pressed ? <UnsafeButton {...p} surveyId={p.surveyId} /> : null}
        <a class="leave" href={p.leaveUrl} rel="noreferrer" data-leave-link {...uiLang(p.locale, p.lang)}>
          {p.locale.m.leave}
        </a>
      </div>
      <header class="top">
        {p.embed ? null : (
          <span class="leave-hint" hidden {...uiLang(p.locale, p.lang)}>
            {p.locale.m.leaveHint}
          </span>
        )}
        <SafetyLine locale={p.locale} page={p.lang} />
      </header>
      <main id="main">{p.children}</main>
    </body>
  </html>
);

/**
 * "I'm not safe": a one-button form, so it works without JavaScript. The press id is fresh per
 * render; the same press sent twice raises one alert (services/unsafe.ts).
 */
const UnsafeButton: FC<PageProps & { surveyId: string }> = (p) => {
  const query = new URLSearchParams({ lang: p.lang });
  if (p.link) query.set('link', p.link);
  if (p.embed) query.set('embed', '1');
  if (p.leaveUrl) query.set('leave', p.leaveUrl);
  return (
    <form method="post" action={`/s/${encodeURIComponent(p.surveyId)}/unsafe?${query}`} class="unsafe">
      <input type="hidden" name="press" value={p.pressId ?? crypto.randomUUID()} />
      <button type="submit" class="unsafe-button" data-unsafe-button {...uiLang(p.locale, p.lang)}>
        {p.locale.m.unsafe}
      </button>
    </form>
  );
};

/** Renders a page element to a full HTML document. */
export const documentHtml = (page: Child) => `<!doctype html>${String(page)}`;
