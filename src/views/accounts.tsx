import type { FC } from 'hono/jsx';
import type { Account } from '../services/accounts';
import { ROLES, type Role } from '../schemas/common';
import { DashboardPage, ScrollTable, type Shell } from './dashboard';

/** Staff accounts and the sign-in pages that go with them (issue 16). */

export const SignInMessage: FC<{ title: string; message: string; status?: 'refused' }> = ({ title, message }) => (
  <DashboardPage title={title}>
    <h1>{title}</h1>
    <p>{message}</p>
    <p>
      <a href="/dashboard/sign-in">Back to sign in</a>
    </p>
  </DashboardPage>
);

/** Shown when a one-time link is opened: nothing is used until the person presses the button, so a mail scanner's visit spends nothing. */
export const ConfirmLinkPage: FC<{ action: string; csrf: string; heading: string; button: string }> = ({ action, csrf, heading, button }) => (
  <DashboardPage title={heading}>
    <h1>{heading}</h1>
    <form method="post" action={action} class="card stack">
      <input type="hidden" name="_csrf" value={csrf} />
      <button type="submit">{button}</button>
    </form>
  </DashboardPage>
);

export const PeoplePage: FC<{ shell: Shell; accounts: Account[]; partners: { id: string; name: string }[]; notice?: string; error?: string }> = ({
  shell,
  accounts,
  partners,
  notice,
  error,
}) => (
  <DashboardPage {...shell}>
    <h1>People</h1>
    {notice ? (
      <p class="notice" role="status">
        {notice}
      </p>
    ) : null}
    {error ? (
      <div class="error" role="alert">
        <p>{error}</p>
      </div>
    ) : null}
    <h2>Invite someone</h2>
    <form method="post" action="/dashboard/people/invite" class="card stack">
      <input type="hidden" name="_csrf" value={shell.csrf} />
      <div>
        <label for="invite-email">Email address</label>
        <input id="invite-email" name="email" type="email" autocomplete="off" required />
      </div>
      <div>
        <label for="invite-name">Name</label>
        <input id="invite-name" name="displayName" type="text" autocomplete="off" required maxlength={100} />
      </div>
      <div>
        <label for="invite-role">Role</label>
        <select id="invite-role" name="role" required>
          {ROLES.map((r) => (
            <option value={r}>{r}</option>
          ))}
        </select>
      </div>
      <div>
        <label for="invite-partner">Partner (practice leads only)</label>
        <select id="invite-partner" name="partnerId">
          <option value="">None</option>
          {partners.map((p) => (
            <option value={p.id}>{p.name}</option>
          ))}
        </select>
      </div>
      <p class="legend">
        They get an email with a link that works once, within 72 hours. Only a safeguarding lead can invite safeguarding leads and reviewers.
      </p>
      <button type="submit">Send invitation</button>
    </form>
    <h2>Accounts</h2>
    <ScrollTable label="Accounts" caption="Everyone with an account in this partnership">
      <thead>
        <tr>
          <th scope="col">Name</th>
          <th scope="col">Email</th>
          <th scope="col">Role</th>
          <th scope="col">Status</th>
          <th scope="col">Last sign-in</th>
          <th scope="col">Change</th>
        </tr>
      </thead>
      <tbody>
        {accounts.map((a) => (
          <tr>
            <td>{a.displayName}</td>
            <td>{a.email}</td>
            <td>
              {a.role}
              {a.partnerId ? ` (${a.partnerId})` : ''}
            </td>
            <td>{a.status}</td>
            <td>{a.lastSignInAt ?? 'never'}</td>
            <td>
              {a.status === 'disabled' ? null : (
                <form method="post" action={`/dashboard/people/${a.id}/disable`}>
                  <input type="hidden" name="_csrf" value={shell.csrf} />
                  <button type="submit" class="secondary" aria-label={`Disable ${a.displayName}`}>
                    Disable
                  </button>
                </form>
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </ScrollTable>
  </DashboardPage>
);

export const roleOrNull = (value: string | undefined): Role | null => ((ROLES as readonly string[]).includes(value ?? '') ? (value as Role) : null);
