import type { Response } from 'express';
import type { billingDocumentEndpoints } from '../../../contracts/billing/documents-endpoints';
import { AppError } from '../../../platform/errors';
import type { Store } from '../../db/store';
import { getDocumentSettings, updateDocumentSettings } from '../../services/billing/document-settings';
import { encounterForDocs } from '../../services/billing/document-data';
import {
  createGoodFaithEstimate,
  listDocuments,
  previewDocument,
  readDocument,
  saveDocument,
} from '../../services/billing/documents';
import { saveFamilyStatement } from '../../services/billing/family-statement';
import type { PatientDocuments } from '../../services/billing/patient-documents';
import { agingCsv, agingReport } from '../../services/billing/ar-aging';
import {
  dailyClose,
  dailyCloseCsv,
  paymentsCsv,
  paymentsReport,
} from '../../services/billing/reports';
import {
  cancelStatementRun,
  getStatementRun,
  listStatementRuns,
  startStatementRun,
} from '../../services/billing/statement-runs';
import type { Handlers } from '../context';

type DocumentEndpoint = keyof typeof billingDocumentEndpoints;

function sendPdf(res: Response, pdf: Buffer, fileName: string) {
  res.setHeader('Content-Type', 'application/pdf');
  res.setHeader('Content-Disposition', `attachment; filename="${fileName}"`);
  res.setHeader('Content-Length', String(pdf.length));
  res.setHeader('Cache-Control', 'no-store');
  res.end(pdf);
}

/** Handlers of billing documents, statement runs and reports: thin calls into services/billing. */
export function billingDocumentHandlers(deps: {
  store: Store;
  documents: PatientDocuments;
}): Handlers<DocumentEndpoint> {
  const { store, documents } = deps;
  return {
    getBillingDocumentSettings: () => getDocumentSettings(store),
    updateBillingDocumentSettings: ({ body, signedIn }) =>
      store.write(signedIn.actor, (w) => updateDocumentSettings(w, store, body)),
    previewBillingDocument: async ({ params, query, res, signedIn }) => {
      const request =
        query.kind === 'statement'
          ? { kind: 'statement' as const, from: query.from!, to: query.to! }
          : query.kind === 'receipt'
            ? { kind: 'receipt' as const, paymentEntryId: query.paymentEntryId! }
            : { kind: query.kind, encounterId: query.encounterId! };
      const { pdf, fileName } = await previewDocument(store, signedIn.actor, params.patientId, request);
      sendPdf(res, pdf, fileName);
    },
    createBillingDocument: ({ params, body, signedIn }) =>
      saveDocument(store, documents, signedIn.actor, params.patientId, body),
    createFamilyStatement: ({ params, body, signedIn }) =>
      saveFamilyStatement(store, documents, signedIn.actor, params.patientId, body),
    listBillingDocuments: ({ params, signedIn }) => ({
      documents: listDocuments(store, documents, signedIn.actor, params.patientId),
    }),
    getBillingDocumentPdf: async ({ params, res, signedIn }) => {
      const { pdf, fileName } = await readDocument(
        store,
        documents,
        signedIn.actor,
        params.patientId,
        params.documentId,
      );
      sendPdf(res, pdf, fileName);
    },
    createGoodFaithEstimate: ({ params, body, signedIn }) =>
      createGoodFaithEstimate(store, documents, signedIn.actor, params.patientId, body),
    getEncounterSuperbill: async ({ params, res, signedIn }) => {
      const encounter = encounterForDocs(store, params.id);
      if (!encounter) throw new AppError(404, 'not_found', 'That visit was not found.');
      const { pdf, fileName } = await previewDocument(store, signedIn.actor, encounter.patient_id, {
        kind: 'superbill',
        encounterId: encounter.id,
      });
      sendPdf(res, pdf, fileName);
    },
    createStatementRun: ({ body, signedIn }) => startStatementRun(store, documents, signedIn.actor, body),
    listStatementRuns: () => ({ runs: listStatementRuns(store) }),
    getStatementRun: ({ params }) => getStatementRun(store, params.id),
    cancelStatementRun: ({ params }) => cancelStatementRun(store, params.id),
    getAgingReport: ({ query, signedIn }) => {
      const report = agingReport(store, query);
      store.audit(signedIn.actor, {
        action: 'billing.report_view',
        detail: {
          report: 'aging',
          asOf: report.asOf,
          providerId: query.providerId,
          locationId: query.locationId,
          patients: report.patients.length,
        },
      });
      return report;
    },
    getDailyClose: ({ query }) => dailyClose(store, query),
    getPaymentsReport: ({ query }) => paymentsReport(store, query),
    exportBillingReport: ({ params, query, res, signedIn }) => {
      // The report is computed first (a bad filter is a 400, not a broken download), then the export is
      // audited before a byte is sent.
      let lines: Iterable<string>;
      if (params.report === 'aging') {
        lines = agingCsv(agingReport(store, { ...query, limit: 1 }, { allPatients: true }));
      } else if (params.report === 'daily-close') {
        lines = dailyCloseCsv(dailyClose(store, query));
      } else {
        if (!query.from || !query.to) {
          const message = 'Choose the first and last day of the report.';
          throw new AppError(400, 'invalid_input', message, { [!query.from ? 'from' : 'to']: message });
        }
        lines = paymentsCsv(paymentsReport(store, { from: query.from, to: query.to }));
      }
      store.audit(signedIn.actor, {
        action: 'billing.report_export',
        detail: { report: params.report, format: 'csv', ...query },
      });
      const stamp = store.nowIso().slice(0, 10);
      res.setHeader('Content-Type', 'text/csv; charset=utf-8');
      res.setHeader('Content-Disposition', `attachment; filename="tessera-${params.report}-${stamp}.csv"`);
      res.setHeader('Cache-Control', 'no-store');
      for (const chunk of lines) res.write(chunk);
      res.end();
    },
  };
}
