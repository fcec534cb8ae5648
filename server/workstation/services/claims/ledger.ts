import { newLedgerEntrySchema, type NewLedgerEntry } from '../../../contracts/billing/ledger';
import type { Store, Writer } from '../../db/store';
import { Account, type EntryRow } from '../billing/ledger';

/**
 * Claims touch the patient ledger only by appending entries (docs/billing.md): the insured part of a
 * charge moves to insurance when a claim is made, the payer's payment, write-offs and the patient's share
 * come from the ERA. Each call here posts through the billing `Account` (its rules, the outbox, the audit)
 * inside the caller's `Store.write`.
 */
export class ClaimLedger {
  readonly #accounts = new Map<string, Account>();
  /** The entries posted inside `grouped()`, audited together when it ends. */
  #group: EntryRow[] | null = null;

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
    const group = this.#group;
    const row = this.account(entry.patientId).post(newLedgerEntrySchema.parse(entry), auditDetail, !group);
    group?.push(row);
    return row.id;
  }

  /**
   * Runs `fn` and records the ledger entries it posts in one hash-chained `ledger.post` audit entry per
   * patient, with `detail` and each entry's id, kind and amount, instead of one audit entry per row: an ERA
   * claim's postings (payment, write-offs, the patient's share) are one financial action, and an 835 of
   * 10,000 claims would otherwise chain 60,000 audit entries in one transaction.
   */
  grouped<T>(detail: Record<string, unknown>, fn: () => T): T {
    if (this.#group) return fn();
    const group: EntryRow[] = (this.#group = []);
    let result: T;
    try {
      result = fn();
    } finally {
      this.#group = null;
    }
    const byPatient = new Map<string, EntryRow[]>();
    for (const row of group) byPatient.set(row.patientId, [...(byPatient.get(row.patientId) ?? []), row]);
    for (const [patientId, rows] of byPatient)
      this.w.audit({
        action: 'ledger.post',
        patientId,
        detail: {
          ...detail,
          entries: rows.map((r) => ({
            entryId: r.id,
            kind: r.kind,
            amountCents: r.amountCents,
            ...(r.reversesEntryId && { reverses: r.reversesEntryId }),
            ...(r.appliesToEntryId && { appliesTo: r.appliesToEntryId }),
          })),
        },
      });
    return result;
  }

  /** What is open on a charge for each party (0 when the charge is gone or reversed). */
  open(patientId: string, chargeEntryId: string): { patient: number; insurance: number } {
    const c = this.account(patientId).state.charges.get(chargeEntryId);
    if (!c || c.reversed) return { patient: 0, insurance: 0 };
    return { patient: c.patientOpenCents, insurance: c.insuranceOpenCents };
  }
}
