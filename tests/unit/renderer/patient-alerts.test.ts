import { describe, expect, it } from 'vitest';
import { alertList } from '../../../renderer/features/patients/patient-alerts';
import type { BannerPatient } from '../../../renderer/features/patients/PatientBanner';
import type { PatientAlert } from '../../../server/contracts/clinical';

const patient = {
  id: 'p1',
  restricted: false,
  deceased: false,
  inactive: false,
  interpreterNeeded: true,
  preferredLanguage: 'es',
  alertNote: 'Prefers morning calls',
} as unknown as BannerPatient;

const alert = (id: string, severity: PatientAlert['severity'], text: string) =>
  ({ id, severity, text }) as PatientAlert;

describe('a patient’s alerts: one list for the banner and the chart', () => {
  it('joins the record’s flags and the clinical alerts, critical first, words with the colour', () => {
    const items = alertList(patient, [
      alert('a', 'info', 'Uses a walker'),
      alert('b', 'critical', 'Latex allergy'),
    ]);
    expect(items.map((i) => [i.text, i.tone])).toEqual([
      ['Critical: Latex allergy', 'danger'],
      ['Interpreter needed: Spanish', 'warning'],
      ['Prefers morning calls', 'warning'],
      ['Uses a walker', 'muted'],
    ]);
    // Only clinical alerts can be removed from the chart; record flags change on the demographics screen.
    expect(items.filter((i) => i.clinical).map((i) => i.clinical!.id)).toEqual(['b', 'a']);
  });

  it('is empty for a patient with nothing to flag', () => {
    expect(alertList({ ...patient, interpreterNeeded: false, alertNote: null } as BannerPatient, [])).toEqual(
      [],
    );
  });
});
