/**
 * Where a patient's name leads from the board and the day's lists: clinicians to the clinical chart, everyone
 * else (front desk, billing) to the demographics and insurance they may see. One rule, so no screen sends a
 * receptionist to a chart they cannot open or makes a clinician take a detour through registration.
 */
export function recordLink(patientId: string, canReadChart: boolean): { to: string; label: string } {
  return canReadChart
    ? { to: `/patients/${patientId}/chart`, label: 'Chart' }
    : { to: `/patients/${patientId}`, label: 'Record' };
}
