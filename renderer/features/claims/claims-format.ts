import type { ClaimDetail } from '../../../server/contracts/claims/api';
import type { ClaimEventKind, ClaimLineStatus, DenialAction, LinePostingKind } from '../../../server/contracts/claims/records';
import { formatCents } from '../../../server/contracts/billing/money';

/** Words for the claims screens: history events, line statuses, posting kinds, denial actions. */

export const eventLabels: Record<ClaimEventKind, string> = {
  created: 'Claim created',
  rescrubbed: 'Scrubbed again',
  batched: 'Sent in an 837P batch',
  ack_999: '999 acknowledgment',
  ack_277ca: '277CA claim acknowledgment',
  era: '835 remittance',
  era_reversal: '835 reversal',
  resubmitted: 'Resubmitted',
  appeal: 'Appeal',
  written_off: 'Written off',
  billed_patient: 'Billed to the patient',
  secondary_created: 'Secondary claim made',
};

export const lineStatusLabels: Record<ClaimLineStatus, string> = {
  open: 'Open',
  paid: 'Paid',
  partially_paid: 'Partially paid',
  denied: 'Denied',
  written_off: 'Written off',
  billed_to_patient: 'Billed to patient',
  replaced: 'Replaced',
};

export const postingKindLabels: Record<LinePostingKind, string> = {
  payer_payment: 'Paid',
  contractual_writeoff: 'Contractual',
  payer_reduction: 'Payer reduction',
  other_adjustment: 'Other adjustment',
  prior_payer_adjudication: 'Prior payer',
  patient_responsibility: 'Patient responsibility',
  denial: 'Denied',
};

export const denialActionLabels: Record<DenialAction, string> = {
  resubmitted: 'Resubmitted',
  appealed: 'Appealed',
  written_off: 'Written off',
  billed_patient: 'Billed to patient',
};

type HistoryEntry = ClaimDetail['history'][number];
type ClaimBatch = NonNullable<ClaimDetail['claim']['batch']>;

/** Where a claim's batch is on its way to the clearinghouse (central writes sentAt / sendError). */
export type SendingState = 'queued' | 'failed' | 'sent' | 'answered';
export function sendingState(b: ClaimBatch): SendingState {
  if (b.sentAt) return 'sent';
  if (b.status === 'queued' || b.status === 'built') return b.sendError ? 'failed' : 'queued';
  // Accepted or rejected by a 999 without central having sent it: the biller uploaded the file by hand.
  return 'answered';
}
export const sendingStateLabels: Record<SendingState, string> = {
  queued: 'Queued',
  failed: 'Not sent yet',
  sent: 'Sent',
  answered: 'Answered by the clearinghouse',
};

/** How a file in a claim's history got here: built by Tessera, fetched by central, or picked by a person. */
export function fileOrigin(file: NonNullable<HistoryEntry['file']>, format: (iso: string) => string): string {
  if (file.direction === 'outbound') return 'Built here';
  if (file.origin) return `Received from central (${file.origin.transport.toUpperCase()}, ${format(file.origin.receivedAt)})`;
  return 'Imported from a file';
}
const cents = (v: unknown) => (typeof v === 'number' ? formatCents(v) : '');

/** One sentence for what an event did, from its stored detail (never patient data). */
export function eventSummary(e: HistoryEntry): string {
  const d = e.detail as Record<string, unknown>;
  switch (e.kind) {
    case 'created':
      return `${String(d.priority ?? '')} claim, ${String(d.frequency ?? 'original')}`;
    case 'rescrubbed':
      return Array.isArray(d.findings) && d.findings.length ? `Findings: ${d.findings.join(', ')}` : 'No findings';
    case 'batched':
      return `Interchange ${String(d.interchangeControlNumber ?? '')}, transaction set ${String(d.transactionSet ?? '')}`;
    case 'ack_999':
      return d.accepted ? 'The clearinghouse accepted the batch.' : `Rejected: ${String(d.message ?? '')}`;
    case 'ack_277ca': {
      const statuses = Array.isArray(d.statuses) ? (d.statuses as { message?: string }[]) : [];
      return statuses.map((s) => s.message).filter(Boolean).join(' ') || String(d.outcome ?? '');
    }
    case 'era':
      return `Billed ${cents(d.billedCents)}, paid ${cents(d.paidCents)}, patient ${cents(d.patientResponsibilityCents)}${
        typeof d.deniedCents === 'number' && d.deniedCents ? `, denied ${cents(d.deniedCents)}` : ''
      }`;
    case 'era_reversal':
      return `The payer took back ${cents(d.reversedPaidCents)}; its correction follows.`;
    case 'resubmitted':
      if (d.voidClaimId) return 'Voided: a void claim (frequency 8) with the payer’s claim number goes in the next batch.';
      return d.replacementClaimId ? 'Replaced by a corrected claim (frequency 7).' : 'Replacement of a denied claim.';
    case 'appeal':
      return `Appeal on reason ${String(d.reasonCode ?? '')}`;
    case 'written_off':
      return `${cents(d.amountCents)} written off (reason ${String(d.reasonCode ?? '')})`;
    case 'billed_patient':
      return `${cents(d.amountCents)} moved to the patient (reason ${String(d.reasonCode ?? '')})`;
    case 'secondary_created':
      return 'The secondary claim carries this payer’s adjudication.';
  }
}

/** Hand a text file to the browser as a download (the 837P for a clearinghouse portal). */
export function downloadText(name: string, content: string): void {
  const url = URL.createObjectURL(new Blob([content], { type: 'text/plain' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
