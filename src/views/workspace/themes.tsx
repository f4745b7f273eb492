import type { FC } from 'hono/jsx';
import { DashboardPage, type Shell } from '../dashboard';
import { Csrf, ErrorSummary, Field, Notice, type FormErrors } from './form';

/** The themes page: words a partnership adds to Heard's themes, its own themes, and re-analysis of stored answers. */

export interface ThemeRow {
  id: string;
  label: string;
  custom: boolean;
  /** For a default theme, the words the partnership added; for its own, its words. */
  terms: string[];
}

export interface ReanalysisProgress {
  processed: number;
  changed: number;
  nextCursor: string | null;
}

const lines = (terms: string[]) => terms.join('\n');

export const ThemesPage: FC<{
  shell: Shell;
  themes: ThemeRow[];
  version: number;
  values: Record<string, string>;
  errors: FormErrors;
  notice?: string | null;
  progress?: ReanalysisProgress | null;
}> = ({ shell, themes, version, values, errors, notice, progress }) => {
  const csrf = shell.csrf ?? '';
  const value = (name: string, fallback: string) => values[name] ?? fallback;
  return (
    <DashboardPage {...shell}>
      <h1>Themes</h1>
      <Notice text={notice} />
      <p class="legend">
        Heard sorts what people write into themes by the words they use. Add the words your area uses (one per line: “camhs”, “wait*” for any word starting
        “wait”), or a theme of your own. Changes apply to new answers at once; re-analyse to apply them to answers already stored. Themes version {version}.
      </p>
      <section class="card stack" aria-labelledby="reanalyse">
        <h2 id="reanalyse">Re-analyse stored answers</h2>
        {progress ? (
          <p role="status">
            {progress.nextCursor
              ? `So far: ${progress.processed} answers checked, ${progress.changed} changed. Continue until every answer has been checked.`
              : `Done: ${progress.processed} answers checked in this last step, ${progress.changed} changed. Insights already show the new themes.`}
          </p>
        ) : null}
        <form method="post" action="/dashboard/themes/reanalyse">
          <Csrf csrf={csrf} />
          {progress?.nextCursor ? <input type="hidden" name="cursor" value={progress.nextCursor} /> : null}
          <input type="hidden" name="processed" value={String(progress?.processed ?? 0)} />
          <input type="hidden" name="changed" value={String(progress?.changed ?? 0)} />
          <button type="submit">{progress?.nextCursor ? 'Continue re-analysing' : 'Re-analyse stored answers'}</button>
        </form>
      </section>
      <form method="post" action="/dashboard/themes" class="stack" aria-labelledby="themes-form" novalidate>
        <h2 id="themes-form">Words for each theme</h2>
        <Csrf csrf={csrf} />
        <ErrorSummary errors={errors} ids={Object.fromEntries(Object.keys(errors).map((k) => [k, k === 'new' ? 'new-label' : `t-${k}`]))} />
        {themes.map((t) => (
          <Field
            id={`t-${t.id}`}
            label={`${t.label}${t.custom ? ' (your own theme)' : ''}: words you added`}
            error={errors[t.id]}
            control={(a) => (
              <textarea {...a} name={`terms.${t.id}`} rows={t.terms.length > 3 ? 6 : 3}>
                {value(`terms.${t.id}`, lines(t.terms))}
              </textarea>
            )}
          />
        ))}
        <fieldset class="card stack">
          <legend>Add a theme of your own</legend>
          <Field
            id="new-label"
            label="Its name"
            error={errors.new}
            control={(a) => <input {...a} name="new.label" maxlength={80} value={value('new.label', '')} />}
          />
          <Field
            id="new-terms"
            label="Its words (one per line)"
            control={(a) => (
              <textarea {...a} name="new.terms" rows={3}>
                {value('new.terms', '')}
              </textarea>
            )}
          />
        </fieldset>
        <button type="submit">Save themes</button>
      </form>
    </DashboardPage>
  );
};
