import type { FC } from 'hono/jsx';
import { countdown, londonTime, markEvidence } from '../domain/alert-triage';
import type { ActionOutput } from '../schemas/actions';
import { AUDIENCES, type Audience } from '../schemas/common';
import type { AlertOutput, ReviewOutput } from '../schemas/safeguarding';
import { ALERT_OUTCOMES, type REVIEW_DECISIONS } from '../schemas/safeguarding';

/** The safeguarding lead's queue and the "you said, we did" list: plain forms, each with the session's CSRF token. */

const CATEGORY: Record<string, string> = {
  'harm-by-others': 'Harm by others',
  'sexual-harm': 'Sexual harm',
  neglect: 'Neglect',
  'self-harm-suicide': 'Self-harm or suicide',
  'immediate-danger': 'Immediate danger',
  exploitation: 'Exploitation',
};

const outcomeLabel = (id: string) => ALERT_OUTCOMES.find((o) => o.id === id)?.label ?? id;

type AlertEmailView = AlertOutput['emails'][number];
const EMAIL_KIND: Record<AlertEmailView['kind'], string> = { 'alert-created': 'new alert', 'alert-overdue': 'overdue' };

/** One line per email notice that has not reached its recipient; nothing when all were sent. */
const emailLine = (e: AlertEmailView) =>
  e.status === 'failed'
    ? `${e.recipient} (${EMAIL_KIND[e.kind]}): not sent, gave up after ${e.attempts} tries (${e.lastError ?? 'unknown'})`
    : `${e.recipient} (${EMAIL_KIND[e.kind]}): not sent yet, retrying (${e.attempts} tries so far)`;

/** The flagged words, with what raised the alert marked where it stands: the evidence is printed once. */
const FlaggedText: FC<{ alert: AlertOutput }> = ({ alert }) => {
  if (alert.text === null) return <blockquote>The text could not be opened (has the alert key changed?).</blockquote>;
  const evidence = alert.evidence?.split('\n') ?? [];
  const { parts, unplaced } = markEvidence(alert.text, evidence);
  return (
    <>
      <blockquote>{parts.map((p) => (p.evidence ? <mark>{p.text}</mark> : p.text))}</blockquote>
      {unplaced.length ? (
        <p>
          What raised it (as analysed, after names and contact details were taken out): <q>{unplaced.join(' … ')}</q>
        </p>
      ) : null}
    </>
  );
};

export const AlertCard: FC<{ alert: AlertOutput; csrf: string; now: Date; error?: { id: string; messages: string[] } }> = ({ alert, csrf, now, error }) => {
  const headingId = `alert-${alert.id}`;
  const errorHere = error && error.id === alert.id ? error.messages : null;
  const open = alert.status !== 'acknowledged';
  const unsent = alert.emails.filter((e) => e.status !== 'sent');
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
          <time datetime={alert.receivedAt}>{londonTime(alert.receivedAt)}</time>
          {alert.receivedCount > 1 ? `, ${alert.receivedCount} times` : ''}
          {alert.burst ? ' (a burst from one address: every text is below)' : ''}
        </dd>
        <dt>Due</dt>
        <dd>
          <time datetime={alert.dueAt}>{londonTime(alert.dueAt)}</time>
          {open ? (
            <>
              {' '}
              {alert.overdue ? (
                <strong class="countdown up" data-due={alert.dueAt}>
                  ({countdown(alert.dueAt, now)})
                </strong>
              ) : (
                <span class="countdown" data-due={alert.dueAt}>
                  ({countdown(alert.dueAt, now)})
                </span>
              )}
            </>
          ) : null}
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
        {alert.emails.length ? (
          <>
            <dt>Email</dt>
            {unsent.length ? (
              unsent.map((e) => <dd class={e.status === 'failed' ? 'up' : undefined}>{emailLine(e)}</dd>)
            ) : (
              <dd>Sent to {[...new Set(alert.emails.map((e) => e.recipient))].join(', ')}</dd>
            )}
          </>
        ) : null}
        <WhereFrom source={alert} />
      </dl>
      <FlaggedText alert={alert} />
      {alert.acknowledgement ? (
        <p>
          Acknowledged <time datetime={alert.acknowledgement.at}>{londonTime(alert.acknowledgement.at)}</time> by {alert.acknowledgement.by.label}:{' '}
          {outcomeLabel(alert.acknowledgement.actionTaken)}
          {alert.acknowledgement.note ? `. ${alert.acknowledgement.note}` : ''}
        </p>
      ) : (
        <form method="post" action={`/dashboard/alerts/${alert.id}/acknowledge`} class="stack">
          <input type="hidden" name="_csrf" value={csrf} />
          {errorHere ? <CardErrors id={`${headingId}-error`} messages={errorHere} /> : null}
          <div>
            <label for={`${headingId}-action`}>What was done</label>
            {/* No outcome is chosen until the lead chooses one: a first option with an empty value keeps `required` honest. */}
            <select id={`${headingId}-action`} name="actionTaken" required aria-describedby={errorHere ? `${headingId}-error` : undefined}>
              <option value="">Choose what was done</option>
              {ALERT_OUTCOMES.map((o) => (
                <option value={o.id}>{o.label}</option>
              ))}
            </select>
          </div>
          <div>
            <label for={`${headingId}-note`}>Note (needed for “Other”; kept sealed, deleted with the alert 30 days after acknowledgement)</label>
            <textarea id={`${headingId}-note`} name="note" rows={3} maxlength={2000} aria-describedby={errorHere ? `${headingId}-error` : undefined}></textarea>
          </div>
          <button type="submit">Acknowledge</button>
        </form>
      )}
    </section>
  );
};

