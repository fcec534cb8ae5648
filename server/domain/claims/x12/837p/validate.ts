import { formatCentsPlain } from '../../../../contracts/billing/money';
import { isValidNpi } from '../../../../contracts/claims/npi';
import { centsOfX12Amount } from '../amounts';
import { el, parseSegments, X12SyntaxError, type Delimiters, type Segment } from '../segments';
import { LOOP_SEGMENTS, locateLoops, type LocatedSegment } from './loops';

/**
 * Our own 837P implementation-guide checks (005010X222A1), independent of the builder: the builder's output
 * and any file a clearinghouse or a vendor hands us go through the same rules. What is checked:
 *  - envelopes: SE01 counts the segments from ST to SE, SE02 = ST02, GE01 counts the transaction sets,
 *    GE02 = GS06, IEA01 counts the groups, IEA02 = ISA13, the implementation guide named in GS08/ST03;
 *  - the HL hierarchy: HL01 numbered 1, 2, 3… without repeats, HL02 naming an earlier HL of the right
 *    level (subscriber under billing provider, patient under subscriber), HL04 saying whether children follow;
 *  - segments per loop: each loop's required segments, segments the loop may not contain, repeat limits;
 *  - elements: required elements, lengths, the NPI check digit, dates, diagnosis qualifiers (ICD-10 ABK/ABF),
 *    diagnosis pointers that point at a diagnosis, the claim total equal to its lines, a secondary line's
 *    paid amount plus adjustments equal to its charge.
 * Each issue names the segment's 1-based position in the file and its loop.
 */

export interface X12Issue {
  severity: 'error' | 'warning';
  /** 1-based segment number in the file (ISA is 1). */
  position: number;
  segment: string;
  loop: string;
  /** e.g. "CLM05" or "CLM05-1". */
  element?: string;
  message: string;
}

export interface ValidationResult {
  issues: X12Issue[];
  errors: number;
  warnings: number;
  segments: LocatedSegment[];
  delimiters: Delimiters | null;
}

export const ACCEPTED_GUIDES = ['005010X222A1', '005010X222A2'];

type Rule = {
  required?: number[];
  /** [min, max] length per element number. */
  lengths?: Record<number, [number, number]>;
};

const RULES: Record<string, Rule> = {
  GS: { required: [1, 2, 3, 4, 5, 6, 7, 8], lengths: { 2: [2, 15], 3: [2, 15], 4: [8, 8], 6: [1, 9] } },
  ST: { required: [1, 2, 3], lengths: { 2: [4, 9] } },
  BHT: { required: [1, 2, 3, 4, 5, 6], lengths: { 3: [1, 50], 4: [8, 8] } },
  SE: { required: [1, 2] },
  GE: { required: [1, 2] },
  IEA: { required: [1, 2] },
  HL: { required: [1, 3] },
  PRV: { required: [1, 2, 3], lengths: { 3: [10, 10] } },
  NM1: { required: [1, 2], lengths: { 3: [1, 60], 4: [1, 35], 5: [1, 25], 9: [2, 80] } },
  N3: { required: [1], lengths: { 1: [1, 55], 2: [1, 55] } },
  N4: { required: [1], lengths: { 1: [2, 30], 2: [2, 2], 3: [3, 15] } },
  REF: { required: [1, 2], lengths: { 2: [1, 50] } },
  PER: { required: [1], lengths: { 2: [1, 60], 4: [1, 256] } },
  SBR: { required: [1], lengths: { 3: [1, 50], 9: [1, 2] } },
  PAT: { required: [1] },
  DMG: { required: [1, 2] },
  CLM: { required: [1, 2, 5, 6, 7, 8, 9], lengths: { 1: [1, 38], 2: [1, 18] } },
  HI: { required: [1] },
  LX: { required: [1], lengths: { 1: [1, 6] } },
  SV1: { required: [1, 2, 3, 4, 7], lengths: { 2: [1, 18], 4: [1, 15] } },
  DTP: { required: [1, 2, 3] },
  AMT: { required: [1, 2], lengths: { 2: [1, 18] } },
  CAS: { required: [1, 2, 3] },
  OI: { required: [3, 6] },
  SVD: { required: [1, 2, 3, 5], lengths: { 2: [1, 18] } },
};

