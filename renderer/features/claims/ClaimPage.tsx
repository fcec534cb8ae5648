import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useParams } from 'react-router';
import type { ClaimDetail } from '../../../server/contracts/claims/api';
import { claimStatusLabels, FREQUENCY_CODE } from '../../../server/contracts/claims/records';
import { call, errorMessage } from '../../api/client';
import { useCan, useSession } from '../../app/auth';
import { Alert } from '../../ui/Alert';
import { Button } from '../../ui/Button';
import { Loading, PageHeader } from '../../ui/Page';
import { formatCents } from '../billing/billing-format';
import { PatientBanner } from '../patients/PatientBanner';
import { summaryOf } from '../patients/patient-format';
import { ClaimHistory } from './ClaimHistory';
import { ClaimProof } from './ClaimProof';
import { denialActionLabels, lineStatusLabels, sendingState, sendingStateLabels } from './claims-format';
import { DenialActions } from './DenialActions';
import { VoidClaim } from './VoidClaim';
import './claims.css';

/**
 * One claim (Billing > Claims > a claim): who and to whom, its status, control number and amounts, its lines,
 * what the scrubber found, what each remittance said (ClaimProof), the denials with their actions (or
 * what was done), and every file and event that touched it (ClaimHistory). Opening it is audited by the server.
 */
