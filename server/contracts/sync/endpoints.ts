import { okSchema } from '../common';
import { endpoint, type Endpoint } from '../endpoint';
import * as sync from './index';

/** The sync area's workstation endpoints (see ../api.ts). Central's own catalogue is ../central/endpoints.ts. */
export const syncEndpoints = {
  syncStatus: endpoint({
    method: 'GET',
    path: '/api/sync/status',
    // Also before sign-in: the join screen and the sign-in screen show the first download's progress.
    access: 'launch',
    summary: 'Replication state: online/offline, last sync, pending changes, conflicts (no patient data)',
    response: sync.syncStatusSchema,
  }),
  syncEnroll: endpoint({
    method: 'POST',
    path: '/api/sync/enroll',
    access: 'sync.manage',
    summary: 'Enroll this (set-up) workstation with a central server using a one-time code',
    body: sync.enrollSchema,
    response: sync.syncStatusSchema,
  }),
  syncJoin: endpoint({
    method: 'POST',
    path: '/api/sync/join',
    // A fresh workstation has no staff accounts yet: joining is how it gets them. Refused once set up.
    access: 'launch',
    summary: 'Join an existing clinic: enroll a fresh workstation and download its records',
    body: sync.enrollSchema,
    response: sync.syncStatusSchema,
  }),
  syncNow: endpoint({
    method: 'POST',
    path: '/api/sync/now',
    access: 'session',
    summary: 'Sync now instead of waiting for the next attempt',
    response: okSchema,
  }),
  syncConflicts: endpoint({
    method: 'GET',
    path: '/api/sync/conflicts',
    access: 'sync.resolve',
    summary: 'The conflict inbox',
    query: sync.conflictListQuerySchema,
    response: sync.conflictListSchema,
  }),
  syncResolveConflict: endpoint({
    method: 'POST',
    path: '/api/sync/conflicts/:id/resolve',
    access: 'sync.resolve',
    summary:
      'Resolve a conflict: keep the current value, restore the other one, acknowledge, or apply an edit of a merged-away patient to the surviving record',
    params: sync.conflictIdParamsSchema,
    body: sync.resolveConflictSchema,
    response: sync.conflictSchema,
  }),
} satisfies Record<string, Endpoint>;
