import type { FamilyPayment, FamilyPaymentResult } from '../../../contracts/billing/family-payment';
import { familyPaymentSchema } from '../../../contracts/billing/family-payment';
import { openChargesOf } from '../../../domain/billing/balances';
import { splitFamilyPayment, type FamilyAccountOpen } from '../../../domain/billing/family-split';
import { AppError } from '../../../platform/errors';
import type { Actor, Store } from '../../db/store';
import { accountGuarantor } from './guarantor';
import { Account, requireLedgerPatient } from './ledger';

/**
 * A guarantor's payment split across the family's accounts (docs/billing.md, "Family payments"). The
 * family is the guarantor's family account as `accountGuarantor` finds it (this account first). In one
 * write transaction every account is read as it stands, the payment is split by the domain
 * (`splitFamilyPayment`: oldest first across the family, by what each patient owes with largest-remainder
 * rounding, or the amounts typed per account), and each share is posted as a payment entry on its account
 * and applied to its charges through that account's `Account` (the ledger's rules, outbox and audit as any
 * payment). Each payment's `ledger.post` audit entry names the family payment: the paying account, the
 * number of accounts and the total. Append-only: correcting a family payment is reversing its entries.
 */
export function postFamilyPayment(
  store: Store,
  actor: Actor,
  patientId: string,
  raw: FamilyPayment,
): FamilyPaymentResult {
  const body = familyPaymentSchema.parse(raw);
  requireLedgerPatient(store, patientId);
  // The family as the family account shows it (read again below, inside the write, for the balances).
  const family = accountGuarantor(store, actor, patientId, true).accounts;
  if (family.length < 2)
    throw new AppError(
      409,
      'no_family_account',
      'This patient’s guarantor answers for no other account. Post the payment on this account instead.',
    );
  const names = new Map(family.map((a) => [a.patientId, a.name]));
  if (body.split === 'explicit') {
    const outside = body.lines.find((l) => !names.has(l.patientId));
    if (outside)
      throw new AppError(400, 'invalid_input', 'One of the accounts is not in this family.', {
        lines: 'One of the accounts is not in this family.',
      });
  }
  return store.write(actor, (w) => {
    const accounts = family.map((a) => new Account(w, store, a.patientId));
    // A guarantor pays what the patients owe: each open charge counts with its patient part only.
    const open: FamilyAccountOpen[] = accounts.map((a) => ({
      patientId: a.patientId,
      charges: openChargesOf(a.state).map((c) => ({
        entryId: c.entryId,
        serviceDate: c.serviceDate,
        postedAt: c.postedAt,
        openCents: Math.min(c.openCents, Math.max(0, c.patientOpenCents)),
      })),
    }));
    const shares = splitFamilyPayment(body.amountCents, open, { mode: body.split, lines: body.lines });
    const familyPayment = { payer: patientId, accounts: shares.length, totalCents: body.amountCents };
    const payments = shares.map((share) => {
      const account = accounts.find((a) => a.patientId === share.patientId)!;
      const applied = share.lines.reduce((t, l) => t + l.amountCents, 0);
      const payment = account.post(
        {
          patientId: share.patientId,
          kind: 'payment',
          responsibility: 'patient',
          amountCents: share.amountCents,
          method: body.method,
          checkNumber: body.method === 'check' ? (body.checkNumber ?? null) : null,
          encounterId: null,
          appointmentId: null,
          memo: body.memo || 'Family payment',
        },
        { allocation: body.split, appliedCents: applied, charges: share.lines.length, familyPayment },
      );
      account.allocate(payment.id, share.lines, false);
      return {
        patientId: share.patientId,
        name: names.get(share.patientId) ?? '',
        entryId: payment.id,
        amountCents: share.amountCents,
        appliedCents: applied,
      };
    });
    return { payments, totalCents: body.amountCents };
  });
}
