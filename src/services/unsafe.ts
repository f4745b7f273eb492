import { addToOpenAlert, announcementStatement, findAlert, insertPressAlertStatement, type AlertScope } from '../db/alerts';
import { findLinkByTokenHash, type FeedbackLink } from '../db/links';
import type { SurveyWithDefinition } from '../db/surveys';
import { hashedAddress } from '../lib/address-hash';
import { newId, sha256Hex } from '../lib/crypto';
import { keyedHash } from '../lib/keyed-hash';
import { seal, unseal } from '../lib/seal';
import type { AlertRaised } from './alert-webhook';
import { newAlert, placeOf } from './alerts';

/**
 * "I'm not safe" (issue 17, item 6): a press on any screen raises one safeguarding alert, even
 * with no words, in the `immediate-danger` category and current, through the same alert service
 * (services/alerts.ts newAlert) intake and the chat use. The child may then add what is happening; those words join the same
 * alert, sealed like every disclosure.
 *
 * One alert per press, not per request:
 * - every rendered page carries a fresh press id; the alert's id is derived from it, so a double
 *   tap or a re-sent form inserts nothing more;
 * - a second press from the same address, survey and link within {@link PRESS_WINDOW_MS} (a
 *   reload, another screen) joins the first press's alert. The address is only a salted hash in
 *   this isolate's memory, as the rate limits and the alert-flood control keep it; nothing about
 *   it is stored. Across isolates a repeat may raise a second alert: more alerts, never fewer.
 */

/** How long identical presses from one address count as one. */
export const PRESS_WINDOW_MS = 10 * 60_000;
/** The most addresses one isolate remembers; past it, expired ones are swept, then the oldest dropped. */
const MAX_PRESSES = 10_000;

const recent = new Map<string, { press: string; until: number }>();

/** Forgets every remembered press (tests). */
export function resetUnsafePresses(): void {
  recent.clear();
}

export interface UnsafePress {
  /** The page's press id (a UUID made when it was rendered). */
  press: string;
  /** What the child chose to say; empty or absent is fine. */
  text?: string;
  /** The feedback link token the page was opened with, if any. */
  link?: string;
  /** The client address, used only in memory to join repeated presses. */
  sender?: string;
}

export interface PressOutcome {
  /** The alert this press raised (absent when it joined one already raised). */
  raised?: AlertRaised;
  /** The alert id the press is recorded under. */
  alertId: string;
  /** The link carries a contact reference: the lead can route the alert to the child's worker. */
  identifiable: boolean;
}

/** The lead reads these on the alert (sealed): an honest label of what is known, no guesses. */
const EVIDENCE = {
  anonymous: 'Pressed “I’m not safe”. Anonymous: no contact reference, so we cannot tell who this is or route it to a worker.',
  identifiable: 'Pressed “I’m not safe” through a feedback link with a contact reference: route it to the child’s worker (see the contact reference).',
};
const NO_WORDS = '(No words: the child pressed “I’m not safe” and did not write anything.)';

/**
 * Records a press (and any words with it) as a safeguarding alert. Returns what to announce.
 *
 * @example
 * const { raised } = await pressUnsafe(env, survey, { press, text, link, sender: c.req.header('cf-connecting-ip') });
 */
export async function pressUnsafe(env: Env, survey: SurveyWithDefinition, input: UnsafePress, now = new Date()): Promise<PressOutcome> {
  const db = env.DB;
  const link = await linkOf(db, input.link, survey);
  const identifiable = link?.identifiable ?? false;
  const token = await firstPressOf(input, survey.id, link, now.getTime());
  const alertId = uuidFrom(await keyedHash(env.ALERT_KEY, ['unsafe-press', survey.id, token]));
  const text = input.text?.trim() ?? '';
  const scope: AlertScope = { partnershipId: survey.partnershipId, partnerId: null };

  const existing = await findAlert(db, scope, alertId);
  if (existing && existing.status !== 'acknowledged') {
    if (text) await addWords(env, scope, alertId, text);
    return { alertId, identifiable };
  }
  // Already dealt with: new words are a new alert; a bare repeat is not.
  if (existing && !text) return { alertId, identifiable };
  const id = existing ? newId() : alertId;
  const place = placeOf(survey, link);
  const alert = await newAlert(
    env.ALERT_KEY,
    place,
    { category: 'immediate-danger', current: true },
    { text: text || NO_WORDS, evidence: identifiable ? EVIDENCE.identifiable : EVIDENCE.anonymous },
    now,
    id,
  );
  const [inserted] = await db.batch([insertPressAlertStatement(db, alert), announcementStatement(db, alert)]);
  if (inserted!.meta.changes !== 1) {
    // The same press arrived at the same moment and got there first: add the words to it.
    if (text) await addWords(env, scope, id, text);
    return { alertId: id, identifiable };
  }
  return { alertId: id, identifiable, raised: { id, partnershipId: alert.partnershipId, category: alert.category, current: true } };
}

/** The link the page was opened with, if it is this survey's; an unusable link still tells the lead where it came from. */
async function linkOf(db: D1Database, token: string | undefined, survey: SurveyWithDefinition): Promise<FeedbackLink | null> {
  if (!token || !/^[A-Za-z0-9_-]{8,100}$/.test(token)) return null;
  const link = await findLinkByTokenHash(db, await sha256Hex(token));
  return link?.surveyId === survey.id ? link : null;
}

/** The press this one repeats (same address, survey and link, within the window), or itself. */
async function firstPressOf(input: UnsafePress, surveyId: string, link: FeedbackLink | null, now: number): Promise<string> {
  if (!input.sender) return input.press;
  const key = `${await hashedAddress(input.sender)}\n${surveyId}\n${link?.id ?? ''}`;
  const earlier = recent.get(key);
  if (earlier && earlier.until > now) return earlier.press;
  if (!earlier && recent.size >= MAX_PRESSES) {
    for (const [k, v] of recent) if (v.until <= now) recent.delete(k);
    for (const k of recent.keys()) {
      if (recent.size < MAX_PRESSES) break;
      recent.delete(k);
    }
  }
  recent.set(key, { press: input.press, until: now + PRESS_WINDOW_MS });
  return input.press;
}

/** Adds the child's words to the press's alert; the placeholder for "no words" gives way to them. */
async function addWords(env: Env, scope: AlertScope, alertId: string, text: string): Promise<void> {
  const alert = await findAlert(env.DB, scope, alertId);
  if (!alert) return;
  const earlier = await unseal(env.ALERT_KEY, alert.textSealed);
  if (earlier.split('\n\n').includes(text)) return; // a re-sent form adds nothing new
  const words = earlier === NO_WORDS ? text : `${earlier}\n\n${text}`;
  await addToOpenAlert(env.DB, alertId, { textSealed: await seal(env.ALERT_KEY, words), evidenceSealed: alert.evidenceSealed, current: true });
}

/** A 32-hex-digit hash shaped as a v4-style UUID, so the alert's id fits where alert ids are validated. */
function uuidFrom(hex: string): string {
  const h = hex.slice(0, 32).split('');
  h[12] = '4';
  h[16] = '89ab'[Number.parseInt(h[16]!, 16) % 4]!;
  const s = h.join('');
  return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20, 32)}`;
}
