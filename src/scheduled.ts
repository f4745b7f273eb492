import { deleteExpiredAlerts, markOverdueAlerts } from './db/alerts';
import { purgeConversations } from './db/conversations';
import { deleteExpiredReviewWords } from './db/reviews';
import { deleteExpiredSessions } from './db/sessions';
import { retryDueAnnouncements } from './services/alert-webhook';

/**
 * The Worker's cron handler (wrangler.toml runs it every 10 minutes): marks alerts left
 * unacknowledged past their hour as overdue, deletes alerts 30 days after acknowledgement, and
 * deletes finished conversations, whose responses are stored, and unfinished ones left for more
 * than 24 hours, and expired dashboard sessions; deletes review items' sealed words 30 days after their decision; and retries alert webhook notices that are due.
 * Each task runs even if another fails, so one fault can't stop overdue marking.
 */
export async function scheduled(controller: ScheduledController, env: Env, _ctx: ExecutionContext): Promise<void> {
  await runScheduledTasks(env.DB, new Date(controller.scheduledTime), { alertKey: env.ALERT_KEY });
}

/**
 * The scheduled work for a given time; tests call it with a fixed clock. With `webhooks.alertKey`
 * (the cron handler always passes it) it also retries alert webhook notices that are due.
 */
export async function runScheduledTasks(
  db: D1Database,
  now: Date,
  webhooks: { alertKey?: string; fetcher?: typeof fetch } = {},
): Promise<{
  overdue: number;
  alertsDeleted: number;
  conversationsDeleted: number;
  sessionsDeleted: number;
  webhooksTried: number;
  reviewWordsDeleted: number;
}> {
  const [overdue, alertsDeleted, conversationsDeleted, sessionsDeleted, webhooksTried, reviewWordsDeleted] = await Promise.allSettled([
    markOverdueAlerts(db, now),
    deleteExpiredAlerts(db, now),
    purgeConversations(db, now),
    deleteExpiredSessions(db, now.toISOString()),
    webhooks.alertKey ? retryDueAnnouncements({ DB: db, ALERT_KEY: webhooks.alertKey }, now, webhooks.fetcher) : Promise.resolve(0),
    deleteExpiredReviewWords(db, now),
  ]);
  const failed = [overdue, alertsDeleted, conversationsDeleted, sessionsDeleted, webhooksTried, reviewWordsDeleted].filter(
    (r): r is PromiseRejectedResult => r.status === 'rejected',
  );
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
  };
}