/** Segments each loop must have. */
const REQUIRED_IN_LOOP: Record<string, readonly string[]> = {
  HEADER: ['BHT'],
  '1000A': ['NM1', 'PER'],
  '1000B': ['NM1'],
  '2010AA': ['NM1', 'N3', 'N4', 'REF'],
  '2010AB': ['NM1', 'N3', 'N4'],
  '2000B': ['HL', 'SBR'],
  '2010BA': ['NM1'],
  '2010BB': ['NM1'],
  '2000C': ['HL', 'PAT'],
  '2010CA': ['NM1', 'N3', 'N4', 'DMG'],
  '2300': ['CLM', 'HI'],
  '2310B': ['NM1'],
  '2320': ['SBR', 'OI'],
  '2330A': ['NM1'],
  '2330B': ['NM1'],
  '2400': ['LX', 'SV1', 'DTP'],
  '2430': ['SVD', 'DTP'],
};

/** NM1 entities that must carry an identifier (NM108/NM109). */
const NM1_NEEDS_ID = new Set(['41', '40', '85', 'IL', 'PR', '82']);
/** NM1 entities that must carry a name (NM103); pick-up and drop-off locations (PW, 45) and a purchased
 *  service provider (QB) are written without one. */
const NM1_NEEDS_NAME = new Set(['41', '40', '85', 'PE', 'IL', 'PR', 'QC', 'DN', 'P3', '82', '77', 'DQ', 'DK']);

/** One loop occurrence: its segments in order. */
type LoopInstance = { loop: string; items: LocatedSegment[] };

export function validate837p(text: string): ValidationResult {
  let parsed;
  try {
    parsed = parseSegments(text);
  } catch (err) {
    if (!(err instanceof X12SyntaxError)) throw err;
    const issue: X12Issue = { severity: 'error', position: 1, segment: 'ISA', loop: 'ISA', message: err.message };
    return { issues: [issue], errors: 1, warnings: 0, segments: [], delimiters: null };
  }
  const located = locateLoops(parsed.segments);
  const v = new Checker(parsed.delimiters);
  // The delimiters are read from fixed positions in ISA; when ISA is not fixed-width they are wrong and every
  // later message would be noise, so only the header's own errors are reported.
  if (located[0] && !v.checkIsa(located[0])) {
    return { issues: v.issues, errors: v.issues.length, warnings: 0, segments: located, delimiters: parsed.delimiters };
  }
  v.run(located);
  // In file order, so a reader goes through the file once (the checks themselves run loop by loop).
  v.issues.sort((a, b) => a.position - b.position);
  const errors = v.issues.filter((i) => i.severity === 'error').length;
  return { issues: v.issues, errors, warnings: v.issues.length - errors, segments: located, delimiters: parsed.delimiters };
}

class Checker {
  readonly issues: X12Issue[] = [];
  constructor(private readonly d: Delimiters) {}

  private add(severity: X12Issue['severity'], at: LocatedSegment, message: string, element?: string): void {
    this.issues.push({
      severity,
      position: at.segment.position + 1,
      segment: at.segment.id,
      loop: at.loop,
      ...(element && { element }),
      message,
    });
  }
  private error(at: LocatedSegment, message: string, element?: string) {
    this.add('error', at, message, element);
  }

