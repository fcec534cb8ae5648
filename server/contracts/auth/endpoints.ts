import { okSchema } from '../common';
import { endpoint, type Endpoint } from '../endpoint';
import * as auth from './index';

/** The auth area's HTTP endpoints (see ../api.ts). */
export const authEndpoints = {
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
} satisfies Record<string, Endpoint>;
