import { useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { todayIn } from '../../../../server/contracts/calendar';
import type { BillingDocumentKind } from '../../../../server/contracts/billing/documents';
import type { PatientSummary } from '../../../../server/contracts/patients';
import { call, endpointUrl, errorMessage } from '../../../api/client';
import { useCan, useSession } from '../../../app/auth';
import { Alert } from '../../../ui/Alert';
import { Button } from '../../../ui/Button';
import { TextField } from '../../../ui/Field';
import { formatShortDateTime } from '../../../ui/format';
import { EmptyState, Loading } from '../../../ui/Page';
import { PatientFinder } from '../../patients/PatientFinder';
import { PortalShareCell } from '../../portal/PortalShareCell';
import { formatCents } from '../billing-format';
import { GoodFaithEstimateDialog } from './GoodFaithEstimateDialog';
import { lastMonth } from './statement-dates';

const kindLabels: Record<BillingDocumentKind, string> = {
  receipt: 'Receipt',
  invoice: 'Invoice',
  statement: 'Statement',
  family_statement: 'Family statement',
  superbill: 'Superbill',
  good_faith_estimate: 'Good-faith estimate',
};

/** A patient’s kept documents: print or keep a statement for dates, make a good-faith estimate, open PDFs. */
export function PatientDocumentsPanel() {
  const session = useSession();
  const can = useCan();
  const qc = useQueryClient();
  const [patient, setPatient] = useState<PatientSummary | null>(null);
  const range = lastMonth(todayIn(session.clinic.timeZone));
  const [from, setFrom] = useState(range.from);
  const [to, setTo] = useState(range.to);
  const [gfe, setGfe] = useState(false);
  const docs = useQuery({
    queryKey: ['billing-documents', patient?.id],
    queryFn: ({ signal }) => call('listBillingDocuments', { params: { patientId: patient!.id }, signal }),
    enabled: !!patient,
  });
  const keep = useMutation({
    mutationFn: () =>
      call('createBillingDocument', {
        params: { patientId: patient!.id },
        body: { kind: 'statement', from, to },
      }),
    onSuccess: () => void qc.invalidateQueries({ queryKey: ['billing-documents', patient?.id] }),
  });
  const validRange = /^\d{4}-\d{2}-\d{2}$/.test(from) && /^\d{4}-\d{2}-\d{2}$/.test(to) && from <= to;
  return (
    <section className="panel" aria-labelledby="docs-title">
      <h2 id="docs-title" className="section-title">
        A patient’s documents
      </h2>
      <PatientFinder label="Patient" limit={6} onOpen={(p) => setPatient(p)} />
      {patient ? (
        <div className="patient-docs">
          <p className="docs-patient" data-testid="documents-patient">
            <strong>
              {patient.legalLastName}, {patient.legalFirstName}
            </strong>{' '}
            · MRN {patient.mrn} · born {patient.dateOfBirth}
          </p>
          <div className="report-filters">
            <TextField
              label="Statement from"
              type="date"
              value={from}
              onChange={(e) => setFrom(e.target.value)}
              fieldClassName="field-inline"
            />
            <TextField
              label="to"
              type="date"
              value={to}
              onChange={(e) => setTo(e.target.value)}
              fieldClassName="field-inline"
            />
            {validRange ? (
              <a
                className="btn btn-secondary"
                href={endpointUrl('previewBillingDocument', {
                  params: { patientId: patient.id },
                  query: { kind: 'statement', from, to },
                })}
                target="_blank"
                rel="noreferrer"
              >
                Print statement
              </a>
            ) : null}
            {can('billing.post') ? (
              <>
                <Button
                  disabled={!validRange}
                  busy={keep.isPending}
                  busyLabel="Keeping…"
                  onClick={() => keep.mutate()}
                >
                  Keep statement
                </Button>
                <Button onClick={() => setGfe(true)}>Good-faith estimate…</Button>
              </>
            ) : null}
          </div>
          {keep.isError ? <Alert tone="error">{errorMessage(keep.error)}</Alert> : null}
          {docs.isPending && docs.fetchStatus !== 'idle' ? <Loading /> : null}
          {docs.isError ? <Alert tone="error">{errorMessage(docs.error)}</Alert> : null}
          {docs.data ? (
            docs.data.documents.length ? (
              <table className="table table-dense" data-testid="patient-documents">
                <thead>
                  <tr>
                    <th>Made</th>
                    <th>Document</th>
                    <th className="num">Amount</th>
                    <th />
                  </tr>
                </thead>
                <tbody>
                  {docs.data.documents.map((d) => (
                    <tr key={d.id}>
                      <td>{formatShortDateTime(d.createdAt, session.clinic.timeZone)}</td>
                      <td>
                        <span className="doc-kind">{kindLabels[d.kind]}</span>{' '}
                        {d.title.replace(/^(Family statement|Statement|Receipt|Invoice|Superbill) /, '')}
                      </td>
                      <td className="num">{d.amountCents === null ? '—' : formatCents(d.amountCents)}</td>
                      <td>
                        <a
                          href={endpointUrl('getBillingDocumentPdf', {
                            params: { patientId: patient.id, documentId: d.id },
                          })}
                          target="_blank"
                          rel="noreferrer"
                        >
                          Open PDF
                        </a>{' '}
                        <PortalShareCell patientId={patient.id} documentId={d.id} />
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            ) : (
              <EmptyState>
                No documents kept for this patient yet. Keep a statement, or run the monthly statements.
              </EmptyState>
            )
          ) : null}
          {gfe ? (
            <GoodFaithEstimateDialog
              patientId={patient.id}
              onClose={() => setGfe(false)}
              onMade={() => {
                setGfe(false);
                void qc.invalidateQueries({ queryKey: ['billing-documents', patient.id] });
              }}
            />
          ) : null}
        </div>
      ) : (
        <EmptyState>Find a patient to see their statements, estimates and receipts.</EmptyState>
      )}
    </section>
  );
}
