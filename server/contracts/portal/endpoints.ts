import type { z } from 'zod';
import { okSchema } from '../common';
import * as p from './index';
import * as m from './messaging';

/**
 * The portal's own API on central, called by the portal pages with the patient's session cookie:
 * - `entry`: setting up from an invitation and signing in (rate limited per address; no session yet);
 * - `patient`: a signed-in portal account; the patient is the session's, never a parameter.
 * Central mounts each entry with its access rule and zod validation (server/central/http/portal.ts); a test
 * walks every `patient` entry without a session and expects 401.
 */
export interface PortalEndpoint {
  method: 'GET' | 'POST';
  path: string;
  access: 'entry' | 'patient';
  summary: string;
  params?: z.ZodType;
  body?: z.ZodType;
  response: z.ZodType;
}

const ep = <E extends PortalEndpoint>(e: E) => e;

export const portalApi = {
  portalSetupBegin: ep({
    method: 'POST',
    path: '/v1/portal/setup/begin',
    access: 'entry',
    summary: 'Open an invitation: the clinic name and a new authenticator secret',
    body: p.setupBeginSchema,
    response: p.setupBeginResultSchema,
  }),
  portalSetupComplete: ep({
    method: 'POST',
    path: '/v1/portal/setup/complete',
    access: 'entry',
    summary: 'Set the password and confirm the authenticator; uses up the invitation and signs in',
    body: p.setupCompleteSchema,
    response: okSchema,
  }),
  portalSignIn: ep({
    method: 'POST',
    path: '/v1/portal/sessions',
    access: 'entry',
    summary: 'Sign in with e-mail, password and authenticator code',
    body: p.portalSignInSchema,
    response: okSchema,
  }),
  portalSignOut: ep({
    method: 'POST',
    path: '/v1/portal/sessions/end',
    access: 'patient',
    summary: 'Sign out (ends the session)',
    response: okSchema,
  }),
  portalMe: ep({
    method: 'GET',
    path: '/v1/portal/me',
    access: 'patient',
    summary: 'Who is signed in (first name only) and for which clinic',
    response: p.portalMeSchema,
  }),
  portalAppointments: ep({
    method: 'GET',
    path: '/v1/portal/appointments',
    access: 'patient',
    summary: "The patient's upcoming and past appointments",
    response: p.portalAppointmentsSchema,
  }),
  portalCancelAppointment: ep({
    method: 'POST',
    path: '/v1/portal/appointments/:id/cancel',
    access: 'patient',
    summary: "Cancel one of the patient's appointments within the clinic's window",
    params: p.portalAppointmentParamsSchema,
    body: p.portalCancelSchema,
    response: p.portalAppointmentSchema,
  }),
  portalActivity: ep({
    method: 'GET',
    path: '/v1/portal/activity',
    access: 'patient',
    summary: "The account's own activity history",
    response: p.portalActivityListSchema,
  }),
  portalThreads: ep({
    method: 'GET',
    path: '/v1/portal/messages',
    access: 'patient',
    summary: "The patient's conversations with the care team, with unread counts",
    response: m.portalThreadListSchema,
  }),
  portalStartThread: ep({
    method: 'POST',
    path: '/v1/portal/messages',
    access: 'patient',
    summary: 'Start a conversation with the care team',
    body: m.portalNewThreadSchema,
    response: m.portalThreadSchema,
  }),
  portalThread: ep({
    method: 'GET',
    path: '/v1/portal/messages/:threadId',
    access: 'patient',
    summary: "One of the patient's conversations (marks the care team's messages read)",
    params: m.portalThreadParamsSchema,
    response: m.portalThreadSchema,
  }),
  portalReply: ep({
    method: 'POST',
    path: '/v1/portal/messages/:threadId/replies',
    access: 'patient',
    summary: 'Write in one of the patient\'s conversations',
    params: m.portalThreadParamsSchema,
    body: m.portalReplySchema,
    response: m.portalMessageSchema,
  }),
  portalQuestionnaires: ep({
    method: 'GET',
    path: '/v1/portal/questionnaires',
    access: 'patient',
    summary: 'Questionnaires the clinic asks the patient to fill in now, and those already sent',
    response: m.portalQuestionnaireListSchema,
  }),
  portalSubmitQuestionnaire: ep({
    method: 'POST',
    path: '/v1/portal/questionnaires/:id',
    access: 'patient',
    summary: 'Send the answers to a questionnaire (every question answered)',
    params: m.portalQuestionnaireParamsSchema,
    body: m.portalQuestionnaireSubmitSchema,
    response: m.portalQuestionnaireSubmittedSchema,
  }),
} as const;

export type PortalEndpointName = keyof typeof portalApi;
export const PORTAL_COOKIE = 'tessera_portal';
/** The portal's pages, each answered with the app shell; all but login and setup need a session. */
export const portalPages = [
  '/portal/',
  '/portal/appointments',
  '/portal/activity',
  '/portal/messages',
  '/portal/questionnaires',
] as const;
export const portalOpenPages = ['/portal/login', '/portal/setup'] as const;
