import { v7 as uuidv7 } from 'uuid';
import type { Store } from '../../server/workstation/db/store';
import { rng } from './patients-data';

/**
 * Ledger rows for the billing benchmarks (and only for them): a deterministic mix of charges, payments
 * applied to them, adjustments, write-offs, transfers, refunds and reversals over the given patients, plus
 * one large account. Written with plain prepared INSERTs in big transactions, on purpose NOT through
 * Store.write: a million outbox and audit rows would measure the seeding, not the screens, and the product
 * never bulk-loads a ledger. Every row keeps the ledger's rules (`ledger verify` passes on the result).
 */

export interface LedgerSeed {
  entries: number;
  allocations: number;
  /** The patient with the large account. */
  bigPatientId: string;
  bigEntries: number;
  /** Patients with something still open (payment-posting targets). */
  openPatients: string[];
  /** For each of `openPatients`, a copay charge left open (at least $10.00). */
  openCharges: string[];
  seconds: number;
}

const ENTRY_COLUMNS = [
  'id',
  'clinic_id',
  'patient_id',
  'kind',
  'responsibility',
  'amount_cents',
  'transfer_from',
  'reverses_entry_id',
  'applies_to_entry_id',
  'encounter_id',
  'appointment_id',
  'charge_line_id',
  'service_date',
  'provider_user_id',
  'location_id',
  'method',
  'check_number',
  'external_ref',
  'memo',
  'posted_at',
  'posted_by',
  'created_at',
] as const;

type EntryRow = Record<(typeof ENTRY_COLUMNS)[number], string | number | null>;

