import { purgeConversations } from './db/conversations';

/**
 * The Worker's cron handler (wrangler.toml runs it every 10 minutes): deletes finished
 * conversations, whose responses are stored, and unfinished ones left for more than 24 hours.
 */
export async function scheduled(controller: ScheduledController, env: Env, _ctx: ExecutionContext): Promise<void> {
  await purgeConversations(env.DB, new Date(controller.scheduledTime));
}
