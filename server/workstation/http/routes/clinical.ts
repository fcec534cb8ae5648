import type { clinicalEndpoints } from '../../../contracts/clinical/endpoints';
import type { Store } from '../../db/store';
import { openChart, chartTimeline, psychotherapyNotes } from '../../services/clinical/chart';
import {
  createAlert,
  createAllergy,
  createMedication,
  createProblem,
  listAlerts,
  listVitals,
  markVitalsInError,
  recordVitals,
  updateAlert,
  updateAllergy,
  updateMedication,
  updateProblem,
} from '../../services/clinical/chart-lists';
import { clinicianOf, noteWriters } from '../../services/clinical/clinician';
import { draftCacheKey } from '../../services/clinical/draft-keys';
import {
  createEncounter,
  encounterFromAppointment,
  getEncounter,
  setEncounterDiagnoses,
  updateEncounter,
} from '../../services/clinical/encounters';
import { codeSet } from '../../services/clinical/icd10/code-set';
import {
  codeSetImport,
  readTextBody,
  refuseWhenEnrolled,
  startCodeSetImport,
} from '../../services/clinical/icd10/imports';
import { AppError } from '../../../platform/errors';
import { myDay } from '../../services/clinical/my-day';
import { noteToPdf } from '../../services/clinical/note-pdf';
import {
  addAddendum,
  cosignNote,
  createNote,
  decideAmendment,
  discardNote,
  getNote,
  notePresence,
  requestAmendment,
  saveDraft,
  signNote,
} from '../../services/clinical/notes';
import { listSupervision, setSupervisor } from '../../services/clinical/supervision';
import {
  createTemplate,
  getTemplate,
  listTemplates,
  retireTemplate,
  reviseTemplate,
} from '../../services/clinical/templates';
import {
  closePlan,
  createPlan,
  getPlan,
  listPlans,
  revisePlan,
  savePlan,
  signPlan,
} from '../../services/clinical/treatment-plans';
import type { Handlers } from '../context';

type ClinicalEndpoint = keyof typeof clinicalEndpoints;

