import type { Store } from '../../db/store';
import { auditCsv, iterateAudit, queryAudit } from '../../services/audit/report';
import { verifyAuditLog } from '../../services/audit/verify';
import { requirePatient } from '../../services/patients/patient-core';
import type { Handlers } from '../context';

export function auditHandlers(deps: {
  store: Store;
}): Handlers<'auditReport' | 'auditExport' | 'auditVerify' | 'recordClientEvent'> {
  const { store } = deps;
  return {
    auditReport: ({ query, signedIn }) => {
      const page = queryAudit(store, query);
      // The report shows who opened which patient's record: looking at it is itself an access to audit.
      const { from, to, userId, patientId, action, outcome, source, offset } = query;
      store.audit(signedIn.actor, {
        action: 'audit.read',
        detail: { from, to, userId, patientId, action, outcome, source, offset },
      });
      return page;
    },
    auditVerify: ({ signedIn }) => {
      // Recorded after the check (so it is not part of what it checked), like `ledger verify`: who looked, and
      // what they were told, stays on the record even when the answer was "broken".
      const result = verifyAuditLog(store);
      store.audit(signedIn.actor, {
        action: 'audit.verify',
        outcome: result.ok ? 'success' : 'failure',
        detail: { checked: result.checked, problems: result.problems.length, firstBroken: result.problems[0]?.seq },
      });
      return result;
    },
    recordClientEvent: ({ body, signedIn }) => {
      if (body.patientId) requirePatient(store, body.patientId);
      store.audit(signedIn.actor, {
        action: body.action,
        patientId: body.patientId,
        detail: { what: body.what },
      });
      return { ok: true as const };
    },
    auditExport: ({ query, res, signedIn }) => {
      // Filters are checked first (a bad query is a 400, not a broken download), then the export is audited
      // before it is sent: a failed download still shows someone asked for it.
      const entries = iterateAudit(store, query);
      const { from, to, userId, patientId, action, outcome, source } = query;
      store.audit(signedIn.actor, {
        action: 'audit.export',
        detail: { from, to, userId, patientId, action, outcome, source },
      });
      const stamp = store.nowIso().slice(0, 10);
      res.setHeader('Content-Type', 'text/csv; charset=utf-8');
      res.setHeader('Content-Disposition', `attachment; filename="tessera-audit-${stamp}.csv"`);
      res.setHeader('Cache-Control', 'no-store');
      for (const chunk of auditCsv(entries)) res.write(chunk);
      res.end();
    },
  };
}
