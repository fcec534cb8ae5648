import { describe, expect, it } from 'vitest';
import { expandYear, parseDateOfBirth } from '../../../server/domain/patients/dates';
import { parseSearch } from '../../../server/domain/patients/search-query';

const today = '2026-05-20';

describe('dates of birth as staff type them', () => {
  it.each([
    ['3/4/1985', ['1985-03-04']],
    ['03/04/1985', ['1985-03-04']],
    ['3-4-1985', ['1985-03-04']],
    ['3.4.1985', ['1985-03-04']],
    ['1985-03-04', ['1985-03-04']],
    ['1985/3/4', ['1985-03-04']],
    ['03041985', ['1985-03-04']],
    ['19850304', ['1985-03-04']],
    ['030485', ['1985-03-04']],
    ['3/4/85', ['1985-03-04']],
    ['25/03/1985', ['1985-03-25']], // cannot be a month: day first
    ['2/29/2000', ['2000-02-29']],
  ])('%s', (text, dates) => {
    expect(parseDateOfBirth(text, today)).toEqual(dates);
  });

  it.each([['2/30/1985'], ['13/13/1985'], ['1/1/2099'], ['12/31/1899'], ['2/29/2001'], ['hello'], ['123']])(
    'rejects %s',
    (text) => {
      expect(parseDateOfBirth(text, today)).toEqual([]);
    },
  );

  it('reads two-digit years as the latest such year that is not in the future', () => {
    expect(expandYear(26, today)).toBe(2026);
    expect(expandYear(27, today)).toBe(1927);
    expect(expandYear(5, today)).toBe(2005);
    expect(parseDateOfBirth('5/19/26', today)).toEqual(['2026-05-19']);
    expect(parseDateOfBirth('5/21/26', today)).toEqual([]); // tomorrow: not a date of birth, and not 1926 either
  });
});

describe('reading a search', () => {
  it('tells names, dates, phones and MRNs apart', () => {
    expect(parseSearch('Smith, John', today).parts).toEqual([
      { kind: 'name', word: 'smith' },
      { kind: 'name', word: 'john' },
    ]);
    expect(parseSearch("o'brien", today).parts).toEqual([{ kind: 'name', word: 'obrien' }]);
    expect(parseSearch('smith 3/4/85', today).parts).toEqual([
      { kind: 'name', word: 'smith' },
      { kind: 'dateOfBirth', dates: ['1985-03-04'] },
    ]);
    expect(parseSearch('(512) 555-0142', today).parts).toEqual([{ kind: 'phone', digits: '5125550142' }]);
    expect(parseSearch('1-512-555-0142', today).parts).toEqual([{ kind: 'phone', digits: '5125550142' }]);
    expect(parseSearch('+44 20 7946 0958', today).parts).toEqual([{ kind: 'phone', digits: '442079460958' }]);
    expect(parseSearch('555-0142', today).parts).toEqual([{ kind: 'phoneLocal', digits: '5550142' }]);
    expect(parseSearch('123456782', today).parts).toEqual([{ kind: 'mrn', mrn: '123456782' }]);
    expect(parseSearch('smith 1985', today).parts).toEqual([
      { kind: 'name', word: 'smith' },
      { kind: 'yearOrPhoneEnd', digits: '1985' },
    ]);
    expect(parseSearch('03 04 1985', today).parts).toEqual([{ kind: 'dateOfBirth', dates: ['1985-03-04'] }]);
  });

  it('reports digits it cannot read, so the search matches nothing instead of everything', () => {
    expect(parseSearch('smith 12', today)).toEqual({
      parts: [{ kind: 'name', word: 'smith' }],
      unmatched: ['12'],
    });
    expect(parseSearch('99999', today).unmatched).toEqual(['99999']);
  });
});
