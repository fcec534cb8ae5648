import { useQuery } from '@tanstack/react-query';
import type { PatientAlert } from '../../../server/contracts/clinical';
import { call } from '../../api/client';
import { keys } from '../../api/keys';
import { useCan } from '../../app/auth';
import { formatCalendarDate } from '../../ui/format';
import type { BannerPatient } from './PatientBanner';
import { languageName } from './patient-format';

/**
 * A patient's alerts: ONE list, built here and shown by both the banner on every patient screen and the
 * chart's Alerts panel, so the two can never disagree. It joins what the registration record says
 * (restricted, deceased, inactive, interpreter, the record's alert note) with the clinical alerts (fall
 * risk, latex allergy…) from one query (`getPatientAlerts`, keys.patientAlerts). Each item carries words
 * as well as colour; critical ones come first.
 */
export interface AlertItem {
  key: string;
  text: string;
  tone: 'danger' | 'warning' | 'muted';
  /** Set for a clinical alert (the chart can remove it); record alerts change on the demographics screen. */
  clinical?: PatientAlert;
}

const clinicalTone: Record<PatientAlert['severity'], AlertItem['tone']> = {
  critical: 'danger',
  warning: 'warning',
  info: 'muted',
};
const rank: Record<AlertItem['tone'], number> = { danger: 0, warning: 1, muted: 2 };

export function alertList(patient: BannerPatient, clinical: readonly PatientAlert[]): AlertItem[] {
  const items: AlertItem[] = [];
  if (patient.restricted) items.push({ key: 'restricted', text: 'Restricted record', tone: 'warning' });
  if (patient.deceased) {
    items.push({
      key: 'deceased',
      text: patient.deceasedDate ? `Deceased ${formatCalendarDate(patient.deceasedDate)}` : 'Deceased',
      tone: 'danger',
    });
  }
  if (patient.inactive) items.push({ key: 'inactive', text: 'Inactive', tone: 'muted' });
  if (patient.interpreterNeeded) {
    const language = languageName(patient.preferredLanguage);
    items.push({
      key: 'interpreter',
      text: `Interpreter needed${language ? `: ${language}` : ''}`,
      tone: 'warning',
    });
  }
  if (patient.alertNote) items.push({ key: 'alert-note', text: patient.alertNote, tone: 'warning' });
  for (const a of clinical) {
    items.push({
      key: `clinical-${a.id}`,
      text: a.severity === 'critical' ? `Critical: ${a.text}` : a.text,
      tone: clinicalTone[a.severity],
      clinical: a,
    });
  }
  // Stable: within a tone, record flags stay before clinical alerts and each keeps its own order.
  return items
    .map((item, i) => ({ item, i }))
    .sort((a, b) => rank[a.item.tone] - rank[b.item.tone] || a.i - b.i)
    .map(({ item }) => item);
}

/** The one query of a patient's clinical alerts, joined with the record's flags. */
export function usePatientAlerts(patient: BannerPatient) {
  const can = useCan();
  const query = useQuery({
    queryKey: keys.patientAlerts(patient.id),
    queryFn: () => call('getPatientAlerts', { params: { id: patient.id } }),
    enabled: can('patients.read'),
  });
  return { items: alertList(patient, query.data?.alerts ?? []), query };
}
