import type { Child, FC, PropsWithChildren } from 'hono/jsx';
import type { Role } from '../schemas/common';
import type { ChangeTone } from '../domain/insight-notes';
import type { InsightReport, Percent } from '../domain/insights';
import type { ShownCount } from '../domain/suppression';
import type { InsightFilters } from '../services/insights';
import { DASHBOARD_CSS_PATH } from './dashboard-css';
import { BaseMeta } from './layout';

/**
 * Server-rendered dashboard for practice leads, scrutineers, admins and safeguarding leads.
 * Plain HTML: every view and action works without JavaScript, and the page prints cleanly.
 */

const ROLE_NAMES: Record<Role, string> = {
  admin: 'Admin',
  'practice-lead': 'Practice lead',
  'safeguarding-lead': 'Safeguarding lead',
  scrutineer: 'Scrutineer',
  reviewer: 'Reviewer',
};

export interface Shell {
  title: string;
  csrf?: string;
  who?: { label: string; role: Role; partnershipName: string };
  nav?: { href: string; label: string; current: boolean }[];
}

export const DashboardPage: FC<PropsWithChildren<Shell>> = ({ title, csrf, who, nav, children }) => (
  <html lang="en-GB">
    <head>
      <BaseMeta />
      <title>{`${title} – Heard`}</title>
      <link rel="stylesheet" href={DASHBOARD_CSS_PATH} />
    </head>
    <body>
      <a class="skip" href="#main">
        Skip to content
      </a>
      <header class="bar">
        <strong>Heard</strong>
        {who ? (
          <span class="who">
            {who.partnershipName} · {who.label} ({ROLE_NAMES[who.role]})
          </span>
        ) : null}
        {who && csrf ? (
          <form method="post" action="/dashboard/sign-out">
            <input type="hidden" name="_csrf" value={csrf} />
            <button type="submit" class="secondary">
              Sign out
            </button>
          </form>
        ) : null}
      </header>
      {nav ? (
        <nav class="sections" aria-label="Dashboard sections">
          <ul>
            {nav.map((n) => (
              <li>
                <a href={n.href} aria-current={n.current ? 'page' : undefined}>
                  {n.label}
                </a>
              </li>
            ))}
          </ul>
        </nav>
      ) : null}
      <main id="main">{children}</main>
    </body>
  </html>
);

/**
 * Sign in: single sign-on buttons (one per provider), a one-time email link, and, only while some
 * partnership still allows it, the old paste-a-key form.
 */
export const SignInPage: FC<{ csrf: string; error?: string; providers?: { id: string; label: string }[]; keySignIn?: boolean }> = ({
  csrf,
  error,
  providers = [],
  keySignIn = true,
}) => (
  <DashboardPage title="Sign in">
    <h1>Sign in to the dashboard</h1>
    {error ? (
      <div class="error" role="alert" id="sign-in-error">
        <p>{error}</p>
      </div>
    ) : null}
    {providers.length > 0 ? (
      <section class="card stack" aria-labelledby="sso-heading">
        <h2 id="sso-heading">With your organisation’s account</h2>
        <ul>
          {providers.map((p) => (
            <li>
              <a href={`/dashboard/sign-in/oidc/${encodeURIComponent(p.id)}`}>Sign in with {p.label}</a>
            </li>
          ))}
        </ul>
      </section>
    ) : null}
    <form method="post" action="/dashboard/sign-in/email" class="card stack" aria-labelledby="email-heading">
      <h2 id="email-heading">With a link by email</h2>
      <input type="hidden" name="_csrf" value={csrf} />
      <div>
        <label for="email">Your work email address</label>
        <input id="email" name="email" type="email" autocomplete="email" required aria-describedby="email-hint" />
        <p id="email-hint" class="legend">
          We email you a link that signs you in once, within 15 minutes, in this browser only.
        </p>
      </div>
      <button type="submit">Email me a link</button>
    </form>
    {keySignIn ? (
      <form method="post" action="/dashboard/sign-in" class="card stack" aria-labelledby="key-heading">
        <h2 id="key-heading">With an API key</h2>
        <input type="hidden" name="_csrf" value={csrf} />
        <div>
          <label for="key">Your Heard API key</label>
          <input
            id="key"
            name="key"
            type="password"
            autocomplete="current-password"
            required
            aria-describedby={error ? 'key-hint sign-in-error' : 'key-hint'}
            aria-invalid={error ? 'true' : undefined}
          />
          <p id="key-hint" class="legend">
            Only where your partnership still allows it. The key stays on the server: the browser keeps only a session cookie, which ends after 8 hours or when
            you sign out.
          </p>
        </div>
        <button type="submit">Sign in</button>
      </form>
    ) : null}
  </DashboardPage>
);

