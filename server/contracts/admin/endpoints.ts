import { endpoint, type Endpoint } from '../endpoint';
import * as admin from './index';
import { setupChecklistSchema } from './setup-checklist';
import { clinicInfoSchema } from '../auth';

/** The admin area's HTTP endpoints (see ../api.ts). */
export const adminEndpoints = {
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
  getClinicSettings: endpoint({
    method: 'GET',
    path: '/api/admin/clinic',
    access: 'security.manage',
    summary: 'The clinic’s name, time zone and 12/24-hour clock',
    response: clinicInfoSchema,
  }),
  updateClinicSettings: endpoint({
    method: 'PATCH',
    path: '/api/admin/clinic',
    access: 'security.manage',
    summary: 'Choose the 12- or 24-hour clock every screen and document uses (audited)',
    body: admin.updateClinicSettingsSchema,
    response: clinicInfoSchema,
  }),
  setupChecklist: endpoint({
    method: 'GET',
    path: '/api/admin/setup-checklist',
    access: 'users.manage',
    summary: 'What a new clinic still has to set up, read from its data',
    response: setupChecklistSchema,
  }),
} satisfies Record<string, Endpoint>;
