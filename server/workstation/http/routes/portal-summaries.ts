import { centralApi } from '../../../contracts/central/endpoints';
import type { PortalSharedDocument } from '../../../contracts/portal/documents';
import type { portalWorkstationEndpoints } from '../../../contracts/portal/workstation-endpoints';
import { AppError } from '../../../platform/errors';
import type { Store } from '../../db/store';
import { clinicianOf } from '../../services/clinical/clinician';
import { visitSummaryOf, visitSummaryPdf } from '../../services/clinical/visit-summary';
import type { Handlers } from '../context';
import { fillPath } from './telehealth';

type SummaryName =
  'noteSummaryPreview' | 'noteSummaryPdf' | 'noteSummaryStatus' | 'shareNoteSummary' | 'withdrawNoteSummary';
type CentralCall = (method: 'GET' | 'POST', path: string, userId: string, body?: unknown) => Promise<unknown>;

/**
 * A signed note's visit summary in the patient's portal, from the note: preview (what the patient will
 * read, and the PDF itself), share (drawn here on the clinic's letterhead and sent to central as a shared
 * document, kind `visit_summary`, the note's id as its source), whether and how it is shared, withdraw.
 * Each reads the note through the chart's access checks; each is audited with the patient.
 */
export function noteSummaryHandlers(
  store: Store,
  call: CentralCall,
): Handlers<Extract<keyof typeof portalWorkstationEndpoints, SummaryName>> {
  const sharedOf = async (patientId: string, noteId: string, userId: string) => {
    const q = new URLSearchParams({ patientId });
    const list = (await call('GET', `${centralApi.portalCentralDocuments.path}?${q}`, userId)) as {
      documents: PortalSharedDocument[];
    };
    return list.documents.find((x) => x.sourceId === noteId) ?? null;
  };
  return {
    noteSummaryPreview: ({ params, signedIn }) => {
      const s = visitSummaryOf(store, clinicianOf(signedIn.user), params.id);
      store.audit(signedIn.actor, {
        action: 'chart.read',
        patientId: s.patientId,
        detail: {
          what: 'visit_summary',
          noteId: s.noteId,
          ...(s.grantId && { emergencyGrantId: s.grantId }),
        },
      });
      return s.summary;
    },
    noteSummaryPdf: async ({ params, res, signedIn }) => {
      const s = visitSummaryOf(store, clinicianOf(signedIn.user), params.id);
      // Audited before the file is produced, as the note's own export is.
      store.audit(signedIn.actor, {
        action: 'record.export',
        patientId: s.patientId,
        detail: { what: 'visit_summary', noteId: s.noteId, format: 'pdf' },
      });
      const pdf = await visitSummaryPdf(store, s.summary);
      res.setHeader('Content-Type', 'application/pdf');
      res.setHeader('Content-Disposition', 'inline; filename="visit-summary-preview.pdf"');
      res.setHeader('Content-Length', String(pdf.length));
      res.setHeader('Cache-Control', 'no-store');
      res.end(pdf);
    },
    noteSummaryStatus: async ({ params, signedIn }) => {
      const s = visitSummaryOf(store, clinicianOf(signedIn.user), params.id);
      const shared = await sharedOf(s.patientId, s.noteId, signedIn.user.id);
      store.audit(signedIn.actor, {
        action: 'portal.read',
        patientId: s.patientId,
        detail: { endpoint: 'noteSummaryStatus', noteId: s.noteId },
      });
      return { shared };
    },
    shareNoteSummary: async ({ params, signedIn }) => {
      const s = visitSummaryOf(store, clinicianOf(signedIn.user), params.id);
      const pdf = await visitSummaryPdf(store, s.summary);
      const result = (await call('POST', centralApi.portalCentralShareDocument.path, signedIn.user.id, {
        patientId: s.patientId,
        sourceId: s.noteId,
        kind: 'visit_summary',
        title: s.summary.title,
        pdfBase64: pdf.toString('base64'),
      })) as PortalSharedDocument;
      store.audit(signedIn.actor, {
        action: 'portal.share',
        patientId: s.patientId,
        detail: { noteId: s.noteId, kind: 'visit_summary', portalDocumentId: result.id },
      });
      return result;
    },
    withdrawNoteSummary: async ({ params, signedIn }) => {
      const s = visitSummaryOf(store, clinicianOf(signedIn.user), params.id);
      const shared = await sharedOf(s.patientId, s.noteId, signedIn.user.id);
      if (!shared)
        throw new AppError(404, 'not_found', 'This note’s summary is not in the patient’s portal.');
      const result = (await call(
        'POST',
        fillPath(centralApi.portalCentralWithdrawDocument.path, { id: shared.id }),
        signedIn.user.id,
        { patientId: s.patientId },
      )) as PortalSharedDocument;
      store.audit(signedIn.actor, {
        action: 'portal.withdraw',
        patientId: s.patientId,
        detail: { noteId: s.noteId, kind: 'visit_summary', portalDocumentId: shared.id },
      });
      return result;
    },
  };
}
