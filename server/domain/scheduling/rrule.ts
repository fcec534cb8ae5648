import * as rruleModule from 'rrule';

/**
 * The rrule library ships a CommonJS bundle for Node whose named exports Node's ESM loader cannot see
 * (they sit on `default` there), while bundlers and vitest give the names directly. Import RRule from here.
 */
type RRuleModule = typeof rruleModule;
const candidates = [rruleModule, (rruleModule as unknown as { default?: RRuleModule }).default];
const loaded = candidates.find((m) => typeof m?.RRule === 'function');
if (!loaded) throw new Error('The rrule library could not be loaded.');

export const RRule = loaded.RRule;
export type { Options, Weekday } from 'rrule';