export function seedLedger(
  store: Store,
  patientIds: readonly string[],
  opts: { entries: number; bigEntries: number; seed?: number; postedBy: string },
): LedgerSeed {
  const started = Date.now();
  const clinicId = store.requireClinicId();
  const db = store.db;
  const insertEntry = db.prepare(
    `INSERT INTO ledger_entries (${ENTRY_COLUMNS.join(', ')}) VALUES (${ENTRY_COLUMNS.map((c) => `@${c}`).join(', ')})`,
  );
  const insertAlloc = db.prepare(
    `INSERT INTO ledger_allocations (id, clinic_id, patient_id, payment_entry_id, charge_entry_id, amount_cents,
       reverses_allocation_id, created_at, created_by) VALUES (?, ?, ?, ?, ?, ?, NULL, ?, ?)`,
  );
  const r = rng(opts.seed ?? 20261204);
  const start = Date.UTC(2023, 0, 2);
  let clock = 0;
  let entries = 0;
  let allocations = 0;
  const openPatients: string[] = [];
  const openCharges: string[] = [];
  const base = (patientId: string, day: number): EntryRow => {
    clock++;
    const at = new Date(start + day * 86_400_000 + (clock % 86_400) * 1000).toISOString();
    return {
      id: uuidv7(),
      clinic_id: clinicId,
      patient_id: patientId,
      kind: 'charge',
      responsibility: 'patient',
      amount_cents: 0,
      transfer_from: null,
      reverses_entry_id: null,
      applies_to_entry_id: null,
      encounter_id: null,
      appointment_id: null,
      charge_line_id: null,
      service_date: null,
      provider_user_id: null,
      location_id: null,
      method: null,
      check_number: null,
      external_ref: null,
      memo: '',
      posted_at: at,
      posted_by: opts.postedBy,
      created_at: at,
    };
  };
  const put = (e: EntryRow) => {
    insertEntry.run(e);
    entries++;
    return e;
  };

  /**
   * One visit's worth of rows (3–6 entries): an insurance charge and a patient copay charge; the copay paid
   * (cash or check) and applied; insurance pays part, the rest is adjusted or moved to the patient;
   * now and then a write-off, a refund of an overpayment, or a reversal of a mistaken charge.
   */
  const visit = (patientId: string, day: number, leaveOpen: boolean) => {
    const serviceDate = new Date(start + day * 86_400_000).toISOString().slice(0, 10);
    const fee = 8000 + Math.floor(r() * 22000);
    const copay = 1000 + Math.floor(r() * 4) * 1000;
    const ins = put({
      ...base(patientId, day),
      kind: 'charge',
      responsibility: 'insurance',
      amount_cents: fee,
      service_date: serviceDate,
      memo: 'Office visit',
    });
    const pat = put({
      ...base(patientId, day),
      kind: 'charge',
      amount_cents: copay,
      service_date: serviceDate,
      memo: 'Copay',
    });
    if (leaveOpen) return pat.id as string;
    const check = r() < 0.3;
    const pay = put({
      ...base(patientId, day),
      kind: 'payment',
      amount_cents: copay,
      method: check ? 'check' : 'cash',
      check_number: check ? String(1000 + Math.floor(r() * 9000)) : null,
    });
    insertAlloc.run(uuidv7(), clinicId, patientId, pay.id, pat.id, copay, pay.created_at, opts.postedBy);
    allocations++;
    const paid = Math.floor(fee * (0.5 + r() * 0.4));
    const insPay = put({
      ...base(patientId, day + 20),
      kind: 'payment',
      responsibility: 'insurance',
      amount_cents: paid,
      method: 'check',
      check_number: `EFT${Math.floor(r() * 1e6)}`,
    });
    insertAlloc.run(uuidv7(), clinicId, patientId, insPay.id, ins.id, paid, insPay.created_at, opts.postedBy);
    allocations++;
    const rest = fee - paid;
    if (r() < 0.6) {
      put({
        ...base(patientId, day + 21),
        kind: 'adjustment',
        responsibility: 'insurance',
        amount_cents: rest,
        applies_to_entry_id: ins.id as string,
        memo: 'Contractual adjustment',
      });
    } else {
      put({
        ...base(patientId, day + 21),
        kind: 'transfer',
        responsibility: 'patient',
        transfer_from: 'insurance',
        amount_cents: rest,
        applies_to_entry_id: ins.id as string,
        memo: 'Deductible',
      });
      if (r() < 0.3)
        put({
          ...base(patientId, day + 60),
          kind: 'write_off',
          amount_cents: rest,
          applies_to_entry_id: ins.id as string,
          memo: 'Small balance',
        });
    }
    if (r() < 0.03) {
      const wrong = put({
        ...base(patientId, day),
        kind: 'charge',
        amount_cents: 2500,
        service_date: serviceDate,
        memo: 'Posted twice',
      });
      put({
        ...base(patientId, day + 1),
        kind: 'reversal',
        amount_cents: 2500,
        reverses_entry_id: wrong.id as string,
        memo: 'Posted twice',
      });
    }
    if (r() < 0.02) {
      const over = put({ ...base(patientId, day + 2), kind: 'payment', amount_cents: 1500, method: 'cash' });
      put({
        ...base(patientId, day + 9),
        kind: 'refund',
        amount_cents: 1500,
        method: 'check',
        check_number: '9001',
        applies_to_entry_id: over.id as string,
        memo: 'Overpaid',
      });
    }
  };

  const bigPatientId = patientIds[0]!;
  const tx = (fn: () => void) => db.transaction(fn)();
  // The large account: visits every few days until it holds `bigEntries` entries.
  tx(() => {
    const before = entries;
    for (let day = 0; entries - before < opts.bigEntries; day += 2) visit(bigPatientId, day % 1000, false);
    visit(bigPatientId, 1000, true);
  });
  const bigEntries = entries;
  // Everyone else, round robin, in transactions of ~50,000 rows.
  let p = 1;
  while (entries < opts.entries) {
    tx(() => {
      const stop = Math.min(opts.entries, entries + 50_000);
      while (entries < stop) {
        const id = patientIds[p]!;
        const leaveOpen = r() < 0.25;
        const open = visit(id, Math.floor(r() * 700), leaveOpen);
        if (open && openPatients.length < 5000) {
          openPatients.push(id);
          openCharges.push(open);
        }
        p = p + 1 >= patientIds.length ? 1 : p + 1;
      }
    });
  }
  db.pragma('optimize');
  return {
    entries,
    allocations,
    bigPatientId,
    bigEntries,
    openPatients,
    openCharges,
    seconds: (Date.now() - started) / 1000,
  };
}
