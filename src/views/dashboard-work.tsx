import type { FC } from 'hono/jsx';
import type { ActionOutput } from '../schemas/actions';
import type { AlertOutput, ReviewOutput } from '../schemas/safeguarding';
import { ACTIONS_TAKEN, type REVIEW_DECISIONS } from '../schemas/safeguarding';

/** The safeguarding lead's queue and the "you said, we did" list: plain forms, each with the session's CSRF token. */

const CATEGORY: Record<string, string> = {
  'harm-by-others': 'Harm by others',
  'sexual-harm': 'Sexual harm',
  neglect: 'Neglect',
  'self-harm-suicide': 'Self-harm or suicide',
  'immediate-danger': 'Immediate danger',
  exploitation: 'Exploitation',
};

const ACTION_TAKEN_LABEL: Record<(typeof ACTIONS_TAKEN)[number], string> = {
  'referred-to-front-door': 'Referred to the front door (MASH)',
  'contacted-police': 'Contacted the police',
  'contacted-practitioner': 'Contacted the practitioner',
  'no-further-action': 'No further action',
  other: 'Other (say what in the note)',
};

export const AlertCard: FC<{ alert: AlertOutput; csrf: string; error?: { id: string; messages: string[] } }> = ({ alert, csrf, error }) => {
  const headingId = `alert-${alert.id}`;
  const errorHere = error && error.id === alert.id ? error.messages : null;
  return (
    <section class="card stack" aria-labelledby={headingId}>
      <h3 id={headingId}>
        {CATEGORY[alert.category] ?? alert.category}
        {alert.current ? '' : ' (past, for review)'}
        {alert.overdue ? <strong class="up"> · overdue</strong> : null}
        {alert.status === 'acknowledged' ? ' · acknowledged' : ''}
      </h3>
      <dl>
        <dt>Received</dt>
        <dd>
          {alert.day}
          {alert.receivedCount > 1 ? `, ${alert.receivedCount} times` : ''}
          {alert.burst ? ' (a burst from one address: every text is below)' : ''}
        </dd>
        {alert.webhook && alert.webhook.status !== 'delivered' ? (
          <>
            <dt>Front door notified</dt>
            <dd>
              {alert.webhook.status === 'failed'
                ? `No: gave up after ${alert.webhook.attempts} tries (${alert.webhook.lastError ?? 'unknown'})`
                : `Not yet: retrying (${alert.webhook.attempts} tries so far)`}
            </dd>
          </>
        ) : null}
        <dt>Where from</dt>
        <dd>
          {alert.partner?.name ?? 'Partnership-wide survey'}
          {alert.service?.name ? `, ${alert.service.name}` : ''} (survey {alert.survey.id})
        </dd>
        {alert.contactRef ? (
          <>
            <dt>Practitioner’s contact reference</dt>
            <dd>{alert.contactRef}</dd>
          </>
        ) : null}
        <dt>What raised it</dt>
        <dd>{alert.evidence ?? 'Could not be opened'}</dd>
      </dl>
      <blockquote>{alert.text ?? 'The text could not be opened (has the alert key changed?).'}</blockquote>
      {alert.acknowledgement ? (
        <p>
          Acknowledged {alert.acknowledgement.at.slice(0, 16).replace('T', ' ')} by {alert.acknowledgement.by.label}:{' '}
          {ACTION_TAKEN_LABEL[alert.acknowledgement.actionTaken as keyof typeof ACTION_TAKEN_LABEL] ?? alert.acknowledgement.actionTaken}
          {alert.acknowledgement.note ? `. ${alert.acknowledgement.note}` : ''}
        </p>
      ) : (
        <form method="post" action={`/dashboard/alerts/${alert.id}/acknowledge`} class="stack">
          <input type="hidden" name="_csrf" value={csrf} />
          {errorHere ? (
            <div class="error" role="alert" id={`${headingId}-error`}>
              {errorHere.map((m) => (
                <p>{m}</p>
              ))}
            </div>
          ) : null}
          <div>
            <label for={`${headingId}-action`}>What was done</label>
            <select id={`${headingId}-action`} name="actionTaken" required>
              {ACTIONS_TAKEN.map((a) => (
                <option value={a}>{ACTION_TAKEN_LABEL[a]}</option>
              ))}
            </select>
          </div>
          <div>
            <label for={`${headingId}-note`}>Note (kept sealed, deleted with the alert 30 days after acknowledgement)</label>
            <textarea id={`${headingId}-note`} name="note" rows={3} maxlength={2000} aria-describedby={errorHere ? `${headingId}-error` : undefined}></textarea>
          </div>
          <button type="submit">Acknowledge</button>
        </form>
      )}
    </section>
  );
};

