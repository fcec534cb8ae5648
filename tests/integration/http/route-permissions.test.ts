import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { roles, type Permission, type Role } from '../../../server/contracts/admin/permissions';
import { api, type Endpoint, type EndpointName } from '../../../server/contracts/api';
import { hasPermission, permissionMatrix, rolesWith } from '../../../server/domain/admin/permission-matrix';
import { createApp } from '../../../server/workstation/http/app';
import { LaunchGate } from '../../../server/workstation/http/middleware/launch';
import { createLogger } from '../../../server/platform/logging';
import { systemActor } from '../../../server/workstation/db/store';
import {
  addStaff,
  setUpClinic,
  signIn,
  startTestServer,
  type CallOptions,
  type TestClient,
  type TestServer,
} from '../../support/workstation';

/**
 * The rule from ARCHITECTURE.md: every route declares the permission it needs, and a test walks all routes
 * and proves each rejects an anonymous and an unauthorized caller. This is that test.
 */

const endpoints = Object.entries(api) as [EndpointName, Endpoint][];
const key = (method: string, path: string) => `${method.toUpperCase()} ${path}`;

/** Routes the app serves outside the catalogue, each on purpose and each public. Anything else is a finding. */
const UNCATALOGUED_ROUTES = [
  key('GET', '/launch'), // the one-time launch hand-off; it is what sets the launch cookie
  key('GET', '/api/openapi.json'), // the API description, generated from the catalogue
  key('GET', '/{*path}'), // the renderer's index page for client-side routes (no data)
];

const someId = crypto.randomUUID();
const okPassword = 'quiet harbor lantern 42';

/**
 * A syntactically valid request for every endpoint, so that when a call is refused it is the access rule
 * that refused it, not input validation. `satisfies` makes a new endpoint without a sample a type error.
 */
