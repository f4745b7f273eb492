import { renderSVG } from 'uqr';

/**
 * A QR code as an inline SVG, by uqr (unjs; no dependencies, runs in Workers): black on white
 * whatever the page's colour scheme, with the quiet zone scanners need, and named for screen
 * readers. Medium error correction survives a crease in a printed card.
 * @example qrSvg('https://heard.example/l/abc', 'QR code for https://heard.example/l/abc')
 */
export function qrSvg(text: string, label: string): string {
  const svg = renderSVG(text, { ecc: 'M', border: 4, pixelSize: 10, whiteColor: '#ffffff', blackColor: '#000000' });
  const safeLabel = label.replace(/[&<>"]/g, (ch) => `&#${ch.charCodeAt(0)};`);
  return svg.replace('<svg ', `<svg class="qr" role="img" aria-label="${safeLabel}" focusable="false" `);
}
