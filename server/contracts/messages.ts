import { z } from 'zod';

/**
 * The one place that turns a zod issue into a sentence a person can act on. The workstation server, central
 * and the renderer share it (it is installed as zod's global error map below, so every contract uses it),
 * which is why a form shows the same words whether the browser or the server refused the value.
 *
 * The sentence is written to sit next to its field, so it never names the field or its path. Schemas that
 * need a more specific sentence ("Enter a name.") still pass their own message, which zod prefers over this
 * map.
 */

type RawIssue = z.core.$ZodRawIssue;

const plural = (n: number | bigint, one: string, many = `${one}s`) =>
  `${n.toLocaleString('en-US')} ${Number(n) === 1 ? one : many}`;

const typeSentences: Record<string, string> = {
  string: 'Enter text here.',
  number: 'Enter a number.',
  int: 'Enter a whole number.',
  bigint: 'Enter a whole number.',
  boolean: 'Choose yes or no.',
  date: 'Enter a date.',
  array: 'Choose from the list.',
  object: 'Fill in this section.',
};

function invalidType(issue: Extract<RawIssue, { code: 'invalid_type' }>): string {
  if (issue.input === undefined || issue.input === null) return 'This is required.';
  if (issue.expected === 'number' && typeof issue.input === 'number' && Number.isNaN(issue.input))
    return 'Enter a number.';
  return typeSentences[issue.expected] ?? 'This value is not the right kind.';
}

function tooBig(issue: Extract<RawIssue, { code: 'too_big' }>): string {
  const max = issue.maximum;
  switch (issue.origin) {
    case 'string':
      return issue.exact
        ? `Use exactly ${plural(max, 'character')}.`
        : `Use ${plural(max, 'character')} or fewer.`;
    case 'array':
    case 'set':
      return `Choose at most ${plural(max, 'item')}.`;
    case 'date':
      return 'Choose an earlier date.';
    case 'file':
      return 'That file is too large.';
    default:
      return issue.inclusive === false
        ? `Enter a number below ${max.toLocaleString('en-US')}.`
        : `Enter a number no greater than ${max.toLocaleString('en-US')}.`;
  }
}

function tooSmall(issue: Extract<RawIssue, { code: 'too_small' }>): string {
  const min = issue.minimum;
  switch (issue.origin) {
    case 'string':
      if (Number(min) === 1 && !issue.exact) return 'This is required.';
      return issue.exact
        ? `Use exactly ${plural(min, 'character')}.`
        : `Use at least ${plural(min, 'character')}.`;
    case 'array':
    case 'set':
      return Number(min) === 1 ? 'Choose at least one.' : `Choose at least ${plural(min, 'item')}.`;
    case 'date':
      return 'Choose a later date.';
    default:
      return issue.inclusive === false
        ? `Enter a number above ${min.toLocaleString('en-US')}.`
        : `Enter a number no less than ${min.toLocaleString('en-US')}.`;
  }
}

const formatSentences: Record<string, string> = {
  email: 'Enter an email address like name@example.com.',
  url: 'Enter a web address starting with https://.',
  uuid: 'This reference is not valid. Reload the page and try again.',
  guid: 'This reference is not valid. Reload the page and try again.',
  datetime: 'Enter a date and time.',
  // Date inputs show the clinic's locale order (e.g. MM/DD/YYYY), so the sentence names no order.
  date: 'Enter a complete date.',
  time: 'Enter a time like 09:30.',
  duration: 'Enter a duration.',
  ipv4: 'Enter an IP address.',
  ipv6: 'Enter an IP address.',
  base64: 'This value is not valid.',
  starts_with: 'This value does not start as expected.',
  ends_with: 'This value does not end as expected.',
  includes: 'This value is missing a required part.',
};

function invalidFormat(issue: Extract<RawIssue, { code: 'invalid_format' }>): string {
  return formatSentences[issue.format] ?? 'This is not in the right format.';
}

function invalidValue(issue: Extract<RawIssue, { code: 'invalid_value' }>): string {
  if (issue.input === undefined || issue.input === '' || issue.input === null) return 'Choose one.';
  if (issue.values.length === 1 && typeof issue.values[0] === 'boolean') return 'Tick this to continue.';
  return 'Choose one of the options in the list.';
}

/** zod's global error map: every issue kind gets a sentence. */
export function issueSentence(issue: RawIssue): string {
  switch (issue.code) {
    case 'invalid_type':
      return invalidType(issue);
    case 'too_big':
      return tooBig(issue);
    case 'too_small':
      return tooSmall(issue);
    case 'invalid_format':
      return invalidFormat(issue);
    case 'not_multiple_of':
      return Number(issue.divisor) === 1
        ? 'Enter a whole number.'
        : `Enter a multiple of ${issue.divisor.toLocaleString('en-US')}.`;
    case 'unrecognized_keys':
      return 'This form sent something the workstation does not know. Reload the page and try again.';
    case 'invalid_union':
      return 'This value is not one the workstation accepts.';
    case 'invalid_key':
      return 'This list has an entry the workstation does not accept.';
    case 'invalid_element':
      return 'This list has an entry the workstation does not accept.';
    case 'invalid_value':
      return invalidValue(issue);
    case 'custom':
      return 'Check this value.';
    default:
      return 'Check this value.';
  }
}

z.config({ customError: issueSentence });

/**
 * A field path as a person reads it, for a summary sentence when the field is not on screen:
 * `hours.5.end` -> "End", `admin.password` -> "Password", `dateOfBirth` -> "Date of birth".
 */
export function fieldLabel(path: string): string {
  const segment =
    path
      .split('.')
      .reverse()
      .find((part) => part !== '' && !/^\d+$/.test(part)) ?? '';
  if (!segment || segment === '_') return '';
  const words = segment
    .replace(/Cents$/, '')
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/[_-]+/g, ' ')
    .toLowerCase()
    .trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/**
 * The 400 answer for a failed validation: one sentence per field path (the first issue wins), plus a summary
 * that names fields the way a person does, never a raw path.
 */
export function validationFields(issues: readonly { path: PropertyKey[]; message: string }[]): {
  message: string;
  fields: Record<string, string>;
} {
  const fields: Record<string, string> = {};
  for (const issue of issues) {
    const key = issue.path.map(String).join('.') || '_';
    fields[key] ??= issue.message;
  }
  const entries = Object.entries(fields);
  const [first] = entries;
  if (entries.length === 1 && first) {
    const label = fieldLabel(first[0]);
    return { message: label ? `${label}: ${first[1]}` : first[1], fields };
  }
  const labels = [...new Set(entries.map(([path]) => fieldLabel(path)).filter(Boolean))];
  return {
    message: labels.length
      ? `Some fields need attention: ${labels.join(', ')}.`
      : 'Some fields need attention.',
    fields,
  };
}
