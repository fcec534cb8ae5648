/**
 * 271 Eligibility Benefit Response (005010X279A1) → a readable coverage summary per subscriber/dependent:
 * active or not, plan, co-payments, co-insurance, deductible (total and remaining, individual and family,
 * in and out of network) where the payer sends them, and any request rejection (AAA) with its text. The
 * summary is keyed by the trace number we put in the 270 (TRN*1 → echoed as TRN*2), so the caller links a
 * response to the appointment it asked about without putting patient data in the trace.
 * A payer that sends nothing usable yields status `unknown`, never an exception: a missing answer must not
 * hide the patient's insurance panel.
 */
import { formatCents } from '../../../contracts/billing/money';
import { type Delimiters, type Segment, el } from '../x12/segments';
import { benefitInfoText, rejectReasonText, serviceTypeText, timePeriodText } from './codes';
import { amountCents, type Finding, readInterchange } from './interchange';

export type Network = 'in' | 'out' | 'both' | 'unknown';

export type Benefit = {
  info: string;
  infoText: string;
  coverageLevel: string;
  serviceTypes: { code: string; text: string }[];
  planDescription: string;
  timePeriod: string;
  timePeriodText: string;
  amountCents: number | null;
  /** EB08 as a percentage (0.2 → 20). */
  percent: number | null;
  network: Network;
  messages: string[];
};

export type Rejection = {
  code: string;
  text: string;
  followUp: string;
  level: 'payer' | 'provider' | 'subscriber' | 'dependent';
};

export type CoverageSummary = {
  traceNumber: string;
  payerName: string;
  payerId: string;
  memberId: string;
  lastName: string;
  firstName: string;
  status: 'active' | 'inactive' | 'rejected' | 'unknown';
  planName: string;
  copays: { serviceType: string; serviceTypeText: string; amountCents: number; network: Network }[];
  coinsurance: { serviceType: string; serviceTypeText: string; percent: number; network: Network }[];
  deductible: {
    individualTotalCents: number | null;
    individualRemainingCents: number | null;
    familyTotalCents: number | null;
    familyRemainingCents: number | null;
  };
  benefits: Benefit[];
  rejections: Rejection[];
  /** Readable lines for the check-in dialog. */
  lines: string[];
};

export type Eligibility271 = { summaries: CoverageSummary[]; findings: Finding[] };

const money = (c: number) => formatCents(c);

function network(v: string): Network {
  return v === 'Y' ? 'in' : v === 'N' ? 'out' : v === 'W' ? 'both' : 'unknown';
}

function benefit(s: Segment, d: Delimiters): Benefit {
  const info = el(s, 1);
  let amount: number | null = null;
  try {
    amount = amountCents(el(s, 7));
  } catch {
    amount = null;
  }
  const pct = el(s, 8) ? Number(el(s, 8)) : NaN;
  return {
    info,
    infoText: benefitInfoText(info),
    coverageLevel: el(s, 2),
    serviceTypes: el(s, 3)
      .split(d.repetition)
      .filter(Boolean)
      .map((code) => ({ code, text: serviceTypeText(code) })),
    planDescription: el(s, 5),
    timePeriod: el(s, 6),
    timePeriodText: el(s, 6) ? timePeriodText(el(s, 6)) : '',
    amountCents: amount,
    percent: Number.isFinite(pct) ? Math.round(pct * 10000) / 100 : null,
    network: network(el(s, 12)),
    messages: [],
  };
}

function summarise(c: CoverageSummary): void {
  const b = c.benefits;
  if (c.rejections.length && !b.length) c.status = 'rejected';
  else if (b.some((x) => ['1', '2', '3', '4', '5'].includes(x.info))) c.status = 'active';
  else if (b.some((x) => ['6', '7', '8'].includes(x.info))) c.status = 'inactive';
  const plan = b.find((x) => ['1', '6'].includes(x.info) && x.planDescription);
  c.planName = plan?.planDescription ?? '';
  const types = (x: Benefit) =>
    x.serviceTypes.length ? x.serviceTypes : [{ code: '', text: 'All services' }];
  for (const x of b) {
    if (x.info === 'B' && x.amountCents !== null)
      for (const t of types(x))
        c.copays.push({
          serviceType: t.code,
          serviceTypeText: t.text,
          amountCents: x.amountCents,
          network: x.network,
        });
    if (x.info === 'A' && x.percent !== null)
      for (const t of types(x))
        c.coinsurance.push({
          serviceType: t.code,
          serviceTypeText: t.text,
          percent: x.percent,
          network: x.network,
        });
    if (x.info === 'C' && x.amountCents !== null && x.network !== 'out') {
      const family = x.coverageLevel === 'FAM';
      const remaining = x.timePeriod === '29';
      const key =
        `${family ? 'family' : 'individual'}${remaining ? 'Remaining' : 'Total'}Cents` as keyof CoverageSummary['deductible'];
      // The first value sent wins: payers list the in-network, plan-level deductible first.
      if (c.deductible[key] === null) c.deductible[key] = x.amountCents;
    }
  }
  const lines: string[] = [];
  lines.push(
    c.status === 'active'
      ? `Coverage active${c.planName ? `: ${c.planName}` : ''}.`
      : c.status === 'inactive'
        ? 'Coverage is not active.'
        : c.status === 'rejected'
          ? 'The payer could not answer the eligibility request.'
          : 'The payer’s answer does not say whether coverage is active.',
  );
  for (const p of c.copays)
    lines.push(
      `Co-payment ${money(p.amountCents)} for ${p.serviceTypeText.toLowerCase()}${p.network === 'out' ? ' (out of network)' : ''}.`,
    );
  for (const p of c.coinsurance)
    lines.push(
      `Co-insurance ${p.percent}% for ${p.serviceTypeText.toLowerCase()}${p.network === 'out' ? ' (out of network)' : ''}.`,
    );
  const d = c.deductible;
  if (d.individualRemainingCents !== null)
    lines.push(
      `Deductible remaining ${money(d.individualRemainingCents)}${d.individualTotalCents !== null ? ` of ${money(d.individualTotalCents)}` : ''}.`,
    );
  else if (d.individualTotalCents !== null)
    lines.push(`Deductible ${money(d.individualTotalCents)} (remaining not sent).`);
  if (d.familyRemainingCents !== null)
    lines.push(`Family deductible remaining ${money(d.familyRemainingCents)}.`);
  for (const r of c.rejections) lines.push(`${r.text}.`);
  c.lines = lines;
}

