/**
 * `npm run bench claims-era`: parse and plan the posting of one 835 with 10,000 claims (two service lines
 * each, line CAS CO/PR, some claim-level CAS, a PLB), target < 5 s for parse + balance + match + plan,
 * printed beside the time the independent `x12-parser` package needs just to tokenize the same file.
 * The file is generated here (bench-only, synthetic) and balances, so the plan is the full posting path.
 */
import { Readable } from 'node:stream';
import { X12parser } from 'x12-parser';
import type { ClaimForMatching } from '../../server/domain/claims/inbound/era-match';
import { planPosting } from '../../server/domain/claims/inbound/era-posting';
import { parse835 } from '../../server/domain/claims/inbound/era835';
import { writeSegment } from '../../server/domain/claims/x12/segments';
import type { BenchOptions } from './run';
import { ratio, report, time } from './stats';

const money = (c: number) =>
  `${c < 0 ? '-' : ''}${Math.floor(Math.abs(c) / 100)}.${String(Math.abs(c) % 100).padStart(2, '0')}`;

export function generate835(claimCount: number): { text: string; claims: ClaimForMatching[] } {
  const w = (id: string, els: string[]) => writeSegment(id, els);
  const body: string[] = [];
  const claims: ClaimForMatching[] = [];
  let paidTotal = 0;
  for (let i = 0; i < claimCount; i++) {
    const lines = [
      {
        code: '90837',
        mods: i % 3 === 0 ? ['95'] : [],
        charge: 20000 + (i % 7) * 100,
        paid: 12000,
        co: 5000 + (i % 7) * 100,
        pr: 3000,
      },
      { code: '90785', mods: [], charge: 3000, paid: 2000, co: 1000, pr: 0 },
    ];
    const claimCo = i % 10 === 0 ? 500 : 0;
    const charge = lines.reduce((a, l) => a + l.charge, 0);
    const paid = lines.reduce((a, l) => a + l.paid, 0) - claimCo;
    paidTotal += paid;
    const pcn = `TSR-${String(i).padStart(7, '0')}`;
    body.push(w('CLP', [pcn, '1', money(charge), money(paid), money(3000), '12', `PC${i}`]));
    if (claimCo) body.push(w('CAS', ['CO', 'A2', money(claimCo)]));
    body.push(w('NM1', ['QC', '1', 'BENCH', 'PATIENT', '', '', '', 'MI', `W${i}`]));
    lines.forEach((l) => {
      // Every fifth claim's payer drops the 95 modifier (the fallback path is exercised at scale).
      const sentMods = i % 5 === 0 ? [] : l.mods;
      body.push(w('SVC', [['HC', l.code, ...sentMods].join(':'), money(l.charge), money(l.paid), '', '1']));
      body.push(w('DTM', ['472', '20261110']));
      body.push(w('CAS', ['CO', '45', money(l.co)]));
      if (l.pr) body.push(w('CAS', ['PR', '3', money(l.pr)]));
    });
    claims.push({
      claimId: `claim-${i}`,
      patientControlNumber: pcn,
      lines: lines.map((l, j) => ({
        id: `line-${i}-${j}`,
        procedureCode: l.code,
        modifiers: l.mods,
        chargeCents: l.charge,
        units: 1,
        serviceDate: '2026-11-10',
      })),
    });
  }
  const plb = [w('PLB', ['1234567893', '20261231', 'L6:INT', money(-1234), 'WO:RECOUP', money(5000)])];
  const payment = paidTotal - (-1234 + 5000);
  const head = [
    w('BPR', ['I', money(payment), 'C', 'ACH']),
    w('TRN', ['1', 'BENCH0001', '1999999999']),
    w('DTM', ['405', '20261114']),
    w('N1', ['PR', 'BENCH PAYER']),
    w('N1', ['PE', 'BENCH PRACTICE', 'XX', '1234567893']),
    w('LX', ['1']),
  ];
  const set = [...head, ...body, ...plb];
  const isa =
    'ISA*00*          *00*          *ZZ*SENDER         *ZZ*RECEIVER       *261115*0930*^*00501*000000001*0*P*:~';
  const text = [
    isa,
    w('GS', ['HP', 'S', 'R', '20261115', '0930', '1', 'X', '005010X221A1']),
    w('ST', ['835', '0001']),
    ...set,
    w('SE', [String(set.length + 2), '0001']),
    w('GE', ['1', '1']),
    w('IEA', ['1', '000000001']),
  ].join('\n');
  return { text, claims };
}

async function x12ParserTokenize(text: string): Promise<number> {
  let n = 0;
  await new Promise<void>((resolve, reject) => {
    const p = new X12parser();
    p.on('error', reject);
    Readable.from([Buffer.from(text)])
      .pipe(p)
      .on('data', () => n++)
      .on('end', () => resolve())
      .on('error', reject);
  });
  return n;
}

export async function run({ scale }: BenchOptions): Promise<void> {
  const claimCount = Math.max(100, Math.round(10_000 * scale));
  const t0 = Date.now();
  const { text, claims } = generate835(claimCount);
  console.log(
    `generated an 835 with ${claimCount.toLocaleString('en-US')} claims (${(text.length / 1e6).toFixed(1)} MB) in ${Date.now() - t0} ms`,
  );

  let last: ReturnType<typeof planPosting> | null = null;
  const ours = await time(
    5,
    () => {
      const file = parse835(text);
      last = planPosting(file.remittances[0]!, claims, { envelopeFindings: file.findings });
    },
    1,
  );
  const plan = last as ReturnType<typeof planPosting> | null;
  if (!plan?.autoPostable)
    throw new Error(
      `The bench file did not plan cleanly: ${plan?.blockedBecause.concat(plan.reviewBecause).join(' ')}`,
    );
  const fallbacks = plan.match.claims.reduce(
    (n, c) => n + c.lines.filter((l) => l.method !== 'code-modifiers').length,
    0,
  );
  console.log(
    `plan: ${plan.entries.length.toLocaleString('en-US')} entries, ${fallbacks.toLocaleString('en-US')} lines matched by a fallback, payment ${money(plan.proof.paymentCents)}`,
  );
  const parseOnly = await time(5, () => parse835(text), 1);
  const oracle = await time(5, () => x12ParserTokenize(text), 1);
  report(
    `parse + balance + match + plan (${claimCount} claims)`,
    ours,
    claimCount >= 10_000 ? 5000 : undefined,
  );
  report('  of which parse835 alone', parseOnly);
  report('  x12-parser (tokenize only, same file)', oracle);
  ratio('  ours (full posting path) / x12-parser tokenize (p50)', ours.p50, oracle.p50);
  ratio('  parse835 / x12-parser tokenize (p50)', parseOnly.p50, oracle.p50);
}