/** Handlers of the clinical area (chart, encounters, notes, templates, plans): thin calls into the services. */
export function clinicalHandlers(deps: { store: Store }): Handlers<ClinicalEndpoint> {
  const { store } = deps;
  // Build the code-set index ahead of the first search, off the request path.
  setTimeout(() => {
    try {
      codeSet(store);
    } catch {
      // Built on first use instead; the search reports any problem then.
    }
  }, 0).unref();
  const as = (signedIn: { user: Parameters<typeof clinicianOf>[0] }) => clinicianOf(signedIn.user);

  return {
    getChart: ({ params, signedIn }) => openChart(store, as(signedIn), params.id),
    getChartTimeline: ({ params, query, signedIn }) =>
      chartTimeline(store, as(signedIn), params.id, query.cursor, query.limit),
    getPatientAlerts: ({ params, signedIn }) => ({ alerts: listAlerts(store, as(signedIn), params.id) }),
    listPsychotherapyNotes: ({ params, signedIn }) => psychotherapyNotes(store, as(signedIn), params.id),
    searchIcd10: ({ query }) => codeSet(store).index.search(query.q, query.limit),
    getIcd10Status: () => codeSet(store).status,
    createCodeSetImport: async ({ query, req, signedIn }) => {
      // The body is the file itself; a JSON body was already consumed by the JSON parser.
      if (!req.is(['text/plain', 'application/octet-stream']) || req.readableEnded) {
        throw new AppError(
          415,
          'unsupported_media_type',
          'Send the code-set file itself as the request body (text/plain).',
        );
      }
      refuseWhenEnrolled(store);
      const text = await readTextBody(req);
      return startCodeSetImport(store, signedIn.actor, {
        text,
        release: query.release,
        allowPartial: query.allowPartial,
        bytes: Buffer.byteLength(text),
      });
    },
    getCodeSetImport: ({ params }) => codeSetImport(store, params.id),
    listClinicalProviders: () => ({
      providers: noteWriters(store).map((u) => ({ id: u.id, name: u.fullName })),
    }),
    getMyClinicalDay: ({ signedIn }) => myDay(store, as(signedIn)),

    createProblem: ({ params, body, signedIn }) => createProblem(store, as(signedIn), params.id, body),
    updateProblem: ({ params, body, signedIn }) => updateProblem(store, as(signedIn), params.id, body),
    createAllergy: ({ params, body, signedIn }) => createAllergy(store, as(signedIn), params.id, body),
    updateAllergy: ({ params, body, signedIn }) => updateAllergy(store, as(signedIn), params.id, body),
    createMedication: ({ params, body, signedIn }) => createMedication(store, as(signedIn), params.id, body),
    updateMedication: ({ params, body, signedIn }) => updateMedication(store, as(signedIn), params.id, body),
    recordVitals: ({ params, body, signedIn }) => recordVitals(store, as(signedIn), params.id, body),
    listVitals: ({ params, query, signedIn }) => ({
      vitals: listVitals(store, as(signedIn), params.id, query.limit),
    }),
    markVitalsInError: ({ params, body, signedIn }) => {
      markVitalsInError(store, as(signedIn), params.id, body.reason);
      return { ok: true as const };
    },
    createAlert: ({ params, body, signedIn }) => createAlert(store, as(signedIn), params.id, body),
    updateAlert: ({ params, body, signedIn }) => updateAlert(store, as(signedIn), params.id, body),

    createEncounterFromAppointment: ({ params, signedIn }) =>
      encounterFromAppointment(store, as(signedIn), params.id),
    createEncounter: ({ body, signedIn }) => createEncounter(store, as(signedIn), body),
    getEncounter: ({ params, signedIn }) => getEncounter(store, as(signedIn), params.id),
    updateEncounter: ({ params, body, signedIn }) => updateEncounter(store, as(signedIn), params.id, body),
    setEncounterDiagnoses: ({ params, body, signedIn }) =>
      setEncounterDiagnoses(store, as(signedIn), params.id, body.codes),

    createNote: ({ body, signedIn }) => createNote(store, as(signedIn), body),
    getNote: ({ params, signedIn }) => getNote(store, as(signedIn), params.id),
    saveNoteDraft: ({ params, body, signedIn }) => saveDraft(store, as(signedIn), params.id, body),
    noteEditorPresence: ({ params, body, signedIn }) =>
      notePresence(store, as(signedIn), params.id, body.windowId, body.closing),
    signNote: ({ params, body, signedIn }) => signNote(store, as(signedIn), params.id, body.baseVersion),
    cosignNote: ({ params, signedIn }) => cosignNote(store, as(signedIn), params.id),
    discardNote: ({ params, signedIn }) => {
      discardNote(store, as(signedIn), params.id);
      return { ok: true as const };
    },
    createAddendum: ({ params, body, signedIn }) => addAddendum(store, as(signedIn), params.id, body.text),
    createAmendmentRequest: ({ params, body, signedIn }) =>
      requestAmendment(store, as(signedIn), params.id, body),
    decideAmendment: ({ params, body, signedIn }) => decideAmendment(store, as(signedIn), params.id, body),
    exportNotePdf: async ({ params, res, signedIn }) => {
      const { pdf, fileName } = await noteToPdf(store, as(signedIn), params.id);
      res.setHeader('Content-Type', 'application/pdf');
      res.setHeader('Content-Disposition', `attachment; filename="${fileName}"`);
      res.setHeader('Content-Length', String(pdf.length));
      res.setHeader('Cache-Control', 'no-store');
      res.end(pdf);
    },
    getDraftCacheKey: ({ signedIn }) => ({ key: draftCacheKey(store, signedIn.actor) }),

    listNoteTemplates: ({ signedIn }) => ({ templates: listTemplates(store, signedIn.actor) }),
    getNoteTemplate: ({ params }) => getTemplate(store, params.id),
    createNoteTemplate: ({ body, signedIn }) => createTemplate(store, signedIn.actor, body),
    reviseNoteTemplate: ({ params, body, signedIn }) =>
      reviseTemplate(store, signedIn.actor, params.id, body),
    retireNoteTemplate: ({ params, signedIn }) => retireTemplate(store, signedIn.actor, params.id),

    listTreatmentPlans: ({ params, signedIn }) => listPlans(store, as(signedIn), params.id),
    createTreatmentPlan: ({ params, body, signedIn }) => createPlan(store, as(signedIn), params.id, body),
    getTreatmentPlan: ({ params, signedIn }) => getPlan(store, as(signedIn), params.id),
    saveTreatmentPlan: ({ params, body, signedIn }) => savePlan(store, as(signedIn), params.id, body),
    signTreatmentPlan: ({ params, body, signedIn }) => signPlan(store, as(signedIn), params.id, body),
    reviseTreatmentPlan: ({ params, signedIn }) => revisePlan(store, as(signedIn), params.id),
    closeTreatmentPlan: ({ params, body, signedIn }) => closePlan(store, as(signedIn), params.id, body),

    listSupervision: () => listSupervision(store),
    setSupervisor: ({ params, body, signedIn }) =>
      setSupervisor(store, signedIn.actor, params.clinicianId, body.supervisorId),
  };
}
