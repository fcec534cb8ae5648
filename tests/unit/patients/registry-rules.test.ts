import { describe, expect, it } from 'vitest';
import { normalizePhone } from '../../../server/contracts/patients';
import { ethnicityCodes, raceCodes } from '../../../server/contracts/patients/race-ethnicity';
import {
  coverageIssues,
  coverageStanding,
  demographicGaps,
  rangesOverlap,
  type CoverageFacts,
} from '../../../server/domain/patients/coverage';
import { displayName, primaryPhone, pronounText } from '../../../server/domain/patients/demographics';
import { duplicateReasons } from '../../../server/domain/patients/duplicates';
import { isValidMrn, luhnCheckDigit, mrnFromDigits } from '../../../server/domain/patients/mrn';
import {
  ethnicityProblem,
  rollUpEthnicity,
  rollUpRace,
} from '../../../server/domain/patients/race-ethnicity';
import { newMrn } from '../../../server/workstation/services/patients/patient-core';

describe('MRN', () => {
  it('is 9 digits whose last is the Luhn check digit', () => {
    expect(luhnCheckDigit('7992739871')).toBe('3'); // the textbook Luhn example
    expect(mrnFromDigits('12345678')).toBe('123456782');
    for (let i = 0; i < 200; i++) expect(isValidMrn(newMrn())).toBe(true);
  });

  it('catches a mistyped digit and a swap of neighbours', () => {
    const mrn = '123456782';
    expect(isValidMrn(mrn)).toBe(true);
    expect(isValidMrn('123456783')).toBe(false);
    expect(isValidMrn('123456872')).toBe(false);
    expect(isValidMrn('213456782')).toBe(false);
    expect(isValidMrn('12345678')).toBe(false);
  });
});

describe('race and ethnicity roll-up to OMB categories', () => {
  it('counts each detailed code for the category at the top of its tree, once, in OMB order', () => {
    expect(rollUpRace(['2113-9', '2058-6', '2112-1'])).toEqual(['2054-5', '2106-3']); // Irish, African American, German
    expect(rollUpRace(['2080-0'])).toEqual(['2076-8']); // Samoan (under Polynesian)
    expect(rollUpRace(['2124-6'])).toEqual(['2106-3']); // Palestinian (MENA, under White in the 1997 standards)
    expect(rollUpRace(['2028-9', '2039-6'])).toEqual(['2028-9']);
    expect(rollUpRace(['2131-1'])).toEqual([]); // "Other Race" is not an OMB category
    expect(rollUpRace([])).toEqual([]);
  });

  it('makes anyone with a Hispanic or Latino code Hispanic or Latino, and refuses both answers', () => {
    expect(rollUpEthnicity(['2148-5'])).toBe('2135-2');
    expect(rollUpEthnicity(['2186-5'])).toBe('2186-5');
    expect(rollUpEthnicity([])).toBeNull();
    expect(ethnicityProblem(['2182-4', '2186-5'])).toMatch(/not both/);
    expect(ethnicityProblem(['2182-4'])).toBeNull();
  });

  it('ships codes that are unique, each under an OMB category or Other Race', () => {
    for (const list of [raceCodes, ethnicityCodes]) {
      expect(new Set(list.map((c) => c.code)).size).toBe(list.length);
      for (const c of list) expect(c.code).toMatch(/^\d{4}-\d$/);
    }
    expect(new Set(raceCodes.map((c) => c.root))).toEqual(
      new Set(['1002-5', '2028-9', '2054-5', '2076-8', '2106-3', '2131-1']),
    );
    expect(new Set(ethnicityCodes.map((c) => c.root))).toEqual(new Set(['2135-2', '2186-5']));
  });
});

describe('duplicate detection', () => {
  const existing = {
    legalFirstName: 'Katherine',
    legalLastName: "O'Neil",
    firstNameToUse: 'Kate',
    lastNameToUse: null,
    dateOfBirth: '1985-03-04',
    phones: ['5125550142', null, null],
  };
  const reg = (first: string, last: string, dob = '1985-03-04', phones: string[] = []) => ({
    legalFirstName: first,
    legalLastName: last,
    dateOfBirth: dob,
    phones,
  });

  it.each([
    [reg('Katherine', 'ONeil'), ['name_and_date_of_birth']],
    [reg('KATHERINE', "o'neil"), ['name_and_date_of_birth']],
    [reg('Kate', 'Oneil'), ['name_and_date_of_birth']], // the registered name to use
    [reg('Katharine', 'ONeil'), ['name_and_date_of_birth']], // one letter off in a longer name
    [reg('ONeil', 'Katherine'), ['name_and_date_of_birth']], // first and last swapped
    [reg('Katherine', 'ONeil', '1985-03-05'), []],
    [reg('Kathy', 'ONeil'), []],
    [reg('Ann', 'Other', '2000-01-01', ['5125550142']), ['phone']],
    [reg('Katherine', 'ONeil', '1985-03-04', ['5125550142']), ['name_and_date_of_birth', 'phone']],
  ])('%j -> %j', (r, reasons) => {
    expect(duplicateReasons(r, existing)).toEqual(reasons);
  });

  it('does not call short names one letter apart the same', () => {
    expect(
      duplicateReasons(reg('Jon', 'Li'), {
        ...existing,
        legalFirstName: 'Jan',
        legalLastName: 'Li',
        firstNameToUse: null,
      }),
    ).toEqual([]);
  });
});

