import type { SecuritySettings, UpdateSecuritySettings } from '../../../server/contracts/admin';
import { call, isApiError } from '../../api/client';

/**
 * Save security settings; when the server asks for confirmation (MFA turned off for a role that holds
 * administration rights), show its sentence and send again only if the administrator agrees. The server
 * decides which roles need it, so the two screens that edit MFA cannot disagree about it.
 * Resolves to null when the administrator cancelled.
 */
export async function saveSecuritySettings(
  body: UpdateSecuritySettings,
  confirm: (message: string) => boolean = (m) => window.confirm(m),
): Promise<SecuritySettings | null> {
  try {
    return await call('updateSecuritySettings', { body });
  } catch (err) {
    if (!isApiError(err, 409) || err.code !== 'confirm_mfa_off') throw err;
    if (!confirm(err.message)) return null;
    return call('updateSecuritySettings', { body: { ...body, confirmMfaOffForAdmin: true } });
  }
}
