import { and, desc, eq, or } from 'drizzle-orm';
import { v7 as uuidv7 } from 'uuid';
import type { z } from 'zod';
import type {
  PolicyPoint,
  policyOverrideSchema,
  VisitClearance,
} from '../../../contracts/billing/charges';
import { formatCents } from '../../../contracts/billing/money';
import { paymentPolicySchema, type PaymentPolicy } from '../../../contracts/billing/setup';
import { defaultPaymentPolicy, dueAtVisitCents, visitClearance } from '../../../domain/billing/payment-policy';
import { AppError, fieldError, notFound } from '../../../platform/errors';
import { appointments, clinicSettings, encounters, paymentPolicyOverrides } from '../../db/schema';
import { liveRow } from '../../db/live-row';
import type { Actor, Store } from '../../db/store';
import { coverageStatus } from '../patients/coverage';
import { claimExistsForEncounter } from './claims-hook';
import { patientBalanceCents, visitPaymentsCents } from './ledger-bridge';

/**
 * The clinic's payment policy (docs/billing.md "Payment policy"): off, warn or block starting a visit or
 * signing its note until the patient's due amount is paid, insurance is on file and in effect, a claim
 * exists, or a permitted user overrides with a reason. Kept in clinic settings under `billing_payment_policy`.
 */

const KEY = 'billing_payment_policy';

export function getPaymentPolicy(store: Store): PaymentPolicy {
  const clinicId = store.clinicId;
  if (!clinicId) return defaultPaymentPolicy;
  const row = store.orm
    .select()
    .from(clinicSettings)
    .where(and(eq(clinicSettings.clinicId, clinicId), eq(clinicSettings.key, KEY)))
    .get();
  if (!row) return defaultPaymentPolicy;
  const parsed = paymentPolicySchema.safeParse({ ...defaultPaymentPolicy, ...JSON.parse(row.value) });
  return parsed.success ? parsed.data : defaultPaymentPolicy;
}

export function updatePaymentPolicy(store: Store, actor: Actor, policy: PaymentPolicy): PaymentPolicy {
  const before = getPaymentPolicy(store);
  store.write(actor, (w) => {
    w.setClinicSetting(KEY, policy);
    w.audit({ action: 'billing.policy_update', detail: { before, after: policy } });
  });
  return policy;
}

interface Visit {
  patientId: string;
  appointmentId: string | null;
  encounterId: string | null;
  date: string;
  copayDueCents: number;
}

function visitOf(store: Store, ids: { appointmentId?: string | null; encounterId?: string | null }): Visit {
  const clinicId = store.requireClinicId();
  if (ids.encounterId) {
    const enc = store.orm
      .select()
      .from(encounters)
      .where(and(eq(encounters.id, ids.encounterId), liveRow(encounters, clinicId)))
      .get();
    if (!enc) throw notFound('That encounter');
    const appt = enc.appointmentId
      ? store.orm.select().from(appointments).where(eq(appointments.id, enc.appointmentId)).get()
      : undefined;
    return {
      patientId: enc.patientId,
      appointmentId: enc.appointmentId,
      encounterId: enc.id,
      date: enc.dateOfService,
      copayDueCents: appt?.copayDueCents ?? 0,
    };
  }
  const appt = store.orm
    .select()
    .from(appointments)
    .where(and(eq(appointments.id, ids.appointmentId ?? ''), liveRow(appointments, clinicId)))
    .get();
  if (!appt) throw notFound('That appointment');
  const enc = store.orm
    .select({ id: encounters.id, date: encounters.dateOfService })
    .from(encounters)
    .where(and(eq(encounters.appointmentId, appt.id), liveRow(encounters, clinicId)))
    .get();
  return {
    patientId: appt.patientId,
    appointmentId: appt.id,
    encounterId: enc?.id ?? null,
    date: enc?.date ?? appt.startsAt.slice(0, 10),
    copayDueCents: appt.copayDueCents ?? 0,
  };
}

/** The strongest answer recorded for the visit: an override beats an acknowledgement. */
function answered(store: Store, v: Visit): 'acknowledge' | 'override' | null {
  const conds = [
    v.appointmentId ? eq(paymentPolicyOverrides.appointmentId, v.appointmentId) : undefined,
    v.encounterId ? eq(paymentPolicyOverrides.encounterId, v.encounterId) : undefined,
  ].filter((c) => c !== undefined);
  if (!conds.length) return null;
  const rows = store.orm
    .select({ kind: paymentPolicyOverrides.kind })
    .from(paymentPolicyOverrides)
    .where(and(eq(paymentPolicyOverrides.clinicId, store.requireClinicId()), or(...conds)))
    .orderBy(desc(paymentPolicyOverrides.createdAt))
    .all();
  if (rows.some((r) => r.kind === 'override')) return 'override';
  return rows.length ? 'acknowledge' : null;
}

const money = formatCents;