export const AlertsFilter: FC<{ status: string }> = ({ status }) => (
  <form method="get" action="/dashboard/alerts" class="filters card" aria-label="Which alerts">
    <div>
      <label for="f-status">Show</label>
      <select id="f-status" name="status">
        {[
          ['open', 'Open (new and overdue)'],
          ['acknowledged', 'Acknowledged'],
          ['all', 'All'],
        ].map(([value, label]) => (
          <option value={value} selected={value === status}>
            {label}
          </option>
        ))}
      </select>
    </div>
    <div>
      <button type="submit">Show</button>
    </div>
  </form>
);

export const ActionRow: FC<{ action: ActionOutput; csrf: string; canChange: boolean; themeLabel: string; partnerName: string }> = ({
  action,
  csrf,
  canChange,
  themeLabel,
  partnerName,
}) => (
  <tr>
    <td>{action.when}</td>
    <td>{partnerName}</td>
    <td>{themeLabel}</td>
    <td>{action.heard.en}</td>
    <td>{action.did.en}</td>
    <td>{action.status === 'done' ? 'Done' : 'Planned'}</td>
    <td>
      {action.published ? 'Published' : 'Draft'}
      {canChange ? (
        <form method="post" action={`/dashboard/actions/${action.id}/publish`}>
          <input type="hidden" name="_csrf" value={csrf} />
          <input type="hidden" name="published" value={action.published ? 'false' : 'true'} />
          <button type="submit" class="secondary" aria-label={`${action.published ? 'Unpublish' : 'Publish'}: ${action.heard.en}`}>
            {action.published ? 'Unpublish' : 'Publish'}
          </button>
        </form>
      ) : null}
    </td>
  </tr>
);

export const NewActionForm: FC<{
  csrf: string;
  themes: { id: string; label: string }[];
  partners: { id: string; name: string }[] | null;
  errors: string[];
}> = ({ csrf, themes, partners, errors }) => (
  <form method="post" action="/dashboard/actions" class="card stack" aria-labelledby="new-action">
    <h2 id="new-action">Record an action</h2>
    <input type="hidden" name="_csrf" value={csrf} />
    {errors.length ? (
      <div class="error" role="alert">
        <ul>
          {errors.map((e) => (
            <li>{e}</li>
          ))}
        </ul>
      </div>
    ) : null}
    {partners ? (
      <div>
        <label for="a-partner">Partner</label>
        <select id="a-partner" name="partnerId">
          <option value="">The whole partnership</option>
          {partners.map((p) => (
            <option value={p.id}>{p.name}</option>
          ))}
        </select>
      </div>
    ) : null}
    <div>
      <label for="a-theme">Theme</label>
      <select id="a-theme" name="themeId">
        {themes.map((t) => (
          <option value={t.id}>{t.label}</option>
        ))}
      </select>
    </div>
    <div>
      <label for="a-heard">You said (in words a child would understand)</label>
      <textarea id="a-heard" name="heard" rows={2} maxlength={500} required></textarea>
    </div>
    <div>
      <label for="a-did">We did</label>
      <textarea id="a-did" name="did" rows={2} maxlength={500} required></textarea>
    </div>
    <div>
      <label for="a-when">When</label>
      <input id="a-when" name="when" type="date" required />
    </div>
    <div>
      <label for="a-status">Status</label>
      <select id="a-status" name="status">
        <option value="planned">Planned</option>
        <option value="done">Done</option>
      </select>
    </div>
    <div class="check">
      <input id="a-published" name="published" type="checkbox" value="true" />
      <label for="a-published">Publish now (children and families will see it on thank-you pages)</label>
    </div>
    <button type="submit">Save action</button>
  </form>
);

