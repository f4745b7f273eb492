import type { FC } from 'hono/jsx';
import { KIND_NAMES, languageName, QUESTION_KINDS, TOP_TEXT_NAMES } from '../../domain/survey-form';
import type { ShownCount } from '../../domain/suppression';
import type { Question, SurveyDefinition } from '../../schemas/survey-definition';
import type { SurveyTemplate } from '../../services/survey-templates';
import { assetPath } from '../assets';
import { Count, DashboardPage, ScrollTable, type Shell } from '../dashboard';
import { ActionButton, Csrf, ErrorSummary, Field, Notice, type FormErrors } from './form';

/** The surveys pages: the list, a new survey from a template, and the editor. */

export interface SurveyRow {
  id: string;
  title: string;
  status: 'draft' | 'live' | 'closed';
  version: number;
  liveVersion: number | null;
  thisMonth: ShownCount;
  canChange: boolean;
}

const STATUS: Record<SurveyRow['status'], string> = { draft: 'Draft (not public)', live: 'Live', closed: 'Closed' };

export const SurveysPage: FC<{
  shell: Shell;
  surveys: SurveyRow[];
  templates: SurveyTemplate[];
  partners: { id: string; name: string }[] | null;
  partnershipId: string;
  values: Record<string, string>;
  errors: FormErrors;
  notice?: string | null;
}> = ({ shell, surveys, templates, partners, partnershipId, values, errors, notice }) => {
  const csrf = shell.csrf ?? '';
  return (
    <DashboardPage {...shell}>
      <h1>Surveys</h1>
      <Notice text={notice} />
      <ScrollTable label="Surveys" caption="Surveys">
        <thead>
          <tr>
            <th scope="col">Survey</th>
            <th scope="col">Status</th>
            <th scope="col">Version</th>
            <th scope="col" class="num">
              Responses this month
            </th>
          </tr>
        </thead>
        <tbody>
          {surveys.map((s) => (
            <tr>
              <td>{s.canChange ? <a href={`/dashboard/surveys/${s.id}`}>{s.title}</a> : s.title}</td>
              <td>{STATUS[s.status]}</td>
              <td>
                {s.liveVersion ? `Version ${s.liveVersion} is public` : 'Never published'}
                {s.version !== s.liveVersion ? `; version ${s.version} is a draft` : ''}
              </td>
              <td class="num">
                <Count c={s.thisMonth} />
              </td>
            </tr>
          ))}
        </tbody>
      </ScrollTable>
      <p class="legend">“c”: a small number, hidden to protect the people who answered.</p>
      <form method="post" action="/dashboard/surveys" class="card stack" aria-labelledby="new-survey" novalidate>
        <h2 id="new-survey">Start a new survey</h2>
        <Csrf csrf={csrf} />
        <ErrorSummary errors={errors} ids={{ template: 'sv-template-0', title: 'sv-title', id: 'sv-id', partnerId: 'sv-partner' }} />
        <fieldset class="choices">
          <legend>Start from</legend>
          {templates.map((t, i) => (
            <div class="check">
              <input
                type="radio"
                id={`sv-template-${i}`}
                name="template"
                value={t.id}
                checked={(values.template ?? 'after-visit') === t.id}
                aria-describedby={`sv-template-${i}-hint`}
              />
              <label for={`sv-template-${i}`}>
                {t.name}{' '}
                <span class="legend" id={`sv-template-${i}-hint`}>
                  {t.description}
                </span>
              </label>
            </div>
          ))}
        </fieldset>
        <Field
          id="sv-title"
          label="Title (in English; you can change it and add Welsh next)"
          error={errors.title}
          control={(a) => <input {...a} name="title" maxlength={200} value={values.title ?? ''} />}
        />
        <Field
          id="sv-id"
          label="Web address name"
          hint={`It becomes the survey’s address, /s/${partnershipId}-…, and can’t be changed: lower-case letters, digits and hyphens, starting “${partnershipId}-”.`}
          error={errors.id}
          control={(a) => <input {...a} name="id" maxlength={60} value={values.id ?? `${partnershipId}-`} />}
        />
        {partners ? (
          <Field
            id="sv-partner"
            label="Whose survey"
            error={errors.partnerId}
            control={(a) => (
              <select {...a} name="partnerId">
                <option value="">The whole partnership</option>
                {partners.map((p) => (
                  <option value={p.id} selected={values.partnerId === p.id}>
                    {p.name}
                  </option>
                ))}
              </select>
            )}
          />
        ) : null}
        <button type="submit">Create the draft</button>
      </form>
    </DashboardPage>
  );
};

