import { type z } from 'zod';
import { okSchema } from './common';
import type { Permission } from './admin/permissions';
import * as auth from './auth';
import * as admin from './admin';
import * as audit from './audit';
import * as patients from './patients';
import * as system from './system';

/**
 * The one catalogue of HTTP endpoints. The workstation server registers a handler for each entry (and
 * refuses to start if one is missing), the renderer calls them by name, and the OpenAPI document is
 * generated from it. `access` says who may call:
 * - `public`: anyone who can reach loopback (health, API description, the launch hand-off);
 * - `launch`: holders of this launch's cookie (setup and the sign-in steps);
 * - `session`: any signed-in staff member;
 * - a Permission: a signed-in staff member whose roles grant it.
 */
export type Access = 'public' | 'launch' | 'session' | Permission;

export interface Endpoint {
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  path: string;
  access: Access;
  summary: string;
  params?: z.ZodType;
  query?: z.ZodType;
  body?: z.ZodType;
  /** JSON response schema, or 'csv' for a file download. */
  response: z.ZodType | 'csv';
}

const endpoint = <E extends Endpoint>(e: E) => e;

export const api = {
  health: endpoint({
    method: 'GET',
    path: '/api/health',
    access: 'public',
    summary: 'Liveness and version; no patient data',
    response: system.healthSchema,
  }),
  setupStatus: endpoint({
    method: 'GET',
    path: '/api/setup',
    access: 'launch',
    summary: 'Whether first-run setup is still needed',
    response: auth.setupStatusSchema,
  }),
  setupTotp: endpoint({
    method: 'POST',
    path: '/api/setup/totp',
    access: 'launch',
    summary: 'Offer a TOTP secret for the first administrator',
    response: auth.totpEnrollmentSchema,
  }),
  setupComplete: endpoint({
    method: 'POST',
    path: '/api/setup',
    access: 'launch',
    summary: 'Create the clinic and its first administrator',
    body: auth.setupRequestSchema,
    response: auth.recoveryCodesSchema,
  }),
  login: endpoint({
    method: 'POST',
    path: '/api/auth/login',
    access: 'launch',
    summary: 'Check username and password; answers with the next step',
    body: auth.loginRequestSchema,
    response: auth.loginResultSchema,
  }),
  loginMfa: endpoint({
    method: 'POST',
    path: '/api/auth/mfa',
    access: 'launch',
    summary: 'Second step of sign-in: a TOTP or recovery code',
    body: auth.mfaRequestSchema,
    response: auth.sessionInfoSchema,
  }),
  loginMfaEnroll: endpoint({
    method: 'POST',
    path: '/api/auth/mfa/enroll',
    access: 'launch',
    summary: 'Sign-in for a user who must enrol MFA: confirm the offered secret',
    body: auth.mfaEnrollConfirmSchema,
    response: auth.mfaEnrollResultSchema,
  }),
  session: endpoint({
    method: 'GET',
    path: '/api/auth/session',
    access: 'session',
    summary: 'The signed-in user, clinic and time-out',
    response: auth.sessionInfoSchema,
  }),
  activity: endpoint({
    method: 'POST',
    path: '/api/auth/activity',
    access: 'session',
    summary: 'The user is active: extend the idle time-out',
    response: auth.sessionInfoSchema,
  }),
  logout: endpoint({
    method: 'POST',
    path: '/api/auth/logout',
    access: 'session',
    summary: 'Sign out',
    response: okSchema,
  }),
  lock: endpoint({
    method: 'POST',
    path: '/api/auth/lock',
    access: 'session',
    summary: 'The UI locked after the idle time-out: end the server session',
    response: okSchema,
  }),
  changePassword: endpoint({
    method: 'POST',
    path: '/api/auth/password',
    access: 'session',
    summary: 'Change one’s own password',
    body: auth.changePasswordSchema,
    response: okSchema,
  }),
  mfaSetupStart: endpoint({
    method: 'POST',
    path: '/api/auth/mfa/setup',
    access: 'session',
    summary: 'Offer a new TOTP secret to the signed-in user',
    response: auth.totpEnrollmentSchema,
  }),
  mfaSetupConfirm: endpoint({
    method: 'POST',
    path: '/api/auth/mfa/setup/confirm',
    access: 'session',
    summary: 'Confirm a new TOTP secret; answers with fresh recovery codes',
    body: auth.mfaEnrollConfirmSchema,
    response: auth.recoveryCodesSchema,
  }),
  listUsers: endpoint({
    method: 'GET',
    path: '/api/admin/users',
    access: 'users.manage',
    summary: 'Staff accounts',
    response: admin.userListSchema,
  }),
  createUser: endpoint({
    method: 'POST',
    path: '/api/admin/users',
    access: 'users.manage',
    summary: 'Create a staff account',
    body: admin.createUserSchema,
    response: admin.userSummarySchema,
  }),
  updateUser: endpoint({
    method: 'PATCH',
    path: '/api/admin/users/:id',
    access: 'users.manage',
    summary: 'Change a staff member’s name, roles or active state',
    params: admin.userIdParamsSchema,
    body: admin.updateUserSchema,
    response: admin.userSummarySchema,
  }),
  unlockUser: endpoint({
    method: 'POST',
    path: '/api/admin/users/:id/unlock',
    access: 'users.manage',
    summary: 'Clear a lockout',
    params: admin.userIdParamsSchema,
    response: admin.userSummarySchema,
  }),
  resetPassword: endpoint({
    method: 'POST',
    path: '/api/admin/users/:id/password',
    access: 'users.manage',
    summary: 'Set a new password for a staff member',
    params: admin.userIdParamsSchema,
    body: admin.resetPasswordSchema,
    response: admin.userSummarySchema,
  }),
  resetMfa: endpoint({
    method: 'POST',
    path: '/api/admin/users/:id/mfa-reset',
    access: 'users.manage',
    summary: 'Remove a staff member’s MFA so they enrol again',
    params: admin.userIdParamsSchema,
    response: admin.userSummarySchema,
  }),
  roleMatrix: endpoint({
    method: 'GET',
    path: '/api/admin/roles',
    access: 'users.manage',
    summary: 'Roles, their permissions and MFA requirement',
    response: admin.roleMatrixSchema,
  }),
  getSecuritySettings: endpoint({
    method: 'GET',
    path: '/api/admin/security',
    access: 'security.manage',
    summary: 'Lockout, idle time-out and MFA policy',
    response: admin.securitySettingsSchema,
  }),
  updateSecuritySettings: endpoint({
    method: 'PATCH',
    path: '/api/admin/security',
    access: 'security.manage',
    summary: 'Change lockout, idle time-out or MFA policy',
    body: admin.updateSecuritySettingsSchema,
    response: admin.securitySettingsSchema,
  }),
  auditReport: endpoint({
    method: 'GET',
    path: '/api/audit',
    access: 'audit.read',
    summary: 'Audit entries filtered by date, user, patient and action',
    query: audit.auditQuerySchema,
    response: audit.auditPageSchema,
  }),
  auditExport: endpoint({
    method: 'GET',
    path: '/api/audit/export.csv',
    access: 'audit.export',
    summary: 'The filtered audit report as CSV (the export is itself audited)',
    query: audit.auditQuerySchema,
    response: 'csv',
  }),
  auditVerify: endpoint({
    method: 'GET',
    path: '/api/audit/verify',
    access: 'audit.read',
    summary: 'Check the audit hash chain',
    response: audit.auditVerifyResultSchema,
  }),
  recordClientEvent: endpoint({
    method: 'POST',
    path: '/api/audit/events',
    access: 'session',
    summary: 'Record a print or export that happened in the screens',
    body: audit.clientAuditEventSchema,
    response: okSchema,
  }),
  createPatient: endpoint({
    method: 'POST',
    path: '/api/patients',
    access: 'patients.write',
    summary: 'Register a patient',
    body: patients.patientCreateSchema,
    response: patients.patientSchema,
  }),
  getPatient: endpoint({
    method: 'GET',
    path: '/api/patients/:id',
    access: 'patients.read',
    summary: 'One patient (restricted records need emergency access)',
    params: patients.patientIdParamsSchema,
    response: patients.patientSchema,
  }),
  emergencyAccess: endpoint({
    method: 'POST',
    path: '/api/patients/emergency-access',
    access: 'emergency.access',
    summary: 'Break-glass: open a restricted record for a stated reason',
    body: patients.emergencyAccessRequestSchema,
    response: patients.emergencyAccessGrantSchema,
  }),
} satisfies Record<string, Endpoint>;

export type Api = typeof api;
export type EndpointName = keyof Api;
type Infer<T> = T extends z.ZodType ? z.infer<T> : never;
type InferInput<T> = T extends z.ZodType ? z.input<T> : never;
export type BodyOf<N extends EndpointName> = Api[N] extends { body: infer B } ? InferInput<B> : undefined;
export type QueryOf<N extends EndpointName> = Api[N] extends { query: infer Q } ? InferInput<Q> : undefined;
export type ParamsOf<N extends EndpointName> = Api[N] extends { params: infer P } ? Infer<P> : undefined;
export type ResponseOf<N extends EndpointName> = Api[N]['response'] extends z.ZodType
  ? z.infer<Api[N]['response']>
  : string;
