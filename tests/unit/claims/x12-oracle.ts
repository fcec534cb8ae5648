/**
 * The independent reading of an 835 the tests compare ours with: the MIT `x12-parser` package (a dev
 * dependency, used only here) tokenizes the file; this module groups its segments into payment, claims,
 * lines, adjustments and provider adjustments with the plainest possible code (amounts via Number, rounded
 * to cents), so a mistake in our parser's loop handling or cents arithmetic shows up as a difference.
 */
import { Readable } from 'node:stream';
import { X12parser } from 'x12-parser';

type Seg = Record<string, string> & { name: string };

export async function oracleSegments(content: Buffer | string): Promise<Seg[]> {
  const segs: Seg[] = [];
  await new Promise<void>((resolve, reject) => {
    const parser = new X12parser();
    parser.on('error', reject);
    Readable.from([Buffer.from(content)])
      .pipe(parser)
      .on('data', (d: Seg) => segs.push(d))
      .on('end', () => resolve())
      .on('error', reject);
  });
  return segs;
}

const cents = (v: string | undefined) => (v ? Math.round(Number(v) * 100) : 0);

export type OracleRemittance = {
  paymentCents: number;
  trace: string;
  claims: {
    pcn: string;
    status: string;
    chargeCents: number;
    paidCents: number;
    cas: { group: string; reason: string; cents: number }[];
    lines: {
      code: string;
      modifiers: string[];
      chargeCents: number;
      paidCents: number;
      cas: { group: string; reason: string; cents: number }[];
    }[];
  }[];
  plbCents: number[];
};

function casOf(s: Seg) {
  const out: { group: string; reason: string; cents: number }[] = [];
  for (let i = 2; i <= 17; i += 3)
    if (s[String(i)]) out.push({ group: s['1']!, reason: s[String(i)]!, cents: cents(s[String(i + 1)]) });
  return out;
}

export async function oracle835(content: Buffer | string): Promise<OracleRemittance[]> {
  const segs = await oracleSegments(content);
  const out: OracleRemittance[] = [];
  let cur: OracleRemittance | null = null;
  let claim: OracleRemittance['claims'][number] | null = null;
  let line: OracleRemittance['claims'][number]['lines'][number] | null = null;
  for (const s of segs) {
    if (s.name === 'ST') {
      cur = { paymentCents: 0, trace: '', claims: [], plbCents: [] };
      out.push(cur);
      claim = line = null;
    } else if (!cur) continue;
    else if (s.name === 'BPR') cur.paymentCents = cents(s['2']);
    else if (s.name === 'TRN' && !claim) cur.trace = s['2']!;
    else if (s.name === 'CLP') {
      claim = {
        pcn: s['1']!,
        status: s['2']!,
        chargeCents: cents(s['3']),
        paidCents: cents(s['4']),
        cas: [],
        lines: [],
      };
      cur.claims.push(claim);
      line = null;
    } else if (s.name === 'SVC' && claim) {
      const mods = ['1-2', '1-3', '1-4', '1-5'].map((k) => s[k]).filter((m): m is string => Boolean(m));
      line = {
        code: s['1-1'] ?? '',
        modifiers: mods,
        chargeCents: cents(s['2']),
        paidCents: cents(s['3']),
        cas: [],
      };
      claim.lines.push(line);
    } else if (s.name === 'CAS') (line ?? claim)?.cas.push(...casOf(s));
    else if (s.name === 'PLB')
      for (let i = 4; i <= 14; i += 2) if (s[String(i)]) cur.plbCents.push(cents(s[String(i)]));
  }
  return out;
}
