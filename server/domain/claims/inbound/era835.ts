/**
 * 835 Health Care Claim Payment/Advice (005010X221A1) → typed remittances, one per transaction set (a file
 * may carry several ST…SE, each its own payment). Money is integer cents read from the digits; every code
 * keeps its text beside it (codes.ts). The parser never throws on a content fault: it records a finding
 * with the segment position, and balancing (era-balance.ts) and posting (era-posting.ts) decide what the
 * fault means. Loops are recognised by their leading segment as the TR3 defines them: header (BPR, TRN,
 * REF, DTM), 1000A payer (N1*PR), 1000B payee (N1*PE), 2000 header number (LX, TS3, TS2), 2100 claim
 * (CLP), 2110 service line (SVC), and the provider-level adjustments (PLB) after the last claim.
 */
import { type Delimiters, type Segment, el } from '../x12/segments';
import { adjustmentGroupText, carcText, claimStatusText, plbReasonText, rarcText } from './codes';
import { amountCents, type Finding, isoDate, readInterchange, type TransactionSet } from './interchange';

export type Adjustment = {
  /** CAS01: CO, OA, PI, PR (CR only in 4010). */
  group: string;
  groupText: string;
  /** CARC. */
  reasonCode: string;
  reasonText: string;
  amountCents: number;
  quantity: string;
  position: number;
};

export type Remark = { code: string; text: string };

export type ProcedureCode = {
  /** HC (HCPCS/CPT), AD, ER, IV, N4, NU, WK … */
  qualifier: string;
  code: string;
  modifiers: string[];
};

export type EraLine = {
  position: number;
  /** As adjudicated (SVC01). */
  procedure: ProcedureCode;
  /** As submitted, when the payer changed the code (SVC06); null when the same. */
  submittedProcedure: ProcedureCode | null;
  chargeCents: number;
  paidCents: number;
  revenueCode: string;
  /** Units paid (SVC05, default 1). */
  units: string;
  /** Units submitted when they differ (SVC07). */
  submittedUnits: string;
  serviceDateFrom: string | null;
  serviceDateTo: string | null;
  adjustments: Adjustment[];
  /** AMT*B6, the payer's allowed amount, when sent. */
  allowedCents: number | null;
  /** REF*6R: the line item control number we sent in the 837 (REF*6R in 2400), when echoed. */
  lineControlNumber: string;
  remarks: Remark[];
};

export type EraClaim = {
  position: number;
  /** CLP01: the patient control number we sent in CLM01. */
  patientControlNumber: string;
  status: string;
  statusText: string;
  chargeCents: number;
  paidCents: number;
  /** CLP05 as the payer sent it; null when not sent (it is then the sum of PR adjustments). */
  patientResponsibilityCents: number | null;
  filingIndicator: string;
  /** CLP07: the payer's claim number (REF*F8 on a replacement or void). */
  payerClaimControlNumber: string;
  facilityCode: string;
  frequencyCode: string;
  patient: { lastName: string; firstName: string; idQualifier: string; id: string };
  /** NM1*74 corrected patient/insured name, when the payer corrected it. */
  correctedName: { lastName: string; firstName: string } | null;
  renderingProviderId: string;
  statementFrom: string | null;
  statementTo: string | null;
  receivedDate: string | null;
  /** AMT*AU coverage amount, when sent. */
  coverageAmountCents: number | null;
  adjustments: Adjustment[];
  remarks: Remark[];
  lines: EraLine[];
};

export type ProviderAdjustment = {
  position: number;
  providerId: string;
  fiscalPeriodDate: string | null;
  /** PLB03-1 (L6 interest, WO recoupment, FB forward balance, 72 authorized return, CS …). */
  reasonCode: string;
  reasonText: string;
  /** PLB03-2: reference (e.g. the payer claim number a recoupment is for, or the forward-balance id). */
  reference: string;
  /**
   * As sent: positive reduces the payment (recoupment, forward balance taken), negative increases it
   * (interest paid). BPR02 = ΣCLP04 − Σ this.
   */
  amountCents: number;
};