const DECISION_LABEL: Record<(typeof REVIEW_DECISIONS)[number], string> = {
  'not-a-concern': 'Not a concern',
  escalate: 'Escalate to alert',
  'worker-conversation': 'Needs a conversation with the child’s worker',
};

const londonTime = (iso: string) =>
  new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', weekday: 'short', day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' }).format(
    new Date(iso),
  );

/** One review item: the sealed words, where they came from, the concern, when it is due, and the decision form. */
export const ReviewCard: FC<{ review: ReviewOutput; csrf: string; error?: { id: string; messages: string[] } }> = ({ review, csrf, error }) => {
  const headingId = `review-${review.id}`;
  const errorHere = error && error.id === review.id ? error.messages : null;
  return (
    <section class="card stack" aria-labelledby={headingId}>
      <h3 id={headingId}>
        {review.category ? (CATEGORY[review.category] ?? review.category) : 'A concern with no kind of harm named'}
        {review.overdue ? <strong class="up"> · overdue</strong> : null}
        {review.decision ? ` · ${DECISION_LABEL[review.decision.outcome]}` : ''}
      </h3>
      <dl>
        <dt>Received</dt>
        <dd>{londonTime(review.receivedAt)} (London time)</dd>
        <dt>Due</dt>
        <dd>{londonTime(review.dueAt)}: one working day</dd>
        <dt>Where from</dt>
        <dd>
          {review.partner?.name ?? 'Partnership-wide survey'}
          {review.service?.name ? `, ${review.service.name}` : ''} (survey {review.survey.id})
        </dd>
        {review.contactRef ? (
          <>
            <dt>Practitioner’s contact reference</dt>
            <dd>{review.contactRef}</dd>
          </>
        ) : null}
        <dt>What raised it</dt>
        <dd>
          {review.evidence ?? 'Not kept'} (raised by {review.source === 'rules' ? 'the rules' : review.source})
        </dd>
      </dl>
      <blockquote>
        {review.text ??
          (review.wordsKept ? 'The words could not be opened (has the alert key changed?).' : 'The words were deleted 30 days after the decision.')}
      </blockquote>
      {review.decision ? null : (
        <form method="post" action={`/dashboard/reviews/${review.id}/decision`} class="stack">
          <input type="hidden" name="_csrf" value={csrf} />
          {errorHere ? (
            <div class="error" role="alert" id={`${headingId}-error`}>
              {errorHere.map((m) => (
                <p>{m}</p>
              ))}
            </div>
          ) : null}
          <fieldset>
            <legend>Decision</legend>
            {(['not-a-concern', 'escalate', 'worker-conversation'] as const)
              .filter((d) => d !== 'worker-conversation' || review.contactRef)
              .map((d) => (
                <div class="check">
                  <input type="radio" id={`${headingId}-${d}`} name="decision" value={d} required />
                  <label for={`${headingId}-${d}`}>{DECISION_LABEL[d]}</label>
                </div>
              ))}
          </fieldset>
          {review.category ? null : (
            <div>
              <label for={`${headingId}-category`}>Kind of harm (needed to escalate)</label>
              <select id={`${headingId}-category`} name="category">
                <option value="">Not chosen</option>
                {Object.entries(CATEGORY).map(([value, label]) => (
                  <option value={value}>{label}</option>
                ))}
              </select>
            </div>
          )}
          <button type="submit">Record decision</button>
        </form>
      )}
    </section>
  );
};