const samples = {
  health: {},
  setupStatus: {},
  setupTotp: {},
  setupChecklist: {},
  setupCheck: {
    body: {
      clinicName: 'Sample Clinic',
      timeZone: 'America/Chicago',
      admin: { username: 'sample.admin', fullName: 'Sample Admin', password: okPassword },
    },
  },
  setupComplete: {
    body: {
      clinicName: 'Sample Clinic',
      timeZone: 'America/Chicago',
      admin: { username: 'sample.admin', fullName: 'Sample Admin', password: okPassword },
      enrollmentId: someId,
      totpCode: '123456',
    },
  },
  login: { body: { username: 'nobody.here', password: 'not the password at all' } },
  loginMfa: { body: { code: '123456' } },
  loginMfaEnroll: { body: { enrollmentId: someId, code: '123456' } },
  session: {},
  activity: {},
  logout: {},
  lock: { body: { reason: 'manual' } },
  changePassword: { body: { currentPassword: 'whatever it was', newPassword: okPassword } },
  mfaSetupStart: {},
  mfaSetupConfirm: { body: { enrollmentId: someId, code: '123456' } },
  listUsers: {},
  createUser: {
    body: { username: 'sample.person', fullName: 'Sample Person', password: okPassword, roles: ['biller'] },
  },
  updateUser: { params: { id: someId }, body: { fullName: 'Renamed Person' } },
  unlockUser: { params: { id: someId } },
  resetPassword: { params: { id: someId }, body: { password: okPassword } },
  resetMfa: { params: { id: someId } },
  roleMatrix: {},
  getSecuritySettings: {},
  // The default value, so a caller who is allowed changes nothing that other checks depend on.
  updateSecuritySettings: { body: { idleTimeoutMinutes: 15 } },
  getClinicSettings: {},
  // The default value, as above.
  updateClinicSettings: { body: { timeFormat: '24h' } },
  auditReport: { query: { sort: 'at', dir: 'desc' } },
  auditExport: { query: { action: 'auth' } },
  auditVerify: {},
  recordClientEvent: { body: { action: 'record.print', patientId: null, what: 'note' } },
  createPatient: { body: { legalFirstName: 'Sample', legalLastName: 'Patient', dateOfBirth: '1980-01-01' } },
  getPatient: { params: { id: someId } },
  searchPatients: { query: { q: 'sample pat' } },
  checkDuplicatePatients: {
    body: { legalFirstName: 'Sample', legalLastName: 'Patient', dateOfBirth: '1980-01-01' },
  },
  updatePatient: { params: { id: someId }, body: { alertNote: 'Prefers afternoon visits' } },
  createEmergencyContact: {
    params: { id: someId },
    body: { name: 'Sample Contact', relationship: 'spouse', phone: '555-010-0199' },
  },
  updateEmergencyContact: { params: { id: someId, itemId: someId }, body: { name: 'Other Contact' } },
  deleteEmergencyContact: { params: { id: someId, itemId: someId } },
  setGuarantor: { params: { id: someId }, body: { relationship: 'self' } },
  createCoverage: {
    params: { id: someId },
    body: {
      priority: 'primary',
      payerName: 'Sample Health',
      memberId: 'SMP123',
      subscriberRelationship: 'self',
    },
  },
  updateCoverage: { params: { id: someId, itemId: someId }, body: { groupNumber: 'G-1' } },
  deleteCoverage: { params: { id: someId, itemId: someId } },
  mergePatients: {
    body: {
      survivorId: someId,
      mergedId: crypto.randomUUID(),
      reason: 'Same person registered twice at intake',
    },
  },
  emergencyAccess: {
    body: { patientId: someId, reason: 'Unconscious in the waiting room, needs allergy list' },
  },
  // Scheduling: ids that name nothing, so allowed callers get a 4xx from the service and change nothing,
  // except the set-up entries that only add a location or type nobody else looks at.
  listProviders: {},
  createProvider: { body: { userId: someId, color: '#3a7bd5' } },
  updateProvider: { params: { id: someId }, body: { specialty: 'Family medicine' } },
  getProviderHours: { params: { id: someId } },
  setProviderHours: { params: { id: someId }, body: { hours: [] } },
  exportProviderSchedule: { params: { id: someId }, query: { from: '2026-03-02', to: '2026-03-08' } },
  listLocations: {},
  createLocation: { body: { name: 'Sample Annex' } },
  updateLocation: { params: { id: someId }, body: { name: 'Renamed Annex' } },
  createRoom: { body: { locationId: someId, name: 'Room 9' } },
  updateRoom: { params: { id: someId }, body: { name: 'Room 10' } },
  listAppointmentTypes: {},
  createAppointmentType: { body: { name: 'Sample visit', durationMinutes: 30, color: '#2f8a57' } },
  updateAppointmentType: { params: { id: someId }, body: { durationMinutes: 45 } },
  listBlocks: {},
  createBlock: {
    body: {
      providerId: someId,
      kind: 'lunch',
      startsAt: '2026-03-02T18:00:00Z',
      endsAt: '2026-03-02T19:00:00Z',
    },
  },
  removeBlock: { params: { id: someId } },
  getSchedule: { query: { from: '2026-03-02', to: '2026-03-02' } },
  getMonthSummary: { query: { month: '2026-03' } },
  findNextAvailable: { query: { providerId: someId } },
  checkSlot: {
    body: {
      providerId: someId,
      locationId: someId,
      startsAt: '2026-03-02T15:00:00Z',
      endsAt: '2026-03-02T15:30:00Z',
    },
  },
  getCheckInBoard: {},
  createAppointment: {
    body: {
      patientId: someId,
      providerId: someId,
      appointmentTypeId: someId,
      locationId: someId,
      startsAt: '2026-03-02T15:00:00Z',
    },
  },
  getAppointment: { params: { id: someId } },
  updateAppointment: { params: { id: someId }, body: { note: 'Bring the glucose log' } },
  cancelAppointment: { params: { id: someId }, body: { reason: 'Patient called to cancel' } },
  markNoShow: { params: { id: someId } },
  resolveDoubleBooking: { params: { id: someId } },
  getCheckInReview: { params: { id: someId } },
  changeVisitStatus: { params: { id: someId }, body: { to: 'arrived' } },
  undoVisitStatus: { params: { id: someId } },
  listWaitlist: {},
  createWaitlistEntry: { body: { patientId: someId, providerId: someId } },
  removeWaitlistEntry: { params: { id: someId }, body: { reason: 'no_longer_needed' } },
  listAppointmentRequests: {},
  declineAppointmentRequest: { params: { id: someId }, body: { reason: 'No longer offered' } },
  events: {},
  // Clinical: ids that name nothing (404 from the service, nothing changes), reads of reference data,
  // and one template nobody uses.
  getChart: { params: { id: someId } },
  getChartTimeline: { params: { id: someId }, query: { limit: 10 } },
  getPatientAlerts: { params: { id: someId } },
  listPsychotherapyNotes: { params: { id: someId } },
  searchIcd10: { query: { q: 'anxiety' } },
  getIcd10Status: {},
  createCodeSetImport: { query: { release: 'FY2026' } },
  getCodeSetImport: { params: { id: someId } },
  listClinicalProviders: {},
  getMyClinicalDay: {},
  createProblem: { params: { id: someId }, body: { code: 'F41.1' } },
  updateProblem: { params: { id: someId }, body: { note: 'Stable on current plan' } },
  createAllergy: { params: { id: someId }, body: { type: 'drug', allergen: 'Penicillin' } },
  updateAllergy: { params: { id: someId }, body: { severity: 'mild' } },
  createMedication: { params: { id: someId }, body: { name: 'Sertraline' } },
  updateMedication: { params: { id: someId }, body: { dose: '50 mg' } },
  recordVitals: { params: { id: someId }, body: { heartRate: 72 } },
  listVitals: { params: { id: someId }, query: { limit: 5 } },
  markVitalsInError: { params: { id: someId }, body: { reason: 'Recorded on the wrong patient' } },
  createAlert: { params: { id: someId }, body: { text: 'Latex allergy' } },
  updateAlert: { params: { id: someId }, body: { active: false } },
  createEncounterFromAppointment: { params: { id: someId } },
  createEncounter: { body: { patientId: someId, providerId: someId, dateOfService: '2026-03-02' } },
  getEncounter: { params: { id: someId } },
  updateEncounter: { params: { id: someId }, body: { reason: 'Follow-up' } },
  setEncounterDiagnoses: { params: { id: someId }, body: { codes: ['F41.1'] } },
  createNote: { body: { patientId: someId, templateId: someId } },
  getNote: { params: { id: someId } },
  saveNoteDraft: { params: { id: someId }, body: { baseVersion: 1, title: '', content: { fields: {} } } },
  noteEditorPresence: { params: { id: someId }, body: { windowId: 'samplewindow01' } },
  signNote: { params: { id: someId }, body: { baseVersion: 1 } },
  cosignNote: { params: { id: someId } },
  discardNote: { params: { id: someId } },
  createAddendum: { params: { id: someId }, body: { text: 'Late entry: called the pharmacy.' } },
  createAmendmentRequest: {
    params: { id: someId },
    body: { requestedBy: 'The patient', receivedOn: '2026-03-02', requestText: 'The visit date is wrong.' },
  },
  decideAmendment: { params: { id: someId }, body: { decision: 'denied', reason: 'Accurate as written.' } },
  exportNotePdf: { params: { id: someId } },
  getDraftCacheKey: {},
  listNoteTemplates: {},
  getNoteTemplate: { params: { id: someId } },
  createNoteTemplate: {
    body: {
      name: 'Sample template',
      definition: {
        sections: [{ id: 'note', title: 'Note', fields: [{ id: 'body', label: 'Note', type: 'textarea' }] }],
      },
    },
  },
  reviseNoteTemplate: {
    params: { id: someId },
    body: {
      baseVersion: 1,
      name: 'Sample template',
      restrictedDefault: false,
      definition: {
        sections: [{ id: 'note', title: 'Note', fields: [{ id: 'body', label: 'Note', type: 'textarea' }] }],
      },
    },
  },
  retireNoteTemplate: { params: { id: someId } },
  listTreatmentPlans: { params: { id: someId } },
  createTreatmentPlan: {
    params: { id: someId },
    body: { title: 'Sample plan', effectiveDate: '2026-03-02', structure: { problems: [] } },
  },
  getTreatmentPlan: { params: { id: someId } },
  saveTreatmentPlan: {
    params: { id: someId },
    body: {
      baseRowVersion: 1,
      title: 'Sample plan',
      effectiveDate: '2026-03-02',
      structure: { problems: [] },
    },
  },
  signTreatmentPlan: { params: { id: someId }, body: { signer: 'clinician', baseRowVersion: 1 } },
  reviseTreatmentPlan: { params: { id: someId } },
  closeTreatmentPlan: { params: { id: someId }, body: { outcome: 'completed', reason: 'Goals met' } },
  listSupervision: {},
  setSupervisor: { params: { clinicianId: someId }, body: { supervisorId: null } },
  syncStatus: {},
  // Port 9 (discard) refuses at once: an allowed caller gets "no central server answered", not a hang.
  syncEnroll: {
    body: { centralUrl: 'http://127.0.0.1:9', code: 'ABCD-EFGH-JKMN-PQRS', workstationName: 'Front desk 1' },
  },
  syncJoin: {
    body: { centralUrl: 'http://127.0.0.1:9', code: 'ABCD-EFGH-JKMN-PQRS', workstationName: 'Front desk 1' },
  },
  syncNow: {},
  syncConflicts: { query: { status: 'open' } },
  syncResolveConflict: { params: { id: someId }, body: { action: 'acknowledge' } },
  getMaintenance: {},
  createBackup: {},
  updateBackupSchedule: { body: { enabled: true, everyHours: 24, keep: 14 } },
  exportDatabaseKey: { body: { password: 'not the password' } },
  restoreBackup: { body: { name: 'tessera-20260101T000000Z-manual.db', password: 'not the password' } },
  getPatientAccount: { params: { patientId: someId } },
  getDueToday: { params: { patientId: someId } },
  postCharge: {
    params: { patientId: someId },
    body: { amountCents: 5000, serviceDate: '2026-03-02', memo: 'Missed appointment fee' },
  },
  postPayment: { params: { patientId: someId }, body: { amountCents: 2500, method: 'cash' } },
  postAdjustment: { params: { patientId: someId }, body: { amountCents: 500, memo: 'Courtesy' } },
  postWriteOff: { params: { patientId: someId }, body: { amountCents: 500, memo: 'Small balance' } },
  postRefund: {
    params: { patientId: someId },
    body: { paymentEntryId: someId, amountCents: 500, method: 'cash', memo: 'Overpaid' },
  },
  postTransfer: {
    params: { patientId: someId },
    body: { from: 'insurance', to: 'patient', amountCents: 500 },
  },
  reverseLedgerEntry: { params: { patientId: someId, entryId: someId }, body: { reason: 'Posted twice' } },
  applyCredit: { params: { patientId: someId }, body: { allocation: { mode: 'oldest_first' } } },
  unallocatePayment: { params: { patientId: someId, allocationId: someId } },
  listPayments: {},
  verifyLedger: {},
  listServiceCodes: {},
  createServiceCode: { body: { code: 'SMP01', description: 'Sample service' } },
  updateServiceCode: { params: { id: someId }, body: { active: false } },
  listFees: { query: {} },
  createFee: { body: { serviceCodeId: someId, scope: 'practice', amountCents: 1000 } },
  updateFee: { params: { id: someId }, body: { amountCents: 1000 } },
  removeFee: { params: { id: someId } },
  listPosRules: {},
  createPosRule: { body: { modality: 'office', placeOfService: '11' } },
  updatePosRule: { params: { id: someId }, body: { placeOfService: '11' } },
  removePosRule: { params: { id: someId } },
  listTypeCodes: {},
  setTypeCodes: { params: { id: someId }, body: { codes: [] } },
  getPaymentPolicy: {},
  updatePaymentPolicy: {
    body: { mode: 'off', atVisitStart: true, atNoteSigning: true, toleranceCents: 0, insuranceClears: true },
  },
  getVisitClearance: { query: { encounterId: someId, point: 'start_visit' } },
  answerPaymentPolicy: { body: { encounterId: someId, point: 'start_visit', kind: 'acknowledge' } },
  getVisitCharges: { params: { id: someId } },
  getAppointmentCharges: { params: { id: someId } },
  proposeVisitCharges: { params: { id: someId } },
  addChargeLine: { params: { id: someId }, body: { serviceCodeId: someId } },
  updateChargeLine: { params: { id: someId, lineId: someId }, body: { units: 1 } },
  removeChargeLine: { params: { id: someId, lineId: someId } },
  setEncounterModality: { params: { id: someId }, body: { modality: 'office' } },
  closeVisit: { params: { id: someId } },
  reverseChargeLine: { params: { id: someId, lineId: someId }, body: { reason: 'Wrong code' } },
  getBillingDocumentSettings: {},
  updateBillingDocumentSettings: {
    body: {
      addressLines: [],
      phone: '',
      email: '',
      taxId: '',
      npi: '',
      payInstructions: '',
      payableTo: '',
      dueDays: 30,
      providerLicenses: [],
    },
  },
  previewBillingDocument: {
    params: { patientId: someId },
    query: { kind: 'statement', from: '2026-11-01', to: '2026-11-30' },
  },
  createBillingDocument: {
    params: { patientId: someId },
    body: { kind: 'statement', from: '2026-11-01', to: '2026-11-30' },
  },
  createFamilyStatement: { params: { patientId: someId }, body: { from: '2026-11-01', to: '2026-11-30' } },
  listBillingDocuments: { params: { patientId: someId } },
  getBillingDocumentPdf: { params: { patientId: someId, documentId: someId } },
  createGoodFaithEstimate: {
    params: { patientId: someId },
    body: {
      providerUserId: someId,
      primaryService: 'Therapy',
      trigger: 'requested',
      requestedOn: '2026-11-02',
      items: [{ code: 'T1', description: 'Session', units: 1, unitFeeCents: 10000, quantity: 1 }],
    },
  },
  getEncounterSuperbill: { params: { id: someId } },
  createStatementRun: { body: { from: '2026-11-01', to: '2026-11-30' } },
  listStatementRuns: {},
  getStatementRun: { params: { id: someId } },
  cancelStatementRun: { params: { id: someId } },
  getAgingReport: {},
  getDailyClose: {},
  getPaymentsReport: { query: { from: '2026-11-01', to: '2026-11-30' } },
  exportBillingReport: { params: { report: 'aging' } },
  cardReconciliation: {},
  cardReaders: {},
  cardActivity: { params: { patientId: someId } },
  cardReaderPayment: {
    params: { patientId: someId },
    body: { requestId: someId, amountCents: 2500, readerId: 'tmr_FrontDesk' },
  },
  cardPaymentLink: { params: { patientId: someId }, body: { requestId: someId, amountCents: 2500 } },
  cardSavedCardPayment: {
    params: { patientId: someId },
    body: { requestId: someId, agreementId: someId, amountCents: 2500 },
  },
  cardPayment: { params: { id: someId } },
  cardPaymentCancel: { params: { id: someId } },
  cardPaymentRefund: { params: { id: someId }, body: { requestId: someId, amountCents: 500 } },
  cardAgreementStart: {
    params: { patientId: someId },
    body: { requestId: someId, maxAmountCents: 5000, endsOn: '2030-01-01', readerId: 'tmr_FrontDesk' },
  },
  cardAgreementRevoke: { params: { id: someId } },
  getAccountGuarantor: { params: { patientId: someId } },
  postFamilyPayment: { params: { patientId: someId }, body: { amountCents: 5000, method: 'cash' } },
  telehealthStatus: {},
  telehealthOpenSessions: {},
  telehealthStart: { body: { appointmentId: someId } },
  telehealthByAppointment: { params: { appointmentId: someId } },
  telehealthRecord: { params: { appointmentId: someId } },
  telehealthSession: { params: { sessionId: someId } },
  telehealthEvents: { params: { sessionId: someId } },
  telehealthLink: { params: { sessionId: someId }, body: { role: 'patient' } },
  telehealthAdmit: { params: { sessionId: someId, participantId: someId } },
  telehealthAdmitAll: { params: { sessionId: someId } },
  telehealthDeny: { params: { sessionId: someId, participantId: someId }, body: { message: 'Not today' } },
  telehealthRemove: { params: { sessionId: someId, participantId: someId } },
  telehealthRoomAccess: { params: { sessionId: someId } },
  telehealthPreflight: {},
  telehealthChat: { params: { sessionId: someId }, body: { text: 'Hello' } },
  telehealthSignal: { params: { sessionId: someId }, body: { to: someId, kind: 'bye' } },
  telehealthConnection: { params: { sessionId: someId }, body: { state: 'connected' } },
  telehealthLocation: {
    params: { sessionId: someId },
    body: { location: '1 Main St, Springfield', atHome: true },
  },
  telehealthAudioOnly: { params: { sessionId: someId }, body: { reason: 'Video failed' } },
  telehealthMode: { params: { sessionId: someId }, body: { mode: 'audio_only' } },
  telehealthEnd: { params: { sessionId: someId } },
  portalAccess: { params: { patientId: someId } },
  portalInvite: { params: { patientId: someId }, body: { kind: 'self', email: 'pat@example.org' } },
  portalRevoke: { params: { patientId: someId, accountId: someId } },
  portalShareDocument: { params: { patientId: someId }, body: { documentId: someId } },
  portalSharedDocuments: { params: { patientId: someId } },
  portalWithdrawDocument: { params: { patientId: someId, documentId: someId } },
  noteSummaryPreview: { params: { id: someId } },
  noteSummaryPdf: { params: { id: someId } },
  noteSummaryStatus: { params: { id: someId } },
  shareNoteSummary: { params: { id: someId } },
  withdrawNoteSummary: { params: { id: someId } },
  portalRecordFiles: { params: { patientId: someId } },
  portalRecordFileContent: { params: { patientId: someId, fileId: someId } },
  portalRecordFileReview: { params: { patientId: someId, fileId: someId } },
  inbox: {},
  inboxThread: { params: { threadId: someId } },
  inboxReply: { params: { threadId: someId }, body: { body: 'Thank you, see you Tuesday.' } },
  inboxAssign: { params: { threadId: someId }, body: { userId: null } },
  patientQuestionnaires: { params: { patientId: someId } },
  questionnaireSend: { params: { patientId: someId }, body: { instrument: 'phq9', schedule: 'once' } },
  questionnaireStop: { params: { patientId: someId, id: someId } },
  questionnaireReview: { params: { patientId: someId, id: someId } },
  listClaimPayers: {},
  createClaimPayer: {
    body: {
      name: 'Acme',
      clearinghouseIds: [{ clearinghouse: 'Office Ally', payerId: '60054' }],
      claimFilingIndicator: 'CI',
      claimEnrollment: 'enrolled',
      eraEnrollment: 'enrolled',
      timelyFilingDays: 365,
    },
  },
  updateClaimPayer: {
    params: { id: someId },
    body: {
      name: 'Acme',
      clearinghouseIds: [{ clearinghouse: 'Office Ally', payerId: '60054' }],
      claimFilingIndicator: 'CI',
      claimEnrollment: 'enrolled',
      eraEnrollment: 'enrolled',
      timelyFilingDays: 365,
    },
  },
  getBillingProvider: {},
  saveBillingProvider: {
    body: {
      organizationName: 'Harbor',
      npi: '1234567893',
      taxId: '12-3456789',
      taxonomy: '101YM0800X',
      address: { line1: '1 Main', city: 'Springfield', state: 'IL', postalCode: '627011234' },
      payToAddress: null,
      contactName: 'Office',
      contactPhone: '5550102000',
    },
  },
  listRenderingProviders: {},
  saveRenderingProvider: { params: { userId: someId }, body: { npi: '9876543213', taxonomy: '103T00000X' } },
  getClearinghouse: {},
  saveClearinghouse: {
    body: { name: 'Office Ally', senderId: 'TESSERA01', receiverId: 'OFFALLY', usage: 'T' },
  },
  listClaims: {},
  getClaim: { params: { id: someId } },
  createClaims: { body: { encounterId: someId } },
  rescrubClaim: { params: { id: someId } },
  listUnbilledVisits: {},
  getClearinghouseConnection: {},
  getVisitForClaims: { params: { id: someId } },
  previewClaims: { body: { encounterId: someId } },
  voidClaim: { params: { id: someId } },
  buildClaimBatch: { body: {} },
  importClaimAck: { body: { name: 'a.999', content: 'ISA*00*not really a file' } },
  importEra: { body: { name: 'a.835', content: 'ISA*00*not really a file' } },
  listEraPayments: {},
  postAssistedEra: { params: { id: someId }, body: { resolutions: [] } },
  getClaimFile: { params: { id: someId } },
  listReceivedClaimFiles: {},
  getInboundClaimFile: { params: { id: someId } },
  listDenials: {},
  workDenial: { params: { id: someId }, body: { action: 'appealed', note: 'Medical necessity letter sent' } },
  getInsuranceAging: {},
  exportInsuranceAging: {},
  buildEligibilityRequest: { body: { date: '2026-03-12' } },
  importEligibilityResponse: { body: { name: 'a.271', content: 'ISA*00*not really a file' } },
  getPatientEligibility: { params: { id: someId } },
  patientForms: { params: { patientId: someId } },
  formSend: { params: { patientId: someId }, body: { kind: 'consent', consentId: 'treatment' } },
  formStop: { params: { patientId: someId, id: someId } },
  formConsentPdf: { params: { patientId: someId, id: someId } },
  formChanges: {},
  formChangeDecide: { params: { id: someId }, body: { decision: 'accept' } },
  reminderSettings: {},
  updateReminderSettings: { body: { hoursBefore: [48, 2], email: true, sms: false } },
  portalSchedulingSettings: {},
  updateSelfBooking: { body: { types: [] } },
  updateCancelWindow: { body: { hours: 24 } },
  updateVideoJoinWindow: { body: { minutes: 15 } },
  patientTracking: { params: { patientId: someId } },
  patientAdherence: { params: { patientId: someId } },
  trackingRangeSet: { params: { patientId: someId, kind: 'weight' }, body: { low: '120', high: '200' } },
} satisfies Record<EndpointName, CallOptions>;

