import { centralApi } from '../../../contracts/central/endpoints';
import type { portalWorkstationEndpoints } from '../../../contracts/portal/workstation-endpoints';
import { AppError } from '../../../platform/errors';
import type { Store } from '../../db/store';
import { readDocument } from '../../services/billing/documents';
import type { PatientDocuments } from '../../services/billing/patient-documents';
import { TelehealthGateway } from '../../services/telehealth/gateway';
import { getReminderSettings, updateReminderPolicy } from '../../services/settings/reminder-policy';
import {
  getPortalSchedulingSettings,
  updateCancelWindow,
  updateSelfBooking,
  updateVideoJoinWindow,
} from '../../services/settings/portal-scheduling';
import { PortalFileService } from '../../services/portal/files';
import type { SyncEngine } from '../../sync/engine';
import type { Handlers } from '../context';
import { BACKGROUND_HEADER } from '../register';
import { noteSummaryHandlers } from './portal-summaries';
import { fillPath } from './telehealth';
import { portalCentralCaller } from './portal-central';

type PortalName = keyof typeof portalWorkstationEndpoints;

/**
 * Portal access from the patient record: each call goes to central (where portal accounts live) through
 * the same gateway as telehealth, as the signed-in staff member, and is audited here with the patient.
 * A patient or staff account central has not seen yet is pushed first (one sync) and the call retried.
 */
export function portalHandlers(deps: {
  store: Store;
  sync?: Pick<SyncEngine, 'syncNow'>;
  gateway?: TelehealthGateway;
  documents: PatientDocuments;
}): Handlers<PortalName> {
  const { store, sync, documents } = deps;
  const gateway = deps.gateway ?? new TelehealthGateway(store);
  const files = new PortalFileService(store);
  const call = portalCentralCaller({ gateway, sync });
  return {
    ...noteSummaryHandlers(store, call),
    reminderSettings: () => getReminderSettings(store),
    updateReminderSettings: ({ body, signedIn }) =>
      store.write(signedIn.actor, (w) => updateReminderPolicy(store, w, body)),
    portalSchedulingSettings: () => getPortalSchedulingSettings(store),
    updateSelfBooking: ({ body, signedIn }) =>
      store.write(signedIn.actor, (w) => updateSelfBooking(store, w, body)),
    updateCancelWindow: ({ body, signedIn }) =>
      store.write(signedIn.actor, (w) => updateCancelWindow(store, w, body)),
    updateVideoJoinWindow: ({ body, signedIn }) =>
      store.write(signedIn.actor, (w) => updateVideoJoinWindow(store, w, body)),
    portalAccess: async ({ params, signedIn }) => {
      const q = new URLSearchParams({ patientId: params.patientId });
      const result = await call('GET', `${centralApi.portalCentralAccess.path}?${q}`, signedIn.user.id);
      store.audit(signedIn.actor, {
        action: 'portal.read',
        patientId: params.patientId,
        detail: { endpoint: 'portalAccess' },
      });
      return result as never;
    },
    portalInvite: async ({ params, body, signedIn }) => {
      const result = (await call('POST', centralApi.portalCentralInvite.path, signedIn.user.id, {
        ...body,
        patientId: params.patientId,
      })) as { id: string; kind: string };
      store.audit(signedIn.actor, {
        action: 'portal.invite',
        patientId: params.patientId,
        detail: { accountId: result.id, kind: result.kind },
      });
      return result as never;
    },
    portalRevoke: async ({ params, signedIn }) => {
      // The account must be this record's: checked before anything changes at central.
      const q = new URLSearchParams({ patientId: params.patientId });
      const access = (await call('GET', `${centralApi.portalCentralAccess.path}?${q}`, signedIn.user.id)) as {
        accounts: { id: string }[];
      };
      if (!access.accounts.some((a) => a.id === params.accountId))
        throw new AppError(404, 'not_found', 'That portal account was not found on this record.');
      const result = await call(
        'POST',
        fillPath(centralApi.portalCentralRevoke.path, { accountId: params.accountId }),
        signedIn.user.id,
        {},
      );
      store.audit(signedIn.actor, {
        action: 'portal.revoke',
        patientId: params.patientId,
        detail: { accountId: params.accountId },
      });
      return result as never;
    },
    portalShareDocument: async ({ params, body, signedIn }) => {
      // Drawn here from the kept document (audited as an export), sent to central, which keeps it encrypted.
      const head = documents.list(params.patientId).find((d) => d.id === body.documentId);
      if (!head) throw new AppError(404, 'not_found', 'That document was not found on this record.');
      const { pdf } = await readDocument(store, documents, signedIn.actor, params.patientId, head.id);
      const result = (await call('POST', centralApi.portalCentralShareDocument.path, signedIn.user.id, {
        patientId: params.patientId,
        sourceId: head.id,
        kind: head.kind,
        title: head.title,
        pdfBase64: pdf.toString('base64'),
      })) as { id: string };
      store.audit(signedIn.actor, {
        action: 'portal.share',
        patientId: params.patientId,
        detail: { documentId: head.id, kind: head.kind, portalDocumentId: result.id },
      });
      return result as never;
    },
    portalSharedDocuments: async ({ params, signedIn }) => {
      const q = new URLSearchParams({ patientId: params.patientId });
      const result = await call('GET', `${centralApi.portalCentralDocuments.path}?${q}`, signedIn.user.id);
      store.audit(signedIn.actor, {
        action: 'portal.read',
        patientId: params.patientId,
        detail: { endpoint: 'portalSharedDocuments' },
      });
      return result as never;
    },
    portalWithdrawDocument: async ({ params, signedIn }) => {
      const result = (await call(
        'POST',
        fillPath(centralApi.portalCentralWithdrawDocument.path, { id: params.documentId }),
        signedIn.user.id,
        { patientId: params.patientId },
      )) as { sourceId: string };
      store.audit(signedIn.actor, {
        action: 'portal.withdraw',
        patientId: params.patientId,
        detail: { portalDocumentId: params.documentId, documentId: result.sourceId },
      });
      return result as never;
    },
    portalRecordFiles: ({ params, req, signedIn }) => {
      const list = files.list(signedIn.actor, params.patientId);
      // A live refresh the screen made by itself is not a new look at the record.
      if (!req.headers[BACKGROUND_HEADER])
        store.audit(signedIn.actor, { action: 'portal.file_list', patientId: params.patientId });
      return { files: list };
    },
    portalRecordFileContent: async ({ params, signedIn }) => {
      const file = files.get(signedIn.actor, params.patientId, params.fileId);
      const q = new URLSearchParams({ patientId: params.patientId });
      const result = await call(
        'GET',
        `${fillPath(centralApi.portalCentralFileContent.path, { id: file.id })}?${q}`,
        signedIn.user.id,
      );
      store.audit(signedIn.actor, {
        action: 'portal.file_read',
        patientId: params.patientId,
        detail: { fileId: file.id, purpose: file.purpose },
      });
      return result as never;
    },
    portalRecordFileReview: ({ params, signedIn }) =>
      files.review(signedIn.actor, params.patientId, params.fileId),
  };
}
