import type { FC } from 'hono/jsx';
import type { ResolvedQuestion, ResolvedSurvey } from '../domain/survey';
import { limitWords } from '../domain/text-limit';
import { fill, type Locale } from '../locales';
import { Page, uiLang, type PageProps } from './layout';

/** The form value meaning "I'd rather not say" (the intake route maps it to null). */
export const SKIP = '_skip';

export interface FormErrors {
  /** Shown at the top, each linking to the field it is about (`href` is `#a-<question>` or empty). */
  summary: { href: string; text: string }[];
  /** Messages shown beside each question, by question id. */
  byQuestion: Record<string, string>;
}

export interface SurveyPageProps extends Omit<PageProps, 'title' | 'dir'> {
  surveyId: string;
  audience: string;
  survey: ResolvedSurvey;
  /** Hidden fields carried into the submission. */
  hidden: { id: string; lang: string; ageBand?: string; link?: string };
  /** Query string for the language links, so link/age/embed/leave survive a language change. */
  carry: URLSearchParams;
  /** The posted values, when re-rendering after a problem; nothing is ever pre-selected otherwise. */
  values?: URLSearchParams;
  errors?: FormErrors;
}

/**
 * The survey as one plain HTML form that posts to the intake endpoint and works with JavaScript
 * off. widgets/survey.ts enhances it into one question at a time; everything it needs is here as
 * data attributes (no inline script).
 */
export const SurveyPage: FC<SurveyPageProps> = (p) => {
  const { survey, locale } = p;
  const page = survey.lang;
  // embed and leave ride along so a form post without JavaScript keeps them on the thank-you page.
  const actionQuery = new URLSearchParams();
  if (p.embed) actionQuery.set('embed', '1');
  if (p.carry.get('leave')) actionQuery.set('leave', p.carry.get('leave')!);
  const action = `/api/v1/surveys/${encodeURIComponent(p.surveyId)}/responses${actionQuery.size ? `?${actionQuery}` : ''}`;
  const thanks = new URLSearchParams({ lang: survey.lang });
  // The age band sets the thank-you page's Welsh register (ti or chi), as it did this page's.
  if (p.carry.get('age')) thanks.set('age', p.carry.get('age')!);
  if (p.embed) thanks.set('embed', '1');
  if (p.carry.get('leave')) thanks.set('leave', p.carry.get('leave')!);
  const config = {
    action,
    thanks: `/s/${encodeURIComponent(p.surveyId)}/thanks?${thanks}`,
    uiLang: locale.lang,
    speechLang: survey.lang,
    m: pick(locale, [
      'progressOnly',
      'next',
      'back',
      'send',
      'sending',
      'offline',
      'retry',
      'tooLong',
      'errorSummary',
      'closed',
      'linkUsed',
      'failed',
      'formProblem',
      'readToMe',
      'stopReading',
    ]),
  };
  const hasErrors = !!p.errors && p.errors.summary.length > 0;
  return (
    <Page {...p} link={p.hidden.link} dir={survey.dir} title={hasErrors ? `${locale.m.errorTitlePrefix} ${locale.m.pageTitle}` : locale.m.pageTitle}>
      <LanguageLinks languages={survey.languages} current={survey.lang} carry={p.carry} />
      <h1 id="title">{survey.title}</h1>
      <p class="intro" data-intro>
        {survey.intro}
      </p>
      {hasErrors ? (
        <div class="error-summary" role="alert" tabindex={-1} autofocus aria-labelledby="error-summary-title" data-error-summary>
          <h2 id="error-summary-title" {...uiLang(locale, page)}>
            {locale.m.errorSummary}
          </h2>
          <ul>
            {p.errors!.summary.map((e) => (
              <li {...uiLang(locale, page)}>{e.href ? <a href={e.href}>{e.text}</a> : e.text}</li>
            ))}
          </ul>
        </div>
      ) : null}
      <form method="post" action={action} autocomplete="off" novalidate data-survey-form data-config={JSON.stringify(config)} aria-labelledby="title">
        <input type="hidden" name="id" value={p.hidden.id} />
        <input type="hidden" name="lang" value={p.hidden.lang} />
        {p.hidden.ageBand ? <input type="hidden" name="ageBand" value={p.hidden.ageBand} /> : null}
        {p.hidden.link ? <input type="hidden" name="link" value={p.hidden.link} /> : null}
        {/* For the eye only ("Question 2" says it in words); filled by widgets/survey.ts, never backwards. */}
        <div class="bar" aria-hidden="true" data-bar hidden>
          <span data-bar-fill></span>
        </div>
        {survey.questions.map((q, i) => (
          <QuestionField q={q} index={i} survey={survey} locale={locale} audience={p.audience} values={p.values} error={p.errors?.byQuestion[q.id]} />
        ))}
        <p class="status" role="status" aria-live="polite" data-status></p>
        <div class="nav">
          <button type="button" class="secondary" data-back hidden {...uiLang(locale, page)}>
            {locale.m.back}
          </button>
          <button type="button" class="primary" data-next hidden {...uiLang(locale, page)}>
            {locale.m.next}
          </button>
          <button type="submit" class="primary" data-send {...uiLang(locale, page)}>
            {locale.m.send}
          </button>
        </div>
      </form>
    </Page>
  );
};