/** The sample for an endpoint (an endpoint added without one fails the first test, not with a TypeError). */
const sample = (name: EndpointName): CallOptions =>
  (samples as Partial<Record<EndpointName, CallOptions>>)[name] ?? {};

const publicEndpoints = endpoints.filter(([, e]) => e.access === 'public');
const launchEndpoints = endpoints.filter(([, e]) => e.access === 'launch');
const signedInEndpoints = endpoints.filter(([, e]) => e.access !== 'public' && e.access !== 'launch');
const permissionEndpoints = signedInEndpoints.filter(([, e]) => e.access !== 'session') as [
  EndpointName,
  Endpoint & { access: Permission },
][];

interface Layer {
  route?: { path: string; methods: Record<string, boolean> };
  handle?: { stack?: Layer[] };
}

/** Every route registered on an express app (express 5: app.router.stack; nested routers are walked). */
function registeredRoutes(stack: Layer[]): string[] {
  const found: string[] = [];
  for (const layer of stack) {
    if (layer.route) {
      for (const [method, on] of Object.entries(layer.route.methods)) {
        if (on && method !== '_all') found.push(key(method, layer.route.path));
      }
    } else if (layer.handle?.stack) {
      // The catalogue router is mounted at the root (app.use(router)); the request checks below would
      // catch it being mounted anywhere else, because every catalogue path would then answer 404.
      found.push(...registeredRoutes(layer.handle.stack));
    }
  }
  return found;
}

