import { useQuery } from '@tanstack/react-query';
import {
  eligibilityStatusLabels,
  type EligibilityCheck,
} from '../../../server/contracts/claims/eligibility';
import { coveragePriorityLabels } from '../../../server/contracts/patients';
import { formatCents } from '../../../server/contracts/billing/money';
import { call } from '../../api/client';
import { formatCalendarDate } from '../../ui/format';
import './claims.css';

const TONE: Record<EligibilityCheck['status'], string> = {
  active: 'ok',
  inactive: 'danger',
  rejected: 'danger',
  unknown: 'muted',
  requested: 'muted',
};

export const eligibilityKey = (patientId: string) => ['eligibility', patientId] as const;

/**
 * The newest 270/271 answer per coverage of a patient. A failed read is its own sentence and never takes
 * the insurance panel or the check-in dialog with it.
 */
export function usePatientEligibility(patientId: string) {
  return useQuery({
    queryKey: eligibilityKey(patientId),
    queryFn: ({ signal }) => call('getPatientEligibility', { params: { id: patientId }, signal }),
    retry: false,
  });
}

/** "Copay $25.00 (in network) · Deductible $1,240.50 left of $1,500.00 · Co-insurance 20 %". */
export function eligibilityFacts(c: EligibilityCheck): string[] {
  const s = c.summary;
  if (!s) return [];
  const facts: string[] = [];
  if (s.planName) facts.push(s.planName);
  const copay = s.copays.find((x) => x.network !== 'out') ?? s.copays[0];
  if (copay) facts.push(`Copay ${formatCents(copay.amountCents)}${copay.network === 'in' ? ' (in network)' : ''}`);
  const d = s.deductible;
  if (d.individualRemainingCents !== null)
    facts.push(`Deductible ${formatCents(d.individualRemainingCents)} left${d.individualTotalCents !== null ? ` of ${formatCents(d.individualTotalCents)}` : ''}`);
  const co = s.coinsurance.find((x) => x.network !== 'out') ?? s.coinsurance[0];
  if (co) facts.push(`Co-insurance ${co.percent} %`);
  for (const r of s.rejections) facts.push(r.text);
  return facts;
}

/** One coverage's answer, compact: a status badge, the facts, and the date asked about. */
export function EligibilityLine({ check }: { check: EligibilityCheck }) {
  const facts = eligibilityFacts(check);
  return (
    <span className="eligibility-line" data-testid="eligibility-line">
      <span className={`badge badge-${TONE[check.status]}`}>{eligibilityStatusLabels[check.status]}</span>{' '}
      {facts.length ? <span>{facts.join(' · ')} </span> : null}
      <span className="muted small">for {formatCalendarDate(check.serviceDate)}</span>
    </span>
  );
}

/** One coverage's cell on the insurance panel (one query per patient, shared by the rows). */
export function CoverageEligibility({ patientId, coverageId }: { patientId: string; coverageId: string }) {
  const q = usePatientEligibility(patientId);
  if (q.isPending) return null;
  if (q.isError) return <span className="muted small">Could not be read</span>;
  const check = q.data.checks.find((c) => c.coverageId === coverageId);
  return check ? <EligibilityLine check={check} /> : <span className="muted small">Not asked</span>;
}

/**
 * The check-in dialog's view: each coverage's answer, or why there is none. The dialog owns the query (it
 * waits for the answer before showing its form) and hands it down: a second observer mounting here would
 * refetch a failed answer and send the dialog back to loading.
 */
export function EligibilityAnswers({ answers: q }: { answers: ReturnType<typeof usePatientEligibility> }) {
  if (q.isPending) return null;
  if (q.isError) return <p className="muted small">Eligibility answers could not be read just now; the coverage above is what is on file.</p>;
  if (!q.data.checks.length) return <p className="muted small">No eligibility answer on file (no 270 was sent for this patient’s coverage).</p>;
  return (
    <ul className="eligibility-answers" aria-label="Eligibility answers" data-testid="eligibility-answers">
      {q.data.checks.map((c) => (
        <li key={c.id}>
          <strong>{coveragePriorityLabels[c.coveragePriority as keyof typeof coveragePriorityLabels] ?? c.coveragePriority}</strong> {c.payerName}:{' '}
          <EligibilityLine check={c} />
        </li>
      ))}
    </ul>
  );
}
