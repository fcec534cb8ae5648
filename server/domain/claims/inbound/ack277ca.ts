/**
 * 277CA Health Care Claim Acknowledgment (005010X214) → per claim, keyed by the patient control number we
 * sent (the payer echoes CLM01 in TRN02 of the patient loop 2200D), whether it was accepted into
 * adjudication or rejected, with every STC status (category, code and entity, each with its text), the
 * payer's claim number (REF*1K) and the billed amount. Batch-level statuses at the information receiver
 * (2200B) and provider (2200C) levels are kept as well, since a whole batch can be rejected there.
 */
import { type Delimiters, type Segment, el } from '../x12/segments';
import { entityText, statusCategoryText, statusCodeText } from './codes';
import { amountCents, type Finding, isoDate, readInterchange } from './interchange';

export type ClaimStatus = {
  category: string;
  categoryText: string;
  code: string;
  codeText: string;
  entity: string;
  entityText: string;
  date: string | null;
  /** STC04: total charge the status applies to. */
  amountCents: number | null;
  /** A sentence, e.g. "Rejected for invalid information — Entity's NPI (Billing provider)". */
  message: string;
};

export type ClaimAcknowledgment = {
  patientControlNumber: string;
  payerClaimControlNumber: string;
  clearinghouseTraceNumber: string;
  /** A1/A2/A5 accepted; A3/A4/A6/A7/A8 rejected; other categories neither. */
  outcome: 'accepted' | 'rejected' | 'other';
  statuses: ClaimStatus[];
  serviceDateFrom: string | null;
  serviceDateTo: string | null;
  position: number;
};

export type Ack277CA = {
  /** Statuses at the receiver/provider levels (2200B/2200C): they concern the whole batch. */
  batchStatuses: ClaimStatus[];
  claims: ClaimAcknowledgment[];
  findings: Finding[];
};

const ACCEPTED = new Set(['A1', 'A2', 'A5']);
const REJECTED = new Set(['A3', 'A4', 'A6', 'A7', 'A8']);

function statuses(s: Segment, d: Delimiters): ClaimStatus[] {
  const out: ClaimStatus[] = [];
  // STC01 is the first status composite; STC10 and STC11 may carry two more.
  for (const n of [1, 10, 11]) {
    const v = el(s, n);
    if (!v) continue;
    const [category = '', code = '', entity = ''] = v.split(d.component);
    let amount: number | null = null;
    try {
      amount = amountCents(el(s, 4));
    } catch {
      amount = null;
    }
    const status: ClaimStatus = {
      category,
      categoryText: statusCategoryText(category),
      code,
      codeText: statusCodeText(code),
      entity,
      entityText: entity ? entityText(entity) : '',
      date: isoDate(el(s, 2)),
      amountCents: amount,
      message: '',
    };
    status.message = `${status.categoryText} — ${status.codeText}${entity ? ` (${status.entityText})` : ''}`;
    out.push(status);
  }
  return out;
}

export function parse277CA(text: string): Ack277CA {
  const ix = readInterchange(text);
  const findings = [...ix.findings];
  const claims: ClaimAcknowledgment[] = [];
  const batchStatuses: ClaimStatus[] = [];
  for (const set of ix.sets) {
    if (set.type !== '277') {
      findings.push({
        severity: 'error',
        position: set.st.position,
        message: `Transaction set ${set.controlNumber} is a ${set.type}, not a 277; skipped.`,
      });
      continue;
    }
    if (set.version && !set.version.startsWith('005010X214'))
      findings.push({
        severity: 'warning',
        position: set.st.position,
        message: `This 277 is ${set.version}, not a claim acknowledgment (005010X214).`,
      });
    let level = '';
    let claim: ClaimAcknowledgment | null = null;
    for (const s of set.body) {
      switch (s.id) {
        case 'HL':
          level = el(s, 3);
          claim = null;
          break;
        case 'TRN':
          if (level === 'PT' && el(s, 1) === '2') {
            claim = {
              patientControlNumber: el(s, 2),
              payerClaimControlNumber: '',
              clearinghouseTraceNumber: '',
              outcome: 'other',
              statuses: [],
              serviceDateFrom: null,
              serviceDateTo: null,
              position: s.position,
            };
            claims.push(claim);
          }
          break;
        case 'STC':
          if (claim) claim.statuses.push(...statuses(s, ix.delimiters));
          else if (level === '21' || level === '19') batchStatuses.push(...statuses(s, ix.delimiters));
          else if (level === 'PT')
            findings.push({
              severity: 'error',
              position: s.position,
              message: 'A claim status (STC) without the claim’s TRN before it.',
            });
          break;
        case 'REF':
          if (claim && el(s, 1) === '1K') claim.payerClaimControlNumber = el(s, 2);
          else if (claim && el(s, 1) === 'D9') claim.clearinghouseTraceNumber = el(s, 2);
          break;
        case 'DTP':
          if (claim && el(s, 1) === '472') {
            const [from = '', to = ''] = el(s, 3).split('-');
            claim.serviceDateFrom = isoDate(from);
            claim.serviceDateTo = isoDate(to || from);
          }
          break;
        default:
          break;
      }
    }
  }
  for (const c of claims) {
    // The claim-level outcome is its first status (STC01); later STC segments on the claim refine it.
    const first = c.statuses[0]?.category ?? '';
    c.outcome = ACCEPTED.has(first) ? 'accepted' : REJECTED.has(first) ? 'rejected' : 'other';
    if (c.statuses.some((s) => REJECTED.has(s.category))) c.outcome = 'rejected';
  }
  return { batchStatuses, claims, findings };
}
