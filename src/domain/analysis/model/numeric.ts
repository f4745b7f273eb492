/**
 * exp, the logistic and softmax from + - * / alone. Math.exp may differ in its last bit between
 * engines; IEEE 754 fixes the four basic operations, so training with these reproduces the same
 * weights, and therefore the same committed hash, on any machine.
 */

const LN2_HI = 0.6931471803691238;
const LN2_LO = 1.9082149292705877e-10;
const INV_LN2 = Math.LOG2E;

/** e^x, clamped to x in [-40, 40] (ample for a logistic); relative error about 1e-15. */
export function exp(x: number): number {
  const c = Math.min(40, Math.max(-40, x));
  const k = Math.round(c * INV_LN2);
  const r = c - k * LN2_HI - k * LN2_LO; // |r| <= ln2 / 2
  // Taylor series to r^13 / 13!, summed from the smallest term
  let term = 1;
  let sum = 0;
  const terms: number[] = [];
  for (let n = 1; n <= 13; n++) {
    term = (term * r) / n;
    terms.push(term);
  }
  for (let n = terms.length - 1; n >= 0; n--) sum += terms[n] as number;
  let y = 1 + sum;
  // times 2^k, by exact doubling or halving
  if (k > 0) for (let i = 0; i < k; i++) y *= 2;
  else for (let i = 0; i < -k; i++) y /= 2;
  return y;
}

export const sigmoid = (z: number): number => 1 / (1 + exp(-z));

/** Probabilities from logits, shifted by their maximum for stability. */
export function softmax(logits: readonly number[]): number[] {
  let max = -Infinity;
  for (const z of logits) if (z > max) max = z;
  const e = logits.map((z) => exp(z - max));
  let total = 0;
  for (const v of e) total += v;
  return e.map((v) => v / total);
}
