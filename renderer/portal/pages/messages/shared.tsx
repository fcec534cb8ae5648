import { z } from 'zod';
import { Alert } from '../../../ui/Alert';
import { useI18n } from '../../i18n';

/** A message's text; the schema's messages are catalogue keys, shown in the patient's language. */
export const messageBody = z.string().trim().min(1, 'err.body').max(5000, 'err.tooLong');

/** The "not for emergencies" notice, on every messages screen. */
export function EmergencyNotice() {
  const { t } = useI18n();
  return (
    <Alert tone="warning" testId="portal-emergency-notice">
      {t('msg.emergency')}
    </Alert>
  );
}
