import { useId, useState } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Link } from 'react-router';
import type { ResponseOf } from '../../../server/contracts/api';
import { firstTransactionSet } from '../../../server/contracts/claims/api';
import { claimStatusLabels } from '../../../server/contracts/claims/records';
import { call, errorMessage } from '../../api/client';
import { Alert } from '../../ui/Alert';
import { formatCents } from '../billing/billing-format';

type AckResult = ResponseOf<'importClaimAck'>;
type EraResult = ResponseOf<'importEra'>;
type Imported = { kind: 'ack'; name: string; result: AckResult } | { kind: 'era'; name: string; result: EraResult };

const eraStatusText = { posted: 'posted', assisted: 'waiting in assisted posting', refused: 'refused', duplicate: 'a duplicate, not posted' } as const;

/** ST01 of the first transaction set: 835 goes to ERA posting, 999 and 277 to acknowledgments (the server checks again). */
function transactionKind(content: string): '835' | 'ack' | null {
  const st = firstTransactionSet(content);
  return st === '835' ? '835' : st === '999' || st === '277' ? 'ack' : null;
}

/**
 * Importing what the clearinghouse sent back (999, 277CA, 835) from a file the biller picks: the same import
 * central's poller will use. Shows what it matched: batches and claims with their new status, control
 * numbers it did not know, remittances posted or sent to assisted posting.
 */
export function FileImport() {
  const id = useId();
  const queryClient = useQueryClient();
  const [pickError, setPickError] = useState<string | null>(null);
  const upload = useMutation({
    mutationFn: async (file: File): Promise<Imported> => {
      const content = await file.text();
      const kind = transactionKind(content);
      if (!kind) throw new Error(`${file.name} is not a 999, 277CA or 835 file.`);
      const body = { name: file.name, content };
      return kind === '835'
        ? { kind: 'era', name: file.name, result: await call('importEra', { body }) }
        : { kind: 'ack', name: file.name, result: await call('importClaimAck', { body }) };
    },
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: ['claims'] }),
  });
  return (
    <section aria-labelledby={`${id}-title`} className="claims-import">
      <h2 id={`${id}-title`}>Files from the clearinghouse</h2>
      <div className="field">
        <label className="field-label" htmlFor={`${id}-file`}>Import a 999, 277CA or 835 file</label>
        <input
          id={`${id}-file`}
          type="file"
          className="input"
          accept=".x12,.edi,.txt,.835,.999,.277,text/plain"
          onChange={(e) => {
            const file = e.target.files?.[0];
            setPickError(null);
            if (!file) return;
            if (file.size > 50_000_000) setPickError('The file is too large (50 MB at most).');
            else upload.mutate(file);
            e.target.value = '';
          }}
          disabled={upload.isPending}
        />
      </div>
      {upload.isPending ? <p role="status">Reading the file…</p> : null}
      {pickError ? <Alert tone="error">{pickError}</Alert> : null}
      {upload.isError ? <Alert tone="error">{errorMessage(upload.error)}</Alert> : null}
      {upload.data ? <ImportResult imported={upload.data} /> : null}
    </section>
  );
}

function ImportResult({ imported }: { imported: Imported }) {
  if (imported.kind === 'ack') {
    const r = imported.result;
    return (
      <Alert tone={r.unmatched.length || r.findings.length ? 'warning' : 'success'} testId="import-result" title={`${imported.name}: ${r.kind} read`}>
        <ul>
          {r.batches.map((b) => <li key={b.batchId}>Batch {b.status.replace('_', ' ')}.</li>)}
          {r.claims.map((c) => (
            <li key={c.claimId}>
              Claim <Link to={`/billing/claims/${c.claimId}`}>{c.patientControlNumber}</Link> {claimStatusLabels[c.status].toLowerCase()}
              {c.message ? `: ${c.message}` : ''}
            </li>
          ))}
          {r.unmatched.map((u) => <li key={u}>No claim or batch of ours has control number {u}.</li>)}
          {r.findings.map((f) => <li key={f}>{f}</li>)}
          {!r.batches.length && !r.claims.length ? <li>Nothing of ours was in the file.</li> : null}
        </ul>
      </Alert>
    );
  }
  const r = imported.result;
  const waiting = r.payments.some((p) => p.status !== 'posted');
  return (
    <Alert tone={waiting ? 'warning' : 'success'} testId="import-result" title={`${imported.name}: 835 read`}>
      <ul>
        {r.payments.map((p) => (
          <li key={p.eraPaymentId}>
            Payment of {formatCents(p.paymentCents)} {eraStatusText[p.status]}
            {p.claims.length ? ` (${p.claims.length} claim${p.claims.length > 1 ? 's' : ''}: ${p.claims.map((c) => claimStatusLabels[c.status].toLowerCase()).join(', ')})` : ''}
            {[...p.blockedBecause, ...p.reviewBecause].length ? `. ${[...p.blockedBecause, ...p.reviewBecause].join(' ')}` : '.'}
          </li>
        ))}
      </ul>
    </Alert>
  );
}
