import type { Vitals } from '../../../server/contracts/clinical';

/** Display helpers for clinical values: stored metric, shown the way US clinics read them, metric beside. */
export const fahrenheit = (c: number) => Math.round(((c * 9) / 5) * 10 + 320) / 10;
export const pounds = (kg: number) => Math.round((kg / 0.45359237) * 10) / 10;
export const inches = (cm: number) => Math.round((cm / 2.54) * 10) / 10;

export function feetInches(cm: number): string {
  const total = cm / 2.54;
  const ft = Math.floor(total / 12);
  const inch = Math.round(total - ft * 12);
  return inch === 12 ? `${ft + 1}′ 0″` : `${ft}′ ${inch}″`;
}

export interface VitalMeasure {
  key: string;
  label: string;
  value: (v: Vitals) => number | null;
  show: (v: Vitals) => string;
}

export const vitalMeasures: VitalMeasure[] = [
  {
    key: 'bp',
    label: 'Blood pressure',
    value: (v) => v.systolic,
    show: (v) => (v.systolic !== null && v.diastolic !== null ? `${v.systolic}/${v.diastolic} mmHg` : '—'),
  },
  {
    key: 'hr',
    label: 'Pulse',
    value: (v) => v.heartRate,
    show: (v) => (v.heartRate !== null ? `${v.heartRate} /min` : '—'),
  },
  {
    key: 'temp',
    label: 'Temperature',
    value: (v) => v.temperatureC,
    show: (v) =>
      v.temperatureC !== null ? `${fahrenheit(v.temperatureC)} °F (${v.temperatureC.toFixed(1)} °C)` : '—',
  },
  {
    key: 'weight',
    label: 'Weight',
    value: (v) => v.weightKg,
    show: (v) => (v.weightKg !== null ? `${pounds(v.weightKg)} lb (${v.weightKg.toFixed(1)} kg)` : '—'),
  },
  {
    key: 'height',
    label: 'Height',
    value: (v) => v.heightCm,
    show: (v) => (v.heightCm !== null ? `${feetInches(v.heightCm)} (${v.heightCm.toFixed(1)} cm)` : '—'),
  },
  {
    key: 'bmi',
    label: 'BMI',
    value: (v) => v.bmi,
    show: (v) => (v.bmi !== null ? `${v.bmi.toFixed(1)} kg/m²` : '—'),
  },
  { key: 'spo2', label: 'SpO₂', value: (v) => v.spo2, show: (v) => (v.spo2 !== null ? `${v.spo2} %` : '—') },
  {
    key: 'rr',
    label: 'Respirations',
    value: (v) => v.respiratoryRate,
    show: (v) => (v.respiratoryRate !== null ? `${v.respiratoryRate} /min` : '—'),
  },
  {
    key: 'pain',
    label: 'Pain',
    value: (v) => v.painScore,
    show: (v) => (v.painScore !== null ? `${v.painScore} / 10` : '—'),
  },
];

export const statusBadge: Record<string, string> = {
  draft: 'badge-warning',
  pending_cosign: 'badge-warning',
  signed: 'badge-ok',
};