  run(located: LocatedSegment[]): void {
    if (located.length === 0 || located[0]!.segment.id !== 'ISA') return;
    // Envelope frames: ISA…IEA containing GS…GE containing ST…SE.
    let isa: LocatedSegment | null = null;
    let gs: LocatedSegment | null = null;
    let st: LocatedSegment | null = null;
    let groups = 0;
    let transactions = 0;
    let transaction: LocatedSegment[] = [];
    for (const item of located) {
      const s = item.segment;
      this.checkElements(item);
      switch (s.id) {
        case 'ISA':
          if (isa) this.error(item, 'A new interchange starts before the previous one ended with IEA.');
          isa = item;
          groups = 0;
          if (item !== located[0]) this.checkIsa(item);
          break;
        case 'GS':
          if (!isa) this.error(item, 'GS outside an interchange (no ISA before it).');
          if (gs) this.error(item, 'A new functional group starts before the previous one ended with GE.');
          gs = item;
          groups += 1;
          transactions = 0;
          if (!ACCEPTED_GUIDES.includes(el(s, 8)))
            this.error(item, `GS08 names ${el(s, 8) || 'no guide'}; an 837P batch uses 005010X222A1.`, 'GS08');
          break;
        case 'ST':
          if (!gs) this.error(item, 'ST outside a functional group (no GS before it).');
          if (st) this.error(item, 'A new transaction set starts before the previous one ended with SE.');
          st = item;
          transactions += 1;
          transaction = [item];
          if (el(s, 1) !== '837') this.error(item, `ST01 is ${el(s, 1)}; an 837P transaction set is 837.`, 'ST01');
          if (el(s, 3) && !ACCEPTED_GUIDES.includes(el(s, 3)))
            this.error(item, `ST03 names ${el(s, 3)}; an 837P uses 005010X222A1.`, 'ST03');
          break;
        case 'SE':
          transaction.push(item);
          if (!st) this.error(item, 'SE without a matching ST.');
          else {
            const count = transaction.length;
            if (el(s, 1) !== String(count))
              this.error(item, `SE01 says ${el(s, 1) || 'nothing'} segments; the transaction set has ${count} (ST to SE).`, 'SE01');
            if (el(s, 2) !== el(st.segment, 2))
              this.error(item, `SE02 ${el(s, 2)} does not match ST02 ${el(st.segment, 2)}.`, 'SE02');
            this.checkTransaction(transaction);
          }
          st = null;
          transaction = [];
          break;
        case 'GE':
          if (st) this.error(item, 'The functional group ends before its transaction set ended with SE.');
          if (!gs) this.error(item, 'GE without a matching GS.');
          else {
            if (el(s, 1) !== String(transactions))
              this.error(item, `GE01 says ${el(s, 1)} transaction sets; the group has ${transactions}.`, 'GE01');
            if (el(s, 2) !== el(gs.segment, 6))
              this.error(item, `GE02 ${el(s, 2)} does not match GS06 ${el(gs.segment, 6)}.`, 'GE02');
          }
          gs = null;
          st = null;
          break;
        case 'IEA':
          if (gs) this.error(item, 'The interchange ends before its functional group ended with GE.');
          if (!isa) this.error(item, 'IEA without a matching ISA.');
          else {
            if (el(s, 1) !== String(groups))
              this.error(item, `IEA01 says ${el(s, 1)} functional groups; the interchange has ${groups}.`, 'IEA01');
            if (el(s, 2) !== el(isa.segment, 13))
              this.error(item, `IEA02 ${el(s, 2)} does not match ISA13 ${el(isa.segment, 13)}.`, 'IEA02');
          }
          isa = null;
          gs = null;
          break;
        default:
          if (st) transaction.push(item);
          else this.error(item, `${s.id} is outside a transaction set (between ST and SE).`);
      }
    }
    const last = located[located.length - 1]!;
    if (st) this.error(last, 'The file ends inside a transaction set (no SE).');
    if (gs) this.error(last, 'The file ends inside a functional group (no GE).');
    if (isa) this.error(last, 'The file ends inside an interchange (no IEA).');
  }

