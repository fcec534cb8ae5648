import { z } from 'zod';
import { boundedDate, recordDates } from '../date-bounds';

/** Audit actions. Dotted names group by area so the report can filter by prefix. */
export const auditActions = [
  'setup.complete',
  'auth.login',
  'auth.login_failed',
  'auth.lockout',
  'auth.logout',
  'auth.timeout',
  'auth.lock',
  'auth.mfa_failed',
  'auth.mfa_enrolled',
  'auth.recovery_code_used',
  'auth.password_changed',
  'user.create',
  'user.update',
  'user.unlock',
  'user.password_reset',
  'user.mfa_reset',
  'settings.security_update',
  'settings.clinic_update',
  'patient.create',
  'patient.read',
  'patient.update',
  'patient.search',
  'patient.merge',
  'emergency.access',
  'appointment.create',
  'appointment.read',
  'appointment.update',
  'appointment.cancel',
  'appointment.no_show',
  'appointment.status',
  'appointment.status_undo',
  'appointment.override',
  'appointment.double_booking_resolved',
  'schedule.view',
  'schedule.settings_update',
  'waitlist.add',
  'waitlist.remove',
  'appointment_request.book',
  'appointment_request.decline',
  'chart.open',
  'chart.read',
  'chart.update',
  'encounter.create',
  'encounter.read',
  'encounter.update',
  'note.create',
  'note.read',
  'note.draft_save',
  'note.sign',
  'note.cosign',
  'note.addendum',
  'note.amendment_request',
  'note.amendment_decision',
  'note.discard',
  'template.create',
  'template.revise',
  'template.retire',
  'plan.create',
  'plan.read',
  'plan.update',
  'plan.sign',
  'plan.close',
  'supervision.update',
  'codeset.install',
  'access.denied',
  'audit.read',
  'audit.export',
  'audit.verify',
  'record.print',
  'record.export',
  'backup.create',
  'backup.restore',
  'backup.schedule',
  'db.rekey',
  'db.key_export',
  'sync.enroll',
  'sync.conflict_resolve',
  'ledger.read',
  'ledger.post',
  'ledger.allocate',
  'ledger.verify',
  // Billing set-up and charges (fees, migration 0008)
  'billing.setup_update',
  'billing.policy_update',
  'billing.policy_answer',
  'billing.policy_refused',
  'charges.read',
  'charges.update',
  'visit.close',
  // Billing documents and reports (billdocs)
  'settings.billing_documents_update',
  'settings.reminders_update',
  'settings.self_booking_update',
  'settings.cancel_window_update',
  'settings.video_join_window_update',
  'billing.statement_run',
  'billing.report_view',
  'billing.report_export',
  'card.payment',
  'card.refund',
  'card.agreement',
  'telehealth.start',
  'telehealth.read',
  'telehealth.link',
  'telehealth.admission',
  'telehealth.chat',
  'telehealth.update',
  'telehealth.end',
  // Patient portal access (portal)
  'portal.read',
  'portal.invite',
  'portal.revoke',
  'portal.share',
  'portal.withdraw',
  // Files patients sent through the portal (uploads, insurance card photos, message attachments)
  'portal.file_list',
  'portal.file_read',
  'portal.file_review',
  // Clinic inbox and questionnaires (portal messaging)
  'inbox.read',
  'inbox.reply',
  'inbox.assign',
  'questionnaire.read',
  'questionnaire.send',
  'questionnaire.stop',
  'questionnaire.review',
  // Insurance claims (claims, migration 0015)
  'claims.setup_update',
  'claims.read',
  'claims.create',
  'claims.batch',
  'claims.file_import',
  'claims.era_post',
  'claims.denial_work',
  'claims.void',
  'eligibility.request',
  'eligibility.import',
  'eligibility.read',
  // Portal forms (intake, consents, demographic changes from patients)
  'form.read',
  'form.send',
  'form.stop',
  'form.export',
  'form.change_accept',
  'form.change_reject',
  // Health tracking from the portal (entries, the clinician's ranges)
  'tracking.read',
  'tracking.range',
  'adherence.read',
] as const;
export const auditActionSchema = z.enum(auditActions);
export type AuditAction = z.infer<typeof auditActionSchema>;

export const auditOutcomeSchema = z.enum(['success', 'failure', 'denied']);
export type AuditOutcome = z.infer<typeof auditOutcomeSchema>;

/**
 * Where an entry was written: this workstation's own chain (its staff's acts; the other workstations' stay
 * on their computers and at central), or the clinic's patient portal chain, sealed at central and pulled
 * read-only (patients' and proxies' sign-ins, views, downloads, payments, cancellations, video joins, …).
 */
export const auditSources = ['workstation', 'portal'] as const;
export const auditSourceSchema = z.enum(auditSources);
export type AuditSource = z.infer<typeof auditSourceSchema>;

/** A portal act: `patient_portal.` and the portal's own action name (`patient_portal.billing.pay`). */
export const portalAuditActionSchema = z.string().regex(/^patient_portal\.[a-z0-9_.]+$/);

export const auditEntrySchema = z.object({
  seq: z.number().int(),
  id: z.string(),
  source: auditSourceSchema,
  at: z.string(),
  userId: z.string().nullable(),
  username: z.string().nullable(),
  action: z.union([auditActionSchema, portalAuditActionSchema]),
  outcome: auditOutcomeSchema,
  patientId: z.string().nullable(),
  patientLabel: z.string().nullable(),
  workstationId: z.string(),
  detail: z.record(z.string(), z.unknown()),
});
export type AuditEntry = z.infer<typeof auditEntrySchema>;

export const auditSortSchema = z.enum(['at', 'username', 'action', 'outcome', 'patient', 'workstation']);

/** Report query; dates are the clinic's local calendar dates (inclusive). */
export const auditQuerySchema = z.object({
  from: boundedDate(recordDates).optional(),
  to: boundedDate(recordDates).optional(),
  userId: z.string().optional(),
  patientId: z.string().optional(),
  action: z.string().max(64).optional(),
  outcome: auditOutcomeSchema.optional(),
  source: auditSourceSchema.optional(),
  sort: auditSortSchema.default('at'),
  dir: z.enum(['asc', 'desc']).default('desc'),
  limit: z.coerce.number().int().min(1).max(1000).default(200),
  offset: z.coerce.number().int().min(0).default(0),
});
export type AuditQuery = z.infer<typeof auditQuerySchema>;

export const auditPageSchema = z.object({ entries: z.array(auditEntrySchema), total: z.number().int() });

export const auditVerifyResultSchema = z.object({
  ok: z.boolean(),
  checked: z.number().int(),
  problems: z.array(z.object({ seq: z.number().int(), problem: z.string() })),
});
export type AuditVerifyResult = z.infer<typeof auditVerifyResultSchema>;

/** Events the screens report because only they know them happened (a print dialog, a file saved). */
export const clientAuditEventSchema = z.object({
  action: z.enum(['record.print', 'record.export']),
  patientId: z.uuid().nullable().default(null),
  /** What was printed or exported, e.g. "audit-report" or "note"; never patient text. */
  what: z
    .string()
    .trim()
    .min(1)
    .max(64)
    .regex(/^[a-z0-9_.-]+$/, 'Use a short identifier like "note".'),
});
