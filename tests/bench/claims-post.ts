/**
 * Part of `npm run bench claims`: parse and post one 835 with 10,000 claims (× scale) through the ledger —
 * the workstation's `importEra` (duplicate check, parse, balance, match, plan, then per claim the insurance
 * payment applied to each charge, the CO write-off, the PR share moved to the patient, the claim's history
 * and status, the era_payments proof), target < 5 s, printed beside the time the independent x12-parser
 * needs just to read the same file. Each claim has two lines (90837 + 90785, every fifth with a 95 modifier
 * the payer drops, so the fallback matching runs at scale).
 *
 * Seeding: one claim is made the product's way (a closed visit's posted charges → `createClaimsFromVisit`);
 * its rows (patient, coverage, visit, charge lines, the charge and transfer ledger entries, claim, claim lines)
 * are then copied with fresh ids by prepared INSERTs, on purpose not through Store.write: 100,000 outbox and
 * audit rows would measure the seeding. Every copy keeps the ledger's rules (each patient's account is the
 * template's). The ERA is written with the claims' CLM01 and line control numbers, and balances.
 */
import { v7 as uuidv7 } from 'uuid';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { checkpointsOf } from '../../server/workstation/db/background-checkpoints';
import { DB_FILE_NAME, type SqliteDatabase } from '../../server/workstation/db/open';
import { accountRows } from '../../server/workstation/services/billing/ledger';
import { balancesOf } from '../../server/domain/billing/balances';
import { createClaimsFromVisit } from '../../server/workstation/services/claims/create';
import { importEra } from '../../server/workstation/services/claims/era';
import { claimsWorld, era835, type EraClaimSpec } from '../integration/claims/claims-world';
import { oracleParse } from './claims';
import { floorBaseline, measureFloor } from './claims-post-floor';
import { ratio, report, summarise } from './stats';

const TARGET_MS = 5000;

type Row = Record<string, unknown>;

/** Every row of the template claim's world that a copy needs, by table. */
function templateRows(db: SqliteDatabase, claimId: string): [string, Row[]][] {
  const claim = db.prepare('SELECT * FROM claims WHERE id = ?').get(claimId) as Row;
  const pid = claim.patient_id;
  const all = (sql: string, ...args: unknown[]) => db.prepare(sql).all(...args) as Row[];
  return [
    ['patients', all('SELECT * FROM patients WHERE id = ?', pid)],
    ['patient_coverages', all('SELECT * FROM patient_coverages WHERE patient_id = ?', pid)],
    ['encounters', all('SELECT * FROM encounters WHERE id = ?', claim.encounter_id)],
    ['charge_lines', all('SELECT * FROM charge_lines WHERE encounter_id = ?', claim.encounter_id)],
    ['ledger_entries', all('SELECT * FROM ledger_entries WHERE patient_id = ?', pid)],
    ['ledger_allocations', all('SELECT * FROM ledger_allocations WHERE patient_id = ?', pid)],
    ['claims', [claim]],
    ['claim_lines', all('SELECT * FROM claim_lines WHERE claim_id = ?', claimId)],
  ];
}

/** `n` copies of the template with fresh ids (and MRN, CLM01, line control numbers); their CLM01s and lines. */
function copyClaims(db: SqliteDatabase, template: [string, Row[]][], n: number) {
  const ids = new Set<string>();
  for (const [, rows] of template) for (const r of rows) ids.add(r.id as string);
  const inserts = template.map(([table, rows]) => {
    const cols = Object.keys(rows[0] ?? {});
    return { rows, stmt: cols.length ? db.prepare(`INSERT INTO ${table} (${cols.join(', ')}) VALUES (${cols.map((c) => `@${c}`).join(', ')})`) : null };
  });
  const out: { pcn: string; lines: { code: string; modifiers: string[]; chargeCents: number; lineControlNumber: string }[] }[] = [];
  db.transaction(() => {
    for (let i = 0; i < n; i++) {
      const map = new Map<unknown, unknown>([...ids].map((id) => [id, uuidv7()]));
      const pcn = `B${String(i).padStart(9, '0')}`;
      const lines: (typeof out)[number]['lines'] = [];
      for (const { rows, stmt } of inserts)
        for (const r of rows) {
          const copy: Row = {};
          for (const [k, v] of Object.entries(r)) copy[k] = map.get(v) ?? v;
          if ('mrn' in copy) copy.mrn = String(500000000 + i);
          if ('patient_control_number' in copy) copy.patient_control_number = pcn;
          if ('line_control_number' in copy) {
            copy.line_control_number = `${pcn}L${copy.position as number}`;
            // Every fifth claim's first line carries a 95 modifier the payer will drop.
            if (i % 5 === 0 && copy.position === 1) copy.modifiers = '["95"]';
            lines.push({ code: copy.code as string, modifiers: JSON.parse(copy.modifiers as string) as string[], chargeCents: copy.charge_cents as number, lineControlNumber: copy.line_control_number as string });
          }
          stmt!.run(copy);
        }
      out.push({ pcn, lines: lines.sort((a, b) => a.lineControlNumber.localeCompare(b.lineControlNumber)) });
    }
  })();
  return out;
}