  /** Checks an ISA header; false when it is not fixed-width (its delimiters cannot be trusted). */
  checkIsa(item: LocatedSegment): boolean {
    const e = item.segment.elements;
    const before = this.issues.length;
    if (e.length < 16) {
      this.error(item, `ISA has ${e.length} elements; it must have 16, so its delimiters cannot be read and nothing after it was checked.`);
      return false;
    }
    const widths = [2, 10, 2, 10, 2, 15, 2, 15, 6, 4, 1, 5, 9, 1, 1, 1];
    widths.forEach((w, i) => {
      if (e[i]!.length !== w)
        this.error(item, `ISA${String(i + 1).padStart(2, '0')} must be exactly ${w} character${w === 1 ? '' : 's'} (ISA is fixed width).`, `ISA${String(i + 1).padStart(2, '0')}`);
    });
    if (this.issues.length > before || e.length > 16) {
      this.error(item, 'The ISA header is not fixed-width, so its delimiters cannot be read; nothing after it was checked.');
      return false;
    }
    if (!/^\d{9}$/.test(e[12]!)) this.error(item, 'ISA13 (interchange control number) must be 9 digits.', 'ISA13');
    if (e[11] !== '00501') this.error(item, `ISA12 is ${e[11]}; 5010 interchanges are 00501.`, 'ISA12');
    if (!['P', 'T'].includes(e[14]!)) this.error(item, 'ISA15 must be P (production) or T (test).', 'ISA15');
    return true;
  }

  private checkElements(item: LocatedSegment): void {
    const s = item.segment;
    const rule = RULES[s.id];
    if (!rule) return;
    for (const n of rule.required ?? []) {
      if (el(s, n) === '') this.error(item, `${s.id} in loop ${item.loop} is missing required element ${name(s.id, n)}.`, name(s.id, n));
    }
    for (const [k, [min, max]] of Object.entries(rule.lengths ?? {})) {
      const n = Number(k);
      const value = el(s, n);
      if (value !== '' && (value.length < min || value.length > max))
        this.error(item, `${name(s.id, n)} is ${value.length} characters; it must be ${min === max ? `exactly ${min}` : `${min} to ${max}`}.`, name(s.id, n));
    }
    switch (s.id) {
      case 'NM1':
        this.checkNm1(item);
        break;
      case 'DTP':
        this.checkDate(item, el(s, 2), el(s, 3), 'DTP03');
        break;
      case 'DMG':
        if (el(s, 1) === 'D8') this.checkDate(item, 'D8', el(s, 2), 'DMG02');
        break;
      case 'CLM':
        this.checkClmComposite(item);
        break;
      case 'SV1':
        this.checkSv1(item);
        break;
    }
  }

  private checkNm1(item: LocatedSegment): void {
    const s = item.segment;
    const entity = el(s, 1);
    // The other payer's providers (2330C–G) are identifiers only: the guide does not use NM103–NM109 there.
    if (/^2330[C-G]$/.test(item.loop)) return;
    if (NM1_NEEDS_NAME.has(entity) && el(s, 3) === '') this.error(item, `NM1*${entity} needs a name in NM103.`, 'NM103');
    if (NM1_NEEDS_ID.has(entity) && (el(s, 8) === '' || el(s, 9) === ''))
      this.error(item, `NM1*${entity} needs an identifier (NM108 qualifier and NM109).`, 'NM109');
    if (el(s, 8) === 'XX' && !isValidNpi(el(s, 9)))
      this.error(item, `NM109 ${el(s, 9)} is not a valid NPI (10 digits with a correct check digit).`, 'NM109');
  }

  private checkDate(item: LocatedSegment, format: string, value: string, element: string): void {
    const ok =
      format === 'D8'
        ? isCalendarDate(value)
        : format === 'RD8'
          ? /^\d{8}-\d{8}$/.test(value) && isCalendarDate(value.slice(0, 8)) && isCalendarDate(value.slice(9)) && value.slice(0, 8) <= value.slice(9)
          : true;
    if (!ok) this.error(item, `${element} "${value}" is not a valid ${format} date.`, element);
  }

  private checkClmComposite(item: LocatedSegment): void {
    const parts = el(item.segment, 5).split(this.d.component);
    if (el(item.segment, 5) === '') return; // reported as a missing element
    if (!/^\d{2}$/.test(parts[0] ?? '')) this.error(item, 'CLM05-1 place of service must be a 2-digit code.', 'CLM05-1');
    if (parts[1] !== 'B') this.error(item, 'CLM05-2 must be B (professional claim).', 'CLM05-2');
    if (!['1', '6', '7', '8'].includes(parts[2] ?? ''))
      this.error(item, 'CLM05-3 claim frequency must be 1 (original), 7 (replacement) or 8 (void).', 'CLM05-3');
  }

