import type { Store } from '../../db/store';
import { auditCsv, iterateAudit, queryAudit } from '../../services/audit/report';
import { verifyAuditLog } from '../../services/audit/verify';
import type { Handlers } from '../context';

export function auditHandlers(deps: { store: Store }): Handlers<'auditReport' | 'auditExport' | 'auditVerify' | 'recordClientEvent'> {
  const { store } = deps;
  return {
    auditReport: ({ query }) => queryAudit(store, query),
    auditVerify: () => verifyAuditLog(store),
    recordClientEvent: ({ body, signedIn }) => {
      store.audit(signedIn.actor, { action: body.action, patientId: body.patientId, detail: { what: body.what } });
      return { ok: true as const };
    },
    auditExport: ({ query, res, signedIn }) => {
      // The export is audited before it is sent: a failed download still shows someone asked for it.
      const { from, to, userId, patientId, action } = query;
      store.audit(signedIn.actor, { action: 'audit.export', detail: { from, to, userId, patientId, action } });
      const stamp = store.nowIso().slice(0, 10);
      res.setHeader('Content-Type', 'text/csv; charset=utf-8');
      res.setHeader('Content-Disposition', `attachment; filename="tessera-audit-${stamp}.csv"`);
      res.setHeader('Cache-Control', 'no-store');
      for (const chunk of auditCsv(iterateAudit(store, query))) res.write(chunk);
      res.end();
    },
  };
}
