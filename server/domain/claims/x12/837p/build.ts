import { x12Amount } from '../amounts';
import { defaultDelimiters, writeSegment } from '../segments';

export { x12Amount };
import type {
  Address,
  Adjustment,
  Batch,
  BillingProvider,
  Claim,
  Envelope,
  LineAdjudication,
  OtherCoverage,
  Person,
  ServiceLine,
} from './model';

/**
 * The 837P batch builder (X12 5010, 005010X222A1). Each loop has its own small typed writer below, in the
 * order the implementation guide lists the segments, so the file's structure can be read from this module
 * top to bottom. Counts (SE01, GE01, IEA01) and HL numbers are computed while writing, never passed in.
 *
 * One transaction set holds at most 5,000 claims (the guide's recommended ceiling); larger batches get more
 * ST/SE pairs inside the one functional group.
 */

export const IMPLEMENTATION_GUIDE = '005010X222A1';
export const MAX_CLAIMS_PER_TRANSACTION = 5000;
const d = defaultDelimiters;

export interface BuiltBatch {
  text: string;
  interchangeControlNumber: string;
  groupControlNumber: string;
  transactionSetControlNumbers: string[];
  segmentCount: number;
  claimCount: number;
}

export class X12BuildError extends Error {}

/** YYYY-MM-DD → CCYYMMDD. */
export function x12Date(date: string): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) throw new X12BuildError(`"${date}" is not a YYYY-MM-DD date.`);
  return date.replaceAll('-', '');
}

/**
 * Free text (names, addresses) may contain characters X12 reserves as delimiters; they are replaced by a
 * space rather than refused, because a stray apostrophe-like "^" in a street name must not split an element.
 */
