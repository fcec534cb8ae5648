import { describe, expect, it } from 'vitest';
import { MIN_PASSWORD_LENGTH, passwordProblem } from '../../../server/domain/auth/password-policy';

describe('password policy', () => {
  it('asks for at least 12 characters', () => {
    expect(MIN_PASSWORD_LENGTH).toBe(12);
    expect(passwordProblem('')).toMatch(/at least 12 characters/);
    expect(passwordProblem('kettle-moss')).toMatch(/at least 12 characters/); // 11
    expect(passwordProblem('kettle-moss!')).toBeNull(); // 12
    expect(passwordProblem('a much longer passphrase with spaces')).toBeNull();
  });

  it('refuses commonly used passwords, whatever their case', () => {
    for (const p of ['password1234', 'PASSWORD1234', 'qwerty123456', '1qaz2wsx3edc', 'QazWsxEdcRfv']) {
      expect(passwordProblem(p), p).toMatch(/commonly used/);
    }
  });

  it('refuses a password that contains the username, in any case', () => {
    expect(passwordProblem('frank.desk-is-great', { username: 'frank.desk' })).toMatch(
      /must not contain the username/,
    );
    expect(passwordProblem('my FRANK.DESK login', { username: 'Frank.Desk' })).toMatch(
      /must not contain the username/,
    );
    // The same password is fine for someone else, and without a username.
    expect(passwordProblem('frank.desk-is-great', { username: 'cara.clin' })).toBeNull();
    expect(passwordProblem('frank.desk-is-great')).toBeNull();
    expect(passwordProblem('frank.desk-is-great', { username: '' })).toBeNull();
  });

  it('refuses passwords made of very few distinct characters', () => {
    expect(passwordProblem('aaaaaaaaaaaaaaaa')).toMatch(/repeats too few/);
    expect(passwordProblem('abcabcabcabcabc')).toMatch(/repeats too few/);
    expect(passwordProblem('abcdabcdabcdabcd')).toBeNull();
  });

  it('answers with a message a person can act on, never echoing the password', () => {
    for (const p of ['short', 'password1234', 'zzzzzzzzzzzzzzzzzz', 'ann.smith.rocks', 'Xq7-horse-lamp']) {
      const problem = passwordProblem(p, { username: 'ann.smith' });
      if (problem) expect(problem).not.toContain(p);
    }
    expect(passwordProblem('ann.smith.rocks', { username: 'ann.smith' })).not.toBeNull();
  });
});
