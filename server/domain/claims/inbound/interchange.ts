/**
 * What every inbound file (999, 277CA, 835, 271) shares: the file is tokenized by the one X12 tokenizer
 * (../x12/segments.ts), then cut into its transaction sets (ST…SE) with the envelopes around them, and the
 * envelope is checked (ISA13 = IEA02, GS06 = GE02, GE01/IEA01 counts, SE01 segment count, SE02 = ST02).
 * Envelope faults are reported as findings, not thrown: a clearinghouse file with a wrong SE01 still carries
 * a payer's money, and the biller must see both the money and the fault. Only a file that cannot be read at
 * all (no ST) is refused.
 *
 * A bare transaction set without an ISA header (seen in published samples that were cut out of a larger
 * file) is read with the delimiters its own ST segment shows, and that is reported too.
 */
import { parseSegments, type Delimiters, type Segment, X12SyntaxError, el } from '../x12/segments';

export type Finding = {
  /** `error`: the file breaks the standard; `warning`: readable but suspicious. */
  severity: 'error' | 'warning';
  /** 0-based segment position in the file, when the finding is about one segment. */
  position: number | null;
  message: string;
};

export type TransactionSet = {
  /** ST01, e.g. `835`. */
  type: string;
  /** ST02. */
  controlNumber: string;
  /** ST03 or, when absent, GS08. */
  version: string;
  /** GS01 functional identifier code (HP, FA, HN, HB …) or '' without a GS. */
  functionalId: string;
  /** GS06 group control number, '' without a GS. */
  groupControlNumber: string;
  /** ISA13 interchange control number, '' without an ISA. */
  interchangeControlNumber: string;
  /** ISA15: P production, T test. */
  usage: string;
  /** The segments between ST and SE (both excluded). */
  body: Segment[];
  st: Segment;
};

export type Interchange = {
  delimiters: Delimiters;
  segments: Segment[];
  sets: TransactionSet[];
  findings: Finding[];
};

/** Reads the delimiters of a bare `ST…` transaction set: element after `ST`, terminator after its ST02/ST03. */
function bareDelimiters(text: string): Delimiters {
  const start = text.indexOf('ST');
  const element = text[start + 2];
  if (start < 0 || !element || /[A-Za-z0-9 ]/.test(element))
    throw new X12SyntaxError('The file has neither an ISA header nor an ST segment.');
  const e = element.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const m = new RegExp(`^ST${e}[0-9A-Za-z]+${e}[0-9A-Za-z]+(?:${e}[0-9A-Za-z]+)?([^0-9A-Za-z])`).exec(
    text.slice(start),
  );
  const segment = m?.[1];
  if (!segment) throw new X12SyntaxError('The ST segment has no terminator.');
  return { element, component: ':', repetition: '^', segment };
}

function tokenize(text: string): { delimiters: Delimiters; segments: Segment[]; bare: boolean } {
  const body = text.replace(/^\uFEFF/, '');
  if (body.trimStart().startsWith('ISA')) return { ...parseSegments(body), bare: false };
  // No ISA: put a neutral ISA carrying the ST's delimiters in front so the one shared tokenizer reads the
  // rest, then drop it again (positions count from the file's own first segment).
  const d = bareDelimiters(body);
  const isa = [
    'ISA',
    '00',
    ' '.repeat(10),
    '00',
    ' '.repeat(10),
    'ZZ',
    ' '.repeat(15),
    'ZZ',
    ' '.repeat(15),
    '000000',
    '0000',
    d.repetition,
    '00501',
    '000000000',
    '0',
    'T',
    d.component,
  ].join(d.element);
  const { segments } = parseSegments(isa + d.segment + body.slice(body.indexOf('ST')));
  return {
    delimiters: d,
    segments: segments.slice(1).map((seg) => ({ ...seg, position: seg.position - 1 })),
    bare: true,
  };
}

