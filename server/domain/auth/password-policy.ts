import { dictionary } from '@zxcvbn-ts/language-common';

/**
 * Password rule: at least 12 characters and not on a list of ~49,000 commonly used passwords (the list
 * bundled with zxcvbn-ts). Length is the strongest rule that people can follow; the list catches
 * "password1234"-style choices that meet it.
 */
const common = new Set<string>(dictionary['passwords-common'] as string[]);

export const MIN_PASSWORD_LENGTH = 12;

export function passwordProblem(password: string, context: { username?: string } = {}): string | null {
  if (password.length < MIN_PASSWORD_LENGTH) return `Passwords have at least ${MIN_PASSWORD_LENGTH} characters.`;
  const lower = password.toLowerCase();
  if (common.has(lower)) return 'That password is on a list of commonly used passwords. Choose another.';
  if (context.username && lower.includes(context.username.toLowerCase())) {
    return 'The password must not contain the username.';
  }
  if (new Set(password).size < 4) return 'That password repeats too few characters. Choose another.';
  return null;
}