function pick(locale: Locale, keys: (keyof Locale['m'])[]) {
  return Object.fromEntries(keys.map((k) => [k, locale.m[k]]));
}

export const LanguageLinks: FC<{ languages: string[]; current: string; carry: URLSearchParams }> = ({ languages, current, carry }) => {
  const others = languages.filter((l) => l !== current);
  if (!others.length) return null;
  return (
    <nav class="langs" aria-label="Language / Iaith">
      {others.map((l) => {
        const q = new URLSearchParams(carry);
        q.set('lang', l);
        return (
          <a href={`?${q}`} lang={l} hreflang={l}>
            {languageName(l)}
          </a>
        );
      })}
    </nav>
  );
};

// Written out: the Workers runtime's Intl has no Welsh names, and these are the ones that matter most.
const NAMES: Record<string, string> = {
  en: 'English',
  cy: 'Cymraeg',
  ar: 'العربية',
  pl: 'Polski',
  ur: 'اردو',
  pa: 'ਪੰਜਾਬੀ',
  bn: 'বাংলা',
  so: 'Soomaali',
  ro: 'Română',
};

/** A language's name in itself ("Cymraeg", "العربية"), so people find their own. */
export function languageName(lang: string): string {
  if (NAMES[lang]) return NAMES[lang];
  try {
    const name = new Intl.DisplayNames([lang], { type: 'language' }).of(lang);
    return name ? name.charAt(0).toLocaleUpperCase(lang) + name.slice(1) : lang;
  } catch {
    return lang;
  }
}

interface FieldProps {
  q: ResolvedQuestion;
  index: number;
  survey: ResolvedSurvey;
  locale: Locale;
  audience: string;
  values?: URLSearchParams;
  error?: string;
}

const QuestionField: FC<FieldProps> = ({ q, survey, locale, values, error }) => {
  const page = survey.lang;
  const name = `answer.${q.id}`;
  const posted = values?.getAll(name) ?? [];
  const headingId = `h-${q.id}`;
  const describedBy = [q.hint ? `hint-${q.id}` : '', q.showIf ? `branch-${q.id}` : '', error ? `err-${q.id}` : ''].filter(Boolean);
  const branch = q.showIf ? branchHint(q, survey, locale) : undefined;
  return (
    <fieldset
      class="q"
      id={`q-${q.id}`}
      data-q={q.id}
      data-kind={q.kind}
      data-multiple={q.multiple ? '1' : undefined}
      data-max={q.maxLength}
      data-show-if={q.showIf ? JSON.stringify(q.showIf) : undefined}
      aria-describedby={q.kind === 'text' ? undefined : describedBy.join(' ') || undefined}
      aria-invalid={error && q.kind !== 'text' ? 'true' : undefined}
    >
      <legend>
        <h2 id={headingId} tabindex={-1} data-heading>
          <span class="progress" data-progress {...uiLang(locale, page)}></span>
          <span data-speak-text>{q.text}</span>
        </h2>
      </legend>
      {q.hint ? (
        <p class="hint" id={`hint-${q.id}`} data-speak-text>
          {q.hint}
        </p>
      ) : null}
      {branch ? (
        <p class="hint branch" id={`branch-${q.id}`} {...uiLang(locale, page)}>
          {branch}
        </p>
      ) : null}
      <button type="button" class="speak" data-speak hidden {...uiLang(locale, page)}>
        <svg viewBox="0 0 24 24" width="24" height="24" aria-hidden="true" focusable="false">
          <path d="M4 9v6h4l5 4V5L8 9H4zm12.5 3a4.5 4.5 0 0 0-2.5-4v8a4.5 4.5 0 0 0 2.5-4z" fill="currentColor" />
        </svg>
        <span data-speak-label>{locale.m.readToMe}</span>
      </button>
      {error ? (
        <p class="error" id={`err-${q.id}`} {...uiLang(locale, page)}>
          {error}
        </p>
      ) : null}
      {q.kind === 'text' ? (
        <TextAnswer q={q} survey={survey} locale={locale} posted={posted} describedBy={describedBy} error={!!error} headingId={headingId} />
      ) : (
        <div class={q.kind === 'rating' ? 'options faces' : 'options'}>
          {(q.options ?? []).map((o, i) => (
            <label class="opt" for={i === 0 ? `a-${q.id}` : `a-${q.id}-${i}`}>
              <input
                type={q.multiple ? 'checkbox' : 'radio'}
                id={i === 0 ? `a-${q.id}` : `a-${q.id}-${i}`}
                name={name}
                value={String(o.value)}
                checked={posted.includes(String(o.value))}
              />
              {q.kind === 'rating' ? <Face index={i} points={q.options!.length} /> : null}
              <span data-speak-text>{o.label}</span>
            </label>
          ))}
          <label class="opt" for={`a-${q.id}-skip`} {...uiLang(locale, page)}>
            <input type={q.multiple ? 'checkbox' : 'radio'} id={`a-${q.id}-skip`} name={name} value={SKIP} checked={posted.includes(SKIP)} data-skip />
            {q.kind === 'rating' ? <span class="face-gap" aria-hidden="true"></span> : null}
            <span data-speak-text>{locale.m.skip}</span>
          </label>
        </div>
      )}
    </fieldset>
  );
};