function pathOf(name: EndpointName): string {
  let p: string = api[name].path;
  for (const [k, v] of Object.entries(sample(name).params ?? {})) p = p.replace(`:${k}`, v);
  return p;
}

let t: TestServer;
let admin: TestClient;
let adminUserId: string;
/** One signed-in client per role (the setup administrator stands for `admin`), plus one with no role. */
const byRole = new Map<Role | 'none', { client: TestClient; userId: string; username: string }>();

beforeAll(async () => {
  t = await startTestServer();
  admin = await t.client().launch();
  const creds = await setUpClinic(t, admin);
  const res = await signIn(t, admin, creds.username, creds.password, creds.totpSecret);
  expect(res.status).toBe(200);
  adminUserId = res.body.user.id;
  byRole.set('admin', { client: admin, userId: adminUserId, username: creds.username });
  for (const role of roles.filter((r) => r !== 'admin')) {
    const username = `user.${role.replace('_', '')}`;
    const staff = await addStaff(t, admin, username, [role]);
    expect(staff.login.body.step).toBe('done');
    byRole.set(role, { client: staff.client, userId: staff.user.id, username });
  }
  // Every role grants patients.read, so no API-made user lacks it. A user whose role list is empty (written
  // directly, as no API path produces one) stands in for "a signed-in user without the permission".
  const none = await addStaff(t, admin, 'user.norole', ['biller']);
  t.server.store.write(systemActor, (w) => w.update('users', none.user.id, { roles: '[]' }));
  byRole.set('none', { client: none.client, userId: none.user.id, username: 'user.norole' });
});

