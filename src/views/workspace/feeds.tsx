import type { FC } from 'hono/jsx';
import type { FeedToken } from '../../services/feed-tokens';
import { DashboardPage, ScrollTable, type Shell } from '../dashboard';
import { ActionButton, Csrf, day, ErrorSummary, Field, Notice, type FormErrors } from './form';

/** The feeds page: read-only tokens for Outlook, Teams or a feed reader, and what to do with each address. */

export interface MintedFeed {
  label: string;
  urls: { atom: string; json: string; csv: string };
}

const CopyField: FC<{ id: string; label: string; value: string }> = ({ id, label, value }) => (
  <div>
    <label for={id}>{label}</label>
    <input id={id} class="copy" readonly value={value} />
  </div>
);

export const FeedsPage: FC<{
  shell: Shell;
  tokens: FeedToken[];
  values: Record<string, string>;
  errors: FormErrors;
  notice?: string | null;
  minted?: MintedFeed | null;
}> = ({ shell, tokens, values, errors, notice, minted }) => {
  const csrf = shell.csrf ?? '';
  return (
    <DashboardPage {...shell}>
      <h1>Feeds</h1>
      <Notice text={notice} />
      {minted ? (
        <section class="card stack" aria-labelledby="minted">
          <h2 id="minted">Feed addresses for {minted.label}</h2>
          <p>
            Copy them now: they are shown only this once. Each address carries its own read-only token, so treat it like a password: anyone with it can read
            these insights (with small numbers hidden, as on the dashboard), and nothing else.
          </p>
          <CopyField id="feed-atom" label="Atom feed (Outlook, Teams, most feed readers)" value={minted.urls.atom} />
          <CopyField id="feed-json" label="JSON Feed (feed readers that prefer it)" value={minted.urls.json} />
          <CopyField id="feed-csv" label="CSV (a spreadsheet, refreshed when you open it)" value={minted.urls.csv} />
          <h3>Outlook</h3>
          <ol>
            <li>In Outlook on Windows, right-click “RSS Subscriptions” (or “RSS Feeds”) in the folder list and choose “Add a New RSS Feed…”.</li>
            <li>Paste the Atom feed address and choose Add, then Yes.</li>
            <li>New insights arrive as items in that folder. (Outlook on the web and the new Outlook do not read feeds: use Teams or a feed reader.)</li>
          </ol>
          <h3>Microsoft Teams</h3>
          <ol>
            <li>In the channel, choose “+” next to the tabs, or “…” then “Workflows”, and search for “RSS”.</li>
            <li>Choose “Post to a channel when an RSS feed item is published” and paste the Atom feed address.</li>
            <li>Save. Each new insight is posted to the channel.</li>
          </ol>
          <h3>A feed reader</h3>
          <ol>
            <li>In your reader (Feedly, Inoreader, NetNewsWire, Thunderbird…), choose “Add feed” or “Subscribe”.</li>
            <li>Paste the Atom feed address (or the JSON Feed one).</li>
          </ol>
          <h3>A spreadsheet</h3>
          <ol>
            <li>In Excel, choose Data, then “From Web”, and paste the CSV address; “Refresh” fetches the latest numbers.</li>
          </ol>
        </section>
      ) : null}
      <p class="legend">
        A feed token reads the same insights as the key that made it, no more. Revoke it when a person leaves or a channel closes; the feed stops at once.
      </p>
      {tokens.length ? (
        <ScrollTable label="Feed tokens" caption="Feed tokens">
          <thead>
            <tr>
              <th scope="col">Label</th>
              <th scope="col">Made</th>
              <th scope="col">Status</th>
            </tr>
          </thead>
          <tbody>
            {tokens.map((t) => (
              <tr>
                <td>{t.label}</td>
                <td>{day(t.createdAt)}</td>
                <td>
                  {t.revokedAt ? (
                    `Revoked ${day(t.revokedAt)}`
                  ) : (
                    <ActionButton action={`/dashboard/feeds/${t.id}/revoke`} csrf={csrf} label="Revoke" name={t.label} secondary />
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </ScrollTable>
      ) : (
        <p>No feed tokens yet.</p>
      )}
      <section class="card stack" aria-labelledby="fft-return">
        <h2 id="fft-return">NHS Friends and Family Test return</h2>
        <p>
          A spreadsheet in the layout of the NHS Friends and Family Test monthly return: for each month, partner and service, how many answered, how many said
          very good, good, neither good nor poor, poor, very poor and don’t know, and the percentages positive and negative. Small numbers are hidden by your
          partnership’s rule (“c” in the file); a percentage from too few answers shows “z”.
        </p>
        <p>
          <a href="/dashboard/fft.csv">Download the last 12 months (CSV)</a>
        </p>
        <form method="get" action="/dashboard/fft.csv" class="stack">
          <Field
            id="fft-from"
            label="From (optional)"
            hint="The first day of the first month, for example 2026-04-01."
            control={(a) => <input {...a} name="from" type="date" />}
          />
          <Field
            id="fft-to"
            label="To (optional)"
            hint="A day in the last month; today when left empty."
            control={(a) => <input {...a} name="to" type="date" />}
          />
          <button type="submit" class="secondary">
            Download these months (CSV)
          </button>
        </form>
      </section>
      <form method="post" action="/dashboard/feeds" class="card stack" aria-labelledby="new-feed" novalidate>
        <h2 id="new-feed">Make feed addresses</h2>
        <Csrf csrf={csrf} />
        <ErrorSummary errors={errors} ids={{ label: 'f-label' }} />
        <Field
          id="f-label"
          label="Where it will be read"
          hint="For example “Police SMT Teams channel” or “J. Smith’s Outlook”."
          error={errors.label}
          control={(a) => <input {...a} name="label" maxlength={120} value={values.label ?? ''} autocomplete="off" />}
        />
        <button type="submit">Make feed addresses</button>
      </form>
    </DashboardPage>
  );
};
