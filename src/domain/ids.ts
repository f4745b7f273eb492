/**
 * Ids a partnership chooses for its partners, services and surveys start with its own id and a
 * hyphen (`demo-police`, `demo-front-door`, `demo-school-visit`), as the demo's already do.
 *
 * Why: the ids stay globally unique in storage (a survey id is a public URL, /s/:id, that names no
 * partnership; partner and service ids are foreign keys in most tables). Without a namespace, a
 * `409 id_taken` told one partnership which ids another one used. Inside its own prefix a
 * partnership can only meet its own ids, so a 409 means "you already have this" and a 201 or 409
 * never depends on anyone else's data.
 *
 * @example ownIdProblem('demo', 'demo-youth-justice') // undefined
 * @example ownIdProblem('demo', 'youth-justice')      // 'must start with "demo-" …'
 */
export function ownIdProblem(partnershipId: string, id: string): string | undefined {
  const prefix = `${partnershipId}-`;
  if (id.startsWith(prefix) && id.length > prefix.length) return undefined;
  return `must start with "${prefix}" (ids are unique within your partnership)`;
}
