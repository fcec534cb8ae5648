import { and, eq, inArray, or } from 'drizzle-orm';
import { balancesOf } from '../../../domain/billing/balances';
import { sumCents } from '../../../domain/billing/fees';
import { ledgerEntries } from '../../db/schema';
import type { Actor, Store } from '../../db/store';
import { accountRows, postEntries } from './ledger';

/**
 * The one place the fee and charge services meet the ledger (./ledger.ts, owned by the ledger work):
 * posting a closed visit's lines as `charge` entries, reversing one, and the patient's balance for the
 * payment policy. Called inside the caller's write, so a refused entry rolls the whole close back.
 */

export interface ChargeToPost {
  chargeLineId: string;
  patientId: string;
  encounterId: string;
  appointmentId: string | null;
  amountCents: number;
  serviceDate: string;
  providerUserId: string;
  locationId: string | null;
}

/**
 * Post charge entries (patient responsibility; the claims work transfers the insured part); answers the
 * ledger entry id of each line, by line id. A line of $0.00 posts nothing (the ledger takes amounts > 0).
 */
export function postCharges(store: Store, actor: Actor, charges: ChargeToPost[]): Map<string, string> {
  const billable = charges.filter((c) => c.amountCents > 0);
  if (!billable.length) return new Map();
  const rows = postEntries(
    store,
    actor,
    billable.map((c) => ({
      patientId: c.patientId,
      kind: 'charge' as const,
      responsibility: 'patient' as const,
      amountCents: c.amountCents,
      encounterId: c.encounterId,
      appointmentId: c.appointmentId,
      chargeLineId: c.chargeLineId,
      serviceDate: c.serviceDate,
      providerUserId: c.providerUserId,
      locationId: c.locationId,
      // Never clinical: the code and description stay on the charge line, not in the ledger's memo.
      memo: '',
    })),
  );
  return new Map(rows.map((r) => [r.chargeLineId!, r.id]));
}

/** Reverse one charge entry; answers the reversal's id. The ledger refuses while payments are applied. */
export function reverseCharge(
  store: Store,
  actor: Actor,
  input: { patientId: string; entryId: string; amountCents: number },
): string {
  const [row] = postEntries(store, actor, [
    {
      patientId: input.patientId,
      kind: 'reversal',
      responsibility: 'patient',
      amountCents: input.amountCents,
      reversesEntryId: input.entryId,
      memo: 'Charge reversed',
    },
  ]);
  return row!.id;
}

/** What the patient owes on their account now (patient responsibility; negative when in credit). */
export function patientBalanceCents(store: Store, patientId: string): number {
  const { entries, allocations } = accountRows(store, patientId);
  return balancesOf(entries, allocations).patientCents;
}

/** Patient payments posted for this visit (a copay collected at check-in), less their reversals. */
export function visitPaymentsCents(store: Store, encounterId: string | null, appointmentId: string | null): number {
  const of = [
    encounterId ? eq(ledgerEntries.encounterId, encounterId) : undefined,
    appointmentId ? eq(ledgerEntries.appointmentId, appointmentId) : undefined,
  ].filter((c) => c !== undefined);
  if (!of.length) return 0;
  const clinicId = store.requireClinicId();
  const payments = store.orm
    .select({ id: ledgerEntries.id, amountCents: ledgerEntries.amountCents })
    .from(ledgerEntries)
    .where(
      and(
        eq(ledgerEntries.clinicId, clinicId),
        eq(ledgerEntries.kind, 'payment'),
        eq(ledgerEntries.responsibility, 'patient'),
        or(...of),
      ),
    )
    .all();
  if (!payments.length) return 0;
  const reversed = new Set(
    store.orm
      .select({ target: ledgerEntries.reversesEntryId })
      .from(ledgerEntries)
      .where(
        and(
          eq(ledgerEntries.clinicId, clinicId),
          inArray(
            ledgerEntries.reversesEntryId,
            payments.map((p) => p.id),
          ),
        ),
      )
      .all()
      .map((r) => r.target),
  );
  return sumCents(payments.filter((p) => !reversed.has(p.id)).map((p) => p.amountCents));
}
