import { useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useParams } from 'react-router';
import type { VisitForClaims } from '../../../server/contracts/claims/api';
import { claimStatusLabels, type ClaimPriority } from '../../../server/contracts/claims/records';
import { call, errorMessage } from '../../api/client';
import { useCan, useSession } from '../../app/auth';
import { Alert } from '../../ui/Alert';
import { Button } from '../../ui/Button';
import { Fieldset } from '../../ui/Field';
import { EmptyState, Loading, PageHeader, useDocumentTitle } from '../../ui/Page';
import { formatCents } from '../billing/billing-format';
import { PatientBanner } from '../patients/PatientBanner';
import { summaryOf } from '../patients/patient-format';
import { ClaimPreviewList } from './ClaimPreviewList';
import './claims.css';

type Line = VisitForClaims['lines'][number];

/**
 * Making claims from one visit (Billing > Claims > Visits to bill > a visit): the biller picks the coverage
 * (in the patient's coverage order, those in effect on the date) and the posted charge lines to bill, sees the
 * claims they become with the scrubber's findings (ClaimPreviewList: nothing is written yet), then creates
 * them. Lines already on a live claim to the chosen coverage's payer cannot be picked; the rest of the visit
 * can go on another claim later, so one visit may split across claims and payers.
 */
export function VisitClaimsPage() {
  useDocumentTitle('Make claims');
  const { id = '' } = useParams();
  const can = useCan();
  const session = useSession();
  const visit = useQuery({ queryKey: ['claims', 'visit', id], queryFn: ({ signal }) => call('getVisitForClaims', { params: { id }, signal }) });
  const patientId = visit.data?.encounter.patientId ?? '';
  const patient = useQuery({
    queryKey: ['patients', patientId],
    queryFn: ({ signal }) => call('getPatient', { params: { id: patientId }, signal }),
    enabled: !!patientId && can('patients.read'),
    retry: false,
  });
  return (
    <section className="page page-wide visit-claims">
      {patient.data ? <PatientBanner patient={summaryOf(patient.data)} timeZone={session.clinic.timeZone} /> : null}
      <p className="claim-back"><Link to="/billing/claims">← Claims</Link></p>
      {visit.isPending ? <Loading label="Loading the visit…" /> : null}
      {visit.isError ? <Alert tone="error">{errorMessage(visit.error)}</Alert> : null}
      {visit.data ? <VisitClaimsForm visit={visit.data} /> : null}
    </section>
  );
}

/** Which payer a line is already billed to for the chosen order, if any (a live claim holds it). */
const heldFor = (line: Line, priority: ClaimPriority) => line.claims.find((c) => c.priority === priority);

