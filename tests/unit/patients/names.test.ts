import { describe, expect, it } from 'vitest';
import {
  bestWordMatch,
  compactName,
  editDistance,
  nameWords,
  searchableWords,
  typoMatches,
} from '../../../server/domain/patients/names';

describe('name normalization', () => {
  it('folds case and accents, splits on punctuation, and keeps a run-together form', () => {
    expect(nameWords('María José')).toEqual(['maria', 'jose']);
    expect(nameWords("O'Brien-Smythe")).toEqual(['o', 'brien', 'smythe']);
    expect(compactName("O'Brien-Smythe")).toBe('obriensmythe');
    expect(compactName('De la Cruz')).toBe('delacruz');
    expect(compactName('Zoë Ångström')).toBe('zoeangstrom');
    expect(searchableWords(['Anne-Marie', null, 'St. John'])).toEqual([
      'anne',
      'marie',
      'annemarie',
      'st',
      'john',
      'stjohn',
    ]);
  });
});

describe('typo distance', () => {
  it.each([
    ['john', 'john', 0],
    ['jhon', 'john', 1], // swapped neighbours count once
    ['jon', 'john', 1],
    ['johnn', 'john', 1],
    ['jahn', 'john', 1],
    ['smiht', 'smith', 1],
    ['ofakor', 'okafor', 2],
    ['katherine', 'catherine', 1],
  ])('%s -> %s is %i', (a, b, d) => {
    expect(editDistance(a, b, 3)).toBe(d);
  });

  it('gives up past the bound', () => {
    expect(editDistance('abcdefgh', 'zyxwvuts', 2)).toBe(3);
    expect(editDistance('a', 'abcd', 1)).toBe(2);
  });

  it('allows no typo in short words, one up to seven letters, two from eight', () => {
    expect(typoMatches('li', 'lu')).toBe(false);
    expect(typoMatches('lii', 'lia')).toBe(false);
    expect(typoMatches('jhon', 'john')).toBe(true);
    expect(typoMatches('jhno', 'john')).toBe(false);
    expect(typoMatches('katherien', 'katherine')).toBe(true);
    expect(typoMatches('kathreien', 'katherine')).toBe(true);
    expect(typoMatches('ktahreien', 'katherine')).toBe(false);
  });

  it('matches the beginning of a longer word being typed', () => {
    expect(typoMatches('jhons', 'johnson')).toBe(true);
    expect(bestWordMatch('john', ['johnson', 'jon'])).toBe('prefix');
    expect(bestWordMatch('jon', ['johnson', 'jon'])).toBe('exact');
    expect(bestWordMatch('jhon', ['john'])).toBe('typo');
    expect(bestWordMatch('xyz', ['john'])).toBeNull();
  });
});