export const ErrorPage: FC<{ status: number; message: string }> = ({ status, message }) => (
  <DashboardPage title={status === 404 ? 'Not found' : 'Something went wrong'}>
    <h1>{status === 403 ? 'You can’t do that' : status === 404 ? 'Not found' : 'Something went wrong'}</h1>
    <p>{message}</p>
    <p>
      <a href="/dashboard">Back to the dashboard</a>
    </p>
  </DashboardPage>
);

/** A column heading over counts: right-aligned like the numbers under it. */
const NumTh: FC<PropsWithChildren> = ({ children }) => (
  <th scope="col" class="num">
    {children}
  </th>
);

/** A table that scrolls sideways on a narrow screen, reachable and named for keyboard users. */
export const ScrollTable: FC<PropsWithChildren<{ label: string; caption: Child }>> = ({ label, caption, children }) => (
  // biome-ignore lint/a11y/useSemanticElements: a focusable scroll box for a wide table, not a section of the page
  <div class="table-wrap" tabindex={0} role="region" aria-label={`${label} (scrolls sideways)`}>
    <table>
      <caption>{caption}</caption>
      {children}
    </table>
  </div>
);

/** A count as a person reads it: the number, or "c" explained once in the legend. */
export const Count: FC<{ c: ShownCount }> = ({ c }) =>
  c.suppressed ? (
    <abbr class="suppressed" title="Suppressed: a small number hidden to protect privacy">
      c
    </abbr>
  ) : (
    String(c.value)
  );

const Pct: FC<{ p: Percent | undefined }> = ({ p }) =>
  !p ? <>–</> : p.value !== null ? `${p.value}%` : p.suppressed ? <Count c={{ value: null, suppressed: true }} /> : <>–</>;

export const SuppressionLegend: FC<{ report: InsightReport }> = ({ report }) => (
  <p class="legend">
    <abbr title="Suppressed">c</abbr> = suppressed: counts from 1 to {report.suppression.threshold} are hidden
    {report.suppression.rule === 'nhs' ? ' and others rounded to the nearest 5' : ''}, with any other count that would give one away. Percentages need at least{' '}
    {report.suppression.minBase} responses; – means too few to show.
  </p>
);

const SHORT_MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sept', 'Oct', 'Nov', 'Dec'];

/** Responses per period as bars, with the same numbers in the table that follows. */
export const TrendChart: FC<{ report: InsightReport }> = ({ report }) => {
  const values = report.series.map((s) => s.responses.value ?? 0);
  const max = Math.max(5, ...values);
  const width = 640;
  const height = 220;
  const top = 20;
  const bottom = 40;
  const slot = width / Math.max(1, report.series.length);
  const barWidth = Math.max(6, slot * 0.6);
  const bars: Child[] = report.series.map((s, i) => {
    const x = i * slot + (slot - barWidth) / 2;
    const label = report.period.buckets[i]!.label;
    if (s.responses.suppressed) {
      const h = 12;
      return (
        <g>
          <rect class="hidden-bar" x={x} y={height - bottom - h} width={barWidth} height={h} />
          <text x={x + barWidth / 2} y={height - bottom - h - 4} text-anchor="middle">
            c
          </text>
          <title>{`${label}: suppressed`}</title>
        </g>
      );
    }
    const h = ((s.responses.value ?? 0) / max) * (height - top - bottom);
    return (
      <g>
        <rect class="bar" x={x} y={height - bottom - h} width={barWidth} height={h} />
        <text x={x + barWidth / 2} y={height - bottom - h - 4} text-anchor="middle">
          {String(s.responses.value)}
        </text>
        <title>{`${label}: ${s.responses.value}`}</title>
      </g>
    );
  });
  const short = (start: string) => {
    const [year, month, day] = start.split('-').map(Number) as [number, number, number];
    const name = SHORT_MONTHS[month - 1]!;
    return report.period.interval === 'month' ? `${name} ${String(year).slice(2)}` : `${day} ${name}`;
  };
  return (
    <figure>
      <svg class="chart" viewBox={`0 0 ${width} ${height}`} role="img" aria-labelledby="trend-title" focusable="false">
        <title id="trend-title">{`Responses per ${report.period.interval}, ${report.period.buckets[0]?.label} to ${report.period.buckets[report.period.buckets.length - 1]?.label}. The table below gives the numbers.`}</title>
        <line x1="0" y1={height - bottom} x2={width} y2={height - bottom} stroke="currentColor" />
        {bars}
        {report.period.buckets.map((b, i) => (
          <text x={i * slot + slot / 2} y={height - bottom + 16} text-anchor="middle">
            {short(b.start)}
          </text>
        ))}
      </svg>
      <figcaption class="legend">Responses per {report.period.interval}. Dashed bars are suppressed.</figcaption>
    </figure>
  );
};