function clearanceOf(store: Store, v: Visit, point: PolicyPoint, mayOverride: boolean): VisitClearance {
  const policy = getPaymentPolicy(store);
  const applies = point === 'start_visit' ? policy.atVisitStart : policy.atNoteSigning;
  const effective = applies ? policy : { ...policy, mode: 'off' as const };
  if (effective.mode === 'off')
    return {
      mode: 'off',
      point,
      cleared: true,
      reason: 'policy_off',
      dueCents: 0,
      insuranceInEffect: false,
      message: '',
      mayOverride,
    };
  const due = dueAtVisitCents(
    patientBalanceCents(store, v.patientId),
    v.copayDueCents,
    visitPaymentsCents(store, v.encounterId, v.appointmentId),
  );
  const insuranceInEffect = coverageStatus(store, v.patientId, v.date).active.length > 0;
  const claimCreated = v.encounterId ? claimExistsForEncounter(store, v.encounterId) : false;
  const c = visitClearance(effective, { dueCents: due, insuranceInEffect, claimCreated, answered: answered(store, v) });
  const what = point === 'start_visit' ? 'starting this visit' : 'signing this visit’s note';
  const message = c.cleared
    ? ''
    : c.outcome === 'block'
      ? `The patient owes ${money(due)} and has no insurance in effect. The clinic’s payment policy blocks ${what} until it is paid, or ${mayOverride ? 'you override it' : 'a biller or an administrator overrides it'} with a reason.`
      : `The patient owes ${money(due)} and has no insurance in effect. The clinic asks for payment before ${what}.`;
  return {
    mode: effective.mode,
    point,
    cleared: c.cleared,
    reason: c.reason,
    dueCents: due,
    insuranceInEffect,
    message,
    mayOverride,
  };
}

export function visitClearanceFor(
  store: Store,
  ids: { appointmentId?: string | null; encounterId?: string | null },
  point: PolicyPoint,
  mayOverride: boolean,
): VisitClearance {
  return clearanceOf(store, visitOf(store, ids), point, mayOverride);
}

/**
 * Refuse an action the policy does not clear: 409 `payment_policy_warn` (the screen asks to continue, then
 * records an acknowledgement) or `payment_policy_block` (a permitted user overrides with a reason). Called by
 * "Start visit", the board's "With provider" step and note signing. The refusal is audited.
 */
export function requirePaymentClearance(
  store: Store,
  actor: Actor,
  ids: { appointmentId?: string | null; encounterId?: string | null },
  point: PolicyPoint,
): void {
  if (getPaymentPolicy(store).mode === 'off') return;
  const v = visitOf(store, ids);
  const c = clearanceOf(store, v, point, false);
  if (c.cleared) return;
  store.audit(actor, {
    action: 'billing.policy_refused',
    outcome: 'denied',
    patientId: v.patientId,
    detail: { point, mode: c.mode, dueCents: c.dueCents, appointmentId: v.appointmentId, encounterId: v.encounterId },
  });
  throw new AppError(409, c.mode === 'block' ? 'payment_policy_block' : 'payment_policy_warn', c.message);
}

/** Record that staff continued past a warning, or overrode a block with a reason (audited). */
export function answerPaymentPolicy(
  store: Store,
  actor: Actor & { userId: string },
  mayOverride: boolean,
  input: z.output<typeof policyOverrideSchema>,
): VisitClearance {
  if (!input.appointmentId && !input.encounterId) throw fieldError('appointmentId', 'Name the visit.');
  const v = visitOf(store, input);
  const before = clearanceOf(store, v, input.point, mayOverride);
  if (before.cleared) return before;
  if (input.kind === 'acknowledge' && before.mode === 'block') {
    throw new AppError(409, 'payment_policy_block', before.message);
  }
  if (input.kind === 'override') {
    if (!mayOverride)
      throw new AppError(403, 'forbidden', 'Only a biller or an administrator may override the payment policy.');
    if (input.reason.length < 3)
      throw fieldError('reason', 'Say why the visit goes ahead unpaid (it is kept in the audit log).');
  }
  store.write(actor, (w) => {
    w.insert('payment_policy_overrides', {
      id: uuidv7(),
      clinicId: store.requireClinicId(),
      patientId: v.patientId,
      appointmentId: v.appointmentId,
      encounterId: v.encounterId,
      point: input.point,
      kind: input.kind,
      reason: input.reason,
      dueCents: before.dueCents,
      createdBy: actor.userId,
      createdAt: store.nowIso(),
    });
    w.audit({
      action: 'billing.policy_answer',
      patientId: v.patientId,
      detail: {
        kind: input.kind,
        point: input.point,
        reason: input.reason,
        dueCents: before.dueCents,
        appointmentId: v.appointmentId,
        encounterId: v.encounterId,
      },
    });
  });
  return clearanceOf(store, v, input.point, mayOverride);
}
