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
  confirm: (message: string) => boolean | Promise<boolean>,
): Promise<SecuritySettings | null> {
  try {
    return await call('updateSecuritySettings', { body });
  } catch (err) {
    if (!isApiError(err, 409) || err.code !== 'confirm_mfa_off') throw err;
    if (!(await confirm(err.message))) return null;
    return call('updateSecuritySettings', { body: { ...body, confirmMfaOffForAdmin: true } });
  }
}

/** The question, in the app's confirm dialog (ui/ConfirmDialog.tsx): the buttons say what each does. */
export const mfaOffQuestion = (message: string) => ({
  title: 'Turn off MFA for administrators?',
  message,
  confirmLabel: 'Turn off MFA',
  cancelLabel: 'Keep MFA required',
  danger: true,
});