/** Email notices that did not reach someone yet (the digest, and alert notices), for the top of the queue. */
export const EmailProblems: FC<{
  problems: { kind: string; recipient: string; status: string; attempts: number; lastError: string | null; createdAt: string }[];
}> = ({ problems }) =>
  problems.length ? (
    <section class="card stack" aria-labelledby="email-problems">
      <h2 id="email-problems">Emails not delivered</h2>
      <p>These notices have not reached their recipient. Check the address in the partnership settings; Heard keeps retrying pending ones.</p>
      <ul>
        {problems.map((p) => (
          <li>
            {NOTICE_KIND[p.kind] ?? p.kind} to {p.recipient}, queued <time datetime={p.createdAt}>{londonTime(p.createdAt)}</time>:{' '}
            {p.status === 'failed' ? `gave up after ${p.attempts} tries (${p.lastError ?? 'unknown'})` : `retrying (${p.attempts} tries so far)`}
          </li>
        ))}
      </ul>
    </section>
  ) : null;

const NOTICE_KIND: Record<string, string> = { 'alert-created': 'New alert', 'alert-overdue': 'Overdue alert', 'reviews-due': 'Daily reviews digest' };

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

/** Who an action can be shown to, in the dashboard's words. */
export const ACTION_AUDIENCE_LABEL: Record<Audience, string> = { child: 'Children', family: 'Families', community: 'Communities' };

/** English, with the Welsh below it when there is some (marked as Welsh for screen readers). */
const BothLanguages: FC<{ text: Record<string, string> }> = ({ text }) => (
  <>
    {text.en}
    {text.cy ? (
      <>
        <br />
        <span lang="cy">{text.cy}</span>
      </>
    ) : null}
  </>
);

/** Where an action shows: "Every survey", or its audiences and surveys by title. */
export function shownOn(action: ActionOutput, surveyTitle: (id: string) => string): string {
  const audiences = action.audiences ? action.audiences.map((a) => ACTION_AUDIENCE_LABEL[a]).join(', ') : null;
  const surveys = action.surveyIds ? action.surveyIds.map(surveyTitle).join(', ') : null;
  if (!audiences && !surveys) return 'Every survey';
  return [audiences, surveys].filter(Boolean).join('; ');
}

export const ActionRow: FC<{ action: ActionOutput; csrf: string; canChange: boolean; themeLabel: string; partnerName: string; shownOn: string }> = ({
  action,
  csrf,
  canChange,
  themeLabel,
  partnerName,
  shownOn,
}) => (
  <tr>
    <td>{action.when}</td>
    <td>{partnerName}</td>
    <td>{themeLabel}</td>
    <td>
      <BothLanguages text={action.heard} />
    </td>
    <td>
      <BothLanguages text={action.did} />
    </td>
    <td>{shownOn}</td>
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
  surveys: { id: string; title: string }[];
  errors: string[];
}> = ({ csrf, themes, partners, surveys, errors }) => (
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
      <label for="a-heard-cy">You said, in Welsh (optional: without it, Welsh pages show the English)</label>
      <textarea id="a-heard-cy" name="heardCy" rows={2} maxlength={500} lang="cy"></textarea>
    </div>
    <div>
      <label for="a-did">We did</label>
      <textarea id="a-did" name="did" rows={2} maxlength={500} required></textarea>
    </div>
    <div>
      <label for="a-did-cy">We did, in Welsh (optional)</label>
      <textarea id="a-did-cy" name="didCy" rows={2} maxlength={500} lang="cy"></textarea>
    </div>
    <fieldset class="choices">
      <legend>Show to (tick none for everyone)</legend>
      {AUDIENCES.map((a) => (
        <div class="check">
          <input id={`a-audience-${a}`} name="audiences" type="checkbox" value={a} />
          <label for={`a-audience-${a}`}>{ACTION_AUDIENCE_LABEL[a]}</label>
        </div>
      ))}
    </fieldset>
    {surveys.length ? (
      <fieldset class="choices">
        <legend>Only on these surveys (tick none for every survey)</legend>
        {surveys.map((sv, i) => (
          <div class="check">
            <input id={`a-survey-${i}`} name="surveyIds" type="checkbox" value={sv.id} />
            <label for={`a-survey-${i}`}>{sv.title}</label>
          </div>
        ))}
      </fieldset>
    ) : null}
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
        <dd>{londonTime(review.receivedAt)}</dd>
        <dt>Due</dt>
        <dd>{londonTime(review.dueAt)}: one working day</dd>
        <WhereFrom source={review} />
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
          {errorHere ? <CardErrors id={`${headingId}-error`} messages={errorHere} /> : null}
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

/** Where an alert or review item came from, and the practitioner's contact reference when the link had one. */
const WhereFrom: FC<{
  source: { partner?: { name: string | null } | null; service?: { name: string | null } | null; survey: { id: string }; contactRef?: string | null };
}> = ({ source }) => (
  <>
    <dt>Where from</dt>
    <dd>
      {source.partner?.name ?? 'Partnership-wide survey'}
      {source.service?.name ? `, ${source.service.name}` : ''} (survey {source.survey.id})
    </dd>
    {source.contactRef ? (
      <>
        <dt>Practitioner’s contact reference</dt>
        <dd>{source.contactRef}</dd>
      </>
    ) : null}
  </>
);

/** A card form's problems, announced at once; the form's fields point at it by id. */
const CardErrors: FC<{ id: string; messages: string[] }> = ({ id, messages }) => (
  <div class="error" role="alert" id={id}>
    {messages.map((m) => (
      <p>{m}</p>
    ))}
  </div>
);
