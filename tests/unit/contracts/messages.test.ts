import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import '../../../server/contracts/common';
import { fieldLabel, validationFields } from '../../../server/contracts/messages';
import { patientCreateSchema } from '../../../server/contracts/patients';
import { workingHoursUpdateSchema } from '../../../server/contracts/scheduling';

/** The first message zod gives for `value` against `schema`, through the shared error map. */
function messageFor(schema: z.ZodType, value: unknown): string {
  const result = schema.safeParse(value);
  if (result.success) throw new Error('expected a validation failure');
  return result.error.issues[0]!.message;
}

// zod's own English texts, which must never reach a person.
const RAW = /expected|received|Invalid|Too (big|small)|<=|>=|Unrecognized/;

describe('the shared zod error map', () => {
  const cases: [string, z.ZodType, unknown, string][] = [
    ['invalid_type, missing', z.object({ a: z.string() }), {}, 'This is required.'],
    ['invalid_type, wrong type', z.number(), 'twelve', 'Enter a number.'],
    ['invalid_type, NaN', z.number(), Number.NaN, 'Enter a number.'],
    ['invalid_type, whole number', z.int(), 1.5, 'Enter a whole number.'],
    ['invalid_type, boolean', z.boolean(), 'yes', 'Choose yes or no.'],
    ['too_big, string', z.string().max(200), 'x'.repeat(201), 'Use 200 characters or fewer.'],
    ['too_big, number', z.number().max(10), 11, 'Enter a number no greater than 10.'],
    ['too_big, exclusive', z.number().lt(10), 10, 'Enter a number below 10.'],
    ['too_big, array', z.array(z.string()).max(2), ['a', 'b', 'c'], 'Choose at most 2 items.'],
    ['too_small, empty string', z.string().min(1), '', 'This is required.'],
    ['too_small, string', z.string().min(12), 'short', 'Use at least 12 characters.'],
    ['too_small, exact length', z.string().length(6), '123', 'Use exactly 6 characters.'],
    ['too_small, number', z.number().min(0), -1, 'Enter a number no less than 0.'],
    ['too_small, positive', z.number().positive(), 0, 'Enter a number above 0.'],
    ['too_small, array', z.array(z.string()).min(1), [], 'Choose at least one.'],
    ['invalid_format, email', z.email(), 'nope', 'Enter an email address like name@example.com.'],
    ['invalid_format, date', z.iso.date(), '2024-13-45', 'Enter a complete date.'],
    ['invalid_format, datetime', z.iso.datetime(), 'tomorrow', 'Enter a date and time.'],
    ['invalid_format, regex', z.string().regex(/^\d+$/), 'abc', 'This is not in the right format.'],
    ['not_multiple_of', z.number().multipleOf(5), 7, 'Enter a multiple of 5.'],
    [
      'unrecognized_keys',
      z.strictObject({ a: z.string() }),
      { a: 'x', b: 1 },
      'This form sent something the workstation does not know. Reload the page and try again.',
    ],
    [
      'invalid_union',
      z.union([z.number(), z.boolean()]),
      'x',
      'This value is not one the workstation accepts.',
    ],
    [
      'invalid_key',
      z.record(z.string().max(1), z.string()),
      { bb: 'x' },
      'This list has an entry the workstation does not accept.',
    ],
    ['invalid_value, enum', z.enum(['a', 'b']), 'c', 'Choose one of the options in the list.'],
    ['invalid_value, empty choice', z.enum(['a', 'b']), '', 'Choose one.'],
    ['invalid_value, must tick', z.literal(true), false, 'Tick this to continue.'],
    ['custom without a message', z.string().refine(() => false), 'x', 'Check this value.'],
  ];

  it.each(cases)('%s gets a sentence', (_kind, schema, value, sentence) => {
    const message = messageFor(schema, value);
    expect(message).toBe(sentence);
    expect(message).not.toMatch(RAW);
  });

  it('covers invalid_element directly (zod raises it for map keys and set members in some versions)', () => {
    const map = z.custom<unknown>().superRefine((_v, ctx) => {
      ctx.addIssue({
        code: 'invalid_element',
        origin: 'map',
        key: 'k',
        issues: [],
        input: new Map(),
      } as never);
    });
    expect(messageFor(map, 1)).toBe('This list has an entry the workstation does not accept.');
  });

  it('leaves a schema’s own message in charge', () => {
    expect(messageFor(z.string().min(1, 'Enter a name.'), '')).toBe('Enter a name.');
  });

  it('never lets raw zod text through any real contract', () => {
    const patient = patientCreateSchema.safeParse({
      legalFirstName: 'x'.repeat(500),
      legalLastName: 42,
      dateOfBirth: 'soon',
      sexAtBirth: 'sometimes',
    });
    expect(patient.success).toBe(false);
    for (const issue of patient.error!.issues) expect(issue.message).not.toMatch(RAW);

    const hours = workingHoursUpdateSchema.safeParse({
      hours: [{ weekday: 9, start: 'nine', end: 8, locationId: 'x' }],
    });
    expect(hours.success).toBe(false);
    for (const issue of hours.error!.issues) expect(issue.message).not.toMatch(RAW);
  });
});

describe('the 400 answer built from issues', () => {
  it('names a single field as a person would, never as a path', () => {
    const { message, fields } = validationFields([
      { path: ['hours', 5, 'end'], message: 'Enter a time like 09:30.' },
    ]);
    expect(fields).toEqual({ 'hours.5.end': 'Enter a time like 09:30.' });
    expect(message).toBe('End: Enter a time like 09:30.');
  });

  it('summarises several fields by label and keeps the first sentence per field', () => {
    const { message, fields } = validationFields([
      { path: ['legalFirstName'], message: 'This is required.' },
      { path: ['legalFirstName'], message: 'Second issue on the same field.' },
      { path: ['copayCents'], message: 'Enter a number.' },
    ]);
    expect(fields).toEqual({ legalFirstName: 'This is required.', copayCents: 'Enter a number.' });
    expect(message).toBe('Some fields need attention: Legal first name, Copay.');
  });

  it('gives a form-level issue without a field prefix', () => {
    expect(validationFields([{ path: [], message: 'Choose a later end.' }]).message).toBe(
      'Choose a later end.',
    );
  });

  it('turns paths into labels', () => {
    expect(fieldLabel('admin.password')).toBe('Password');
    expect(fieldLabel('dateOfBirth')).toBe('Date of birth');
    expect(fieldLabel('hours.5.end')).toBe('End');
    expect(fieldLabel('_')).toBe('');
  });
});
