import type { FC } from 'hono/jsx';
import { raw } from 'hono/html';
import { fill, localeFor } from '../../locales';
import type { Audience } from '../../schemas/common';
import type { IssuedLink, LinkView } from '../../services/links';
import { DashboardPage, ScrollTable, type Shell } from '../dashboard';
import { ActionButton, Choices, Csrf, day, ErrorSummary, Field, Notice, type FormErrors } from './form';

/** The feedback links page: links a practitioner hands over, each with a QR code, a printable card and a text message. */

export interface LinkChoices {
  surveys: { id: string; title: string; status: string }[];
  /** null for a practice lead: their own partner, fixed. */
  partners: { id: string; name: string }[] | null;
  services: { id: string; name: string; partnerName: string }[];
}

/** The kinds of contact a link is usually for; the API takes any short slug. */
export const CONTACT_TYPES: [string, string][] = [
  ['home-visit', 'Home visit'],
  ['office-visit', 'Office or centre visit'],
  ['phone-call', 'Phone or video call'],
  ['meeting', 'Meeting (for example a conference or review)'],
  ['school-visit', 'Visit at school'],
  ['clinic', 'Clinic appointment'],
  ['group-session', 'Group session'],
  ['other', 'Other contact'],
];
const contactLabel = (id: string) => CONTACT_TYPES.find(([v]) => v === id)?.[1] ?? id;

const FIELD_IDS: Record<string, string> = {
  surveyId: 'l-survey',
  partnerId: 'l-partner',
  serviceId: 'l-service',
  contactType: 'l-contact',
  expiresInDays: 'l-days',
  singleUse: 'l-use',
  contactRef: 'l-ref',
};

export const LinksPage: FC<{
  shell: Shell;
  links: LinkView[];
  names: { survey: (id: string) => string; partner: (id: string) => string; service: (id: string | null) => string };
  choices: LinkChoices | null;
  values: Record<string, string>;
  errors: FormErrors;
  notice?: string | null;
}> = ({ shell, links, names, choices, values, errors, notice }) => (
  <DashboardPage {...shell}>
    <h1>Feedback links</h1>
    <Notice text={notice} />
    <p class="legend">
      A link says which partner, service and kind of contact the feedback is about, never who the child or family is. Each one comes with a QR code, a card to
      print and a text message. The link itself is shown once, when you make it: keep the card or send the message then.
    </p>
    {choices ? <NewLinkForm csrf={shell.csrf ?? ''} choices={choices} values={values} errors={errors} /> : null}
    <h2 id="links-list">Links</h2>
    {links.length === 0 ? (
      <p>No links yet.</p>
    ) : (
      <ScrollTable label="Feedback links" caption="Feedback links, newest first">
        <thead>
          <tr>
            <th scope="col">Survey</th>
            <th scope="col">Partner and service</th>
            <th scope="col">Contact</th>
            <th scope="col">Use</th>
            <th scope="col">Status</th>
            {choices ? <th scope="col">Revoke</th> : null}
          </tr>
        </thead>
        <tbody>
          {links.map((l) => (
            <tr>
              <td>{names.survey(l.surveyId)}</td>
              <td>
                {names.partner(l.partnerId)}
                {l.serviceId ? `, ${names.service(l.serviceId)}` : ''}
              </td>
              <td>{contactLabel(l.contactType)}</td>
              <td>{l.singleUse ? 'One family' : 'Many people'}</td>
              <td>{l.status === 'active' ? `Active until ${day(l.expiresAt)}` : `Ended ${day(l.expiresAt)}`}</td>
              {choices ? (
                <td>
                  {l.status === 'active' ? (
                    <ActionButton
                      action={`/dashboard/links/${l.id}/revoke`}
                      csrf={shell.csrf ?? ''}
                      label="Revoke"
                      name={`${names.survey(l.surveyId)}, ${contactLabel(l.contactType)}, until ${day(l.expiresAt)}`}
                      secondary
                    />
                  ) : (
                    '–'
                  )}
                </td>
              ) : null}
            </tr>
          ))}
        </tbody>
      </ScrollTable>
    )}
  </DashboardPage>
);

