import { upsertLabelStatement, listLabelLines, type LabelKind } from '../db/labels';
import { insertAuditStatement } from '../db/audit';
import type { ApiKey } from '../db/keys';
import { labelRecord, type Judgement, type LabelContext } from '../domain/labels';
import { nowIso } from '../lib/time';

/**
 * Labelled data from the work itself: review decisions, alerts closed as a false alarm, and a
 * reviewer's corrections, each kept as the redacted text with the decided label, and exported as
 * JSON Lines for `npm run eval -- FILE`.
 */

/** The outcome id of an alert acknowledgement that records a false alarm as a label. */
export const FALSE_ALARM_OUTCOME = 'false-alarm';

/** The statement that stores a label for `original` (the words in memory, never stored). */
export const labelStatement = (db: D1Database, partnershipId: string, kind: LabelKind, original: string, judgement: Judgement, ctx: LabelContext) =>
  upsertLabelStatement(db, partnershipId, kind, labelRecord(original, judgement, ctx), nowIso());

/**
 * Records one label now. Alert acknowledgement calls this for the outcome {@link FALSE_ALARM_OUTCOME};
 * each flagged text of the alert (a burst or a chat holds several) becomes its own line.
 */
export async function recordLabel(db: D1Database, partnershipId: string, kind: LabelKind, original: string, judgement: Judgement, ctx: LabelContext) {
  await labelStatement(db, partnershipId, kind, original, judgement, ctx).run();
}

/** The partnership's labels as JSON Lines; the export is audited (ids are not listed: it is everything). */
export async function exportLabels(db: D1Database, key: ApiKey): Promise<string> {
  const lines = await listLabelLines(db, key.partnershipId);
  await insertAuditStatement(db, key, 'labels.export', [], nowIso()).run();
  return lines.length ? `${lines.join('\n')}\n` : '';
}
