/**
 * Billing speed over an encrypted database with 100,000 patients and 1,000,000 ledger entries (one account
 * holding 5,000 of them), each figure printed next to the raw SQLite cost of the same reads or writes:
 *  - opening the 5,000-entry account: the service (rows, fold, running balance, audit entry) and the API
 *    (plus JSON), against the same reads in plain SQL (the fold's columns of every row, whole rows of
 *    those shown) and against reading every column of every row;
 *  - posting a payment with oldest-first allocation (rules, entry, allocation, outbox, audit), against a
 *    plain INSERT of the same two rows in one transaction;
 *  - `ledger verify` over every entry.
 * Seeding is explicit and bench-only (tests/bench/billing-data.ts). `--scale 0.1` shrinks everything.
 */
import os from 'node:os';
import { v7 as uuidv7 } from 'uuid';
import { accountQuerySchema } from '../../server/contracts/billing/ledger';
import {
  checkpointView,
  foldedFirstView,
  openAccount,
  postCharge,
  postPayment,
} from '../../server/workstation/services/billing/account';
import { verifyLedger } from '../../server/workstation/services/billing/verify';
import { findUserByUsername } from '../../server/workstation/services/admin/user-rows';
import { seedLedger } from './billing-data';
import { seedPatients } from './patients-data';
import type { BenchOptions } from './run';
import { seededBenchServer } from './seed-cache';
import { ratio, report, summarise, time } from './stats';

/** CPU time (user + system) of this process since `start`, in ms per run. */
const cpuMsPerRun = (start: NodeJS.CpuUsage, runs: number) => {
  const c = process.cpuUsage(start);
  return (c.user + c.system) / 1000 / runs;
};