const NewLinkForm: FC<{ csrf: string; choices: LinkChoices; values: Record<string, string>; errors: FormErrors }> = ({ csrf, choices, values, errors }) => (
  <form method="post" action="/dashboard/links" class="card stack" aria-labelledby="new-link" novalidate>
    <h2 id="new-link">Make a link</h2>
    <Csrf csrf={csrf} />
    <ErrorSummary errors={errors} ids={FIELD_IDS} />
    <Field
      id="l-survey"
      label="Survey"
      hint="Only live surveys take answers; a link to a draft waits until it is published."
      error={errors.surveyId}
      control={(a) => (
        <select {...a} name="surveyId">
          {choices.surveys.map((s) => (
            <option value={s.id} selected={values.surveyId === s.id}>
              {s.title}
              {s.status === 'live' ? '' : ` (${s.status})`}
            </option>
          ))}
        </select>
      )}
    />
    {choices.partners ? (
      <Field
        id="l-partner"
        label="Partner"
        error={errors.partnerId}
        control={(a) => (
          <select {...a} name="partnerId">
            {choices.partners!.map((p) => (
              <option value={p.id} selected={values.partnerId === p.id}>
                {p.name}
              </option>
            ))}
          </select>
        )}
      />
    ) : null}
    <Field
      id="l-service"
      label="Service (optional)"
      hint="It must belong to the partner chosen above."
      error={errors.serviceId}
      control={(a) => (
        <select {...a} name="serviceId">
          <option value="">No particular service</option>
          {choices.services.map((s) => (
            <option value={s.id} selected={values.serviceId === s.id}>
              {s.partnerName}: {s.name}
            </option>
          ))}
        </select>
      )}
    />
    <Field
      id="l-contact"
      label="Kind of contact"
      error={errors.contactType}
      control={(a) => (
        <select {...a} name="contactType">
          {CONTACT_TYPES.map(([v, label]) => (
            <option value={v} selected={values.contactType === v}>
              {label}
            </option>
          ))}
        </select>
      )}
    />
    <Choices id="l-use" legend="Who will use it" error={errors.singleUse}>
      <div class="check">
        <input type="radio" id="l-use-single" name="singleUse" value="true" checked={values.singleUse !== 'false'} />
        <label for="l-use-single">One child or family (the link takes one answer)</label>
      </div>
      <div class="check">
        <input type="radio" id="l-use-multi" name="singleUse" value="false" checked={values.singleUse === 'false'} />
        <label for="l-use-multi">Many people (for example a poster in a waiting room)</label>
      </div>
    </Choices>
    <Field
      id="l-days"
      label="Days before it ends"
      hint="From 1 to 90 days."
      error={errors.expiresInDays}
      control={(a) => <input {...a} name="expiresInDays" type="number" inputmode="numeric" min={1} max={90} value={values.expiresInDays ?? '14'} />}
    />
    <Field
      id="l-ref"
      label="Your contact reference (optional)"
      hint="Only if a safeguarding lead should be able to find this contact if the answer raises a concern. It is kept sealed and shown only on such an alert; the survey then tells the child who may be told."
      error={errors.contactRef}
      control={(a) => <input {...a} name="contactRef" maxlength={100} autocomplete="off" value={values.contactRef ?? ''} />}
    />
    <button type="submit">Make the link</button>
  </form>
);

/**
 * The page after a link is made: the one time its address is shown. The card prints alone on an
 * A6 page (the print stylesheet hides everything else); its wording is English and Welsh.
 */
export const LinkCreatedPage: FC<{ shell: Shell; link: IssuedLink; surveyTitle: string; audience: Audience; qrSvg: string }> = ({
  shell,
  link,
  surveyTitle,
  audience,
  qrSvg,
}) => {
  // A card is read by the person it's handed to: a child (ti) for children's surveys, an adult (chi) otherwise.
  const register = audience === 'child' ? 'ti' : 'chi';
  const en = localeFor('en', register).m;
  const cy = localeFor('cy', register).m;
  const sms = (text: string) => `sms:?&body=${encodeURIComponent(fill(text, { url: link.shortUrl }))}`;
  return (
    <DashboardPage {...shell}>
      <div class="no-print">
        <h1>Your link is ready</h1>
        <p class="notice" role="status">
          This is the only time the link is shown. Print the card, copy the address or send the text message now. If it is lost, make a new link.
        </p>
        <dl>
          <dt>Survey</dt>
          <dd>{surveyTitle}</dd>
          <dt>Use</dt>
          <dd>{link.singleUse ? 'One child or family' : 'Many people'}</dd>
          <dt>Ends</dt>
          <dd>{day(link.expiresAt)}</dd>
        </dl>
        <div class="stack">
          <div>
            <label for="short-url">Short address (select it and copy)</label>
            <input id="short-url" readonly value={link.shortUrl} class="copy" />
          </div>
          <p>
            <a href={sms(en.smsMessage)}>Send as a text message in English</a> ·{' '}
            <a href={sms(cy.smsMessage)} hreflang="cy">
              Send as a text message in Welsh
            </a>
          </p>
          <p class="legend break">The message reads: “{fill(en.smsMessage, { url: link.shortUrl })}”</p>
          <p>To print the card below on its own (A6), use your browser’s Print command (Ctrl+P, or ⌘P on a Mac).</p>
        </div>
        <h2>The card</h2>
      </div>
      <section class="print-card" aria-label="Printable card">
        <p class="card-title">{en.cardTitle}</p>
        <p class="card-title" lang="cy">
          {cy.cardTitle}
        </p>
        <div class="card-qr">{raw(qrSvg)}</div>
        <p class="card-url">{link.shortUrl.replace(/^https?:\/\//, '')}</p>
        <p class="card-line">{en.cardAnonymous}</p>
        <p class="card-line" lang="cy">
          {cy.cardAnonymous}
        </p>
        <p class="card-small">{en.cardScan}</p>
        <p class="card-small" lang="cy">
          {cy.cardScan}
        </p>
      </section>
      <p class="no-print">
        <a href="/dashboard/links">Back to feedback links</a>
      </p>
    </DashboardPage>
  );
};