export function ClaimPage() {
  const { id = '' } = useParams();
  const can = useCan();
  const q = useQuery({ queryKey: ['claims', 'claim', id], queryFn: ({ signal }) => call('getClaim', { params: { id }, signal }) });
  const patientId = q.data?.claim.patientId ?? '';
  const patient = useQuery({
    queryKey: ['patients', patientId],
    queryFn: ({ signal }) => call('getPatient', { params: { id: patientId }, signal }),
    enabled: !!patientId && can('patients.read'),
    retry: false,
  });
  const session = useSession();
  if (q.isPending) return <Loading label="Loading the claim…" />;
  if (q.isError) return <Alert tone="error">{errorMessage(q.error)}</Alert>;
  const { claim, lines } = q.data;
  return (
    <section className="page page-wide claim-page">
      {patient.data ? <PatientBanner patient={summaryOf(patient.data)} timeZone={session.clinic.timeZone} /> : null}
      <p className="claim-back"><Link to="/billing/claims">← Claims</Link></p>
      <ClaimHeader claim={claim} />
      {claim.findings.length ? <Findings findings={claim.findings} /> : null}
      <h2>Lines</h2>
      <table className="table table-dense" data-testid="claim-lines">
        <thead>
          <tr>
            <th scope="col">#</th>
            <th scope="col">Service date</th>
            <th scope="col">Code</th>
            <th scope="col">Units</th>
            <th scope="col">Place</th>
            <th scope="col">Status</th>
            <th scope="col" className="num">Charge</th>
            <th scope="col" className="num">Paid</th>
          </tr>
        </thead>
        <tbody>
          {lines.map((l) => (
            <tr key={l.id}>
              <td>{l.position}</td>
              <td>{l.dateOfService}</td>
              <td>{[l.code, ...l.modifiers].join('-')}</td>
              <td>{l.units}</td>
              <td>{l.placeOfService}</td>
              <td>{lineStatusLabels[l.status]}</td>
              <td className="num">{formatCents(l.chargeCents)}</td>
              <td className="num">{formatCents(l.paidCents)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <Denials detail={q.data} />
      <ClaimProof remittances={q.data.remittances} />
      <ClaimHistory history={q.data.history} />
    </section>
  );
}

function ClaimHeader({ claim }: { claim: ClaimDetail['claim'] }) {
  const queryClient = useQueryClient();
  const rescrub = useMutation({
    mutationFn: () => call('rescrubClaim', { params: { id: claim.id } }),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: ['claims'] }),
  });
  const canRescrub = ['draft', 'warnings', 'ready'].includes(claim.status);
  return (
    <>
      <PageHeader
        title={`Claim ${claim.patientControlNumber}`}
        actions={
          <>
            {canRescrub ? <Button onClick={() => rescrub.mutate()} busy={rescrub.isPending}>Scrub again</Button> : null}
            <VoidClaim claim={claim} />
          </>
        }
      >
        {claim.patientName} · {claim.payerName} ({claim.priority}) · {claim.providerName}
      </PageHeader>
      {rescrub.isError ? <Alert tone="error">{errorMessage(rescrub.error)}</Alert> : null}
      <dl className="claim-facts" data-testid="claim-header">
        <div><dt>Status</dt><dd>{claimStatusLabels[claim.status]}</dd></div>
        <div><dt>Control number</dt><dd><code>{claim.patientControlNumber}</code></dd></div>
        <div><dt>Payer claim number</dt><dd>{claim.payerClaimNumber ?? '—'}</dd></div>
        <div><dt>Frequency</dt><dd>{FREQUENCY_CODE[claim.frequency]} ({claim.frequency})</dd></div>
        <div><dt>Batch</dt><dd>{claim.batch ? `${claim.batch.interchangeControlNumber} (${batchStateText(claim.batch)})` : '—'}</dd></div>
        <div><dt>Diagnoses</dt><dd>{claim.diagnoses.join(', ') || '—'}</dd></div>
        <div><dt>Billed</dt><dd className="num">{formatCents(claim.totalCents)}</dd></div>
        <div><dt>Paid</dt><dd className="num">{formatCents(claim.paidCents)}</dd></div>
        <div><dt>Patient responsibility</dt><dd className="num">{formatCents(claim.patientResponsibilityCents)}</dd></div>
        <div><dt>Adjusted</dt><dd className="num">{formatCents(claim.adjustedCents)}</dd></div>
      </dl>
      {claim.batch ? <BatchSending batch={claim.batch} /> : null}
      {claim.statusDetail ? <p className="claim-status-detail"><strong>Status note:</strong> {claim.statusDetail}</p> : null}
      {claim.replacesClaimId && claim.frequency === 'void' ? (
        <p>Voids <Link to={`/billing/claims/${claim.replacesClaimId}`}>the claim the payer holds</Link> (frequency 8, REF*F8 {claim.payerClaimNumber}).</p>
      ) : claim.replacesClaimId ? (
        <p>Replaces <Link to={`/billing/claims/${claim.replacesClaimId}`}>the denied claim</Link>.</p>
      ) : null}
      {claim.primaryClaimId ? <p>Secondary to <Link to={`/billing/claims/${claim.primaryClaimId}`}>the primary claim</Link>.</p> : null}
      {claim.appealNote ? <p><strong>Appeal note:</strong> {claim.appealNote}</p> : null}
    </>
  );
}

/** The batch's sending state, or once the clearinghouse answered it by hand-carried files, what the 999 said. */
const batchStateText = (batch: NonNullable<ClaimDetail['claim']['batch']>) => {
  const state = sendingState(batch);
  return state === 'answered' ? batch.status.replace('_', ' ') : sendingStateLabels[state].toLowerCase();
};

/**
 * Whether central has sent the claim's batch to the clearinghouse: the sentence the server words in the
 * clinic's time (domain/claims/transmission.ts), marked as a warning while an attempt failed.
 */
function BatchSending({ batch }: { batch: NonNullable<ClaimDetail['claim']['batch']> }) {
  const state = sendingState(batch);
  if (!batch.transmission) return null;
  return (
    <p className={`claim-transmission claim-transmission-${state}`} data-testid="claim-transmission">
      <strong>{sendingStateLabels[state]}:</strong> {batch.transmission}
    </p>
  );
}

function Findings({ findings }: { findings: ClaimDetail['claim']['findings'] }) {
  return (
    <section aria-labelledby="findings-title">
      <h2 id="findings-title">Scrubber findings</h2>
      <ul className="claim-findings">
        {findings.map((f, i) => (
          <li key={i} className={f.severity === 'refuse' ? 'finding-refuse' : 'finding-warn'}>
            <strong>{f.severity === 'refuse' ? 'Must fix' : 'Warning'}</strong>
            {f.line ? ` (line ${f.line})` : ''}: {f.message}
          </li>
        ))}
      </ul>
    </section>
  );
}

function Denials({ detail }: { detail: ClaimDetail }) {
  const denials = detail.postings.filter((p) => p.kind === 'denial' && !p.reversal);
  if (!denials.length) return null;
  const codeOf = (lineId: string | null) => detail.lines.find((l) => l.id === lineId)?.code ?? 'claim';
  return (
    <section aria-labelledby="claim-denials-title">
      <h2 id="claim-denials-title">Denials</h2>
      <table className="table table-dense">
        <thead>
          <tr>
            <th scope="col">Line</th>
            <th scope="col">Reason</th>
            <th scope="col" className="num">Amount</th>
            <th scope="col">Worked</th>
          </tr>
        </thead>
        <tbody>
          {denials.map((p) => (
            <tr key={p.id}>
              <td>{codeOf(p.claimLineId)}</td>
              <td>{p.group}-{p.reasonCode} {p.reasonText}</td>
              <td className="num">{formatCents(p.amountCents)}</td>
              <td>
                {p.denialAction ? (
                  denialActionLabels[p.denialAction]
                ) : (
                  <DenialActions postingId={p.id} amountCents={p.amountCents} label={`${p.reasonCode ?? ''} on ${codeOf(p.claimLineId)}`} />
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