  private checkSv1(item: LocatedSegment): void {
    const parts = el(item.segment, 1).split(this.d.component);
    if (!['HC', 'ER', 'WK'].includes(parts[0] ?? '')) this.error(item, 'SV101-1 must be HC (HCPCS/CPT).', 'SV101-1');
    if (!parts[1]) this.error(item, 'SV101-2 procedure code is missing.', 'SV101-2');
    const modifiers = parts.slice(2, 6).filter((m) => m !== '');
    for (const m of modifiers) if (m.length !== 2) this.error(item, `Modifier "${m}" must be 2 characters.`, 'SV101');
    if (parts.length > 7) this.error(item, 'SV101 has more than 4 modifiers and a description.', 'SV101');
    if (el(item.segment, 3) && !['UN', 'MJ'].includes(el(item.segment, 3)))
      this.error(item, 'SV103 must be UN (units) or MJ (minutes).', 'SV103');
    const pointers = el(item.segment, 7).split(this.d.component).filter((p) => p !== '');
    if (pointers.length > 4) this.error(item, 'SV107 has more than 4 diagnosis pointers.', 'SV107');
    for (const p of pointers)
      if (!/^([1-9]|1[0-2])$/.test(p)) this.error(item, `Diagnosis pointer "${p}" must be 1 to 12.`, 'SV107');
  }

  /** Loop-level rules over one ST…SE. */
  private checkTransaction(items: LocatedSegment[]): void {
    const instances: LoopInstance[] = [];
    let current: LoopInstance | null = null;
    for (const item of items) {
      const opens = current === null || item.loop !== current.loop || opensLoop(item);
      if (opens) {
        current = { loop: item.loop, items: [item] };
        instances.push(current);
      } else current!.items.push(item);
      const allowed = LOOP_SEGMENTS[item.loop];
      if (allowed && !allowed.includes(item.segment.id))
        this.error(item, `${item.segment.id} does not belong in loop ${item.loop}.`);
      if (!allowed && !['TRAILER'].includes(item.loop))
        this.error(item, `${item.segment.id} is in an unknown loop ${item.loop}.`);
    }
    for (const inst of instances) this.checkLoopInstance(inst);
    for (const loop of ['1000A', '1000B', '2000A', '2010AA'])
      if (!instances.some((i) => i.loop === loop))
        this.error(items[0]!, `Loop ${loop} is required in every transaction set but is missing.`);
    this.checkHierarchy(instances);
    this.checkClaims(instances);
  }

  private checkLoopInstance(inst: LoopInstance): void {
    const first = inst.items[0]!;
    const ids = inst.items.map((i) => i.segment.id);
    for (const required of REQUIRED_IN_LOOP[inst.loop] ?? []) {
      if (!ids.includes(required)) this.error(first, `${required} in loop ${inst.loop} is required but not found.`);
    }
    if (inst.loop === '2010AA') {
      const taxIds = inst.items.filter((i) => i.segment.id === 'REF' && ['EI', 'SY'].includes(el(i.segment, 1)));
      if (taxIds.length > 1) this.error(taxIds[1]!, 'REF (tax id) in loop 2010AA appears too many times (at most once).');
      if (taxIds.length === 0 && ids.includes('REF')) this.error(first, 'Loop 2010AA needs the tax id in REF*EI or REF*SY.');
    }
    if (inst.loop === '1000A' && ids.filter((id) => id === 'PER').length > 2)
      this.error(first, 'PER in loop 1000A appears more than twice.');
    if (inst.loop === '2300') {
      const his = inst.items.filter((i) => i.segment.id === 'HI');
      const principal = his[0];
      if (principal) {
        const q = el(principal.segment, 1).split(this.d.component)[0];
        if (q === 'BK') this.add('warning', principal, 'HI01 uses ICD-9 (BK); claims for services since 2015-10-01 use ICD-10 (ABK).', 'HI01');
        else if (q !== 'ABK') this.error(principal, 'HI01 must be the principal diagnosis with qualifier ABK (ICD-10-CM).', 'HI01');
      }
      for (const hi of his) {
        hi.segment.elements.forEach((value, i) => {
          if (value === '') return;
          const [qual, code] = value.split(this.d.component);
          if (!['ABK', 'ABF', 'BK', 'BF'].includes(qual ?? '') || !code)
            this.error(hi, `HI${String(i + 1).padStart(2, '0')} must be a qualifier and a code (e.g. ABF${this.d.component}F411); found "${value}".`, `HI${String(i + 1).padStart(2, '0')}`);
          else if (!/^[A-Z0-9]{3,7}$/.test(code))
            this.error(hi, `HI${String(i + 1).padStart(2, '0')} "${code}" is not a diagnosis code (letters and digits, no dot).`, `HI${String(i + 1).padStart(2, '0')}`);
        });
      }
      const clm = inst.items[0]!.segment;
      const freq = el(clm, 5).split(this.d.component)[2];
      if ((freq === '7' || freq === '8') && !inst.items.some((i) => i.segment.id === 'REF' && el(i.segment, 1) === 'F8'))
        this.error(inst.items[0]!, 'A replacement (7) or void (8) claim needs the payer claim number in REF*F8.', 'CLM05-3');
    }
    if (inst.loop === '2400' && !inst.items.some((i) => i.segment.id === 'DTP' && el(i.segment, 1) === '472'))
      this.error(first, 'DTP*472 (service date) in loop 2400 is required but not found.');
  }