export function x12Text(value: string | null | undefined): string {
  if (value == null) return '';
  return value
    .replace(/[*:^~\r\n\t]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .toUpperCase();
}

/** ICD-10-CM codes travel without the dot (F41.1 → F411). */
export const icd10ForX12 = (code: string) => code.replace('.', '').trim().toUpperCase();

function padRight(value: string, width: number): string {
  if (value.length > width) throw new X12BuildError(`"${value}" is longer than ${width} characters.`);
  return value.padEnd(width, ' ');
}

function controlNumber(n: number, width: number): string {
  if (!Number.isInteger(n) || n < 1 || String(n).length > width)
    throw new X12BuildError(`Control number ${n} must be a whole number from 1 to ${'9'.repeat(width)}.`);
  return String(n).padStart(width, '0');
}

/** Collects segments and counts them per transaction set. */
class Writer {
  readonly parts: string[] = [];
  segmentCount = 0;
  private stSegments = 0;
  constructor(private readonly lineBreaks: boolean) {}

  seg(id: string, elements: readonly (string | undefined)[]): void {
    this.parts.push(writeSegment(id, elements, d) + (this.lineBreaks ? '\n' : ''));
    this.segmentCount++;
    this.stSegments++;
  }
  startTransaction(): void {
    this.stSegments = 0;
  }
  /** Segments since ST, counting the SE about to be written. */
  get transactionCount(): number {
    return this.stSegments + 1;
  }
}

export function build837p(batch: Batch, options: { lineBreaks?: boolean } = {}): BuiltBatch {
  if (batch.claims.length === 0) throw new X12BuildError('A batch needs at least one claim.');
  const env = batch.envelope;
  const w = new Writer(options.lineBreaks ?? true);
  const isa13 = controlNumber(env.interchangeControlNumber, 9);
  const gs06 = String(controlNumber(env.groupControlNumber, 9).replace(/^0+/, ''));
  writeInterchangeHeader(w, env, isa13, gs06);

  const stNumbers: string[] = [];
  for (let start = 0; start < batch.claims.length; start += MAX_CLAIMS_PER_TRANSACTION) {
    const st02 = String(stNumbers.length + 1).padStart(4, '0');
    stNumbers.push(st02);
    w.startTransaction();
    w.seg('ST', ['837', st02, IMPLEMENTATION_GUIDE]);
    // BHT06 CH: chargeable (fee-for-service claims); BHT02 00: original transmission.
    w.seg('BHT', ['0019', '00', x12Text(env.batchReference), x12Date(env.createdDate), hhmm(env.createdTime), 'CH']);
    // 1000A submitter, 1000B receiver.
    w.seg('NM1', ['41', '2', x12Text(batch.submitter.name), '', '', '', '', '46', batch.submitter.id]);
    w.seg('PER', ['IC', x12Text(batch.submitter.contactName), 'TE', batch.submitter.contactPhone.replace(/\D/g, '')]);
    w.seg('NM1', ['40', '2', x12Text(batch.receiver.name), '', '', '', '', '46', batch.receiver.id]);

    // 2000A billing provider: HL 1 in every transaction set; subscribers hang under it.
    let hl = 1;
    w.seg('HL', ['1', '', '20', '1']);
    writeBillingProvider(w, batch.billingProvider);
    if (batch.payToProvider) {
      w.seg('NM1', ['87', '2']);
      writeAddress(w, batch.payToProvider.address);
    }
    for (const claim of batch.claims.slice(start, start + MAX_CLAIMS_PER_TRANSACTION)) {
      hl = writeClaimHierarchy(w, claim, hl);
    }
    w.seg('SE', [String(w.transactionCount), st02]);
  }
  w.seg('GE', [String(stNumbers.length), gs06]);
  w.seg('IEA', ['1', isa13]);
  return {
    text: w.parts.join(''),
    interchangeControlNumber: isa13,
    groupControlNumber: gs06,
    transactionSetControlNumbers: stNumbers,
    segmentCount: w.segmentCount,
    claimCount: batch.claims.length,
  };
}

function hhmm(time: string): string {
  if (!/^\d{2}:\d{2}$/.test(time)) throw new X12BuildError(`"${time}" is not an HH:MM time.`);
  return time.replace(':', '');
}

function writeInterchangeHeader(w: Writer, env: Envelope, isa13: string, gs06: string): void {
  const date = x12Date(env.createdDate);
  w.seg('ISA', [
    '00',
    ' '.repeat(10),
    '00',
    ' '.repeat(10),
    padRight(env.senderQualifier ?? 'ZZ', 2),
    padRight(env.senderId, 15),
    padRight(env.receiverQualifier ?? 'ZZ', 2),
    padRight(env.receiverId, 15),
    date.slice(2),
    hhmm(env.createdTime),
    d.repetition,
    '00501',
    isa13,
    '0',
    env.usage,
    d.component,
  ]);
  w.seg('GS', ['HC', env.senderId, env.receiverId, date, hhmm(env.createdTime), gs06, 'X', IMPLEMENTATION_GUIDE]);
}

function writeAddress(w: Writer, a: Address): void {
  w.seg('N3', [x12Text(a.line1), a.line2 ? x12Text(a.line2) : undefined]);
  w.seg('N4', [x12Text(a.city), a.state.toUpperCase(), a.postalCode.replace(/\D/g, '')]);
}

function writeBillingProvider(w: Writer, p: BillingProvider): void {
  w.seg('PRV', ['BI', 'PXC', p.taxonomy]);
  // 2010AA
  w.seg('NM1', ['85', '2', x12Text(p.organizationName), '', '', '', '', 'XX', p.npi]);
  writeAddress(w, p.address);
  w.seg('REF', ['EI', p.taxId.replace(/\D/g, '')]);
}

function writePersonDemographics(w: Writer, p: Person): void {
  writeAddress(w, p.address);
  w.seg('DMG', ['D8', x12Date(p.dateOfBirth), p.gender]);
}

/** 2000B (and 2000C when the patient is not the subscriber), then the claim; returns the last HL number. */
function writeClaimHierarchy(w: Writer, claim: Claim, lastHl: number): number {
  const subscriberHl = lastHl + 1;
  const patientIsSubscriber = claim.relationship === '18';
  if (!patientIsSubscriber && !claim.patient)
    throw new X12BuildError(`Claim ${claim.patientControlNumber}: the patient is not the subscriber but no patient is given.`);
  w.seg('HL', [String(subscriberHl), '1', '22', patientIsSubscriber ? '0' : '1']);
  const s = claim.subscriber;
  // SBR02 is 18 only when the subscriber is the patient; otherwise the relationship goes in PAT01.
  w.seg('SBR', [
    claim.responsibility,
    patientIsSubscriber ? '18' : '',
    s.groupNumber ? x12Text(s.groupNumber) : '',
    '',
    '',
    '',
    '',
    '',
    s.claimFilingIndicator,
  ]);
  // 2010BA subscriber; address and demographics are required when the subscriber is the patient and sent
  // whenever known (payers match eligibility on them).
  w.seg('NM1', ['IL', '1', x12Text(s.lastName), x12Text(s.firstName), x12Text(s.middleName), '', '', 'MI', x12Text(s.memberId)]);
  writePersonDemographics(w, s);
  // 2010BB payer
  w.seg('NM1', ['PR', '2', x12Text(claim.payer.name), '', '', '', '', 'PI', claim.payer.payerId]);
  let hl = subscriberHl;
  if (!patientIsSubscriber) {
    hl += 1;
    const p = claim.patient!;
    w.seg('HL', [String(hl), String(subscriberHl), '23', '0']);
    w.seg('PAT', [claim.relationship]);
    w.seg('NM1', ['QC', '1', x12Text(p.lastName), x12Text(p.firstName), x12Text(p.middleName)]);
    writePersonDemographics(w, p);
  }
  writeClaim(w, claim);
  return hl;
}

function writeClaim(w: Writer, claim: Claim): void {
  if (claim.lines.length === 0) throw new X12BuildError(`Claim ${claim.patientControlNumber} has no lines.`);
  if (claim.lines.length > 50)
    throw new X12BuildError(`Claim ${claim.patientControlNumber} has more than 50 lines; split it.`);
  if (claim.diagnoses.length === 0 || claim.diagnoses.length > 12)
    throw new X12BuildError(`Claim ${claim.patientControlNumber} needs 1 to 12 diagnoses.`);
  if (claim.frequency !== '1' && !claim.payerClaimNumber)
    throw new X12BuildError(
      `Claim ${claim.patientControlNumber}: a replacement or void needs the payer's claim number of the original.`,
    );
  const total = claim.lines.reduce((sum, l) => sum + l.chargeCents, 0);
  // CLM05: place of service : B (professional) : frequency. CLM06 signature on file, CLM07 assigned,
  // CLM08 benefits assigned, CLM09 release of information signed (Y).
  w.seg('CLM', [
    claim.patientControlNumber,
    x12Amount(total),
    '',
    '',
    [claim.placeOfService, 'B', claim.frequency].join(d.component),
    'Y',
    'A',
    'Y',
    'Y',
  ]);
  if (claim.frequency !== '1') w.seg('REF', ['F8', x12Text(claim.payerClaimNumber)]);
  w.seg(
    'HI',
    claim.diagnoses.map((code, i) => `${i === 0 ? 'ABK' : 'ABF'}${d.component}${icd10ForX12(code)}`),
  );
  if (claim.renderingProvider) {
    const r = claim.renderingProvider;
    w.seg('NM1', ['82', '1', x12Text(r.lastName), x12Text(r.firstName), '', '', '', 'XX', r.npi]);
    w.seg('PRV', ['PE', 'PXC', r.taxonomy]);
  }
  for (const other of claim.otherCoverages ?? []) writeOtherCoverage(w, other);
  claim.lines.forEach((line, i) => writeLine(w, claim, line, i + 1));
}

function writeAdjustments(w: Writer, adjustments: readonly Adjustment[]): void {
  for (const a of adjustments) {
    // Up to 6 reason/amount/quantity triples per CAS; more reasons for the same group continue in another CAS.
    for (let i = 0; i < a.reasons.length; i += 6) {
      const triples = a.reasons
        .slice(i, i + 6)
        .flatMap((r) => [r.reason, x12Amount(r.amountCents), r.quantity !== undefined ? String(r.quantity) : '']);
      w.seg('CAS', [a.group, ...triples]);
    }
  }
}

/** 2320 other subscriber, 2330A other subscriber name, 2330B other payer. */
function writeOtherCoverage(w: Writer, o: OtherCoverage): void {
  w.seg('SBR', [
    o.responsibility,
    o.relationship,
    o.groupNumber ? x12Text(o.groupNumber) : '',
    '',
    '',
    '',
    '',
    '',
    o.claimFilingIndicator,
  ]);
  writeAdjustments(w, o.adjustments);
  w.seg('AMT', ['D', x12Amount(o.paidCents)]);
  if (o.remainingPatientLiabilityCents != null) w.seg('AMT', ['EAF', x12Amount(o.remainingPatientLiabilityCents)]);
  // OI03 benefits assigned Y, OI06 release of information Y.
  w.seg('OI', ['', '', 'Y', '', '', 'Y']);
  w.seg('NM1', ['IL', '1', x12Text(o.subscriber.lastName), x12Text(o.subscriber.firstName), '', '', '', 'MI', x12Text(o.subscriber.memberId)]);
  w.seg('NM1', ['PR', '2', x12Text(o.payer.name), '', '', '', '', 'PI', o.payer.payerId]);
  if (o.adjudicationDate) w.seg('DTP', ['573', 'D8', x12Date(o.adjudicationDate)]);
}

function procedure(code: string, modifiers: readonly string[]): string {
  if (modifiers.length > 4) throw new X12BuildError(`Procedure ${code} has more than 4 modifiers.`);
  return ['HC', code.toUpperCase(), ...modifiers.map((m) => m.toUpperCase())].join(d.component);
}

function writeLine(w: Writer, claim: Claim, line: ServiceLine, n: number): void {
  if (line.diagnosisPointers.length < 1 || line.diagnosisPointers.length > 4)
    throw new X12BuildError(`Claim ${claim.patientControlNumber} line ${n} needs 1 to 4 diagnosis pointers.`);
  if (line.diagnosisPointers.some((p) => p < 1 || p > claim.diagnoses.length))
    throw new X12BuildError(`Claim ${claim.patientControlNumber} line ${n} points at a diagnosis the claim does not have.`);
  w.seg('LX', [String(n)]);
  w.seg('SV1', [
    procedure(line.procedureCode, line.modifiers),
    x12Amount(line.chargeCents),
    'UN',
    String(line.units),
    line.placeOfService !== claim.placeOfService ? line.placeOfService : '',
    '',
    line.diagnosisPointers.join(d.component),
  ]);
  w.seg('DTP', ['472', 'D8', x12Date(line.dateOfService)]);
  w.seg('REF', ['6R', line.lineControlNumber]);
  for (const adj of line.adjudications ?? []) writeLineAdjudication(w, adj);
}

/** 2430: the other payer's adjudication of the line. */
function writeLineAdjudication(w: Writer, a: LineAdjudication): void {
  w.seg('SVD', [a.payerId, x12Amount(a.paidCents), procedure(a.procedureCode, a.modifiers), '', String(a.units)]);
  writeAdjustments(w, a.adjustments);
  w.seg('DTP', ['573', 'D8', x12Date(a.adjudicationDate)]);
}