describe('coverage on a given day', () => {
  const cov = (o: Partial<CoverageFacts>): CoverageFacts => ({
    id: o.id ?? 'c1',
    priority: 'primary',
    subscriberRelationship: 'self',
    subscriberFirstName: null,
    subscriberLastName: null,
    subscriberDateOfBirth: null,
    effectiveFrom: null,
    effectiveTo: null,
    copayCents: null,
    ...o,
  });

  it('counts effective dates inclusively', () => {
    const c = cov({ effectiveFrom: '2026-01-01', effectiveTo: '2026-12-31' });
    expect(coverageStanding(c, '2025-12-31')).toBe('future');
    expect(coverageStanding(c, '2026-01-01')).toBe('active');
    expect(coverageStanding(c, '2026-12-31')).toBe('active');
    expect(coverageStanding(c, '2027-01-01')).toBe('expired');
    expect(rangesOverlap(c, cov({ effectiveFrom: '2026-12-31' }))).toBe(true);
    expect(rangesOverlap(c, cov({ effectiveFrom: '2027-01-01' }))).toBe(false);
  });

  it('raises what check-in must deal with, and stays quiet when an ended plan was replaced', () => {
    const on = '2026-05-20';
    expect(coverageIssues([], on).map((i) => i.code)).toEqual(['no_active_coverage']);
    const ended = cov({ id: 'old', effectiveTo: '2026-01-31' });
    expect(coverageIssues([ended], on).map((i) => i.code)).toEqual([
      'no_active_coverage',
      'coverage_expired',
    ]);
    expect(coverageIssues([ended, cov({ id: 'new', effectiveFrom: '2026-02-01' })], on)).toEqual([]);
    expect(coverageIssues([cov({ effectiveFrom: '2026-06-01' })], on).map((i) => i.code)).toEqual([
      'no_active_coverage',
      'coverage_not_started',
    ]);
    expect(coverageIssues([cov({ priority: 'secondary' })], on).map((i) => i.code)).toEqual(['no_primary']);
    expect(
      coverageIssues([cov({ subscriberRelationship: 'spouse', subscriberFirstName: 'A' })], on).map(
        (i) => i.code,
      ),
    ).toEqual(['subscriber_incomplete']);
  });

  it('asks for a guarantor only for minors', () => {
    const base = {
      sex: 'female',
      phones: ['5125550142'],
      addressLine1: '1 A St',
      city: 'Austin',
      postalCode: '78701',
      emergencyContacts: 1,
      hasGuarantor: false,
    };
    expect(demographicGaps({ ...base, dateOfBirth: '2008-05-21' }, '2026-05-20').map((g) => g.code)).toEqual([
      'missing_guarantor',
    ]);
    expect(demographicGaps({ ...base, dateOfBirth: '2008-05-20' }, '2026-05-20')).toEqual([]);
  });
});

describe('names, phones and pronouns on screen', () => {
  it('uses the name to use part by part', () => {
    expect(
      displayName({
        legalFirstName: 'Katherine',
        legalLastName: 'Smith',
        firstNameToUse: 'Kat',
        lastNameToUse: null,
      }),
    ).toBe('Kat Smith');
    expect(
      displayName({ legalFirstName: 'A', legalLastName: 'B', firstNameToUse: null, lastNameToUse: 'C' }),
    ).toBe('A C');
  });

  it('picks the preferred phone when on file', () => {
    const p = { phoneMobile: '1', phoneHome: '2', phoneWork: '3', preferredPhone: 'work' as const };
    expect(primaryPhone(p)).toBe('3');
    expect(primaryPhone({ ...p, phoneWork: null })).toBe('1');
    expect(primaryPhone({ ...p, phoneMobile: null, phoneWork: null, preferredPhone: null })).toBe('2');
  });

  it('normalizes phone numbers as typed', () => {
    expect(normalizePhone('(512) 555-0142')).toBe('5125550142');
    expect(normalizePhone('1 512 555 0142')).toBe('5125550142');
    expect(normalizePhone('+1 512 555 0142')).toBe('5125550142');
    expect(normalizePhone('+44 20 7946 0958')).toBe('+442079460958');
    expect(normalizePhone('555-0142')).toBeNull();
  });

  it('shows pronouns in the patient’s words, and nothing when declined', () => {
    expect(pronounText('she_her', null)).toBe('she/her');
    expect(pronounText('other', 'xe/xem')).toBe('xe/xem');
    expect(pronounText('declined', null)).toBeNull();
  });
});