export function parse271(text: string): Eligibility271 {
  const ix = readInterchange(text);
  const findings = [...ix.findings];
  const summaries: CoverageSummary[] = [];
  for (const set of ix.sets) {
    if (set.type !== '271') {
      findings.push({
        severity: 'error',
        position: set.st.position,
        message: `Transaction set ${set.controlNumber} is a ${set.type}, not a 271; skipped.`,
      });
      continue;
    }
    let payerName = '';
    let payerId = '';
    let level = '';
    let current: CoverageSummary | null = null;
    let lastBenefit: Benefit | null = null;
    let inRelatedEntity = false;
    const pending: Rejection[] = [];
    for (const s of set.body) {
      switch (s.id) {
        case 'HL':
          level = el(s, 3);
          lastBenefit = null;
          inRelatedEntity = false;
          if (level === '22' || level === '23') {
            current = {
              traceNumber: '',
              payerName,
              payerId,
              memberId: current && level === '23' ? current.memberId : '',
              lastName: '',
              firstName: '',
              status: 'unknown',
              planName: '',
              copays: [],
              coinsurance: [],
              deductible: {
                individualTotalCents: null,
                individualRemainingCents: null,
                familyTotalCents: null,
                familyRemainingCents: null,
              },
              benefits: [],
              rejections: [...pending],
              lines: [],
            };
            summaries.push(current);
          }
          break;
        case 'LS':
          inRelatedEntity = true;
          break;
        case 'LE':
          inRelatedEntity = false;
          break;
        case 'NM1':
          if (inRelatedEntity) break;
          if (level === '20') {
            payerName = el(s, 3);
            payerId = el(s, 9);
          } else if (current && (el(s, 1) === 'IL' || el(s, 1) === '03')) {
            current.lastName = el(s, 3);
            current.firstName = el(s, 4);
            if (el(s, 9)) current.memberId = el(s, 9);
          }
          break;
        case 'TRN':
          if (current && el(s, 1) === '2' && !current.traceNumber) current.traceNumber = el(s, 2);
          break;
        case 'AAA': {
          const r: Rejection = {
            code: el(s, 3),
            text: rejectReasonText(el(s, 3)),
            followUp: el(s, 4),
            level:
              level === '20'
                ? 'payer'
                : level === '21'
                  ? 'provider'
                  : level === '23'
                    ? 'dependent'
                    : 'subscriber',
          };
          if (el(s, 1) === 'Y') break; // AAA01 Y: the request was valid; the code is information only.
          if (current) current.rejections.push(r);
          else pending.push(r);
          break;
        }
        case 'EB':
          if (!current) break;
          lastBenefit = benefit(s, ix.delimiters);
          current.benefits.push(lastBenefit);
          break;
        case 'MSG':
          if (lastBenefit) lastBenefit.messages.push(el(s, 1));
          break;
        default:
          break;
      }
    }
    if (!summaries.length && pending.length)
      summaries.push({
        traceNumber: '',
        payerName,
        payerId,
        memberId: '',
        lastName: '',
        firstName: '',
        status: 'rejected',
        planName: '',
        copays: [],
        coinsurance: [],
        deductible: {
          individualTotalCents: null,
          individualRemainingCents: null,
          familyTotalCents: null,
          familyRemainingCents: null,
        },
        benefits: [],
        rejections: pending,
        lines: [],
      });
  }
  for (const c of summaries) summarise(c);
  return { summaries, findings };
}

/** The summary for one trace (the appointment's 270), or null: the caller then shows "no answer yet". */
export function summaryForTrace(result: Eligibility271, traceNumber: string): CoverageSummary | null {
  return result.summaries.find((s) => s.traceNumber === traceNumber) ?? null;
}
