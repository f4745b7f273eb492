import jsQR from 'jsqr';
import { describe, expect, it } from 'vitest';
import { qrSvg } from '../../src/lib/qr';

/**
 * Rasterises the SVG qrSvg() draws (a white rect, then one black path of `Mx,yh…v…h…z` squares)
 * into RGBA pixels, so a QR decoder reads exactly what a browser or printer would.
 */
function rasterise(svg: string): { data: Uint8ClampedArray; width: number; height: number } {
  const [, w, h] = /viewBox="0 0 (\d+) (\d+)"/.exec(svg)!.map(Number) as [number, number, number];
  const data = new Uint8ClampedArray(w * h * 4).fill(255);
  const path = /<path[^>]*\sd="([^"]+)"/.exec(svg)![1]!;
  const squares = [...path.matchAll(/M(\d+),(\d+)h(\d+)v(\d+)h-\d+z/g)];
  expect(squares.length).toBeGreaterThan(100);
  for (const [, x, y, sw, sh] of squares.map((m) => m.map(Number))) {
    for (let row = y!; row < y! + sh!; row++) {
      for (let col = x!; col < x! + sw!; col++) data.fill(0, (row * w + col) * 4, (row * w + col) * 4 + 3);
    }
  }
  return { data, width: w, height: h };
}

describe('qrSvg', () => {
  it('draws a QR code that a decoder reads back as the exact URL', () => {
    for (const url of ['https://heard.example/l/Abc_def-123456789012345', 'http://127.0.0.1:8787/s/after-visit?link=xYz0123456789_-abcdefgh']) {
      const { data, width, height } = rasterise(qrSvg(url, 'QR code'));
      expect(jsQR(data, width, height)?.data).toBe(url);
    }
  });

  it('is a named image and never lets a label break out of its attribute', () => {
    const svg = qrSvg('https://x.example/', 'QR "code" <b>');
    expect(svg).toMatch(/^<svg class="qr" role="img" aria-label="QR &#34;code&#34; &#60;b&#62;"/);
    expect(svg).not.toContain('<b>');
  });
});
