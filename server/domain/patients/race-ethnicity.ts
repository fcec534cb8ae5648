import {
  ethnicityCodeIndex,
  ombRaceCategories,
  raceCodeIndex,
  type OmbEthnicity,
  type OmbRace,
} from '../../contracts/patients/race-ethnicity';

/**
 * Roll CDC race codes up to the OMB minimum categories: each detailed code counts for the category at the
 * top of its tree; several codes under one category count once; "Other Race" counts for none. Categories
 * come back in the OMB order.
 */
export function rollUpRace(codes: readonly string[]): OmbRace[] {
  const roots = new Set(codes.map((c) => raceCodeIndex.get(c)?.root));
  return ombRaceCategories.filter((cat) => roots.has(cat));
}

/** Hispanic or Latino when any code sits under 2135-2; Not Hispanic or Latino only when that was chosen. */
export function rollUpEthnicity(codes: readonly string[]): OmbEthnicity | null {
  const roots = new Set(codes.map((c) => ethnicityCodeIndex.get(c)?.root));
  if (roots.has('2135-2')) return '2135-2';
  if (roots.has('2186-5')) return '2186-5';
  return null;
}

/** A problem with an ethnicity answer a person should fix, or null. */
export function ethnicityProblem(codes: readonly string[]): string | null {
  const roots = new Set(codes.map((c) => ethnicityCodeIndex.get(c)?.root));
  return roots.has('2135-2') && roots.has('2186-5')
    ? 'Choose Hispanic or Latino (with any detail) or Not Hispanic or Latino, not both.'
    : null;
}