/** Paid 60 %, CO-45 25 %, PR-1 (copay) the rest, per line; the payer drops modifiers and echoes no REF*6R on every fifth claim. */
function remittance(claims: ReturnType<typeof copyClaims>): string {
  const spec: EraClaimSpec[] = claims.map((c, i) => {
    const lines = c.lines.map((l) => {
      const paid = Math.floor((l.chargeCents * 60) / 100);
      const co = Math.floor((l.chargeCents * 25) / 100);
      const pr = l.chargeCents - paid - co;
      return { code: l.code, modifiers: i % 5 === 0 ? [] : l.modifiers, chargeCents: l.chargeCents, paidCents: paid, ...(i % 5 === 0 ? {} : { lineControlNumber: l.lineControlNumber }), cas: [['CO', '45', co], ['PR', '1', pr]] as [string, string, number][], pr };
    });
    return {
      pcn: c.pcn,
      status: '1',
      chargeCents: lines.reduce((a, l) => a + l.chargeCents, 0),
      paidCents: lines.reduce((a, l) => a + l.paidCents, 0),
      patientCents: lines.reduce((a, l) => a + l.pr, 0),
      lines,
    };
  });
  return era835({ control: 777, trace: 'BENCH-EFT-1', claims: spec });
}

/** A claims world with `count` copied claims and the 835 that pays them all (also used to profile the posting). */
export function seedEraPosting(count: number) {
  const w = claimsWorld();
  const patient = w.insuredPatient();
  const visit = w.closedVisit(patient, [{ code: '90837', cents: 18000 }, { code: '90785', cents: 2500 }]);
  const [made] = createClaimsFromVisit(w.store, w.actor, visit.encounterId);
  const template = templateRows(w.db, made!.id);
  w.db.prepare('DELETE FROM claims WHERE id = ?').run(made!.id); // the template's own claim is not in the ERA
  const t0 = performance.now();
  const claims = copyClaims(w.db, template, count);
  const seeded = performance.now() - t0;
  const text = remittance(claims);
  console.log(`seeded ${count.toLocaleString('en-US')} claims by copying in ${(seeded / 1000).toFixed(1)} s; 835 is ${(text.length / 1e6).toFixed(1)} MB`);
  return { w, claims, text };
}

export async function runEraPosting(scale: number): Promise<void> {
  const count = Math.max(100, Math.round(10_000 * scale));
  const { w, claims, text } = seedEraPosting(count);
  // As the workstation server runs (start.ts): WAL checkpoints on their own thread, not inside the commit.
  const checkpoints = checkpointsOf(w.db);
  const threaded = await checkpoints.startThread({ file: path.join(w.dataDir, DB_FILE_NAME), keyHex: w.key });
  if (!threaded) console.log('  the checkpoint thread did not start: the posting checkpoints inside its commit');
  // The seed's own pages are copied before the clock starts (as they were inside the seed's commit before),
  // and the database kept aside as it is now, for the floor below.
  const baseline = floorBaseline(w.db, w.dataDir, w.key);
  try {
    const start = performance.now();
    const cpu = process.cpuUsage();
    const result = importEra(w.store, w.actor, 'bench.835', text);
    const postMs = performance.now() - start;
    const used = process.cpuUsage(cpu);
    const cpuMs = (used.user + used.system) / 1000;
    const payment = result.payments[0]!;
    const posted = payment.claims.length;
    report(`parse + post 835 through the ledger, ${count.toLocaleString('en-US')} claims (${payment.status}, ${posted} posted)`, summarise([postMs]), TARGET_MS);
    console.log(`  CPU time of this process meanwhile: ${(cpuMs / 1000).toFixed(2)} s (wall minus CPU = waiting for a core on a shared machine)`);
    if (payment.status !== 'posted' || posted !== count) console.log(`  NOT FULLY POSTED: ${[...payment.blockedBecause, ...payment.reviewBecause].slice(0, 3).join(' | ')}`);

    // One copy's account after posting: nothing left with insurance, the PR share with the patient.
    const somePatient = (w.db.prepare('SELECT patient_id FROM claims WHERE patient_control_number = ?').get(claims[1]!.pcn) as { patient_id: string }).patient_id;
    const rows = accountRows(w.store, somePatient);
    const b = balancesOf(rows.entries, rows.allocations);
    console.log(`  a posted account: insurance ${b.insuranceCents} cents open, patient ${b.patientCents} cents`);

    const oracle: number[] = [];
    for (let i = 0; i < 3; i++) {
      const s = performance.now();
      await oracleParse(text);
      oracle.push(performance.now() - s);
    }
    const oracleTime = summarise(oracle);
    report('x12-parser reads the same 835', oracleTime);
    ratio('parse + post / x12-parser read (p50)', postMs, oracleTime.p50);

    const floor = measureFloor(w.db, baseline);
    report('floor: the same rows written by prepared statements alone', summarise([floor.ms]));
    console.log(`  of which the outbox entries (replication's copy of each row): ${(floor.outboxMs / 1000).toFixed(2)} s`);
    ratio('parse + post / floor', postMs, floor.ms);
  } finally {
    await checkpoints.stopThread();
    w.close();
  }
}