/** Wording in each language side by side: a row of textareas named `<prefix>.<lang>`. */
const Wording: FC<{ prefix: string; label: string; text: Record<string, string> | undefined; languages: string[]; errors: FormErrors; rows?: number }> = ({
  prefix,
  label,
  text,
  languages,
  errors,
  rows,
}) => (
  <div class="side-by-side">
    {languages.map((lang) => {
      const id = `${prefix}.${lang}`.replace(/\./g, '-');
      const error = errors[`${prefix}.${lang}`];
      return (
        <Field
          id={id}
          label={`${label} (${languageName(lang)})`}
          error={error}
          control={(a) => (
            <textarea {...a} name={`${prefix}.${lang}`} rows={rows ?? 2} lang={lang}>
              {text?.[lang] ?? ''}
            </textarea>
          )}
        />
      );
    })}
  </div>
);

const QuestionEditor: FC<{ q: Question; i: number; count: number; languages: string[]; errors: FormErrors; all: Question[] }> = ({
  q,
  i,
  count,
  languages,
  errors,
  all,
}) => {
  const at = `questions.${i}`;
  const headingId = `q-${i}-heading`;
  const branchFrom = q.showIf ? all.find((other) => other.id === q.showIf!.question) : undefined;
  return (
    <fieldset class="card stack question" aria-labelledby={headingId} data-question={q.id}>
      <legend id={headingId}>
        Question {i + 1}: {KIND_NAMES[q.kind]}
      </legend>
      {q.showIf ? (
        <p class="legend">
          Shown only after question {all.findIndex((other) => other.id === q.showIf!.question) + 1} (“{branchFrom?.text.en ?? q.showIf.question}”), for some
          answers.
        </p>
      ) : null}
      <Wording prefix={`${at}.text`} label="Wording" text={q.text} languages={languages} errors={errors} />
      {Object.entries(q.textByAge ?? {}).map(([band, text]) => (
        <Wording prefix={`${at}.textByAge.${band}`} label={`Wording for ages ${band}`} text={text} languages={languages} errors={errors} />
      ))}
      {q.hint ? <Wording prefix={`${at}.hint`} label="Hint" text={q.hint} languages={languages} errors={errors} /> : null}
      {q.kind === 'rating'
        ? q.labels.map((l, j) => (
            <Wording
              prefix={`${at}.labels.${j}`}
              label={`Answer ${j + 1} of ${q.points}${j === 0 ? ' (worst)' : j === q.points - 1 ? ' (best)' : ''}`}
              text={l}
              languages={languages}
              errors={errors}
              rows={1}
            />
          ))
        : null}
      {q.kind === 'choice'
        ? q.options.map((o, j) => (
            <Wording prefix={`${at}.options.${j}.label`} label={`Answer ${j + 1}`} text={o.label} languages={languages} errors={errors} rows={1} />
          ))
        : null}
      <div class="row">
        {i > 0 ? (
          <button type="submit" name="op" value={`up:${i}`} class="secondary" aria-label={`Move up: question ${i + 1}`}>
            Move up
          </button>
        ) : null}
        {i < count - 1 ? (
          <button type="submit" name="op" value={`down:${i}`} class="secondary" aria-label={`Move down: question ${i + 1}`}>
            Move down
          </button>
        ) : null}
        {count > 1 ? (
          <button type="submit" name="op" value={`remove:${i}`} class="secondary" aria-label={`Remove question ${i + 1}`}>
            Remove
          </button>
        ) : null}
      </div>
    </fieldset>
  );
};

/**
 * The live preview: hidden until the editor's script (widgets/workspace.ts) shows it, since without
 * JavaScript it could not update; the preview links above serve then. The frame is sandboxed
 * without scripts or forms, so the survey in it can't send an answer.
 */
const LivePreview: FC<{ surveyId: string; languages: string[]; ageBands: string[] }> = ({ surveyId, languages, ageBands }) => (
  <section
    class="live-preview no-print"
    aria-labelledby="live-preview-heading"
    data-live-preview={`/dashboard/surveys/${surveyId}/preview`}
    data-form="survey-form"
    hidden
  >
    <h2 id="live-preview-heading">Live preview</h2>
    <p class="legend" id="live-preview-hint">
      As a phone shows it, as you type. It is not saved, and it can’t send answers.
    </p>
    <label for="preview-lang">Language shown</label>
    <select id="preview-lang" name="lang" aria-describedby="live-preview-hint">
      {languages.map((lang) => (
        <option value={lang}>{languageName(lang)}</option>
      ))}
    </select>
    {ageBands.length > 1 ? (
      <>
        <label for="preview-age">Ages shown</label>
        <select id="preview-age" name="age">
          {ageBands.map((band) => (
            <option value={band}>{band}</option>
          ))}
        </select>
      </>
    ) : null}
    <p class="legend" role="status" data-preview-status></p>
    <iframe class="preview" title="Preview of the survey page (not saved; it can’t send answers)" sandbox="allow-same-origin" data-preview-frame></iframe>
  </section>
);

