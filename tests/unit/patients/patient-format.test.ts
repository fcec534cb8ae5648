import { describe, expect, it } from 'vitest';
import {
  formatMoney,
  formatPhone,
  languageName,
  legalName,
  raceText,
  usesOtherName,
} from '../../../renderer/features/patients/patient-format';

const person = {
  legalFirstName: 'Katherine',
  legalMiddleName: 'Ann',
  legalLastName: 'Okafor-Reyes',
  nameSuffix: 'Jr',
  firstNameToUse: null,
  lastNameToUse: null,
};

describe('how the registry reads on screen', () => {
  it('formats stored phone digits for reading, leaving international numbers as stored', () => {
    expect(formatPhone('5125550142')).toBe('(512) 555-0142');
    expect(formatPhone('+442079460958')).toBe('+442079460958');
    expect(formatPhone(null)).toBe('');
  });

  it('writes the legal name last name first, and says when the name to use differs', () => {
    expect(legalName(person)).toBe('Okafor-Reyes, Katherine Ann Jr');
    expect(usesOtherName(person)).toBe(false);
    expect(usesOtherName({ ...person, firstNameToUse: 'Kat' })).toBe(true);
    expect(usesOtherName({ ...person, firstNameToUse: 'Katherine' })).toBe(false);
  });

  it('names languages, race answers and money', () => {
    expect(languageName('es-MX')).toMatch(/Spanish/);
    expect(languageName('declined')).toBe('Declined to specify');
    expect(raceText(['2058-6', '2113-9'])).toBe('African American, Irish');
    expect(raceText('declined')).toBe('Declined to specify');
    expect(formatMoney(2500)).toBe('$25.00');
    expect(formatMoney(null)).toBe('');
  });
});