export const TrendTable: FC<{ report: InsightReport }> = ({ report }) => (
  <ScrollTable label="Responses per period" caption={<>Responses per {report.period.interval} (the chart’s numbers)</>}>
    <thead>
      <tr>
        <th scope="col">Period</th>
        <NumTh>Responses</NumTh>
      </tr>
    </thead>
    <tbody>
      {report.series.map((s, i) => (
        <tr>
          <th scope="row">{report.period.buckets[i]!.label}</th>
          <td class="num">
            <Count c={s.responses} />
          </td>
        </tr>
      ))}
    </tbody>
  </ScrollTable>
);

/**
 * A theme's change, coloured by whether it is good news (more praise, fewer complaints), not by its
 * direction; the words say it too, so colour is never the only cue.
 */
const ThemeChange: FC<{ difference: number; tone: ChangeTone }> = ({ difference, tone }) => (
  <>
    <span class={tone === 'neutral' ? undefined : tone}>{`${difference > 0 ? '+' : '−'}${Math.abs(difference)}`}</span>
    {tone === 'neutral' ? null : <small class={tone}>{tone === 'good' ? ' (good news)' : ' (bad news)'}</small>}
  </>
);

export const ThemesTable: FC<{ report: InsightReport }> = ({ report }) => (
  <ScrollTable label="Themes" caption={<>Themes in what people said</>}>
    <thead>
      <tr>
        <th scope="col">Theme</th>
        <NumTh>Responses</NumTh>
        <NumTh>Share</NumTh>
        <NumTh>Positive</NumTh>
        <NumTh>Negative</NumTh>
        <NumTh>Mixed</NumTh>
        <NumTh>Change on previous period</NumTh>
      </tr>
    </thead>
    <tbody>
      {report.themes.map((t) => (
        <tr>
          <th scope="row">
            {t.label}
            {t.quotes.length ? (
              <details>
                <summary>What people said</summary>
                <ul class="quotes">
                  {t.quotes.map((q) => (
                    <li>“{q}”</li>
                  ))}
                </ul>
              </details>
            ) : null}
          </th>
          <td class="num">
            <Count c={t.count} />
          </td>
          <td class="num">
            <Pct p={t.share} />
          </td>
          <td class="num">
            <Pct p={t.sentiment?.positive} />
          </td>
          <td class="num">
            <Pct p={t.sentiment?.negative} />
          </td>
          <td class="num">
            <Pct p={t.sentiment?.mixed} />
          </td>
          <td class="num">
            {t.change.difference === null ? (
              <Count c={{ value: null, suppressed: true }} />
            ) : t.change.difference === 0 ? (
              <>no change</>
            ) : (
              <ThemeChange difference={t.change.difference} tone={t.change.tone} />
            )}
          </td>
        </tr>
      ))}
    </tbody>
  </ScrollTable>
);

export interface FilterOptions {
  values: Record<string, string | undefined>;
  partners: { id: string; name: string }[] | null;
  services: { id: string; name: string }[];
  surveys: { id: string; title: string }[];
}

const Select: FC<{ id: string; label: string; value: string | undefined; options: { value: string; label: string }[]; any: string }> = (p) => (
  <div>
    <label for={`f-${p.id}`}>{p.label}</label>
    <select id={`f-${p.id}`} name={p.id}>
      <option value="">{p.any}</option>
      {p.options.map((o) => (
        <option value={o.value} selected={o.value === p.value}>
          {o.label}
        </option>
      ))}
    </select>
  </div>
);