/** Tokenizes a file and cuts it into transaction sets, checking the envelopes on the way. */
export function readInterchange(text: string): Interchange {
  const { delimiters, segments, bare } = tokenize(text);
  const findings: Finding[] = [];
  const sets: TransactionSet[] = [];
  if (bare)
    findings.push({
      severity: 'error',
      position: 0,
      message: 'The file has no ISA/GS envelope: it starts at the ST segment.',
    });

  let isa: Segment | null = null;
  let gs: Segment | null = null;
  let groupsInInterchange = 0;
  let setsInGroup = 0;
  let st: Segment | null = null;
  let body: Segment[] = [];
  for (const s of segments) {
    switch (s.id) {
      case 'ISA':
        isa = s;
        groupsInInterchange = 0;
        break;
      case 'IEA':
        if (!isa) findings.push({ severity: 'error', position: s.position, message: 'IEA without an ISA.' });
        else {
          if (el(s, 2) !== el(isa, 13))
            findings.push({
              severity: 'error',
              position: s.position,
              message: `IEA02 (${el(s, 2)}) does not repeat the ISA13 interchange control number (${el(isa, 13)}).`,
            });
          if (Number(el(s, 1)) !== groupsInInterchange)
            findings.push({
              severity: 'error',
              position: s.position,
              message: `IEA01 says ${el(s, 1)} functional groups; the interchange has ${groupsInInterchange}.`,
            });
        }
        isa = null;
        break;
      case 'GS': {
        gs = s;
        setsInGroup = 0;
        groupsInInterchange++;
        const time = el(s, 5);
        if (!/^([01]\d|2[0-3])[0-5]\d([0-5]\d(\d{1,2})?)?$/.test(time))
          findings.push({
            severity: 'error',
            position: s.position,
            message: `GS05 time "${time}" is not a valid time.`,
          });
        break;
      }
      case 'GE':
        if (!gs) findings.push({ severity: 'error', position: s.position, message: 'GE without a GS.' });
        else {
          if (el(s, 2) !== el(gs, 6))
            findings.push({
              severity: 'error',
              position: s.position,
              message: `GE02 (${el(s, 2)}) does not repeat the GS06 group control number (${el(gs, 6)}).`,
            });
          if (Number(el(s, 1)) !== setsInGroup)
            findings.push({
              severity: 'error',
              position: s.position,
              message: `GE01 says ${el(s, 1)} transaction sets; the group has ${setsInGroup}.`,
            });
        }
        gs = null;
        break;
      case 'ST':
        st = s;
        body = [];
        setsInGroup++;
        break;
      case 'SE':
        if (!st) {
          findings.push({ severity: 'error', position: s.position, message: 'SE without an ST.' });
          break;
        }
        {
          const count = body.length + 2;
          if (Number(el(s, 1)) !== count)
            findings.push({
              severity: 'error',
              position: s.position,
              message: `SE01 says ${el(s, 1)} segments; transaction set ${el(st, 2)} has ${count}.`,
            });
          if (el(s, 2) !== el(st, 2))
            findings.push({
              severity: 'error',
              position: s.position,
              message: `SE02 (${el(s, 2)}) does not repeat the ST02 control number (${el(st, 2)}).`,
            });
          sets.push({
            type: el(st, 1),
            controlNumber: el(st, 2),
            version: el(st, 3) || (gs ? el(gs, 8) : ''),
            functionalId: gs ? el(gs, 1) : '',
            groupControlNumber: gs ? el(gs, 6) : '',
            interchangeControlNumber: isa ? el(isa, 13) : '',
            usage: isa ? el(isa, 15) : '',
            body,
            st,
          });
        }
        st = null;
        break;
      default:
        if (st) body.push(s);
    }
  }
  if (st)
    findings.push({
      severity: 'error',
      position: st.position,
      message: `Transaction set ${el(st, 2)} has no SE.`,
    });
  if (isa)
    findings.push({ severity: 'error', position: isa.position, message: 'The interchange has no IEA.' });
  if (!sets.length && !st) throw new X12SyntaxError('The file holds no transaction set (no ST…SE).');
  return { delimiters, segments, sets, findings };
}

/**
 * An X12 decimal amount as integer cents, computed on the digits (never through a float). Amounts with more
 * than two decimals are rounded half away from zero; `null` for an empty element.
 */
export function amountCents(text: string): number | null {
  const t = text.trim();
  if (t === '') return null;
  const m = /^([+-]?)(\d*)(?:\.(\d*))?$/.exec(t);
  if (!m || (m[2] === '' && (m[3] ?? '') === '')) throw new X12SyntaxError(`"${t}" is not an amount.`);
  const sign = m[1] === '-' ? -1 : 1;
  // The cents are the whole-dollar digits followed by the first two decimal digits, read as one integer.
  const frac = (m[3] ?? '').padEnd(3, '0');
  let cents = Number(`${m[2] || '0'}${frac.slice(0, 2)}`);
  if (Number(frac[2]) >= 5) cents += 1;
  const result = sign * cents;
  if (!Number.isSafeInteger(result)) throw new X12SyntaxError(`"${t}" is too large an amount.`);
  return result === 0 ? 0 : result;
}

/** An X12 date CCYYMMDD as ISO `YYYY-MM-DD`, or null when empty or malformed. */
export function isoDate(text: string): string | null {
  const m = /^(\d{4})(\d{2})(\d{2})$/.exec(text.trim());
  return m ? `${m[1]}-${m[2]}-${m[3]}` : null;
}

/** A 2-element ISO range from `RD8` values (`20200101-20200105`) or a single `D8` date. */
export function isoDateRange(qualifier: string, value: string): { from: string | null; to: string | null } {
  if (qualifier === 'RD8') {
    const [a = '', b = ''] = value.split('-');
    return { from: isoDate(a), to: isoDate(b) };
  }
  const d = isoDate(value);
  return { from: d, to: d };
}