function VisitClaimsForm({ visit }: { visit: VisitForClaims }) {
  const queryClient = useQueryClient();
  const { encounter, coverages, lines } = visit;
  const firstUsable = coverages.find((c) => c.payerSetUp)?.priority ?? coverages[0]?.priority ?? 'primary';
  const [priority, setPriority] = useState<ClaimPriority>(firstUsable);
  const free = (p: ClaimPriority) => lines.filter((l) => !heldFor(l, p)).map((l) => l.id);
  const [chosen, setChosen] = useState<string[]>(() => free(firstUsable));
  const coverage = coverages.find((c) => c.priority === priority);
  const choosePriority = (p: ClaimPriority) => {
    setPriority(p);
    setChosen(free(p));
  };
  const toggle = (lineId: string, on: boolean) => setChosen((s) => (on ? [...s, lineId] : s.filter((x) => x !== lineId)));
  const picked = lines.filter((l) => chosen.includes(l.id)).map((l) => l.id);

  const preview = useQuery({
    queryKey: ['claims', 'preview', encounter.id, priority, picked],
    queryFn: ({ signal }) => call('previewClaims', { body: { encounterId: encounter.id, priority, chargeLineIds: picked }, signal }),
    enabled: !!picked.length && !!coverage?.payerSetUp && encounter.closed,
    retry: false,
  });
  const create = useMutation({
    mutationFn: () => call('createClaims', { body: { encounterId: encounter.id, priority, chargeLineIds: picked } }),
    onSuccess: () => {
      setChosen([]);
      void queryClient.invalidateQueries({ queryKey: ['claims'] });
    },
  });
  const planned = preview.data?.claims ?? [];

  return (
    <>
      <PageHeader title="Make claims">
        {encounter.patientName} · visit of {encounter.dateOfService} · {encounter.providerName}
      </PageHeader>
      {!encounter.closed ? <Alert tone="warning">Close the visit first: claims are made from posted charges.</Alert> : null}
      {coverages.length === 0 ? (
        <Alert tone="warning">The patient has no coverage in effect on {encounter.dateOfService}; this visit is self-pay.</Alert>
      ) : (
        <Fieldset legend="Bill to" className="visit-claims-coverage">
          {coverages.map((c) => (
            <label key={c.priority} className="visit-claims-option">
              <input type="radio" name="priority" value={c.priority} checked={priority === c.priority} onChange={() => choosePriority(c.priority)} />
              <span>
                <strong>{c.payerName}</strong> ({c.priority})
                {c.payerSetUp ? null : <span className="visit-claims-warn"> — not set up as a payer yet: add it under Billing &gt; Set-up &gt; Payers.</span>}
              </span>
            </label>
          ))}
        </Fieldset>
      )}
      <h2>Charge lines</h2>
      {lines.length === 0 ? (
        <EmptyState>This visit has no posted charges. Post its charges first.</EmptyState>
      ) : (
        <table className="table table-dense" data-testid="visit-claim-lines">
          <thead>
            <tr>
              <th scope="col">Bill</th>
              <th scope="col">Code</th>
              <th scope="col">Description</th>
              <th scope="col">Units</th>
              <th scope="col">Service date</th>
              <th scope="col">Provider</th>
              <th scope="col">Already on</th>
              <th scope="col" className="num">Charge</th>
            </tr>
          </thead>
          <tbody>
            {lines.map((l) => {
              const held = heldFor(l, priority);
              const code = [l.code, ...l.modifiers].join('-');
              return (
                <tr key={l.id}>
                  <td>
                    <input
                      type="checkbox"
                      aria-label={`Bill ${code}`}
                      checked={picked.includes(l.id)}
                      disabled={!!held}
                      onChange={(e) => toggle(l.id, e.target.checked)}
                    />
                  </td>
                  <td>{code}</td>
                  <td>{l.description}</td>
                  <td>{l.units}</td>
                  <td>{l.dateOfService}</td>
                  <td>{l.providerName}</td>
                  <td>
                    {l.claims.length
                      ? l.claims.map((c, i) => (
                          <span key={c.claimId}>
                            {i ? ', ' : ''}
                            <Link to={`/billing/claims/${c.claimId}`}>{c.payerName} ({c.priority}, {claimStatusLabels[c.status].toLowerCase()})</Link>
                          </span>
                        ))
                      : '—'}
                  </td>
                  <td className="num">{formatCents(l.amountCents)}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      <h2>Claims to create</h2>
      {create.data ? <Created claims={create.data.claims} /> : null}
      {create.isError ? <Alert tone="error">{errorMessage(create.error)}</Alert> : null}
      {!picked.length ? (
        <p className="muted">Choose the lines to bill{coverage ? ` to ${coverage.payerName}` : ''}.</p>
      ) : preview.isPending && preview.fetchStatus !== 'idle' ? (
        <Loading label="Scrubbing…" />
      ) : preview.isError ? (
        <Alert tone="error">{errorMessage(preview.error)}</Alert>
      ) : preview.data ? (
        <>
          <ClaimPreviewList preview={preview.data} lines={lines} />
          <Button variant="primary" busy={create.isPending} busyLabel="Creating…" disabled={!planned.length} onClick={() => create.mutate()}>
            Create {planned.length} claim{planned.length === 1 ? '' : 's'} for {preview.data.payerName}
          </Button>
        </>
      ) : null}
    </>
  );
}

function Created({ claims }: { claims: { id: string; status: keyof typeof claimStatusLabels; totalCents: number }[] }) {
  if (!claims.length) return <Alert tone="warning">Nothing was created: these lines are already on a claim to this payer.</Alert>;
  return (
    <Alert tone="success" testId="claims-created">
      Created{' '}
      {claims.map((c, i) => (
        <span key={c.id}>
          {i ? ', ' : ''}
          <Link to={`/billing/claims/${c.id}`}>a claim of {formatCents(c.totalCents)} ({claimStatusLabels[c.status].toLowerCase()})</Link>
        </span>
      ))}
      . Ready claims go out in the next batch from the claims board.
    </Alert>
  );
}
