import { okSchema } from '../common';
import { endpoint, type Endpoint } from '../endpoint';
import * as audit from './index';

/** The audit area's HTTP endpoints (see ../api.ts). */
export const auditEndpoints = {
  auditReport: endpoint({
    method: 'GET',
    path: '/api/audit',
    access: 'audit.read',
    summary: 'Audit entries filtered by date, user, patient and action',
    query: audit.auditQuerySchema,
    response: audit.auditPageSchema,
  }),
  auditExport: endpoint({
    method: 'GET',
    path: '/api/audit/export.csv',
    access: 'audit.export',
    summary: 'The filtered audit report as CSV (the export is itself audited)',
    query: audit.auditQuerySchema,
    response: 'csv',
  }),
  auditVerify: endpoint({
    method: 'GET',
    path: '/api/audit/verify',
    access: 'audit.read',
    summary: 'Check the audit hash chain',
    response: audit.auditVerifyResultSchema,
  }),
  recordClientEvent: endpoint({
    method: 'POST',
    path: '/api/audit/events',
    access: 'session',
    summary: 'Record a print or export that happened in the screens',
    body: audit.clientAuditEventSchema,
    response: okSchema,
  }),
} satisfies Record<string, Endpoint>;
