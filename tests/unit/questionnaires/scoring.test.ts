import { describe, expect, it } from 'vitest';
import { bandOf, gad7, instruments, maxScore, phq9 } from '../../../server/contracts/questionnaires/instruments';
import { IncompleteAnswers, scoreAnswers } from '../../../server/domain/questionnaires/scoring';

/** PHQ-9 and GAD-7 as published: item counts, totals, the severity cut-offs and PHQ-9 item 9. */
describe('questionnaire scoring', () => {
  it('has the published items and ranges', () => {
    expect(phq9.items).toHaveLength(9);
    expect(gad7.items).toHaveLength(7);
    expect(maxScore(phq9)).toBe(27);
    expect(maxScore(gad7)).toBe(21);
    for (const i of Object.values(instruments))
      for (const item of i.items) expect(item.es.length).toBeGreaterThan(0);
  });

  it.each([
    [0, 'minimal'],
    [4, 'minimal'],
    [5, 'mild'],
    [9, 'mild'],
    [10, 'moderate'],
    [14, 'moderate'],
    [15, 'moderately_severe'],
    [19, 'moderately_severe'],
    [20, 'severe'],
    [27, 'severe'],
  ])('PHQ-9 total %i is %s', (total, band) => {
    expect(bandOf(phq9, total).key).toBe(band);
  });

  it.each([
    [4, 'minimal'],
    [5, 'mild'],
    [10, 'moderate'],
    [15, 'severe'],
    [21, 'severe'],
  ])('GAD-7 total %i is %s', (total, band) => {
    expect(bandOf(gad7, total).key).toBe(band);
  });

  it('sums the answers and bands the total', () => {
    expect(scoreAnswers('phq9', [1, 2, 1, 0, 3, 1, 2, 0, 0])).toEqual({
      total: 10,
      severity: 'moderate',
      urgentItems: [],
      urgent: false,
    });
    expect(scoreAnswers('gad7', [3, 3, 3, 3, 3, 3, 3])).toMatchObject({ total: 21, severity: 'severe' });
  });

  it('flags any non-zero PHQ-9 item 9 as urgent, even with a minimal total', () => {
    const s = scoreAnswers('phq9', [0, 0, 0, 0, 0, 0, 0, 0, 1]);
    expect(s).toMatchObject({ total: 1, severity: 'minimal', urgent: true, urgentItems: [9] });
    expect(scoreAnswers('phq9', [3, 3, 3, 3, 3, 3, 3, 3, 0]).urgent).toBe(false);
    expect(scoreAnswers('gad7', [3, 3, 3, 3, 3, 3, 3]).urgent).toBe(false);
  });

  it('refuses a blank or incomplete sheet, naming the first question to answer', () => {
    expect(() => scoreAnswers('phq9', [])).toThrow(new IncompleteAnswers('Answer question 1 before sending.', 1));
    try {
      scoreAnswers('phq9', [0, 1, 2, null, 0, 0, 0, 0, 0]);
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(IncompleteAnswers);
      expect((err as IncompleteAnswers).question).toBe(4);
    }
    expect(() => scoreAnswers('gad7', [0, 0, 0, 0, 0, 0])).toThrow(/question 7/);
  });

  it('refuses answers outside the choices and extra answers', () => {
    expect(() => scoreAnswers('gad7', [0, 0, 4, 0, 0, 0, 0])).toThrow(/Question 3/);
    expect(() => scoreAnswers('gad7', [0, 0, 1.5, 0, 0, 0, 0])).toThrow(/Question 3/);
    expect(() => scoreAnswers('gad7', [0, 0, 0, 0, 0, 0, 0, 0])).toThrow(/7 questions/);
  });
});