export type Remittance = {
  controlNumber: string;
  version: string;
  interchangeControlNumber: string;
  groupControlNumber: string;
  usage: string;
  payment: {
    /** BPR01: C payment with advice, H notification only, I remittance information only, P prenotification, X … */
    handlingCode: string;
    amountCents: number;
    creditDebit: string;
    /** BPR04: ACH, CHK, BOP, FWT, NON. */
    method: string;
    format: string;
    /** BPR16 effective / check issue date. */
    date: string | null;
  };
  trace: { type: string; number: string; originatorId: string; supplementalId: string };
  productionDate: string | null;
  payer: {
    name: string;
    idQualifier: string;
    id: string;
    additionalIds: { qualifier: string; value: string }[];
  };
  payee: {
    name: string;
    idQualifier: string;
    id: string;
    additionalIds: { qualifier: string; value: string }[];
  };
  claims: EraClaim[];
  providerAdjustments: ProviderAdjustment[];
  findings: Finding[];
};

export type EraFile = {
  remittances: Remittance[];
  /** Findings about the file as a whole (envelope). */
  findings: Finding[];
};

const VERSION_5010 = '005010X221A1';
const GROUPS_5010 = new Set(['CO', 'OA', 'PI', 'PR']);

class Reader {
  constructor(
    readonly delimiters: Delimiters,
    readonly findings: Finding[],
  ) {}
  private componentWarned = false;

  money(s: Segment, n: number, required: boolean): number | null {
    try {
      const v = amountCents(el(s, n));
      if (v === null && required)
        this.findings.push({
          severity: 'error',
          position: s.position,
          message: `${s.id}${String(n).padStart(2, '0')} (amount) is empty; read as 0.00.`,
        });
      return v;
    } catch (e) {
      this.findings.push({
        severity: 'error',
        position: s.position,
        message: `${s.id}: ${(e as Error).message}`,
      });
      return null;
    }
  }

  /**
   * A composite element. Some payers write composites with a separator other than the one ISA16 declares
   * (e.g. `HC>12345>26` under ISA16 `:`); it is read anyway and reported once.
   */
  composite(s: Segment, n: number): string[] {
    const v = el(s, n);
    if (v.includes(this.delimiters.component)) return v.split(this.delimiters.component);
    const odd = /^[A-Z0-9]{2}([^A-Za-z0-9 ])/.exec(v);
    if (odd && odd[1] !== this.delimiters.element) {
      if (!this.componentWarned)
        this.findings.push({
          severity: 'warning',
          position: s.position,
          message: `${s.id}${String(n).padStart(2, '0')} uses "${odd[1]}" as component separator, not the "${this.delimiters.component}" declared in ISA16.`,
        });
      this.componentWarned = true;
      return v.split(odd[1]!);
    }
    return [v];
  }

  procedure(s: Segment, n: number): ProcedureCode | null {
    if (!el(s, n)) return null;
    const [qualifier = '', code = '', ...rest] = this.composite(s, n);
    return { qualifier, code, modifiers: rest.slice(0, 4).filter((m) => m !== '') };
  }

  adjustments(s: Segment): Adjustment[] {
    const group = el(s, 1);
    const out: Adjustment[] = [];
    if (!GROUPS_5010.has(group))
      this.findings.push({
        severity: 'error',
        position: s.position,
        message:
          group === 'CR'
            ? 'CAS group CR (corrections and reversals) exists only in 4010; 5010 reversals use CLP02 22.'
            : `CAS group "${group}" is not a 5010 claim adjustment group.`,
      });
    // Up to six reason/amount/quantity triplets: CAS02-04, 05-07 … 17-19.
    for (let i = 2; i <= 17; i += 3) {
      const reasonCode = el(s, i);
      if (!reasonCode) continue;
      out.push({
        group,
        groupText: adjustmentGroupText(group),
        reasonCode,
        reasonText: carcText(reasonCode),
        amountCents: this.money(s, i + 1, true) ?? 0,
        quantity: el(s, i + 2),
        position: s.position,
      });
    }
    return out;
  }
}

function dateOf(s: Segment): string | null {
  return isoDate(el(s, 2));
}

