import type { ClearinghouseConnectionResponse } from '../../../contracts/claims/api';
import { centralApi } from '../../../contracts/central/endpoints';
import { clearinghouseConnectionSchema } from '../../../contracts/central/claims-endpoints';
import { telehealthErrorCodes } from '../../../contracts/telehealth';
import { AppError } from '../../../platform/errors';
import type { TelehealthGateway } from '../telehealth/gateway';

/**
 * Whether central holds the clinic's clearinghouse connection (Billing > Set-up > Clearinghouse), asked as the
 * signed-in biller through the staff relay; central checks their permission again. When central cannot be
 * asked, the answer says why in a sentence instead of failing the set-up tab: batches still queue here.
 */
export const NOT_ENROLLED =
  'This workstation is not connected to a central server, so nothing is sent from here: download each batch and upload it to the clearinghouse yourself, or connect the workstation in Admin > Sync.';
export const OFFLINE =
  'The central server cannot be reached right now, so whether it holds the clearinghouse connection is not known. Batches wait here and go out once central answers.';

export async function clearinghouseConnectionStatus(gateway: TelehealthGateway, userId: string): Promise<ClearinghouseConnectionResponse> {
  let raw: unknown;
  try {
    raw = await gateway.call('GET', centralApi.clearinghouseConnection.path, userId);
  } catch (err) {
    if (!(err instanceof AppError)) throw err;
    if (err.code === telehealthErrorCodes.notEnrolled) return { reachable: false, reason: 'not_enrolled', message: NOT_ENROLLED };
    if (err.code === telehealthErrorCodes.offline || err.status >= 500) return { reachable: false, reason: 'offline', message: OFFLINE };
    return { reachable: false, reason: 'refused', message: `Central would not say: ${err.message}` };
  }
  const parsed = clearinghouseConnectionSchema.safeParse(raw);
  // An older central without this route, or an answer we cannot read: treated as not reachable, said so.
  if (!parsed.success) return { reachable: false, reason: 'offline', message: OFFLINE };
  return { reachable: true, ...parsed.data };
}
