import { describe, expect, it } from 'vitest';
import { analyseText, DEFAULT_TAXONOMY } from '../../src/domain/analysis';
import { prepareSubmission, WITHHELD } from '../../src/domain/intake';
import { reanalyseResponse } from '../../src/domain/reanalysis';
import { effectiveTaxonomy, normaliseTerm, taxonomyProblems, termProblem, themeViews } from '../../src/domain/taxonomy';
import { afterVisit } from '../../src/demo/surveys';

const custom = {
  synonyms: { school: ['forest skills'], 'youth-club': ['the hub'] },
  themes: [{ id: 'youth-club', label: 'Youth club', terms: ['youth club', 'youth cent*'] }],
};

describe('termProblem', () => {
  it.each(['youth club', 'counsel*', '!school run', '?weekend', '@rang', "didn't ring", 'joined-up', 'ysgol', 'café', 'year 6'])('allows %s', (term) => {
    expect(termProblem(normaliseTerm(term))).toBeUndefined();
  });
  it.each(['', '(a|b)', 'class\\b', '.*', 'a*', 'ab*', '*', '!!x', 'x'.repeat(61), 'a  b*c', 'hello!', '#tag'])('refuses %j', (term) => {
    expect(termProblem(normaliseTerm(term))).toBeDefined();
  });
  it('folds case and spacing', () => expect(normaliseTerm('  Forest   Skills ')).toBe('forest skills'));
});

describe('taxonomyProblems', () => {
  it('names clashing ids and synonyms for themes that do not exist', () => {
    expect(
      taxonomyProblems({
        synonyms: { nope: ['x'], 'youth-club': ['y'] },
        themes: [{ id: 'school', label: 'S', terms: ['s'] }, ...custom.themes, ...custom.themes],
      }),
    ).toEqual([
      { path: 'themes.0.id', message: expect.stringMatching(/default/) },
      { path: 'themes.2.id', message: 'is used by another theme' },
      { path: 'synonyms.nope', message: expect.any(String) },
    ]);
  });
});

describe('effectiveTaxonomy', () => {
  it('is the default object itself when nothing was added, so its compiled matcher is shared', () => {
    expect(effectiveTaxonomy({ synonyms: {}, themes: [] })).toBe(DEFAULT_TAXONOMY);
  });
  it('adds synonyms to default and custom themes alike, and leaves the defaults untouched', () => {
    const taxonomy = effectiveTaxonomy(custom);
    const found = analyseText('I like the hub and forest skills', { taxonomy }).themes.map((t) => t.id);
    expect(found).toEqual(['school', 'youth-club']);
    expect(analyseText('I like the hub and forest skills').themes).toEqual([]);
    expect(DEFAULT_TAXONOMY.themes.find((t) => t.id === 'school')!.terms).not.toContain('forest skills');
  });
  it('lists default themes with the partnership’s additions, then its own', () => {
    const views = themeViews(custom);
    expect(views.find((v) => v.id === 'school')).toMatchObject({ custom: false, terms: ['forest skills'] });
    expect(views.at(-1)).toEqual({ id: 'youth-club', label: 'Youth club', custom: true, terms: ['youth club', 'youth cent*', 'the hub'] });
  });
});

describe('reanalyseResponse', () => {
  const answers = { visit: 2, good: 'my dad hits me and i am scared to go home', better: 'more time at the youth club' };

  it('matches intake with the same taxonomy, and keeps a withheld answer as stored', () => {
    const taxonomy = effectiveTaxonomy(custom);
    const atIntake = prepareSubmission(afterVisit, answers, taxonomy);
    expect(atIntake.answers.good).toBe(WITHHELD);
    const again = reanalyseResponse({ answers: atIntake.answers, analysis: atIntake.analysis, rating: atIntake.rating }, taxonomy)!;
    expect(again).toEqual({ analysis: atIntake.analysis, themes: atIntake.themes, sentiment: atIntake.sentiment });
  });

  it('finds the new themes in text stored under the defaults', () => {
    const before = prepareSubmission(afterVisit, answers);
    expect(before.themes['youth-club']).toBeUndefined();
    const after = reanalyseResponse({ answers: before.answers, analysis: before.analysis, rating: before.rating }, effectiveTaxonomy(custom))!;
    expect(after.analysis.good).toEqual(before.analysis.good);
    expect(Object.keys(after.themes)).toContain('youth-club');
  });

  it('gives the same sentiment from a 3-point rating stored on the 1..5 scale', () => {
    const def = {
      ...afterVisit,
      questions: afterVisit.questions.map((q) => (q.kind === 'rating' ? { ...q, points: 3 as const, labels: q.labels.slice(0, 3) } : q)),
    };
    for (const visit of [1, 2, 3]) {
      const atIntake = prepareSubmission(def, { visit, good: 'it was ok i guess' });
      const again = reanalyseResponse({ answers: atIntake.answers, analysis: atIntake.analysis, rating: atIntake.rating }, DEFAULT_TAXONOMY)!;
      expect(again.sentiment).toBe(atIntake.sentiment);
      expect(again.analysis).toEqual(atIntake.analysis);
    }
  });

  it('has nothing to do for a response without free text', () => {
    const atIntake = prepareSubmission(afterVisit, { visit: 5, listened: 'yes' });
    expect(reanalyseResponse({ answers: atIntake.answers, analysis: atIntake.analysis, rating: atIntake.rating }, DEFAULT_TAXONOMY)).toBeNull();
  });
});
