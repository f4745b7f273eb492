import { describe, expect, it } from 'vitest';
import { phoneticIndex, skeleton } from '../../../src/domain/analysis/spelling';

describe('skeleton', () => {
  it.each([
    ['scared', 'scard'],
    ['school', 'scool'],
    ['police', 'poleece'],
    ['nice', 'nise'],
    ['phone', 'fone'],
    ['cuddles', 'cuddls'],
    ['favourite', 'favrit'],
  ])('gives %j and %j the same consonant skeleton', (word, spelt) => {
    expect(skeleton(spelt)).toBe(skeleton(word));
  });

  it('keeps different words apart', () => {
    expect(skeleton('happy')).not.toBe(skeleton('hurt'));
  });
});

describe('phoneticIndex', () => {
  const lookup = phoneticIndex<number>(
    [
      ['scared', -1],
      ['brilliant', 1],
      ['listened', 1],
    ],
    5,
    true,
  );

  it('finds a known word from a sound-alike spelling', () => {
    expect(lookup('scard')).toBe(-1);
    expect(lookup('briliant')).toBe(1);
  });

  it('allows one dropped consonant only when asked to', () => {
    expect(lookup('lisend')).toBe(1);
    expect(phoneticIndex<number>([['listened', 1]])('lisend')).toBeUndefined();
  });

  it('does not match ordinary words that merely sound alike or share few letters', () => {
    expect(lookup('scored')).toBeUndefined(); // a false friend of "scared"
    expect(lookup('card')).toBeUndefined();
    expect(lookup('sad')).toBeUndefined();
  });
});