/** A GET form: filters live in the URL, so a view can be bookmarked or shared. */
export const Filters: FC<{ f: FilterOptions }> = ({ f }) => (
  <form method="get" action="/dashboard" class="filters card" aria-label="Filters">
    <div>
      <label for="f-from">From</label>
      <input id="f-from" name="from" type="date" value={f.values.from ?? ''} />
    </div>
    <div>
      <label for="f-to">To</label>
      <input id="f-to" name="to" type="date" value={f.values.to ?? ''} />
    </div>
    <Select id="interval" label="Group by" value={f.values.interval} any="Month" options={[{ value: 'week', label: 'Week' }]} />
    {f.partners ? (
      <Select id="partner" label="Partner" value={f.values.partner} any="All partners" options={f.partners.map((p) => ({ value: p.id, label: p.name }))} />
    ) : null}
    <Select id="service" label="Service" value={f.values.service} any="All services" options={f.services.map((s) => ({ value: s.id, label: s.name }))} />
    <Select id="survey" label="Survey" value={f.values.survey} any="All surveys" options={f.surveys.map((s) => ({ value: s.id, label: s.title }))} />
    <Select
      id="respondent"
      label="Who answered"
      value={f.values.respondent}
      any="Everyone"
      options={[
        { value: 'child', label: 'Children and young people' },
        { value: 'family', label: 'Families' },
        { value: 'community', label: 'Community' },
      ]}
    />
    <Select
      id="ageBand"
      label="Age band"
      value={f.values.ageBand}
      any="All ages"
      options={['5-7', '8-12', '13-17', 'adult'].map((b) => ({ value: b, label: b === 'adult' ? 'Adults' : `${b} years` }))}
    />
    <div>
      <button type="submit">Show</button>
    </div>
  </form>
);

export interface InsightsPageProps {
  shell: Shell;
  report: InsightReport;
  filters: InsightFilters;
  from: string | undefined;
  to: string | undefined;
  /** Partners to filter and compare by; null for a practice lead, who sees only their own. */
  partners: { id: string; name: string }[] | null;
  services: { id: string; name: string }[];
  /** Surveys to filter by, named by their (English) titles, never their ids. */
  surveys: { id: string; title: string }[];
  surveyCounts: { id: string; title: string; status: string; count: ShownCount }[];
  change: number | null;
  /** The filters as given, for the CSV link. */
  raw: Record<string, string>;
}

/**
 * Every question asked, per survey: each answer's count and share, small numbers suppressed like
 * every other count. A table per question, so a screen reader hears the question as its caption.
 */
export const QuestionResults: FC<{ report: InsightReport }> = ({ report }) =>
  report.questions && report.questions.length > 0 ? (
    <>
      <h2 id="questions">Every question</h2>
      {report.questions.map((survey) => (
        <section aria-labelledby={`q-${survey.id}`}>
          <h3 id={`q-${survey.id}`}>
            {survey.title}: <Count c={survey.responses} /> responses
          </h3>
          {survey.responses.suppressed ? (
            // The same words whatever the hidden count: it is never worked out from it.
            <p class="legend">
              Hidden to protect the people who answered: a survey’s numbers show only once it has at least {report.suppression.threshold + 1} responses in the
              period, and only where showing them would not give a smaller hidden number away.
            </p>
          ) : null}
          {survey.questions.map((q) =>
            q.answers.length === 0 ? (
              <p>
                <strong>{q.text}</strong> (free text): <Count c={q.answered} /> answered; what they said is in the themes above.
              </p>
            ) : (
              <ScrollTable label={q.text} caption={q.text}>
                <thead>
                  <tr>
                    <th scope="col">Answer</th>
                    <NumTh>Responses</NumTh>
                    <NumTh>{q.multiple ? 'Share (could tick several)' : 'Share'}</NumTh>
                  </tr>
                </thead>
                <tbody>
                  {q.answers.map((a) => (
                    <tr>
                      <th scope="row">{a.label}</th>
                      <td class="num">
                        <Count c={a.count} />
                      </td>
                      <td class="num">
                        <Pct p={a.share} />
                      </td>
                    </tr>
                  ))}
                  <tr>
                    <th scope="row">Answered this question</th>
                    <td class="num">
                      <Count c={q.answered} />
                    </td>
                    <td class="num">–</td>
                  </tr>
                </tbody>
              </ScrollTable>
            ),
          )}
          {survey.questions.map((q) =>
            q.fft ? (
              <p>
                <strong>Friends and Family Test</strong> (“{q.text}”): <Pct p={q.fft.positive} /> positive (very good or good) and <Pct p={q.fft.negative} />{' '}
                negative (poor or very poor), of everyone who answered, “Don’t know” included, as the NHS counts them.
              </p>
            ) : null,
          )}
        </section>
      ))}
    </>
  ) : null;

/** Why the period's numbers are not there yet, in the report's own words (the same for any hidden count). */
export const WithheldNote: FC<{ report: InsightReport }> = ({ report }) =>
  report.withheld ? (
    <section class="notice" aria-labelledby="withheld-heading">
      <h2 id="withheld-heading">{report.withheld.reason === 'no-responses' ? 'No responses yet' : 'Why there are no numbers yet'}</h2>
      <p>{report.withheld.message}</p>
    </section>
  ) : null;

