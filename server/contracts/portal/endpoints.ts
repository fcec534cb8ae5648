import type { z } from 'zod';
import { okSchema } from '../common';
import * as p from './index';
import * as si from './signin';
import * as m from './messaging';
import * as f from '../forms';
import * as b from './billing';
import * as d from './documents';
import * as reminders from './reminders';
import * as r from './requests';
import * as sb from './self-booking';
import * as fl from './files';
import * as tr from './tracking';
import * as adh from './adherence';

/**
 * The portal's own API on central, called by the portal pages with the patient's session cookie:
 * - `entry`: setting up from an invitation and signing in (rate limited per address; no session yet);
 * - `patient`: a signed-in portal account; the patient is the session's, never a parameter.
 * - `stepUp: true` (patient entries only): also needs the session's second factor. A session started from an
 *   e-mailed sign-in link has none until the patient confirms a code or a passkey (portalStepUp); until then
 *   these answer 403 `step_up_required`. Mark downloads, payment methods and proxy changes with it.
 * Central mounts each entry with its access rule and zod validation (server/central/http/portal.ts); a test
 * walks every `patient` entry without a session and expects 401.
 */
export interface PortalEndpoint {
  method: 'GET' | 'POST';
  path: string;
  access: 'entry' | 'patient';
  /** Needs a second factor in this session (see above). */
  stepUp?: true;
  /** Bytes of JSON accepted (default 16 kB): a drawn signature needs more. */
  bodyLimit?: number;
  summary: string;
  params?: z.ZodType;
  body?: z.ZodType;
  response: z.ZodType;
}

const ep = <E extends PortalEndpoint>(e: E) => e;

