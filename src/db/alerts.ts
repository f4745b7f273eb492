import type { DisclosureCategory } from '../domain/analysis';

export interface NewAlert {
  id: string;
  partnershipId: string;
  surveyId: string;
  partnerId: string | null;
  serviceId: string | null;
  linkId: string | null;
  receivedDay: string;
  category: DisclosureCategory;
  current: boolean;
  evidenceSealed: string;
  textSealed: string;
  createdAt: string;
  dueAt: string;
}

/**
 * Queues an alert only if the response with `responseId` was stored by this request's insert,
 * so a retried submission never raises a second alert.
 */
export const insertAlertStatement = (db: D1Database, a: NewAlert, responseId: string, fingerprint: string) =>
  db
    .prepare(
      `INSERT INTO safeguarding_alerts (id, partnership_id, survey_id, partner_id, service_id, link_id, received_day, category, current,
                                        evidence_sealed, text_sealed, created_at, due_at)
       SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13
       WHERE changes() = 1 AND EXISTS (SELECT 1 FROM responses WHERE id = ?14 AND fingerprint = ?15)`,
    )
    .bind(
      a.id,
      a.partnershipId,
      a.surveyId,
      a.partnerId,
      a.serviceId,
      a.linkId,
      a.receivedDay,
      a.category,
      a.current ? 1 : 0,
      a.evidenceSealed,
      a.textSealed,
      a.createdAt,
      a.dueAt,
      responseId,
      fingerprint,
    );
