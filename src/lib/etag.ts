/**
 * Whether an `If-None-Match` header names this entity tag (RFC 9110 §13.1.2: a list, `*`, and the
 * weak comparison, so a `W/` prefix added by a proxy still matches).
 */
export function etagMatches(ifNoneMatch: string | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  const opaque = (tag: string) => tag.trim().replace(/^W\//, '');
  return ifNoneMatch.split(',').some((tag) => tag.trim() === '*' || opaque(tag) === opaque(etag));
}
