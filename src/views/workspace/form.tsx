import type { Child, FC, PropsWithChildren } from 'hono/jsx';

/**
 * Form parts the workspace pages share: a problem summary that links to each field, and fields
 * whose hint and error are tied to the input (aria-describedby), as the GOV.UK pattern does.
 */

/** Problems by form field name; `''` for the form as a whole. */
export type FormErrors = Record<string, string>;

export const Csrf: FC<{ csrf: string }> = ({ csrf }) => <input type="hidden" name="_csrf" value={csrf} />;

/** "There is a problem" with one link per field, shown at the top of the form. */
export const ErrorSummary: FC<{ errors: FormErrors; ids: Record<string, string> }> = ({ errors, ids }) => {
  const entries = Object.entries(errors);
  if (!entries.length) return null;
  return (
    <div class="error" role="alert" aria-labelledby="error-summary-title">
      <h2 id="error-summary-title">There is a problem</h2>
      <ul>
        {entries.map(([field, message]) => (
          <li>{ids[field] ? <a href={`#${ids[field]}`}>{message}</a> : message}</li>
        ))}
      </ul>
    </div>
  );
};

/** A labelled field; `control` receives the ids its input must carry. */
export const Field: FC<{
  id: string;
  label: Child;
  hint?: Child;
  error?: string | undefined;
  control: (a: { id: string; 'aria-describedby'?: string; 'aria-invalid'?: 'true' }) => Child;
}> = ({ id, label, hint, error, control }) => {
  const described = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ');
  return (
    <div>
      <label for={id}>{label}</label>
      {hint ? (
        <p class="legend" id={`${id}-hint`}>
          {hint}
        </p>
      ) : null}
      {error ? (
        <p class="field-error" id={`${id}-error`}>
          <span class="visually-hidden">Error: </span>
          {error}
        </p>
      ) : null}
      {control({ id, ...(described ? { 'aria-describedby': described } : {}), ...(error ? { 'aria-invalid': 'true' as const } : {}) })}
    </div>
  );
};

/** A group of radios or checkboxes under one question. */
export const Choices: FC<PropsWithChildren<{ legend: Child; hint?: string; id: string; error?: string | undefined }>> = ({
  legend,
  hint,
  id,
  error,
  children,
}) => (
  <fieldset class="choices" id={id} aria-describedby={[hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined}>
    <legend>{legend}</legend>
    {hint ? (
      <p class="legend" id={`${id}-hint`}>
        {hint}
      </p>
    ) : null}
    {error ? (
      <p class="field-error" id={`${id}-error`}>
        {error}
      </p>
    ) : null}
    {children}
  </fieldset>
);

/** A one-button form posting to `action`: revoke, publish, close. */
export const ActionButton: FC<{ action: string; csrf: string; label: string; name?: string; secondary?: boolean; fields?: Record<string, string> }> = ({
  action,
  csrf,
  label,
  name,
  secondary,
  fields,
}) => (
  <form method="post" action={action} class="inline">
    <Csrf csrf={csrf} />
    {Object.entries(fields ?? {}).map(([k, v]) => (
      <input type="hidden" name={k} value={v} />
    ))}
    <button type="submit" class={secondary ? 'secondary' : undefined} aria-label={name ? `${label}: ${name}` : undefined}>
      {label}
    </button>
  </form>
);

/** "Saved." and the like, after a redirect. */
export const Notice: FC<{ text: string | null | undefined }> = ({ text }) =>
  text ? (
    <p class="notice" role="status">
      {text}
    </p>
  ) : null;

/** Dates as a person reads them: 3 December 2026. */
export const day = (iso: string) => new Date(iso).toLocaleDateString('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'Europe/London' });
