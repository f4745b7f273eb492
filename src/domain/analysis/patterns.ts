/**
 * Every regular expression the analysis builds from strings, kept so the ReDoS test
 * (tests/domain/analysis/redos.test.ts) checks the real sources and not a copy. Built once at
 * module load: the test also checks that analysing text adds none. Literals (`/…/`) need not
 * come here; the test reads them from the source.
 */
export const BUILT: RegExp[] = [];

/** `new RegExp(source, flags)`, recorded for the ReDoS test. */
export function pattern(source: string, flags = ''): RegExp {
  const re = new RegExp(source, flags);
  BUILT.push(re);
  return re;
}
