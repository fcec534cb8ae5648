import {
  getClinicClearinghouse,
  removeClinicClearinghouse,
  setClinicClearinghouse,
  testClinicClearinghouse,
  type ConnectionAdminDeps,
} from '../services/clearinghouse/connections';
import type { CentralHandlers } from './register';

/**
 * A clinic's clearinghouse connection, for central administrators (console or API; each request is in the
 * administration audit through the catalogue). Answers never carry the key, password or client secret.
 */
export function clearinghouseAdminHandlers(
  deps: ConnectionAdminDeps,
): Pick<CentralHandlers, 'getClinicClearinghouse' | 'setClinicClearinghouse' | 'removeClinicClearinghouse' | 'testClinicClearinghouse'> {
  return {
    getClinicClearinghouse: ({ admin, params }) => getClinicClearinghouse(deps, admin, params.clinicId),
    setClinicClearinghouse: ({ admin, params, body }) => setClinicClearinghouse(deps, admin, params.clinicId, body),
    removeClinicClearinghouse: ({ admin, params }) => removeClinicClearinghouse(deps, admin, params.clinicId),
    testClinicClearinghouse: ({ admin, params }) => testClinicClearinghouse(deps, admin, params.clinicId),
  };
}