/** The insights overview: summary, trend chart and its table, themes, ratings, partners, surveys. */
export const InsightsPage: FC<InsightsPageProps> = (props) => (
  <DashboardPage {...props.shell}>
    <h1>
      What children and families told us: {props.report.period.buckets[0]!.label} to{' '}
      {props.report.period.buckets[props.report.period.buckets.length - 1]!.label}
    </h1>
    <Filters
      f={{
        values: { ...props.filters, from: props.from, to: props.to, interval: props.filters.interval === 'month' ? undefined : props.filters.interval },
        partners: props.partners,
        services: props.services,
        surveys: props.surveys,
      }}
    />
    <SuppressionLegend report={props.report} />
    <WithheldNote report={props.report} />
    <h2>Summary</h2>
    <dl class="totals">
      <div>
        <dt>Responses</dt>
        <dd>
          <Count c={props.report.totals.responses} />
        </dd>
      </div>
      <div>
        <dt>Previous period</dt>
        <dd>
          <Count c={props.report.totals.previous} />
        </dd>
      </div>
      <div>
        <dt>Change</dt>
        <dd>
          {props.change === null ? (
            <Count c={{ value: null, suppressed: true }} />
          ) : props.change > 0 ? (
            `+${props.change}`
          ) : props.change === 0 ? (
            '0'
          ) : (
            `−${-props.change}`
          )}
        </dd>
      </div>
      <div>
        <dt>Gave a rating</dt>
        <dd>
          <Count c={props.report.totals.rated} />
        </dd>
      </div>
    </dl>

    <h2>Responses over time</h2>
    <TrendChart report={props.report} />
    <details open>
      <summary>The chart as a table</summary>
      <TrendTable report={props.report} />
    </details>

    <h2>Emerging themes</h2>
    {props.report.emerging.length ? (
      <ul>
        {props.report.emerging.map((e) => (
          <li>
            {e.label}: {e.difference} more than the previous period
            {e.tone === 'neutral' ? null : <span class={e.tone}>{e.tone === 'good' ? ' (good news: mostly positive)' : ' (bad news: mostly negative)'}</span>}
          </li>
        ))}
      </ul>
    ) : (
      <p>No theme rose against the previous period (among counts large enough to show).</p>
    )}

    <h2>Themes</h2>
    <ThemesTable report={props.report} />

    <h2>Ratings</h2>
    <ScrollTable label="Ratings" caption={<>How people rated the service (1 = worst, 5 = best)</>}>
      <thead>
        <tr>
          <th scope="col">Rating</th>
          <NumTh>Responses</NumTh>
          <NumTh>Share</NumTh>
        </tr>
      </thead>
      <tbody>
        {props.report.ratings.map((r) => (
          <tr>
            <th scope="row">{r.rating}</th>
            <td class="num">
              <Count c={r.count} />
            </td>
            <td class="num">{r.share.value !== null ? `${r.share.value}%` : r.share.suppressed ? <Count c={{ value: null, suppressed: true }} /> : '–'}</td>
          </tr>
        ))}
      </tbody>
    </ScrollTable>

    <QuestionResults report={props.report} />

    {props.report.partners ? (
      <>
        <h2>Partners compared</h2>
        <ScrollTable label="Partners compared" caption={<>Responses and the largest themes by partner agency</>}>
          <thead>
            <tr>
              <th scope="col">Partner</th>
              <NumTh>Responses</NumTh>
              {props.report.themes.map((t) => (
                <NumTh>{t.label}</NumTh>
              ))}
            </tr>
          </thead>
          <tbody>
            {props.report.partners.map((p) => (
              <tr>
                <th scope="row">{p.name}</th>
                <td class="num">
                  <Count c={p.responses} />
                </td>
                {props.report.themes.map((t) => (
                  <td class="num">
                    <Count c={p.themes[t.id]!} />
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </ScrollTable>
      </>
    ) : null}

    <h2>Surveys</h2>
    <ScrollTable label="Surveys" caption={<>Responses by survey in this period</>}>
      <thead>
        <tr>
          <th scope="col">Survey</th>
          <th scope="col">Status</th>
          <NumTh>Responses</NumTh>
        </tr>
      </thead>
      <tbody>
        {props.surveyCounts.map((s) => (
          <tr>
            <th scope="row">{s.title}</th>
            <td>{s.status}</td>
            <td class="num">
              <Count c={s.count} />
            </td>
          </tr>
        ))}
      </tbody>
    </ScrollTable>
    <p class="no-print">
      <a href={`/dashboard/export.csv?${new URLSearchParams(props.raw)}`}>Download this view as CSV</a> (a spreadsheet; "c" marks a suppressed number)
    </p>
  </DashboardPage>
);
