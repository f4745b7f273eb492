/** WCAG relative luminance of `#rrggbb`. */
function luminance(hex: string): number {
  const channel = (i: number) => {
    const c = parseInt(hex.slice(i, i + 2), 16) / 255;
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5);
}

/** WCAG contrast ratio between two `#rrggbb` colours, 1..21. */
export function contrastRatio(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}

/**
 * An accent colour is used for buttons with white text and for links on white, so it must reach
 * 4.5:1 against white. Returns why not, or undefined when it is fine.
 */
export function contrastProblem(accent: string): string | undefined {
  const ratio = contrastRatio(accent, '#ffffff');
  return ratio >= 4.5 ? undefined : `must have a contrast of at least 4.5:1 with white (this is ${ratio.toFixed(2)}:1)`;
}