/** JSON bytes of one file as base64 (10 MiB → 13.4 MiB) and its few other fields. */
const UPLOAD_BODY_LIMIT = Math.ceil(fl.MAX_PORTAL_FILE_BYTES / 3) * 4 + 16 * 1024;
/** A message with its attachments, or an intake with the card's two photos. */
export const ATTACHMENTS_BODY_LIMIT = UPLOAD_BODY_LIMIT * fl.MAX_MESSAGE_ATTACHMENTS;

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
  portalSetupPasskeyOptions: ep({
    method: 'POST',
    path: '/v1/portal/setup/passkey-options',
    access: 'entry',
    summary:
      'Open an invitation for a passkey instead of an authenticator app: WebAuthn registration options',
    body: p.setupBeginSchema,
    response: si.passkeyOptionsSchema,
  }),
  portalPasskeyChallenge: ep({
    method: 'POST',
    path: '/v1/portal/passkey-challenge',
    access: 'entry',
    summary: 'WebAuthn options to sign in or step up with a passkey',
    response: si.passkeyOptionsSchema,
  }),
  portalPasskeySignIn: ep({
    method: 'POST',
    path: '/v1/portal/sessions/passkey',
    access: 'entry',
    summary: 'Sign in with e-mail, password and a passkey',
    body: si.passkeySignInSchema,
    response: okSchema,
  }),
  portalSignInLinkRequest: ep({
    method: 'POST',
    path: '/v1/portal/sign-in-links',
    access: 'entry',
    summary: 'E-mail a single-use sign-in link (same answer whether or not the address has an account)',
    body: si.signInLinkRequestSchema,
    response: si.signInLinkRequestResultSchema,
  }),
  portalSignInWithLink: ep({
    method: 'POST',
    path: '/v1/portal/sessions/link',
    access: 'entry',
    summary: 'Sign in with an e-mailed link (a session without second factor until it steps up)',
    body: si.signInLinkTokenSchema,
    response: okSchema,
  }),
  portalStepUp: ep({
    method: 'POST',
    path: '/v1/portal/step-up',
    access: 'patient',
    summary: 'Confirm the second factor (code or passkey) in a session started from an e-mailed link',
    body: si.stepUpSchema,
    response: okSchema,
  }),
  portalSecondFactors: ep({
    method: 'GET',
    path: '/v1/portal/passkeys',
    access: 'patient',
    summary: "The account's passkeys and whether it has an authenticator app",
    response: si.portalSecondFactorsSchema,
  }),
  portalPasskeyAddOptions: ep({
    method: 'POST',
    path: '/v1/portal/passkeys/options',
    access: 'patient',
    stepUp: true,
    summary: 'WebAuthn registration options to add a passkey',
    response: si.passkeyOptionsSchema,
  }),
  portalPasskeyAdd: ep({
    method: 'POST',
    path: '/v1/portal/passkeys',
    access: 'patient',
    stepUp: true,
    summary: 'Add a passkey to the account',
    body: si.passkeyAddSchema,
    response: si.portalPasskeySchema,
  }),
  portalPasskeyRemove: ep({
    method: 'POST',
    path: '/v1/portal/passkeys/:id/remove',
    access: 'patient',
    stepUp: true,
    summary: 'Remove a passkey (not the last second factor)',
    params: si.portalPasskeyParamsSchema,
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
  portalJoinVideo: ep({
    method: 'POST',
    path: '/v1/portal/appointments/:id/video',
    access: 'patient',
    summary:
      "Join one of the patient's video visits: the join page with the patient's own link, issued or reused (audited)",
    params: p.portalAppointmentParamsSchema,
    response: p.portalVideoJoinSchema,
  }),
  portalAppointmentRequests: ep({
    method: 'GET',
    path: '/v1/portal/appointment-requests',
    access: 'patient',
    summary: "The patient's appointment requests, and the clinicians and visit types they may ask for",
    response: r.portalRequestListSchema,
  }),
  portalRequestAppointment: ep({
    method: 'POST',
    path: '/v1/portal/appointment-requests',
    access: 'patient',
    summary: 'Ask the clinic for a new appointment (kind of visit, clinician, days and times that suit)',
    body: r.portalRequestCreateSchema,
    response: r.portalRequestSchema,
  }),
  portalSelfBookingOptions: ep({
    method: 'GET',
    path: '/v1/portal/self-booking',
    access: 'patient',
    summary: 'The kinds of visit and clinicians the clinic lets patients book online (empty: off)',
    response: sb.selfBookingOptionsSchema,
  }),
  portalSelfBookingSlots: ep({
    method: 'GET',
    path: '/v1/portal/self-booking/:typeId/providers/:providerId/slots',
    access: 'patient',
    summary:
      "Open times of one bookable kind of visit with one clinician, within the clinic's notice and horizon",
    params: sb.selfBookingSlotParamsSchema,
    response: sb.selfBookingSlotsSchema,
  }),
  portalSelfBook: ep({
    method: 'POST',
    path: '/v1/portal/self-booking',
    access: 'patient',
    summary: 'Book an open time (checked again and written at central at once; "just taken" if it went)',
    body: sb.selfBookingCreateSchema,
    response: sb.selfBookingResultSchema,
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
    summary: 'Start a conversation with the care team (with up to three photos or PDFs)',
    bodyLimit: ATTACHMENTS_BODY_LIMIT,
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
    summary: "Write in one of the patient's conversations (with up to three photos or PDFs)",
    bodyLimit: ATTACHMENTS_BODY_LIMIT,
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
  portalTracking: ep({
    method: 'GET',
    path: '/v1/portal/tracking',
    access: 'patient',
    summary: "The patient's own health tracking entries, newest first",
    response: tr.portalTrackingSchema,
  }),
  portalAddTracking: ep({
    method: 'POST',
    path: '/v1/portal/tracking',
    access: 'patient',
    summary: 'Enter one measurement (weight, blood pressure, glucose, sleep, mood, exercise or water)',
    body: tr.trackingEntrySchema,
    response: tr.trackingEntrySchemaOut,
  }),
  portalMedications: ep({
    method: 'GET',
    path: '/v1/portal/medications',
    access: 'patient',
    summary: "The patient's active medications as the clinic recorded them (read-only)",
    response: tr.portalMedicationsSchema,
  }),
  portalAdherence: ep({
    method: 'GET',
    path: '/v1/portal/adherence',
    access: 'patient',
    summary: "The patient's own medication reports of the last 14 days and the clinic's today",
    response: adh.portalAdherenceSchema,
  }),
  portalReportAdherence: ep({
    method: 'POST',
    path: '/v1/portal/adherence',
    access: 'patient',
    summary: "Report today for one medicine: taken, partly taken or missed (replaces today's earlier report)",
    body: adh.adherenceReportSchema,
    response: adh.adherenceReportSchemaOut,
  }),
  portalForms: ep({
    method: 'GET',
    path: '/v1/portal/forms',
    access: 'patient',
    summary: 'Forms the clinic asks the patient to fill in or sign now, and those already sent',
    response: f.portalFormListSchema,
  }),
  portalForm: ep({
    method: 'GET',
    path: '/v1/portal/forms/:id',
    access: 'patient',
    summary: 'One form to fill: the intake prefilled from the record, or the current version of a consent',
    params: f.portalFormParamsSchema,
    response: f.portalFormSchema,
  }),
  portalSubmitIntake: ep({
    method: 'POST',
    path: '/v1/portal/forms/:id/intake',
    access: 'patient',
    summary: 'Send the intake (changed demographics wait for staff review before they change the record)',
    // The insurance card's two photos.
    bodyLimit: ATTACHMENTS_BODY_LIMIT,
    params: f.portalFormParamsSchema,
    body: f.portalIntakeSubmitSchema,
    response: f.portalFormSubmittedSchema,
  }),
  portalSignConsent: ep({
    method: 'POST',
    path: '/v1/portal/forms/:id/consent',
    access: 'patient',
    summary: 'Sign a consent: typed name and drawn signature (time and address recorded)',
    bodyLimit: 256 * 1024,
    params: f.portalFormParamsSchema,
    body: f.portalConsentSignSchema,
    response: f.portalFormSubmittedSchema,
  }),
  portalBilling: ep({
    method: 'GET',
    path: '/v1/portal/billing',
    access: 'patient',
    summary: "The patient's balance, open invoices, card payments and saved cards",
    response: b.portalBillingSchema,
  }),
  portalPay: ep({
    method: 'POST',
    path: '/v1/portal/billing/payments',
    access: 'patient',
    summary: 'Start paying the balance or one invoice by card (a PaymentIntent for the Payment Element)',
    body: b.portalPayRequestSchema,
    response: b.portalPaymentStartSchema,
  }),
  portalReceipt: ep({
    method: 'GET',
    path: '/v1/portal/billing/payments/:id',
    access: 'patient',
    summary: "One of the patient's card payments: its status, and the receipt once it is posted",
    params: b.portalPaymentParamsSchema,
    response: b.portalReceiptSchema,
  }),
  portalSaveCard: ep({
    method: 'POST',
    path: '/v1/portal/billing/cards',
    access: 'patient',
    stepUp: true,
    summary: 'Save a card under a card-on-file agreement (a SetupIntent for the Payment Element)',
    body: b.portalSaveCardSchema,
    response: b.portalSaveCardStartSchema,
  }),
  portalRemoveCard: ep({
    method: 'POST',
    path: '/v1/portal/billing/cards/:id/remove',
    access: 'patient',
    stepUp: true,
    summary: 'End a card-on-file agreement (the card can no longer be charged)',
    params: b.portalCardParamsSchema,
    response: okSchema,
  }),
  portalDocuments: ep({
    method: 'GET',
    path: '/v1/portal/documents',
    access: 'patient',
    summary:
      'Documents the clinic shared with the patient (visit summaries, statements, invoices, superbills, receipts)',
    response: d.portalDocumentListSchema,
  }),
  portalDocumentDownload: ep({
    method: 'GET',
    path: '/v1/portal/documents/:id',
    access: 'patient',
    stepUp: true,
    summary: 'Download one shared document (a PDF)',
    params: d.portalDocumentParamsSchema,
    response: d.portalDocumentContentSchema,
  }),
  // Links in appointment reminders: no sign-in (a reminder reaches patients without portal accounts);
  // the token in the body is the whole credential, and it shows only the clinic and the time.
  portalReminderLink: ep({
    method: 'POST',
    path: '/v1/portal/reminder-links/open',
    access: 'entry',
    summary: "Open a reminder's confirm, cancel or unsubscribe link: the clinic and the time only",
    body: reminders.reminderTokenSchema,
    response: reminders.reminderLinkSchema,
  }),
  portalReminderLinkUse: ep({
    method: 'POST',
    path: '/v1/portal/reminder-links/use',
    access: 'entry',
    summary: 'Use a reminder link once: confirm or cancel the appointment, or stop reminders by e-mail',
    body: reminders.reminderTokenSchema,
    response: reminders.reminderLinkSchema,
  }),
  portalUploads: ep({
    method: 'GET',
    path: '/v1/portal/uploads',
    access: 'patient',
    summary: 'Documents and photos the patient sent to the clinic (not the message attachments)',
    response: fl.portalUploadListSchema,
  }),
  portalUpload: ep({
    method: 'POST',
    path: '/v1/portal/uploads',
    access: 'patient',
    summary:
      'Send a document or a photo to the clinic (JPEG, PNG, HEIC or PDF, at most 10 MB; kept encrypted)',
    bodyLimit: UPLOAD_BODY_LIMIT,
    body: fl.portalUploadSchema,
    response: fl.portalFileSchema,
  }),
  portalFileDownload: ep({
    method: 'GET',
    path: '/v1/portal/files/:id',
    access: 'patient',
    stepUp: true,
    summary: "Download one of the patient's files: an upload, or an attachment in their conversations",
    params: fl.portalFileParamsSchema,
    response: fl.portalFileContentSchema,
  }),
} as const;

export type PortalEndpointName = keyof typeof portalApi;
export const PORTAL_COOKIE = 'tessera_portal';
/** The portal's pages, each answered with the app shell; all but login and setup need a session. */
export const portalPages = [
  '/portal/',
  '/portal/appointments',
  '/portal/book',
  '/portal/activity',
  '/portal/security',
  '/portal/messages',
  '/portal/questionnaires',
  '/portal/forms',
  '/portal/billing',
  '/portal/documents',
  '/portal/uploads',
  '/portal/tracking',
] as const;
/** Open pages: sign-in, set-up from an invitation, an e-mailed sign-in link, a reminder's link. */
export const portalOpenPages = [
  '/portal/login',
  '/portal/setup',
  '/portal/link',
  '/portal/reminder',
] as const;
