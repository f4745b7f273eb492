/**
 * A value built on first use and kept for the isolate's life. For module-level tables and
 * formatters that are costly to build (a time-zone formatter loads ICU's zone data; a word list
 * becomes a Set or a regular expression): built at import, every fresh isolate pays for them before
 * its first request, even one that never reads them (issue 15, item 5: cold start).
 *
 * @example const london = once(() => new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London' }));
 *          london().format(now);
 */
export function once<T>(build: () => T): () => T {
  let built: { value: T } | undefined;
  return () => (built ??= { value: build() }).value;
}
