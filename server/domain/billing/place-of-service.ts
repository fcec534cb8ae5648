import type { EncounterModality } from '../../contracts/billing/setup';

/**
 * Place of service and telehealth modifiers of a visit (pure). A clinic's biller keeps a rule table per
 * payer; a rule for the visit's payer wins over a rule for any payer (payerId null), which wins over the
 * built-in defaults:
 *   office 11; telehealth with the patient at home 10 + modifier 95; telehealth elsewhere 02 + 95;
 *   audio-only 10 + 93.
 */

export interface PosRule {
  id: string;
  /** null = any payer (and self-pay visits). */
  payerId: string | null;
  modality: EncounterModality;
  placeOfService: string;
  modifiers: readonly string[];
}

export interface PlaceOfService {
  placeOfService: string;
  modifiers: string[];
  /** The rule that decided it, or null for the built-in default. */
  ruleId: string | null;
}

export const DEFAULT_PLACE_OF_SERVICE: Readonly<
  Record<EncounterModality, { placeOfService: string; modifiers: readonly string[] }>
> = {
  office: { placeOfService: '11', modifiers: [] },
  telehealth_home: { placeOfService: '10', modifiers: ['95'] },
  telehealth_other: { placeOfService: '02', modifiers: ['95'] },
  audio_only: { placeOfService: '10', modifiers: ['93'] },
};

/** Payer ids compare without case or surrounding spaces (clearinghouse ids are typed by hand). */
const samePayer = (a: string, b: string) => a.trim().toUpperCase() === b.trim().toUpperCase();

export function placeOfService(
  modality: EncounterModality,
  payerId: string | null,
  rules: readonly PosRule[],
): PlaceOfService {
  const forModality = rules.filter((r) => r.modality === modality);
  const rule =
    (payerId ? forModality.find((r) => r.payerId !== null && samePayer(r.payerId, payerId)) : undefined) ??
    forModality.find((r) => r.payerId === null);
  if (rule) return { placeOfService: rule.placeOfService, modifiers: [...rule.modifiers], ruleId: rule.id };
  const d = DEFAULT_PLACE_OF_SERVICE[modality];
  return { placeOfService: d.placeOfService, modifiers: [...d.modifiers], ruleId: null };
}
