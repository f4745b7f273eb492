import { describe, expect, it } from 'vitest';
import { afterVisit, familyRating } from '../../src/demo/surveys';
import { SIGNPOST } from '../../src/domain/analysis';
import { IDENTIFIABLE_PRIVACY, privacyFor, signpostFor, withIdentifiablePrivacy } from '../../src/domain/privacy';

describe('privacyFor', () => {
  it('keeps the survey’s own line without a link, or through a link without a contact reference', () => {
    expect(privacyFor(afterVisit, 'en', null)).toEqual({ identifiable: false, privacy: afterVisit.privacy.en });
    expect(privacyFor({ definition: afterVisit }, 'cy', { identifiable: false })).toEqual({ identifiable: false, privacy: afterVisit.privacy.cy });
  });

  it('says who may be told through a link with a contact reference, in English and Welsh', () => {
    expect(privacyFor(afterVisit, 'en', { identifiable: true })).toEqual({
      identifiable: true,
      privacy: 'We will only share who you are if we are worried you are not safe.',
    });
    expect(privacyFor(afterVisit, 'cy', { identifiable: true }).privacy).toBe(
      "Fyddwn ni ddim yn dweud wrth neb pwy wyt ti, oni bai ein bod ni'n poeni nad wyt ti'n ddiogel.",
    );
    expect(privacyFor(familyRating, 'cy', { identifiable: true }, 'adult').privacy).toContain('pwy ydych chi');
  });

  it('falls back to English for a language the survey doesn’t offer or the line isn’t translated into', () => {
    expect(privacyFor(afterVisit, 'ar', { identifiable: true }).privacy).toBe(IDENTIFIABLE_PRIVACY.en);
  });

  it('rewrites a definition’s privacy line in every language it offers', () => {
    expect(withIdentifiablePrivacy(afterVisit).privacy).toEqual(IDENTIFIABLE_PRIVACY);
  });
});

describe('signpostFor', () => {
  it('drops "we can’t see who you are" only when the respondent may be identified', () => {
    expect(signpostFor(false)).toBe(SIGNPOST);
    expect(signpostFor(true).message).not.toContain("can't see who you are");
    expect(signpostFor(true).contacts).toEqual(SIGNPOST.contacts);
  });
});
