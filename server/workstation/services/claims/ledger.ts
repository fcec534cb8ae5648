import { newLedgerEntrySchema, type NewLedgerEntry } from '../../../contracts/billing/ledger';
import type { Store, Writer } from '../../db/store';
import { Account } from '../billing/ledger';

/**
 * Claims touch the patient ledger only by appending entries (docs/billing.md): the insured part of a
 * charge moves to insurance when a claim is made, the payer's payment, write-offs and the patient's share
 * come from the ERA. Each call here posts through the billing `Account` (its rules, the outbox, the audit)
 * inside the caller's `Store.write`.
 */
export class ClaimLedger {
  readonly #accounts = new Map<string, Account>();

  constructor(
    private readonly w: Writer,
    private readonly store: Store,
  ) {}

  account(patientId: string): Account {
    let a = this.#accounts.get(patientId);
    if (!a) this.#accounts.set(patientId, (a = new Account(this.w, this.store, patientId)));
    return a;
  }

  post(entry: NewLedgerEntry, auditDetail: Record<string, unknown> = {}): string {
    return this.account(entry.patientId).post(newLedgerEntrySchema.parse(entry), auditDetail).id;
  }

  /** What is open on a charge for each party (0 when the charge is gone or reversed). */
  open(patientId: string, chargeEntryId: string): { patient: number; insurance: number } {
    const c = this.account(patientId).state.charges.get(chargeEntryId);
    if (!c || c.reversed) return { patient: 0, insurance: 0 };
    return { patient: c.patientOpenCents, insurance: c.insuranceOpenCents };
  }
}
