/**
 * A text limit in words a child knows: "about 150 words" rather than "1000 characters". Six
 * characters a word (spaces included), rounded down to a friendly number, so it never promises more.
 *
 * @example limitWords(1000) // 150
 */
export function limitWords(chars: number): number {
  const words = Math.floor(chars / 6);
  if (words >= 100) return Math.floor(words / 50) * 50;
  if (words >= 20) return Math.floor(words / 10) * 10;
  return Math.max(words, 0);
}