  /** HL01 sequence, HL02 parents and their levels, HL04 child flags. */
  private checkHierarchy(instances: LoopInstance[]): void {
    const hls = instances.filter((i) => i.items[0]!.segment.id === 'HL').map((i) => i.items[0]!);
    const levelOf = new Map<string, string>();
    const hasChild = new Set<string>();
    hls.forEach((item, index) => {
      const s = item.segment;
      const id = el(s, 1);
      const parent = el(s, 2);
      const level = el(s, 3);
      if (id !== String(index + 1)) this.error(item, `HL01 is ${id}; hierarchical levels are numbered 1, 2, 3… so this one is ${index + 1}.`, 'HL01');
      if (levelOf.has(id)) this.error(item, `HL01 ${id} is used twice.`, 'HL01');
      const expectedParent = level === '22' ? '20' : level === '23' ? '22' : null;
      if (level === '20' && parent !== '') this.error(item, 'The billing provider level (HL03 20) has no parent; HL02 must be empty.', 'HL02');
      if (expectedParent) {
        if (parent === '' || !levelOf.has(parent))
          this.error(item, `HL02 ${parent || '(empty)'} does not name an earlier hierarchical level.`, 'HL02');
        else if (levelOf.get(parent) !== expectedParent)
          this.error(item, `HL02 ${parent} is a level ${levelOf.get(parent)}; a level ${level} must sit under a level ${expectedParent}.`, 'HL02');
        else hasChild.add(parent);
      }
      if (!['20', '22', '23'].includes(level)) this.error(item, `HL03 ${level} is not a level of the 837P (20, 22, 23).`, 'HL03');
      levelOf.set(id, level);
    });
    for (const item of hls) {
      const flag = el(item.segment, 4);
      const id = el(item.segment, 1);
      if (flag === '1' && !hasChild.has(id)) this.error(item, `HL04 says level ${id} has children but none follow.`, 'HL04');
      if (flag === '0' && hasChild.has(id)) this.error(item, `HL04 says level ${id} has no children but some follow.`, 'HL04');
    }
    // Every subscriber needs its 2010BA and 2010BB; claims sit under the lowest level.
    let subscriber: { hl: LocatedSegment; loops: Set<string> } | null = null;
    const finishSubscriber = () => {
      for (const loop of ['2010BA', '2010BB'])
        if (subscriber && !subscriber.loops.has(loop))
          this.error(subscriber.hl, `Loop ${loop} is required under each subscriber but is missing.`);
      subscriber = null;
    };
    for (const inst of instances) {
      if (inst.items[0]!.segment.id === 'HL') {
        finishSubscriber();
        if (inst.loop === '2000B') subscriber = { hl: inst.items[0]!, loops: new Set() };
      } else subscriber?.loops.add(inst.loop);
    }
    finishSubscriber();
  }