const TextAnswer: FC<{
  q: ResolvedQuestion;
  survey: ResolvedSurvey;
  locale: Locale;
  posted: string[];
  describedBy: string[];
  error: boolean;
  headingId: string;
}> = (p) => {
  const { q, locale } = p;
  const page = p.survey.lang;
  const text = p.posted.find((v) => v !== SKIP) ?? '';
  return (
    <>
      {/* The privacy line comes before the box, so it is read before anything is typed. */}
      <p class="privacy" id={`privacy-${q.id}`}>
        {p.survey.privacy}
      </p>
      <p class="hint" id={`limit-${q.id}`} {...uiLang(locale, page)}>
        {fill(locale.m.textLimitWords, { words: limitWords(q.maxLength ?? 1000) })}
      </p>
      <textarea
        id={`a-${q.id}`}
        name={`answer.${q.id}`}
        rows={5}
        spellcheck
        aria-labelledby={p.headingId}
        aria-describedby={[`privacy-${q.id}`, `limit-${q.id}`, ...p.describedBy].join(' ')}
        aria-invalid={p.error ? 'true' : undefined}
      >
        {text}
      </textarea>
      <div class="options">
        <label class="opt" for={`a-${q.id}-skip`} {...uiLang(locale, page)}>
          <input type="checkbox" id={`a-${q.id}-skip`} name={`answer.${q.id}`} value={SKIP} checked={p.posted.includes(SKIP)} data-skip />
          <span>{locale.m.skip}</span>
        </label>
      </div>
    </>
  );
};

/** A face drawn with lines, worst first; always beside its words, never alone. */
const Face: FC<{ index: number; points: number }> = ({ index, points }) => {
  const mood = points > 1 ? (index / (points - 1)) * 2 - 1 : 0; // -1 sad … 1 happy
  const y = 27 - mood * 2;
  return (
    <svg class="face" viewBox="0 0 40 40" width="40" height="40" aria-hidden="true" focusable="false">
      <circle cx="20" cy="20" r="17" fill="none" stroke="currentColor" stroke-width="2.5" />
      <circle cx="14" cy="16" r="2.2" fill="currentColor" />
      <circle cx="26" cy="16" r="2.2" fill="currentColor" />
      <path d={`M12 ${y} Q20 ${(y + mood * 9).toFixed(1)} 28 ${y}`} fill="none" stroke="currentColor" stroke-width="2.5" stroke-linecap="round" />
    </svg>
  );
};

/** Without JavaScript every question is on one page; this says when a branch question applies. */
function branchHint(q: ResolvedQuestion, survey: ResolvedSurvey, locale: Locale): string | undefined {
  const rule = q.showIf!;
  const target = survey.questions.find((t) => t.id === rule.question);
  if (!target?.options) return undefined;
  const matches = target.options.filter((o) => {
    const v = o.value;
    if ('equals' in rule) return rule.equals === v;
    if ('anyOf' in rule) return rule.anyOf.includes(v);
    if (typeof v !== 'number') return false;
    return 'atMost' in rule ? v <= rule.atMost : v >= rule.atLeast;
  });
  if (!matches.length) return undefined;
  const labels = matches.map((o) => o.label);
  const answers = labels.length > 1 ? `${labels.slice(0, -1).join(', ')} ${locale.m.or} ${labels.at(-1)}` : labels[0]!;
  return fill(locale.m.branchHint, { question: target.text, answers });
}
