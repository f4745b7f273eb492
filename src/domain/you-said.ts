/**
 * "You said, we did" shows each action as "You said: {heard}". Partners naturally write what they
 * heard as "You said you waited too long…", which then read "You said: You said you waited…".
 * The prefix is the page's, so a "You said" the partner wrote is taken off (English and Welsh).
 *
 * @example heardWithoutPrefix('You said you waited too long.') // 'you waited too long.'
 */
export function heardWithoutPrefix(heard: string): string {
  const rest = heard.replace(/^\s*(?:you said|dywedoch chi|dywedaist ti)\s*(?:[:,–-]\s*|that\s+|fod\s+)?/i, '');
  return rest === '' ? heard : rest;
}
