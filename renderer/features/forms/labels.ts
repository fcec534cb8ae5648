import type { ChangeField, FormKind } from '../../../server/contracts/forms';
import { consents, type ConsentId } from '../../../server/contracts/forms/consents';

/** Staff-facing names of portal forms and of the fields a patient may propose changes to. */
export const changeFieldLabels: Record<ChangeField, string> = {
  firstNameToUse: 'Name to use',
  addressLine1: 'Address line 1',
  addressLine2: 'Address line 2',
  city: 'City',
  state: 'State',
  postalCode: 'ZIP code',
  phoneMobile: 'Mobile phone',
  phoneHome: 'Home phone',
  email: 'E-mail',
  emergencyContact: 'Emergency contact (new)',
};

export const formStatusLabels = {
  active: 'Waiting for the patient',
  completed: 'Sent back',
  cancelled: 'Stopped',
} as const;

export const changeStatusLabels = {
  pending: 'Waiting for review',
  accepted: 'Accepted',
  rejected: 'Rejected',
} as const;

export function formName(kind: FormKind, consentId: ConsentId | null): string {
  return kind === 'intake' || !consentId ? 'Intake form' : `${consents[consentId].title.en} (consent)`;
}
