import { telehealthErrorCodes } from '../../../contracts/telehealth';
import { AppError } from '../../../platform/errors';
import type { SyncEngine } from '../../sync/engine';
import type { TelehealthGateway } from '../../services/telehealth/gateway';

const OFFLINE =
  'Portal access needs the central server, which cannot be reached right now. Everything else keeps working; try again when the connection is back.';
const NOT_ENROLLED =
  'Portal access needs the central server: this workstation is not connected to one. An administrator can connect it in Admin > Sync.';
const NOT_YET_AT_CENTRAL = new Set(['patient_unknown', 'staff_unknown']);

/**
 * Calls a central staff entry of the portal through the gateway as the signed-in staff member. A patient
 * or staff account central has not seen yet is pushed first (one sync) and the call retried; central out
 * of reach answers 503 with a sentence (`offline` may say what cannot be done without it).
 */
export function portalCentralCaller(deps: {
  gateway: TelehealthGateway;
  sync?: Pick<SyncEngine, 'syncNow'> | undefined;
  offline?: string;
}) {
  const { gateway, sync } = deps;
  return async (method: 'GET' | 'POST', path: string, userId: string, body?: unknown): Promise<unknown> => {
    const send = () => gateway.call(method, path, userId, body);
    try {
      return await send().catch(async (err: unknown) => {
        if (!(err instanceof AppError) || !NOT_YET_AT_CENTRAL.has(err.code) || !sync) throw err;
        await sync.syncNow().catch(() => {});
        return send();
      });
    } catch (err) {
      if (err instanceof AppError && err.code === telehealthErrorCodes.offline)
        throw new AppError(503, 'portal_offline', deps.offline ?? OFFLINE);
      if (err instanceof AppError && err.code === telehealthErrorCodes.notEnrolled)
        throw new AppError(409, 'portal_not_enrolled', NOT_ENROLLED);
      throw err;
    }
  };
}
