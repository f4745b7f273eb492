import ipaddr from 'ipaddr.js';
import type { DisclosureCategory } from './analysis';

/**
 * Where Heard may post an alert notice, and how often it tries. Pure: no I/O.
 *
 * The webhook URL is set by a partnership admin, and the Worker posts to it from inside Cloudflare.
 * An admin (or anyone holding an admin key) must not be able to aim it at the Worker's own
 * neighbourhood: loopback, private networks, cloud metadata (169.254.169.254), CGNAT, and so on.
 * Names are checked as written (a Worker cannot resolve DNS first); IP literals in every spelling
 * the WHATWG URL parser accepts (`2130706433`, `0x7f.1`, `0177.0.0.1`, `[::ffff:127.0.0.1]`) are
 * normalised by that parser before the range check, so no spelling slips past.
 */

/** Names that never resolve to a public host (RFC 6761 `localhost`, mDNS `.local`, RFC 8375, ICANN `.internal`). */
const PRIVATE_NAME = /(^|\.)(localhost|local|internal|home\.arpa)$/;

/**
 * Why `url` may not receive alert notices, or null when it may. Only https; no credentials in the
 * URL; a host that is a name (not `localhost` or a private-use suffix) or a globally routable
 * unicast IP. ipaddr.js names every special range (loopback, private, linkLocal, uniqueLocal,
 * unspecified, carrierGradeNat, ipv4Mapped, 6to4, rfc6052, teredo, multicast, reserved, …); anything
 * but plain `unicast` is refused, so IPv4 hidden inside IPv6 is refused too.
 *
 * @example webhookDestinationProblem('https://169.254.169.254/') // 'must not be a link-local address'
 */
export function webhookDestinationProblem(url: string): string | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return 'must be a URL';
  }
  if (parsed.protocol !== 'https:') return 'must be an https URL';
  if (parsed.username || parsed.password) return 'must not carry a user name or password';
  const host = parsed.hostname.toLowerCase().replace(/\.+$/, '');
  if (host === '') return 'must name a host';
  const literal = host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
  if (ipaddr.isValid(literal)) {
    const range = ipaddr.parse(literal).range();
    return range === 'unicast' ? null : `must not be ${RANGE_WORDS[range] ?? `a ${range} address`}`;
  }
  // The URL parser turns every IPv4 spelling it accepts into dotted quads, so a "name" made only
  // of digits and dots here is malformed rather than a host; refuse it rather than guess.
  if (/^[\d.]+$/.test(host) || /^0x/i.test(host)) return 'must not be an IP address in an unusual form';
  if (PRIVATE_NAME.test(host)) return 'must not be a local or internal host name';
  if (!host.includes('.')) return 'must be a public host name (with a dot)';
  return null;
}

const RANGE_WORDS: Record<string, string> = {
  loopback: 'a loopback address',
  private: 'a private-network address',
  linkLocal: 'a link-local address',
  uniqueLocal: 'a unique-local address',
  unspecified: 'the unspecified address',
  carrierGradeNat: 'a carrier-grade NAT address',
  ipv4Mapped: 'an IPv4-mapped IPv6 address',
  broadcast: 'a broadcast address',
  multicast: 'a multicast address',
  reserved: 'a reserved address',
};

/** How many times one notice is tried before it is marked failed. */
export const WEBHOOK_MAX_ATTEMPTS = 10;
/** Nor is a notice tried once it is this old, however few tries it had (the cron may have been down). */
export const WEBHOOK_GIVE_UP_MS = 24 * 3_600_000;
/** The longest wait between two tries. */
export const WEBHOOK_MAX_DELAY_MS = 60 * 60_000;

/**
 * The wait after the `attempts`-th failed try: 1, 2, 4, 8, 16, 32 minutes, then an hour each
 * time. The cron runs every 10 minutes, so a due retry waits at most that much longer.
 *
 * @example retryDelayMs(1) // 60000
 */
export const retryDelayMs = (attempts: number): number => Math.min(WEBHOOK_MAX_DELAY_MS, 60_000 * 2 ** Math.max(0, attempts - 1));

/** Whether a notice that has just failed its `attempts`-th try, first queued at `createdAt`, should be tried again. */
export const shouldRetry = (attempts: number, createdAt: string, now: Date): boolean =>
  attempts < WEBHOOK_MAX_ATTEMPTS && now.getTime() + retryDelayMs(attempts) - Date.parse(createdAt) <= WEBHOOK_GIVE_UP_MS;

/** The body posted for a new alert. Deliberately nothing a child said, nor where or when. */
export const webhookBody = (alert: { id: string; partnershipId: string; category: DisclosureCategory; current: boolean }) => ({
  type: 'heard.alert.created',
  partnership: alert.partnershipId,
  alertId: alert.id,
  category: alert.category,
  current: alert.current,
});