function parseRemittance(set: TransactionSet, delimiters: Delimiters): Remittance {
  const findings: Finding[] = [];
  const r = new Reader(delimiters, findings);
  const version = set.version;
  if (version !== VERSION_5010)
    findings.push({
      severity: 'error',
      position: set.st.position,
      message: version.startsWith('004010')
        ? `This is a 4010 remittance (${version}); only 5010 (${VERSION_5010}) can be posted.`
        : `Unexpected 835 version "${version}"; expected ${VERSION_5010}.`,
    });
  const rem: Remittance = {
    controlNumber: set.controlNumber,
    version,
    interchangeControlNumber: set.interchangeControlNumber,
    groupControlNumber: set.groupControlNumber,
    usage: set.usage,
    payment: { handlingCode: '', amountCents: 0, creditDebit: '', method: '', format: '', date: null },
    trace: { type: '', number: '', originatorId: '', supplementalId: '' },
    productionDate: null,
    payer: { name: '', idQualifier: '', id: '', additionalIds: [] },
    payee: { name: '', idQualifier: '', id: '', additionalIds: [] },
    claims: [],
    providerAdjustments: [],
    findings,
  };
  let party: 'header' | 'payer' | 'payee' | 'detail' = 'header';
  let claim: EraClaim | null = null;
  let line: EraLine | null = null;
  let sawBpr = false;

  for (const s of set.body) {
    switch (s.id) {
      case 'BPR':
        sawBpr = true;
        rem.payment = {
          handlingCode: el(s, 1),
          amountCents: r.money(s, 2, true) ?? 0,
          creditDebit: el(s, 3),
          method: el(s, 4),
          format: el(s, 5),
          date: isoDate(el(s, 16)),
        };
        break;
      case 'TRN':
        if (party === 'header')
          rem.trace = { type: el(s, 1), number: el(s, 2), originatorId: el(s, 3), supplementalId: el(s, 4) };
        break;
      case 'N1':
        if (el(s, 1) === 'PR') {
          party = 'payer';
          rem.payer = { ...rem.payer, name: el(s, 2), idQualifier: el(s, 3), id: el(s, 4) };
        } else if (el(s, 1) === 'PE') {
          party = 'payee';
          rem.payee = { ...rem.payee, name: el(s, 2), idQualifier: el(s, 3), id: el(s, 4) };
        }
        break;
      case 'LX':
        party = 'detail';
        claim = null;
        line = null;
        break;
      case 'CLP': {
        party = 'detail';
        line = null;
        const status = el(s, 2);
        claim = {
          position: s.position,
          patientControlNumber: el(s, 1),
          status,
          statusText: claimStatusText(status),
          chargeCents: r.money(s, 3, true) ?? 0,
          paidCents: r.money(s, 4, true) ?? 0,
          patientResponsibilityCents: r.money(s, 5, false),
          filingIndicator: el(s, 6),
          payerClaimControlNumber: el(s, 7),
          facilityCode: el(s, 8),
          frequencyCode: el(s, 9),
          patient: { lastName: '', firstName: '', idQualifier: '', id: '' },
          correctedName: null,
          renderingProviderId: '',
          statementFrom: null,
          statementTo: null,
          receivedDate: null,
          coverageAmountCents: null,
          adjustments: [],
          remarks: [],
          lines: [],
        };
        rem.claims.push(claim);
        break;
      }
      case 'SVC': {
        if (!claim) {
          findings.push({
            severity: 'error',
            position: s.position,
            message: 'SVC outside a claim (no CLP before it).',
          });
          break;
        }
        const procedure = r.procedure(s, 1) ?? { qualifier: '', code: '', modifiers: [] };
        const submitted = r.procedure(s, 6);
        line = {
          position: s.position,
          procedure,
          submittedProcedure: submitted,
          chargeCents: r.money(s, 2, true) ?? 0,
          paidCents: r.money(s, 3, true) ?? 0,
          revenueCode: el(s, 4),
          units: el(s, 5) || '1',
          submittedUnits: el(s, 7),
          serviceDateFrom: null,
          serviceDateTo: null,
          adjustments: [],
          allowedCents: null,
          lineControlNumber: '',
          remarks: [],
        };
        claim.lines.push(line);
        break;
      }
      case 'CAS':
        if (line) line.adjustments.push(...r.adjustments(s));
        else if (claim) claim.adjustments.push(...r.adjustments(s));
        else findings.push({ severity: 'error', position: s.position, message: 'CAS outside a claim.' });
        break;
      case 'NM1':
        if (claim && !line) {
          const who = el(s, 1);
          if (who === 'QC')
            claim.patient = {
              lastName: el(s, 3),
              firstName: el(s, 4),
              idQualifier: el(s, 8),
              id: el(s, 9).trim(),
            };
          else if (who === '74') claim.correctedName = { lastName: el(s, 3), firstName: el(s, 4) };
          else if (who === '82') claim.renderingProviderId = el(s, 9);
        }
        break;
      case 'MOA':
      case 'MIA': {
        if (!claim) break;
        // Remark codes sit in MOA03-07 and MIA05, 20-24.
        const idx = s.id === 'MOA' ? [3, 4, 5, 6, 7] : [5, 20, 21, 22, 23, 24];
        for (const i of idx) if (el(s, i)) claim.remarks.push({ code: el(s, i), text: rarcText(el(s, i)) });
        break;
      }
      case 'LQ':
        if (line && el(s, 1) === 'HE') line.remarks.push({ code: el(s, 2), text: rarcText(el(s, 2)) });
        break;
      case 'DTM':
        if (party === 'header' && el(s, 1) === '405') rem.productionDate = dateOf(s);
        else if (line) {
          const q = el(s, 1);
          if (q === '472') line.serviceDateFrom = line.serviceDateTo = dateOf(s);
          else if (q === '150') line.serviceDateFrom = dateOf(s);
          else if (q === '151') line.serviceDateTo = dateOf(s);
        } else if (claim) {
          const q = el(s, 1);
          if (q === '232') claim.statementFrom = dateOf(s);
          else if (q === '233') claim.statementTo = dateOf(s);
          else if (q === '050') claim.receivedDate = dateOf(s);
        }
        break;
      case 'REF':
        if (line && el(s, 1) === '6R') line.lineControlNumber = el(s, 2);
        else if (party === 'payer' && !claim)
          rem.payer.additionalIds.push({ qualifier: el(s, 1), value: el(s, 2) });
        else if (party === 'payee' && !claim)
          rem.payee.additionalIds.push({ qualifier: el(s, 1), value: el(s, 2) });
        break;
      case 'AMT':
        if (line && el(s, 1) === 'B6') line.allowedCents = r.money(s, 2, true);
        else if (claim && !line && el(s, 1) === 'AU') claim.coverageAmountCents = r.money(s, 2, true);
        break;
      case 'PLB': {
        claim = null;
        line = null;
        const providerId = el(s, 1);
        const fiscalPeriodDate = isoDate(el(s, 2));
        // Up to six adjustment pairs: PLB03/04 … PLB13/14; each identifier is a composite reason:reference.
        for (let i = 3; i <= 13; i += 2) {
          if (!el(s, i)) continue;
          const [reasonCode = '', reference = ''] = r.composite(s, i);
          rem.providerAdjustments.push({
            position: s.position,
            providerId,
            fiscalPeriodDate,
            reasonCode,
            reasonText: plbReasonText(reasonCode),
            reference,
            amountCents: r.money(s, i + 1, true) ?? 0,
          });
        }
        break;
      }
      default:
        break;
    }
  }
  if (!sawBpr)
    findings.push({
      severity: 'error',
      position: set.st.position,
      message: 'The 835 has no BPR (payment) segment.',
    });
  if (!rem.trace.number)
    findings.push({
      severity: 'error',
      position: set.st.position,
      message: 'The 835 has no TRN (trace number).',
    });
  return rem;
}

/** Parses an 835 file (any delimiters, any number of ISA/GS/ST) into its remittances. */
export function parse835(text: string): EraFile {
  const ix = readInterchange(text);
  const remittances: Remittance[] = [];
  const findings = [...ix.findings];
  for (const set of ix.sets) {
    if (set.type !== '835') {
      findings.push({
        severity: 'error',
        position: set.st.position,
        message: `Transaction set ${set.controlNumber} is a ${set.type}, not an 835; skipped.`,
      });
      continue;
    }
    remittances.push(parseRemittance(set, ix.delimiters));
  }
  return { remittances, findings };
}