  /** Claim totals, pointers, and line adjudication balancing (all in integer cents). */
  private checkClaims(instances: LoopInstance[]): void {
    let claim: { clm: LocatedSegment; diagnoses: number; lines: number; total: number } | null = null;
    let lineCharge = 0;
    let lineAdjudication: { svd: LocatedSegment; sum: number } | null = null;
    const cents = (item: LocatedSegment, n: number): number => {
      const value = centsOfX12Amount(el(item.segment, n));
      if (value === null && el(item.segment, n) !== '')
        this.error(item, `${name(item.segment.id, n)} "${el(item.segment, n)}" is not an amount with at most two decimals.`, name(item.segment.id, n));
      return value ?? 0;
    };
    const finishAdjudication = () => {
      if (lineAdjudication && lineAdjudication.sum !== lineCharge)
        this.error(
          lineAdjudication.svd,
          `The other payer's paid amount plus its adjustments (${formatCentsPlain(lineAdjudication.sum)}) must equal the line charge (${formatCentsPlain(lineCharge)}).`,
          'SVD02',
        );
      lineAdjudication = null;
    };
    const finishClaim = () => {
      finishAdjudication();
      if (!claim) return;
      if (claim.lines === 0) this.error(claim.clm, 'The claim has no service lines (loop 2400).');
      if (cents(claim.clm, 2) !== claim.total)
        this.error(claim.clm, `CLM02 ${el(claim.clm.segment, 2)} does not equal the sum of its lines (${formatCentsPlain(claim.total)}).`, 'CLM02');
      claim = null;
    };
    for (const inst of instances) {
      for (const item of inst.items) {
        const s = item.segment;
        if (s.id === 'HL' || s.id === 'SE') finishClaim();
        if (s.id === 'CLM') {
          finishClaim();
          claim = { clm: item, diagnoses: 0, lines: 0, total: 0 };
        } else if (s.id === 'HI' && claim && inst.loop === '2300') {
          claim.diagnoses += s.elements.filter((e) => e !== '').length;
        } else if (s.id === 'LX' && claim) {
          finishAdjudication();
          claim.lines += 1;
          if (el(s, 1) !== String(claim.lines)) this.error(item, `LX01 is ${el(s, 1)}; lines are numbered 1, 2, 3… so this is ${claim.lines}.`, 'LX01');
        } else if (s.id === 'SV1' && claim) {
          lineCharge = cents(item, 2);
          claim.total += lineCharge;
          for (const p of el(s, 7).split(this.d.component).filter(Boolean))
            if (Number(p) > claim.diagnoses)
              this.error(item, `Diagnosis pointer ${p} points past the claim's ${claim.diagnoses} diagnoses.`, 'SV107');
        } else if (s.id === 'SVD') {
          finishAdjudication();
          lineAdjudication = { svd: item, sum: cents(item, 2) };
        } else if (s.id === 'CAS' && inst.loop === '2430' && lineAdjudication) {
          for (let n = 3; n <= 18; n += 3) lineAdjudication.sum += cents(item, n);
        }
      }
    }
    finishClaim();
  }
}

/** Segments that open a new occurrence of the loop they are in. */
function opensLoop(item: LocatedSegment): boolean {
  const id = item.segment.id;
  if (['HL', 'CLM', 'LX', 'SVD', 'LIN', 'LQ'].includes(id)) return true;
  if (id === 'SBR') return item.loop === '2320';
  if (id === 'NM1') return item.loop !== '2000A' && item.loop !== '2000B' && item.loop !== '2300';
  return false;
}

function name(id: string, n: number): string {
  return `${id}${String(n).padStart(2, '0')}`;
}

function isCalendarDate(v: string): boolean {
  if (!/^\d{8}$/.test(v)) return false;
  const date = new Date(`${v.slice(0, 4)}-${v.slice(4, 6)}-${v.slice(6, 8)}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10).replaceAll('-', '') === v;
}

export type { Segment };
