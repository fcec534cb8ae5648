/**
 * Duplicate ERA detection. A payment is identified by its reassociation trace (TRN02, the check or EFT
 * trace number) together with the payer that issued it (TRN03, the originating company id, falling back to
 * the payer's N1*PR id), so two payers' check 1001 are not confused. Clearinghouses re-deliver files (a
 * re-poll, a resend after an outage): the same trace with the same content is a duplicate and is not posted
 * again. The same trace with different content is not silently treated as either: it goes to a person
 * (a payer re-issuing a corrected 835 under the same trace does happen).
 */
import crypto from 'node:crypto';
import type { Remittance } from './era835';

export type SeenRemittance = { traceKey: string; fingerprint: string };

export type DuplicateVerdict =
  | { kind: 'new' }
  | { kind: 'duplicate'; traceKey: string }
  | { kind: 'trace_conflict'; traceKey: string; message: string };

export function traceKey(rem: Remittance): string {
  const payer = rem.trace.originatorId || rem.payer.id || rem.payer.name;
  return `${payer.trim().toUpperCase()}|${rem.trace.number.trim()}`;
}

/** A digest of the money in the remittance (payment, every claim and line amount, every adjustment). */
export function fingerprint(rem: Remittance): string {
  const h = crypto.createHash('sha256');
  h.update(`${rem.payment.amountCents}|${rem.payment.creditDebit}|${rem.payment.date}\n`);
  for (const c of rem.claims) {
    h.update(
      `C|${c.patientControlNumber}|${c.status}|${c.chargeCents}|${c.paidCents}|${c.payerClaimControlNumber}\n`,
    );
    for (const a of c.adjustments) h.update(`A|${a.group}|${a.reasonCode}|${a.amountCents}\n`);
    for (const l of c.lines) {
      h.update(`L|${l.procedure.code}|${l.procedure.modifiers.join(':')}|${l.chargeCents}|${l.paidCents}\n`);
      for (const a of l.adjustments) h.update(`A|${a.group}|${a.reasonCode}|${a.amountCents}\n`);
    }
  }
  for (const p of rem.providerAdjustments) h.update(`P|${p.reasonCode}|${p.reference}|${p.amountCents}\n`);
  return h.digest('hex');
}

export function seenOf(rem: Remittance): SeenRemittance {
  return { traceKey: traceKey(rem), fingerprint: fingerprint(rem) };
}

export function checkDuplicate(rem: Remittance, seen: readonly SeenRemittance[]): DuplicateVerdict {
  const key = traceKey(rem);
  const same = seen.filter((s) => s.traceKey === key);
  if (!same.length) return { kind: 'new' };
  const fp = fingerprint(rem);
  if (same.some((s) => s.fingerprint === fp)) return { kind: 'duplicate', traceKey: key };
  return {
    kind: 'trace_conflict',
    traceKey: key,
    message:
      'A remittance with this trace number was already received with different amounts; compare them before posting.',
  };
}

/** Verdicts for a batch of remittances in order: a repeat inside the batch is caught as well. */
export function checkDuplicates(
  rems: readonly Remittance[],
  seen: readonly SeenRemittance[],
): DuplicateVerdict[] {
  const running = [...seen];
  return rems.map((r) => {
    const v = checkDuplicate(r, running);
    if (v.kind === 'new') running.push(seenOf(r));
    return v;
  });
}