export const SurveyEditPage: FC<{
  shell: Shell;
  survey: { id: string; status: 'draft' | 'live' | 'closed'; version: number; liveVersion: number | null; allowedOrigins: string[] };
  definition: SurveyDefinition;
  errors: FormErrors;
  notice?: string | null;
  publicUrl: string;
}> = ({ shell, survey, definition, errors, notice, publicUrl }) => {
  const csrf = shell.csrf ?? '';
  const languages = definition.languages.includes('cy') ? definition.languages : [...definition.languages, 'cy'];
  const hasWelsh = definition.languages.includes('cy');
  const summaryIds = Object.fromEntries(Object.keys(errors).map((k) => [k, k.replace(/\./g, '-')]));
  return (
    <DashboardPage {...shell}>
      <h1>{definition.title.en}</h1>
      <Notice text={notice} />
      <p>
        {survey.status === 'live'
          ? `Live: version ${survey.liveVersion} is public at `
          : survey.status === 'closed'
            ? 'Closed to new answers. Address: '
            : 'Draft: not public yet. Once published it will be at '}
        <a href={publicUrl}>{publicUrl}</a>
        {survey.version !== survey.liveVersion ? `. Version ${survey.version} (below) is not published yet.` : '.'}
      </p>
      <div class="row no-print">
        <ActionButton
          action={`/dashboard/surveys/${survey.id}/publish`}
          csrf={csrf}
          label={survey.liveVersion ? `Publish version ${survey.version}` : 'Publish'}
        />
        {survey.status === 'live' ? <ActionButton action={`/dashboard/surveys/${survey.id}/close`} csrf={csrf} label="Close to new answers" secondary /> : null}
        <ActionButton action={`/dashboard/surveys/${survey.id}/duplicate`} csrf={csrf} label="Duplicate as a new draft" secondary />
      </div>
      <p class="no-print">
        Preview this version as people will see it (it can’t send answers):{' '}
        {definition.languages.map((lang, i) => (
          <>
            {i ? ' · ' : ''}
            <a href={`/dashboard/surveys/${survey.id}/preview?lang=${lang}`} hreflang={lang}>
              {languageName(lang)}
            </a>
          </>
        ))}
      </p>
      <div class="editor">
        <form method="post" action={`/dashboard/surveys/${survey.id}`} class="stack" id="survey-form" aria-labelledby="edit-heading" novalidate>
          <h2 id="edit-heading">Wording</h2>
          <Csrf csrf={csrf} />
          <ErrorSummary errors={errors} ids={summaryIds} />
          <div class="check">
            <input type="checkbox" id="welsh" name="welsh" checked={hasWelsh} />
            <label for="welsh">Offer this survey in Welsh (every wording then needs its Welsh)</label>
          </div>
          {Object.entries(TOP_TEXT_NAMES).map(([key, label]) => (
            <Wording
              prefix={key}
              label={label}
              text={definition[key as keyof typeof TOP_TEXT_NAMES]}
              languages={languages}
              errors={errors}
              rows={key === 'title' ? 1 : 2}
            />
          ))}
          <h2>Questions</h2>
          {definition.questions.map((q, i) => (
            <QuestionEditor q={q} i={i} count={definition.questions.length} languages={languages} errors={errors} all={definition.questions} />
          ))}
          <div class="card row">
            <div>
              <label for="newKind">Add a question</label>
              <select id="newKind" name="newKind">
                {QUESTION_KINDS.map((k) => (
                  <option value={k}>{KIND_NAMES[k]}</option>
                ))}
              </select>
            </div>
            <button type="submit" name="op" value="add" class="secondary">
              Add question
            </button>
          </div>
          <Field
            id="origins"
            label="Websites that may embed it (one per line, optional)"
            hint="For example https://www.council.gov.uk. The survey’s own address always works."
            error={errors.allowedOrigins}
            control={(a) => (
              <textarea {...a} name="allowedOrigins" rows={2}>
                {survey.allowedOrigins.join('\n')}
              </textarea>
            )}
          />
          <p class="legend">Saving makes a new version; the public keep the published version until you publish again.</p>
          <button type="submit" name="op" value="save">
            Save
          </button>
        </form>
        <LivePreview surveyId={survey.id} languages={languages} ageBands={definition.ageBands} />
      </div>
      <script src={assetPath('workspace.js')} defer></script>
    </DashboardPage>
  );
};
