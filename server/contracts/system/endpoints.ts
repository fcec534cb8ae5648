import { endpoint, type Endpoint } from '../endpoint';
import * as system from './index';

/** The system area's HTTP endpoints (see ../api.ts). */
export const systemEndpoints = {
  health: endpoint({
    method: 'GET',
    path: '/api/health',
    access: 'public',
    summary: 'Liveness and version; no patient data',
    response: system.healthSchema,
  }),
} satisfies Record<string, Endpoint>;