export async function run({ scale }: BenchOptions): Promise<void> {
  const patientCount = Math.max(1000, Math.round(100_000 * scale));
  const entryCount = Math.max(20_000, Math.round(1_000_000 * scale));
  const bigEntries = Math.max(500, Math.round(5_000 * scale));
  // Seeding takes minutes at full scale: a second run starts from a copy of the cached seeded database
  // (seed-cache.ts; keyed by scale, schema and these seed scripts).
  const { bench, seed } = await seededBenchServer(
    'billing',
    { scale, patientCount, entryCount, bigEntries },
    ['billing-data.ts', 'patients-data.ts'],
    ({ store }) => {
      const user = findUserByUsername(store, 'ada.admin')!;
      const t0 = Date.now();
      const sample = seedPatients(store, patientCount, { sampleEvery: 1 });
      console.log(
        `seeded ${patientCount.toLocaleString('en-US')} patients in ${((Date.now() - t0) / 1000).toFixed(1)} s`,
      );
      return seedLedger(
        store,
        sample.map((p) => p.id),
        { entries: entryCount, bigEntries, postedBy: user.id },
      );
    },
  );
  try {
    const { store, client } = bench;
    const user = findUserByUsername(store, 'ada.admin')!;
    const actor = { userId: user.id, username: user.username };
    console.log(
      `${seed.entries.toLocaleString('en-US')} ledger entries and ${seed.allocations.toLocaleString('en-US')} allocations (seeded in ${seed.seconds.toFixed(1)} s); the large account holds ${seed.bigEntries.toLocaleString('en-US')} entries`,
    );
    console.log(
      `(${os
        .loadavg()
        .map((l) => l.toFixed(1))
        .join(' / ')} load average on ${os.cpus().length} CPUs)`,
    );

    // --- opening the large account
    const db = store.db;
    const rawEntries = db.prepare(
      'SELECT * FROM ledger_entries WHERE clinic_id = ? AND patient_id = ? ORDER BY posted_at, created_at, id',
    );
    const rawAllocs = db.prepare(
      'SELECT * FROM ledger_allocations WHERE clinic_id = ? AND patient_id = ? ORDER BY created_at, id',
    );
    const clinicId = store.requireClinicId();
    const raw = await time(100, () => {
      rawEntries.all(clinicId, seed.bigPatientId);
      rawAllocs.all(clinicId, seed.bigPatientId);
    });
    report(`raw SQLite: the account's rows, every column (${seed.bigEntries} entries)`, raw);
    // As the screen opens it (every entry folded for the balances, the newest 500 rows shown), and whole.
    const screen = accountQuerySchema.parse({ limit: '500' });
    // The reads the service makes for the first view (services/billing/ledger.ts, accountNewestRows,
    // entriesByIds): the newest 500 entries whole, the fold's columns of the older ones and of every
    // allocation, then whole rows of the open charges not on the page, by id.
    const opened = openAccount(store, actor, seed.bigPatientId, screen, true);
    const pageIds = new Set(opened.entries.map((e) => e.id));
    const wholeIds = JSON.stringify(
      opened.openCharges.map((c) => c.entryId).filter((id) => !pageIds.has(id)),
    );
    const rawNewest = db
      .prepare(
        'SELECT * FROM ledger_entries WHERE clinic_id = ? AND patient_id = ? ORDER BY posted_at DESC, created_at DESC, id DESC LIMIT 500',
      )
      .raw();
    const rawFold = db
      .prepare(
        `SELECT id, kind, responsibility, amount_cents, transfer_from, reverses_entry_id, applies_to_entry_id,
                CASE WHEN kind = 'charge' THEN service_date END,
                CASE WHEN kind IN ('charge', 'payment') THEN posted_at END,
                CASE WHEN kind = 'payment' THEN method END, CASE WHEN kind = 'payment' THEN check_number END
           FROM ledger_entries WHERE clinic_id = ? AND patient_id = ? AND (posted_at, created_at, id) < (?, ?, ?)
          ORDER BY posted_at, created_at, id`,
      )
      .raw();
    const rawFoldAllocs = db
      .prepare(
        `SELECT id, payment_entry_id, charge_entry_id, amount_cents, reverses_allocation_id
           FROM ledger_allocations WHERE clinic_id = ? AND patient_id = ? ORDER BY created_at, id`,
      )
      .raw();
    const rawById = db
      .prepare(
        'SELECT * FROM ledger_entries WHERE +clinic_id = ? AND +patient_id = ? AND id IN (SELECT value FROM json_each(?))',
      )
      .raw();
    const rawSameCpu = process.cpuUsage();
    const rawSame = await time(100, () =>
      db.transaction(() => {
        const page = rawNewest.all(clinicId, seed.bigPatientId) as unknown[][];
        const first = page.at(-1)!;
        // posted_at, created_at, id of the oldest row of the page (columns in table order).
        rawFold.all(clinicId, seed.bigPatientId, first[19], first[21], first[0]);
        rawFoldAllocs.all(clinicId, seed.bigPatientId);
        rawById.all(clinicId, seed.bigPatientId, wholeIds);
      })(),
    );
    const rawSameCpuMs = cpuMsPerRun(rawSameCpu, 120);
    report(
      `raw SQLite: the same reads as the service (newest 500 whole, fold columns of the rest; ${JSON.parse(wholeIds).length} open charges by id)`,
      rawSame,
    );
    console.log(`  CPU ${rawSameCpuMs.toFixed(2)} ms a run`);
    const serviceCpu = process.cpuUsage();
    const service = await time(100, () => openAccount(store, actor, seed.bigPatientId, screen));
    const serviceCpuMs = cpuMsPerRun(serviceCpu, 120);
    report(
      'open account (service: fold checkpoint and what came after, newest 500 shown, audit)',
      service,
      20,
    );
    console.log(
      `  CPU ${serviceCpuMs.toFixed(2)} ms an open (${(serviceCpuMs / rawSameCpuMs).toFixed(2)}× the raw reads' CPU)`,
    );
    // The same first view folded from every entry (the open before fold checkpoints) and from the
    // account's checkpoint, alternately in this process: CPU an open, without the audit entry.
    let foldUs = 0;
    let checkpointUs = 0;
    for (let i = 0; i < 60; i++) {
      let c0 = process.cpuUsage();
      db.transaction(() => foldedFirstView(store, seed.bigPatientId, screen))();
      let c = process.cpuUsage(c0);
      foldUs += c.user + c.system;
      c0 = process.cpuUsage();
      db.transaction(() => checkpointView(store, seed.bigPatientId, 500))();
      c = process.cpuUsage(c0);
      checkpointUs += c.user + c.system;
    }
    console.log(
      `  alternately, CPU an open: whole fold ${(foldUs / 60_000).toFixed(2)} ms, from the checkpoint ${(checkpointUs / 60_000).toFixed(2)} ms (${(foldUs / checkpointUs).toFixed(2)}×)`,
    );
    // Opens that follow a posting to the same account (the checkpoint stays; the rows after it are folded
    // from it, up to its tail limit); only the open is timed.
    const afterWriteSamples: number[] = [];
    let afterWriteCpuUs = 0;
    for (let i = 0; i < 50; i++) {
      postCharge(store, actor, seed.bigPatientId, {
        amountCents: 100 + i,
        responsibility: 'patient',
        serviceDate: '2026-01-05',
        memo: 'Bench',
      });
      const c0 = process.cpuUsage();
      const t0 = process.hrtime.bigint();
      openAccount(store, actor, seed.bigPatientId, screen);
      afterWriteSamples.push(Number(process.hrtime.bigint() - t0) / 1e6);
      const c = process.cpuUsage(c0);
      afterWriteCpuUs += c.user + c.system;
    }
    report('open account right after a charge posted to it (service)', summarise(afterWriteSamples), 20);
    console.log(`  CPU ${(afterWriteCpuUs / 1000 / 50).toFixed(2)} ms an open`);
    const whole = await time(50, () =>
      openAccount(store, actor, seed.bigPatientId, accountQuerySchema.parse({})),
    );
    report(`open account, all ${seed.bigEntries} rows shown (service)`, whole);
    ratio('  service / raw SQLite, every column (p95)', whole.p95, raw.p95);
    // The client's pooled connection went idle during the seed: reconnect before timing.
    await client
      .call('getPatientAccount', { params: { patientId: seed.bigPatientId } })
      .catch(() => undefined);
    const http = await time(60, async () => {
      const res = await client.call('getPatientAccount', {
        params: { patientId: seed.bigPatientId },
        query: { limit: 500 },
      });
      if (res.status !== 200) throw new Error(`account failed (${res.status}): ${res.text}`);
    });
    report('open account (API, as the screen: + answer validation, JSON, HTTP)', http);
    ratio('  API / raw SQLite (p95)', http.p95, raw.p95);

    // --- posting a payment with allocation
    const targets = seed.openPatients;
    const rawInsertEntry = db.prepare(
      `INSERT INTO ledger_entries (id, clinic_id, patient_id, kind, responsibility, amount_cents, method, memo,
         posted_at, posted_by, created_at) VALUES (?, ?, ?, 'payment', 'patient', ?, 'cash', '', ?, ?, ?)`,
    );
    const rawInsertAlloc = db.prepare(
      `INSERT INTO ledger_allocations (id, clinic_id, patient_id, payment_entry_id, charge_entry_id, amount_cents,
         created_at, created_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    // One cent each to a copay charge left open by the seed (each target at most a few times), so the
    // ledger stays sound for the verify run below.
    const rawPost = await time(300, (i) => {
      const k = (i * 7) % targets.length;
      const patientId = targets[k]!;
      db.transaction(() => {
        const now = new Date().toISOString();
        const id = uuidv7();
        rawInsertEntry.run(id, clinicId, patientId, 1, now, user.id, now);
        rawInsertAlloc.run(uuidv7(), clinicId, patientId, id, seed.openCharges[k]!, 1, now, user.id);
      }).immediate();
    });
    report('raw SQLite: insert a payment and an allocation', rawPost);
    const posting = await time(300, (i) =>
      postPayment(store, actor, targets[(i * 13 + 1) % targets.length]!, {
        amountCents: 500,
        method: 'cash',
        allocation: { mode: 'oldest_first' },
      }),
    );
    report('post payment, oldest first (service: rules, outbox, audit)', posting, 5);
    ratio('  service / raw SQLite (p95)', posting.p95, rawPost.p95);
    const postingHttp = await time(150, async (i) => {
      const res = await client.call('postPayment', {
        params: { patientId: targets[(i * 17 + 3) % targets.length]! },
        body: { amountCents: 700, method: 'check', checkNumber: String(2000 + i) },
      });
      if (res.status !== 200) throw new Error(`payment failed (${res.status}): ${res.text}`);
    });
    report('post payment (API)', postingHttp);

    // --- ledger verify over everything
    const v0 = process.hrtime.bigint();
    const verified = verifyLedger(store);
    const verifyMs = Number(process.hrtime.bigint() - v0) / 1e6;
    console.log(
      `ledger verify: ${verified.entries.toLocaleString('en-US')} entries, ${verified.patients.toLocaleString('en-US')} accounts, ${verified.balancesChecked.toLocaleString('en-US')} balances checked, ${verified.mismatches} mismatches in ${(verifyMs / 1000).toFixed(1)} s — ${verified.ok ? 'intact' : `${verified.problems.length} problems, first: ${verified.problems[0]?.problem}`}`,
    );
  } finally {
    await bench.close();
  }
}
