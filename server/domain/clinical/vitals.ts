/**
 * Vital signs are stored as integers in one unit system (tenths of °C, grams, millimetres) so nothing is
 * lost to floating point, and converted to and from what the user typed at the edges.
 */

export interface MeasureInput<U extends string> {
  value: number;
  unit: U;
}

export function temperatureTenthsC(t: MeasureInput<'F' | 'C'>): number {
  const c = t.unit === 'C' ? t.value : ((t.value - 32) * 5) / 9;
  return Math.round(c * 10);
}
export function weightGrams(w: MeasureInput<'lb' | 'kg'>): number {
  return Math.round(w.unit === 'kg' ? w.value * 1000 : w.value * 453.59237);
}
export function heightMillimetres(h: MeasureInput<'in' | 'cm'>): number {
  return Math.round(h.unit === 'cm' ? h.value * 10 : h.value * 25.4);
}

/** Refusals for values no living patient has (a typo, or the wrong unit picked). */
export function implausibleVitals(v: {
  temperatureTenthsC: number | null;
  weightGrams: number | null;
  heightMillimetres: number | null;
}): Record<string, string> {
  const errors: Record<string, string> = {};
  if (v.temperatureTenthsC !== null && (v.temperatureTenthsC < 250 || v.temperatureTenthsC > 450)) {
    errors.temperature = 'Temperature must be 25–45 °C (77–113 °F). Check the unit.';
  }
  if (v.weightGrams !== null && (v.weightGrams < 200 || v.weightGrams > 500_000)) {
    errors.weight = 'Weight must be 0.2–500 kg (0.5–1,100 lb). Check the unit.';
  }
  if (v.heightMillimetres !== null && (v.heightMillimetres < 200 || v.heightMillimetres > 2600)) {
    errors.height = 'Height must be 20–260 cm (8–102 in). Check the unit.';
  }
  return errors;
}

/** Body-mass index (kg/m²) to one decimal, when both weight and height are known. */
export function bmi(weightGrams: number | null, heightMillimetres: number | null): number | null {
  if (!weightGrams || !heightMillimetres) return null;
  const m = heightMillimetres / 1000;
  return Math.round((weightGrams / 1000 / (m * m)) * 10) / 10;
}

export const round = (value: number, decimals: number) => Math.round(value * 10 ** decimals) / 10 ** decimals;