afterAll(async () => {
  await t?.stop();
});

describe('the catalogue and the registered routes', () => {
  it('has a syntactically valid sample request for every endpoint (so refusals are about access)', () => {
    for (const [name, e] of endpoints) {
      expect(Object.keys(samples), `no sample request for ${name}`).toContain(name);
      const s = sample(name);
      for (const [part, schema] of [
        ['params', e.params],
        ['query', e.query],
        ['body', e.body],
      ] as const) {
        const value = s[part];
        if (!schema) {
          expect(value, `${name} has no ${part} schema but the sample sets ${part}`).toBeUndefined();
          continue;
        }
        const parsed = schema.safeParse(value ?? {});
        expect(parsed.success, `${name} sample ${part}: ${parsed.error?.message}`).toBe(true);
      }
    }
  });

  it('registers exactly the catalogue plus the known public extras: nothing unregistered, nothing uncatalogued', () => {
    const app = createApp({
      store: t.server.store,
      logger: createLogger('tessera-workstation', undefined, 'silent'),
      launch: new LaunchGate(),
      port: () => t.server.port,
      appVersion: 'test',
    }) as unknown as { router: { stack: Layer[] } };
    const registered = registeredRoutes(app.router.stack);
    const catalogue = endpoints.map(([, e]) => key(e.method, e.path));

    // No route is registered twice (a second registration could shadow the guarded one or be shadowed).
    expect(registered.length).toBe(new Set(registered).size);
    expect(catalogue.length).toBe(new Set(catalogue).size);

    const missing = catalogue.filter((r) => !registered.includes(r));
    const uncatalogued = registered.filter((r) => !catalogue.includes(r) && !UNCATALOGUED_ROUTES.includes(r));
    expect(missing, 'catalogue endpoints with no registered route').toEqual([]);
    expect(uncatalogued, 'registered routes that are not in the catalogue').toEqual([]);
    // The allow-list stays honest too: each extra is really there.
    for (const extra of UNCATALOGUED_ROUTES) expect(registered).toContain(extra);
  });

  it('answers every catalogue endpoint on the running server (none falls through to "no such endpoint")', async () => {
    const anon = t.client();
    for (const [name, e] of endpoints) {
      const res = await anon.raw(e.method, pathOf(name), {
        body: sample(name).body === undefined ? undefined : JSON.stringify(sample(name).body),
        headers: { 'content-type': 'application/json' },
      });
      const text = await res.text();
      expect(res.status, `${name}: ${text}`).not.toBe(404);
    }
  });
});

