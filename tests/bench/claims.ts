/**
 * Claims speed: building an 837P batch of 5,000 claims (target < 2 s), next to the time the independent
 * parser (x12-parser, the tests' oracle) needs just to read the same file back, as a ratio; our validator over
 * the same file is printed too. Claims are synthetic (two lines each, a third with a child patient loop, every
 * tenth a secondary claim with the primary's adjudication). Then parsing and posting an 835 of 10,000 claims
 * through the ledger (target < 5 s, claims-post.ts). `--scale 0.1` shrinks both.
 */
import { Readable } from 'node:stream';
import { X12parser } from 'x12-parser';
import { build837p } from '../../server/domain/claims/x12/837p/build';
import type { Claim } from '../../server/domain/claims/x12/837p/model';
import { validate837p } from '../../server/domain/claims/x12/837p/validate';
import { batchBase, childClaim, secondaryClaim, singleClaim } from '../fixtures/claims/batches';
import { runEraPosting } from './claims-post';
import type { BenchOptions } from './run';
import { ratio, report, time } from './stats';

function claims(n: number): Claim[] {
  return Array.from({ length: n }, (_, i) => {
    const base = i % 10 === 9 ? secondaryClaim : i % 3 === 2 ? childClaim : singleClaim;
    return {
      ...base,
      patientControlNumber: `C${String(i).padStart(8, '0')}`,
      lines: base.lines.map((l, j) => ({ ...l, lineControlNumber: `C${i}L${j}`, chargeCents: l.chargeCents + (i % 7) * 100 })),
      ...(base.otherCoverages && {
        lines: base.lines.map((l, j) => ({ ...l, lineControlNumber: `C${i}L${j}` })),
      }),
    };
  });
}

export async function oracleParse(text: string): Promise<number> {
  let n = 0;
  await new Promise<void>((resolve, reject) => {
    Readable.from([Buffer.from(text, 'latin1')])
      .pipe(new X12parser())
      .on('data', () => n++)
      .on('end', resolve)
      .on('error', reject);
  });
  return n;
}

export async function run({ scale }: BenchOptions): Promise<void> {
  const count = Math.max(100, Math.round(5000 * scale));
  const batch = batchBase(claims(count), 1);
  let text = '';
  const buildTime = await time(5, () => (text = build837p(batch).text), 2);
  report(`build 837P, ${count.toLocaleString('en-US')} claims (${(text.length / 1e6).toFixed(1)} MB)`, buildTime, 2000);
  const oracleTime = await time(5, () => oracleParse(text), 1);
  report('x12-parser reads the same file', oracleTime);
  ratio('build / x12-parser read (p50)', buildTime.p50, oracleTime.p50);
  let errors = -1;
  const validateTime = await time(3, () => (errors = validate837p(text).errors), 1);
  report(`validate the same file (our guide checks; ${errors} errors)`, validateTime);
  ratio('validate / x12-parser read (p50)', validateTime.p50, oracleTime.p50);
  await runEraPosting(scale);
}
