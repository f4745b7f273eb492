import { foldStatements, hasPendingRollups } from '../db/rollups';

/**
 * Rollups off the hot path (migration 0027). A stored response is only marked pending; a fold
 * counts every pending response into the rollups in one transaction. Folds run from the cron and
 * after each queue batch, so the backlog stays small, and before anything reads a partnership's
 * rollups, so a report always counts every stored response.
 */

/** Responses per fold: a backlog of a busy hour folds in a few bounded transactions. */
export const FOLD_LIMIT = 5_000;

/**
 * Folds pending responses, a partnership's or (null) every partnership's, until none is left.
 * Returns how many were folded. Two folds at once are safe: D1 runs one transaction at a time, and
 * the second finds the marks the first removed gone.
 */
export async function foldPending(db: D1Database, partnershipId: string | null): Promise<number> {
  let folded = 0;
  for (;;) {
    const results = await db.batch(foldStatements(db, partnershipId, FOLD_LIMIT));
    const now = results[results.length - 1]!.meta.changes;
    folded += now;
    if (now < FOLD_LIMIT) return folded;
  }
}

/**
 * Reads something computed from a partnership's rollups (bucket versions, a report's fingerprint)
 * after folding what is pending. When nothing is pending, which is usual, this costs one
 * primary-key probe run beside the read, so no extra round trip; otherwise it folds and reads again.
 */
export async function readFolded<T>(db: D1Database, partnershipId: string, read: () => Promise<T>): Promise<T> {
  const [pending, value] = await Promise.all([hasPendingRollups(db, partnershipId), read()]);
  if (!pending) return value;
  await foldPending(db, partnershipId);
  return read();
}