describe('anonymous callers', () => {
  it('can reach the public endpoints without any cookie: health and the OpenAPI document', async () => {
    expect(publicEndpoints.map(([n]) => n)).toEqual(['health']);
    const anon = t.client();
    const health = await anon.call('health');
    expect(health.status).toBe(200);
    expect(health.body.status).toBe('ok');
    const doc = await anon.raw('GET', '/api/openapi.json');
    expect(doc.status).toBe(200);
    expect(((await doc.json()) as { openapi: string }).openapi).toMatch(/^3\./);
    expect(anon.cookies.size).toBe(0);
  });

  it.each([...launchEndpoints, ...signedInEndpoints].map(([name]) => name))(
    '%s without the launch cookie: 401 not_launched',
    async (name) => {
      const anon = t.client();
      const res = await anon.call(name, sample(name));
      expect(res.status).toBe(401);
      expect(res.body.error.code).toBe('not_launched');
    },
  );

  it('refuses a forged launch cookie like a missing one', async () => {
    const forged = t.client();
    forged.cookies.set('tessera_launch', crypto.randomBytes(32).toString('base64url'));
    expect((await forged.call('setupStatus')).status).toBe(401);
    expect((await forged.call('listUsers')).status).toBe(401);
  });
});

describe('launched but not signed in', () => {
  it('reaches the launch endpoints (the sign-in steps)', async () => {
    const launched = await t.client().launch();
    const res = await launched.call('setupStatus');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ needed: false });
  });

  it.each(signedInEndpoints.map(([name]) => name))(
    '%s with the launch cookie but no session: 401',
    async (name) => {
      const launched = await t.client().launch();
      const res = await launched.call(name, sample(name));
      expect(res.status).toBe(401);
      expect(res.body.error.code).toBe('not_signed_in');
    },
  );

  it('refuses a made-up session cookie and a signed-out session token', async () => {
    const c = await t.client().launch();
    c.cookies.set('tessera_session', crypto.randomBytes(32).toString('base64url'));
    expect((await c.call('session')).status).toBe(401);

    const staff = await addStaff(t, admin, 'user.leaving', ['front_desk']);
    const token = staff.client.cookies.get('tessera_session');
    expect(token).toBeTruthy();
    expect((await staff.client.call('logout')).status).toBe(200);
    expect(staff.client.cookies.has('tessera_session')).toBe(false);
    // Replaying the old token after sign-out does not work for any signed-in endpoint.
    staff.client.cookies.set('tessera_session', token!);
    for (const [name] of signedInEndpoints) {
      const res = await staff.client.call(name, sample(name));
      expect(res.status, name).toBe(401);
    }
  });
});

