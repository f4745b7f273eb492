import type { LabelRecord } from '../domain/labels';

/** Labelled data (migration 0016): one JSON line per decided answer, redacted text only. */

export type LabelKind = 'review' | 'alert' | 'correction';

/** Stores a label; the same decided thing again replaces its line (a retry, or a later correction). */
export const upsertLabelStatement = (db: D1Database, partnershipId: string, kind: LabelKind, record: LabelRecord, at: string) =>
  db
    .prepare(
      `INSERT INTO labels (id, partnership_id, kind, record, created_at) VALUES (?1, ?2, ?3, ?4, ?5)
       ON CONFLICT (id) DO UPDATE SET record = excluded.record, created_at = excluded.created_at`,
    )
    .bind(record.id, partnershipId, kind, JSON.stringify(record), at);

/** Every label of a partnership, oldest first, as stored JSON lines. */
export async function listLabelLines(db: D1Database, partnershipId: string): Promise<string[]> {
  const { results } = await db
    .prepare('SELECT record FROM labels WHERE partnership_id = ?1 ORDER BY created_at, id')
    .bind(partnershipId)
    .all<{ record: string }>();
  return results.map((r) => r.record);
}
