import type { FC } from 'hono/jsx';
import type { KeyWithUse } from '../../services/keys';
import type { Partner, Service } from '../../services/partners';
import type { Partnership } from '../../services/partnership';
import { PARTNER_KINDS, type Role } from '../../schemas/common';
import { DashboardPage, ScrollTable, type Shell } from '../dashboard';
import { ActionButton, Choices, Csrf, day, ErrorSummary, Field, Notice, type FormErrors } from './form';

/** The admin pages: keys, partners and services, the partnership's settings and its themes. */

export const ROLE_LABELS: Record<Role, string> = {
  admin: 'Admin (runs the partnership’s Heard)',
  'practice-lead': 'Practice lead (one partner’s surveys, links and insights)',
  scrutineer: 'Scrutineer (reads insights across the partnership)',
  'safeguarding-lead': 'Safeguarding lead (reads and acknowledges alerts)',
  reviewer: 'Reviewer (reads and decides the review queue)',
};
const roleShort = (r: Role) => ROLE_LABELS[r].split(' (')[0];

const KIND_LABELS: Record<string, string> = {
  'local-authority': 'Local authority',
  police: 'Police',
  health: 'Health',
  education: 'Education',
  other: 'Other',
};

// ————— Keys —————

export const KeysPage: FC<{
  shell: Shell;
  keys: KeyWithUse[];
  roles: Role[];
  partners: Partner[];
  values: Record<string, string>;
  errors: FormErrors;
  notice?: string | null;
  created?: { label: string; secret: string } | null;
}> = ({ shell, keys, roles, partners, values, errors, notice, created }) => {
  const csrf = shell.csrf ?? '';
  const partnerName = (id: string | null) => (id ? (partners.find((p) => p.id === id)?.name ?? id) : 'Whole partnership');
  return (
    <DashboardPage {...shell}>
      <h1>Keys</h1>
      <Notice text={notice} />
      {created ? (
        <section class="card stack" aria-labelledby="new-secret">
          <h2 id="new-secret">The key for {created.label}</h2>
          <p>Copy it now and give it to its holder in person or through a secure channel. It is shown only this once: Heard keeps only a hash of it.</p>
          <label for="secret">Key</label>
          <input id="secret" class="copy" readonly value={created.secret} />
        </section>
      ) : null}
      <p class="legend">
        A key signs a person or system in to the dashboard and the API. Revoking a key signs its sessions out at once. Last used is the day, not the time.
      </p>
      <ScrollTable label="Keys" caption="Keys, oldest first">
        <thead>
          <tr>
            <th scope="col">Label</th>
            <th scope="col">Role</th>
            <th scope="col">Partner</th>
            <th scope="col">Made</th>
            <th scope="col">Last used</th>
            <th scope="col">Status</th>
          </tr>
        </thead>
        <tbody>
          {keys.map((k) => (
            <tr>
              <td>{k.label}</td>
              <td>{roleShort(k.role)}</td>
              <td>{partnerName(k.partnerId)}</td>
              <td>{day(k.createdAt)}</td>
              <td>{k.lastUsedOn ? day(k.lastUsedOn) : 'Never'}</td>
              <td>
                {k.revokedAt ? (
                  `Revoked ${day(k.revokedAt)}`
                ) : roles.includes(k.role) ? (
                  <ActionButton action={`/dashboard/keys/${k.id}/revoke`} csrf={csrf} label="Revoke" name={k.label} secondary />
                ) : (
                  'Active'
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </ScrollTable>
      <form method="post" action="/dashboard/keys" class="card stack" aria-labelledby="new-key" novalidate>
        <h2 id="new-key">Make a key</h2>
        <Csrf csrf={csrf} />
        <ErrorSummary errors={errors} ids={{ label: 'k-label', role: 'k-role', partnerId: 'k-partner' }} />
        <Field
          id="k-label"
          label="Who or what it is for"
          hint="For example “Police practice lead – J. Smith” or “Front door case system”."
          error={errors.label}
          control={(a) => <input {...a} name="label" maxlength={120} value={values.label ?? ''} autocomplete="off" />}
        />
        <Field
          id="k-role"
          label="Role"
          error={errors.role}
          control={(a) => (
            <select {...a} name="role">
              {roles.map((r) => (
                <option value={r} selected={values.role === r}>
                  {ROLE_LABELS[r]}
                </option>
              ))}
            </select>
          )}
        />
        {partners.length ? (
          <Field
            id="k-partner"
            label="Partner"
            hint="A practice lead needs one; leave “Whole partnership” for the other roles."
            error={errors.partnerId}
            control={(a) => (
              <select {...a} name="partnerId">
                <option value="">Whole partnership</option>
                {partners.map((p) => (
                  <option value={p.id} selected={values.partnerId === p.id}>
                    {p.name}
                  </option>
                ))}
              </select>
            )}
          />
        ) : null}
        <button type="submit">Make the key</button>
      </form>
    </DashboardPage>
  );
};

// ————— Partners and services —————

export const PartnersPage: FC<{
  shell: Shell;
  partnershipId: string;
  partners: (Partner & { services: Service[] })[];
  values: Record<string, string>;
  errors: FormErrors;
  notice?: string | null;
}> = ({ shell, partnershipId, partners, values, errors, notice }) => {
  const csrf = shell.csrf ?? '';
  const idHint = `Short and lasting: lower-case letters, digits and hyphens, starting “${partnershipId}-”. It appears in exports and feeds and can’t be changed.`;
  return (
    <DashboardPage {...shell}>
      <h1>Partners and services</h1>
      <Notice text={notice} />
      {partners.map((p) => (
        <section class="card stack" aria-labelledby={`p-${p.id}`}>
          <h2 id={`p-${p.id}`}>
            {p.name} <span class="legend">({KIND_LABELS[p.kind] ?? p.kind})</span>
          </h2>
          {p.services.length ? (
            <ul>
              {p.services.map((s) => (
                <li>{s.name}</li>
              ))}
            </ul>
          ) : (
            <p>No services yet.</p>
          )}
          <form method="post" action={`/dashboard/partners/${p.id}/services`} class="stack" aria-label={`Add a service to ${p.name}`} novalidate>
            <Csrf csrf={csrf} />
            {values.forPartner === p.id ? <ErrorSummary errors={errors} ids={{ id: `s-id-${p.id}`, name: `s-name-${p.id}` }} /> : null}
            <Field
              id={`s-name-${p.id}`}
              label="New service or team name"
              error={values.forPartner === p.id ? errors.name : undefined}
              control={(a) => <input {...a} name="name" maxlength={120} value={values.forPartner === p.id ? (values.name ?? '') : ''} />}
            />
            <Field
              id={`s-id-${p.id}`}
              label="Its id"
              hint={idHint}
              error={values.forPartner === p.id ? errors.id : undefined}
              control={(a) => (
                <input {...a} name="id" maxlength={60} value={values.forPartner === p.id ? (values.id ?? `${partnershipId}-`) : `${partnershipId}-`} />
              )}
            />
            <button type="submit" class="secondary">
              Add service to {p.name}
            </button>
          </form>
        </section>
      ))}
      <form method="post" action="/dashboard/partners" class="card stack" aria-labelledby="new-partner" novalidate>
        <h2 id="new-partner">Add a partner agency</h2>
        <Csrf csrf={csrf} />
        {values.forPartner ? null : <ErrorSummary errors={errors} ids={{ id: 'p-id', name: 'p-name', kind: 'p-kind' }} />}
        <Field
          id="p-name"
          label="Name"
          error={values.forPartner ? undefined : errors.name}
          control={(a) => <input {...a} name="name" maxlength={120} value={values.forPartner ? '' : (values.name ?? '')} />}
        />
        <Field
          id="p-kind"
          label="Kind"
          error={values.forPartner ? undefined : errors.kind}
          control={(a) => (
            <select {...a} name="kind">
              {PARTNER_KINDS.map((k) => (
                <option value={k} selected={values.kind === k}>
                  {KIND_LABELS[k] ?? k}
                </option>
              ))}
            </select>
          )}
        />
        <Field
          id="p-id"
          label="Its id"
          hint={idHint}
          error={values.forPartner ? undefined : errors.id}
          control={(a) => <input {...a} name="id" maxlength={60} value={values.forPartner ? `${partnershipId}-` : (values.id ?? `${partnershipId}-`)} />}
        />
        <button type="submit">Add partner</button>
      </form>
    </DashboardPage>
  );
};

// ————— Settings —————

export const SettingsPage: FC<{
  shell: Shell;
  partnership: Partnership;
  values: Record<string, string>;
  errors: FormErrors;
  notice?: string | null;
  webhookSecret?: string | null;
}> = ({ shell, partnership, values, errors, notice, webhookSecret }) => {
  const csrf = shell.csrf ?? '';
  const rule = values.suppressionRule ?? partnership.suppressionRule;
  return (
    <DashboardPage {...shell}>
      <h1>Partnership settings</h1>
      <Notice text={notice} />
      {webhookSecret ? (
        <section class="card stack" aria-labelledby="wh-secret">
          <h2 id="wh-secret">The webhook’s signing secret</h2>
          <p>Give it to whoever runs the receiving system; it verifies each alert notice with it. It is shown only this once.</p>
          <label for="secret">Signing secret</label>
          <input id="secret" class="copy" readonly value={webhookSecret} />
        </section>
      ) : null}
      <form method="post" action="/dashboard/settings" class="card stack" aria-labelledby="settings-form" novalidate>
        <h2 id="settings-form">Name and small-number protection</h2>
        <Csrf csrf={csrf} />
        <ErrorSummary errors={errors} ids={{ name: 'st-name', suppressionRule: 'st-rule', alertWebhookUrl: 'st-webhook' }} />
        <Field
          id="st-name"
          label="Partnership name"
          error={errors.name}
          control={(a) => <input {...a} name="name" maxlength={120} value={values.name ?? partnership.name} />}
        />
        <Choices id="st-rule" legend="How small numbers are hidden" error={errors.suppressionRule}>
          <div class="check">
            <input type="radio" id="st-rule-dfe" name="suppressionRule" value="dfe" checked={rule === 'dfe'} />
            <label for="st-rule-dfe">DfE: counts from 1 to 5 are hidden (children’s services statistics)</label>
          </div>
          <div class="check">
            <input type="radio" id="st-rule-nhs" name="suppressionRule" value="nhs" checked={rule === 'nhs'} />
            <label for="st-rule-nhs">NHS: counts from 1 to 7 are hidden and the rest rounded to the nearest 5 (Friends and Family Test)</label>
          </div>
        </Choices>
        <button type="submit">Save settings</button>
      </form>
      <form method="post" action="/dashboard/settings/webhook" class="card stack" aria-labelledby="webhook-form" novalidate>
        <h2 id="webhook-form">Alert webhook</h2>
        <Csrf csrf={csrf} />
        <p class="legend">
          When a possible disclosure comes in, Heard can tell another system at once (for example the front door’s case system): ids and the category only,
          never the words, signed with a secret. It must be an https address on the public internet.
        </p>
        <Field
          id="st-webhook"
          label="Webhook address (leave empty to turn it off)"
          error={errors.alertWebhookUrl}
          control={(a) => (
            <input {...a} name="alertWebhookUrl" type="url" maxlength={500} value={values.alertWebhookUrl ?? partnership.alertWebhookUrl ?? ''} />
          )}
        />
        <button type="submit">Save webhook</button>
      </form>
      {partnership.alertWebhookUrl ? (
        <ActionButton action="/dashboard/settings/webhook/secret" csrf={csrf} label="Make a new signing secret" secondary />
      ) : null}
    </DashboardPage>
  );
};