describe('signed-in callers and permissions', () => {
  it('every permission the catalogue requires is held by some role and lacked by some caller here', () => {
    for (const [name, e] of permissionEndpoints) {
      expect(rolesWith(e.access).length, `${name}: nobody may call it`).toBeGreaterThan(0);
    }
    expect(byRole.size).toBe(roles.length + 1);
  });

  it('answers 403 with an access.denied audit entry to each caller whose roles lack the permission, and lets the others through', async () => {
    const denials: { userId: string; endpoint: string; permission: Permission }[] = [];
    for (const [name, e] of permissionEndpoints) {
      const lacking = [...byRole.keys()].filter(
        (r) => r === 'none' || !permissionMatrix[r].includes(e.access),
      );
      expect(lacking.length, `${name}: no caller lacks ${e.access}`).toBeGreaterThan(0);
      for (const [role, who] of byRole) {
        const allowed = role !== 'none' && hasPermission([role], e.access);
        const res = await who.client.call(name, sample(name));
        if (allowed) {
          expect([401, 403], `${name} as ${role} (allowed): ${res.status} ${res.text}`).not.toContain(
            res.status,
          );
          expect(res.status, `${name} as ${role}: ${res.text}`).toBeLessThan(500);
        } else {
          expect(res.status, `${name} as ${role} (lacks ${e.access}): ${res.text}`).toBe(403);
          expect(res.body.error.code).toBe('forbidden');
          expect(res.body.error.message).toMatch(/role does not allow/);
          denials.push({ userId: who.userId, endpoint: key(e.method, e.path), permission: e.access });
        }
      }
    }

    const audit = await admin.call('auditReport', {
      query: { action: 'access.denied', limit: 1000, sort: 'at', dir: 'asc' },
    });
    expect(audit.status).toBe(200);
    const recorded = audit.body.entries.map(
      (x: { userId: string; outcome: string; detail: Record<string, unknown> }) => ({
        userId: x.userId,
        outcome: x.outcome,
        endpoint: x.detail.endpoint,
        permission: x.detail.permission,
      }),
    );
    expect(recorded).toEqual(denials.map((d) => ({ ...d, outcome: 'denied' })));
  }, 120_000);

  it('a refused call changes nothing', async () => {
    const biller = byRole.get('biller')!.client;
    const clinician = byRole.get('clinician')!.client;
    const frontDesk = byRole.get('front_desk')!.client;
    const patientsBefore = t.server.store.db.prepare('SELECT count(*) AS n FROM patients').get() as {
      n: number;
    };
    const billerCreate = await biller.call('createPatient', {
      body: { legalFirstName: 'Nope', legalLastName: 'Nope', dateOfBirth: '1990-02-03' },
    });
    expect(billerCreate.status).toBe(403);
    expect(t.server.store.db.prepare('SELECT count(*) AS n FROM patients').get()).toEqual(patientsBefore);

    const settingsBefore = (await admin.call('getSecuritySettings')).body;
    expect(
      (
        await clinician.call('updateSecuritySettings', {
          body: { idleTimeoutMinutes: 240, lockoutThreshold: 20 },
        })
      ).status,
    ).toBe(403);
    expect((await admin.call('getSecuritySettings')).body).toEqual(settingsBefore);

    expect(
      (
        await frontDesk.call('createUser', {
          body: { username: 'sneaky.admin', fullName: 'Sneaky', password: okPassword, roles: ['admin'] },
        })
      ).status,
    ).toBe(403);
    const frontDeskId = byRole.get('front_desk')!.userId;
    expect(
      (await frontDesk.call('updateUser', { params: { id: frontDeskId }, body: { roles: ['admin'] } }))
        .status,
    ).toBe(403);
    const users = (await admin.call('listUsers')).body.users as {
      username: string;
      id: string;
      roles: string[];
    }[];
    expect(users.map((u) => u.username)).not.toContain('sneaky.admin');
    expect(users.find((u) => u.id === frontDeskId)!.roles).toEqual(['front_desk']);
  });
});
