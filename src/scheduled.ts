import { deleteExpiredAccountState } from './db/accounts';
import { deleteExpiredAlerts, markOverdueAlerts } from './db/alerts';
import { purgeConversations } from './db/conversations';
import { countReviewsDueSoon, deleteExpiredReviewWords } from './db/reviews';
import { deleteExpiredSessions } from './db/sessions';
import { retryDueAnnouncements } from './services/alert-webhook';
import { foldPending } from './services/rollup-fold';
import { NO_REVIEW_QUEUE, queueReviewDigests, retryDueEmails, type CountReviewsDue, type EmailEnv } from './services/alert-email';

/**
 * The Worker's cron handler (wrangler.toml runs it every 10 minutes): marks alerts left
 * unacknowledged past their hour as overdue, deletes alerts 30 days after acknowledgement, and
 * deletes finished conversations, whose responses are stored, and unfinished ones left for more
 * than 24 hours, and expired dashboard sessions; deletes staff accounts' expired sessions, one-time
 * links and started single sign-ons; deletes review items' sealed words 30 days after their decision; retries alert webhook notices
 * that are due; and folds every partnership's pending responses into the rollups (services/rollup-fold.ts).
 * Each task runs even if another fails, so one fault can't stop overdue marking.
 */
export async function scheduled(controller: ScheduledController, env: Env, _ctx: ExecutionContext): Promise<void> {
  await runScheduledTasks(env.DB, new Date(controller.scheduledTime), {
    alertKey: env.ALERT_KEY,
    email: { ALERT_EMAIL: env.ALERT_EMAIL, ALERT_EMAIL_FROM: env.ALERT_EMAIL_FROM, DASHBOARD_URL: env.DASHBOARD_URL },
    countReviewsDue: countReviewsDueSoon,
  });
}

/**
 * The scheduled work for a given time; tests call it with a fixed clock. With `webhooks.alertKey`
 * (the cron handler always passes it) it also retries alert webhook notices that are due. With
 * `webhooks.email` it sends the emails that are due: the overdue notices this run queued (after
 * the marking, so an alert found overdue is emailed in the same run), the daily digest, retries.
 */
export async function runScheduledTasks(
  db: D1Database,
  now: Date,
  webhooks: { alertKey?: string; fetcher?: typeof fetch; email?: Omit<EmailEnv, 'DB'>; countReviewsDue?: CountReviewsDue } = {},
): Promise<{
  overdue: number;
  alertsDeleted: number;
  conversationsDeleted: number;
  sessionsDeleted: number;
  webhooksTried: number;
  emailsTried: number;
  reviewWordsDeleted: number;
  accountStateDeleted: number;
  rollupsFolded: number;
}> {
  const marking = markOverdueAlerts(db, now);
  const { email } = webhooks;
  const [overdue, alertsDeleted, conversationsDeleted, sessionsDeleted, webhooksTried, emailsTried, reviewWordsDeleted, accountStateDeleted, rollupsFolded] =
    await Promise.allSettled([
      marking,
      deleteExpiredAlerts(db, now),
      purgeConversations(db, now),
      deleteExpiredSessions(db, now.toISOString()),
      webhooks.alertKey ? retryDueAnnouncements({ DB: db, ALERT_KEY: webhooks.alertKey }, now, webhooks.fetcher) : Promise.resolve(0),
      email
        ? marking
            .catch(() => 0)
            .then(() => queueReviewDigests(db, now, webhooks.countReviewsDue ?? NO_REVIEW_QUEUE))
            .catch((err: unknown) => {
              // A digest that can't be counted must not stop the alert emails behind it.
              console.error('[heard] reviews digest failed:', err instanceof Error ? err.name : 'non-error thrown');
              return 0;
            })
            .then(() => retryDueEmails({ DB: db, ...email }, now))
        : Promise.resolve(0),
      deleteExpiredReviewWords(db, now),
      deleteExpiredAccountState(db, now.toISOString()),
      foldPending(db, null),
    ]);
  const failed = [
    overdue,
    alertsDeleted,
    conversationsDeleted,
    sessionsDeleted,
    webhooksTried,
    emailsTried,
    reviewWordsDeleted,
    accountStateDeleted,
    rollupsFolded,
  ].filter((r): r is PromiseRejectedResult => r.status === 'rejected');
  // Rethrown after all ran so the cron run shows as failed in the dashboard.
  if (failed.length)
    throw new AggregateError(
      failed.map((f) => f.reason),
      'scheduled task failed',
    );
  const value = (r: PromiseSettledResult<number>) => (r.status === 'fulfilled' ? r.value : 0);
  return {
    overdue: value(overdue),
    alertsDeleted: value(alertsDeleted),
    conversationsDeleted: value(conversationsDeleted),
    sessionsDeleted: value(sessionsDeleted),
    webhooksTried: value(webhooksTried),
    reviewWordsDeleted: value(reviewWordsDeleted),
    emailsTried: value(emailsTried),
    accountStateDeleted: value(accountStateDeleted),
    rollupsFolded: value(rollupsFolded),
  };
}
