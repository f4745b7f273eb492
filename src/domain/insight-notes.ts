import type { Interval } from './periods';
import type { ShownCount, SuppressionRule } from './suppression';

/**
 * What a report says about itself so a first month does not look broken: why its numbers are
 * missing, whether a theme's change is good news, and which quotes are worth showing. Everything
 * here reads published numbers only (shown counts and percentages), never a true count, so what
 * it says cannot give away a hidden count (tests/domain/insight-notes.test.ts plants responses
 * that differ only in hidden counts and expects the same words).
 */

/** Why the period's headline total is not a number, in words the page and the API both give. */
export interface WithheldNotice {
  /** `no-responses`: the total shows 0; `hidden`: the total is suppressed. */
  reason: 'no-responses' | 'hidden';
  message: string;
  /**
   * Responses still needed before any number can show. Only where it follows from a shown total
   * (nothing yet, so the threshold plus one); null when the total is hidden, as any figure there
   * would be worked out from the hidden count.
   */
  moreNeeded: number | null;
  /** Labels of the periods whose counts are hidden (the series already shows which). */
  hiddenPeriods: string[];
}

/** The published parts of a report the notice is worded from; nothing else can reach it. */
export interface PublishedHeadline {
  rule: SuppressionRule;
  threshold: number;
  interval: Interval;
  total: ShownCount;
  series: { label: string; responses: ShownCount }[];
}

const RULE_NAMES: Record<SuppressionRule, string> = { dfe: 'DfE', nhs: 'NHS' };

/** "DfE rule: counts from 1 to 5 are hidden" (and the NHS rounding). */
const ruleInWords = (rule: SuppressionRule, threshold: number) =>
  `${RULE_NAMES[rule]} rule: counts from 1 to ${threshold} are hidden${rule === 'nhs' ? ' and others rounded to the nearest 5' : ''}, with any number that would give one away`;

/**
 * Why the headline total is not shown as a number, or null when it is (a total above 0).
 * @example withheldNotice({ rule: 'dfe', threshold: 5, interval: 'month', total: { value: 0, suppressed: false }, series: [...] })
 *   // { reason: 'no-responses', moreNeeded: 6, message: 'No responses in this period yet: at least 6 more …' }
 */
export function withheldNotice(h: PublishedHeadline): WithheldNotice | null {
  const hiddenPeriods = h.series.filter((s) => s.responses.suppressed).map((s) => s.label);
  const needed = h.threshold + 1;
  const rule = ruleInWords(h.rule, h.threshold);
  if (!h.total.suppressed) {
    if (h.total.value !== 0) return null;
    // A shown 0 is a true 0 (zeros are never rounded or hidden in a total that shows), so "how many more" is safe to say.
    return {
      reason: 'no-responses',
      message: `No responses in this period yet: at least ${needed} more are needed before a number can show (${rule}).`,
      moreNeeded: needed,
      hiddenPeriods,
    };
  }
  // The same words whatever the hidden count is: from 1 to the threshold, or a larger one hidden beside it.
  const each = h.series.length > 1 ? ` The total for the whole period shows once every ${h.interval} in it does; hidden now: ${hiddenPeriods.join(', ')}.` : '';
  return {
    reason: 'hidden',
    message:
      `Hidden to protect the people who answered: there are responses, but showing the number now could give away how a small group answered. ` +
      `A ${h.interval}’s number can show only once it has at least ${needed} responses (${rule}).${each} ` +
      'Every response is kept and will count as soon as the number can show.',
    moreNeeded: null,
    hiddenPeriods,
  };
}

/** Whether a theme's change is good news: more praise or less complaint is good. */
export type ChangeTone = 'good' | 'bad' | 'neutral';

/**
 * Themes are topics ("Feeling safe" is raised by children who feel safe and by those who do not),
 * so a rise is good news only when what people say about the theme is mostly positive, and bad
 * news when mostly negative. Read from the shown sentiment percentages of this period; neutral when
 * they are not shown, are even, or nothing changed.
 */
export function changeTone(
  difference: number | null,
  sentiment: { positive: { value: number | null }; negative: { value: number | null } } | null,
): ChangeTone {
  if (difference === null || difference === 0 || !sentiment) return 'neutral';
  const { positive, negative } = sentiment;
  if (positive.value === null || negative.value === null || positive.value === negative.value) return 'neutral';
  const mostlyPositive = positive.value > negative.value;
  return mostlyPositive === difference > 0 ? 'good' : 'bad';
}

/** How a quote is compared for sameness: case, spacing and surrounding punctuation do not make it a new quote. */
const quoteKey = (text: string) =>
  text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .replace(/^[\s\p{P}]+|[\s\p{P}]+$/gu, '');

/**
 * The first `max` different quotes, in the order given (newest first): many children write
 * "they listened to me", and the same words three times tell a reader less than one.
 */
export function distinctQuotes(texts: string[], max: number): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const text of texts) {
    const key = quoteKey(text);
    if (key === '' || seen.has(key)) continue;
    seen.add(key);
    out.push(text);
    if (out.length === max) break;
  }
  return out;
}
