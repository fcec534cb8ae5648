import type { guarantorEndpoints } from '../../../contracts/billing/guarantor-endpoints';
import type { Store } from '../../db/store';
import { postFamilyPayment } from '../../services/billing/family-payment';
import { accountGuarantor } from '../../services/billing/guarantor';
import type { Handlers } from '../context';
import { BACKGROUND_HEADER } from '../register';

export function billingGuarantorHandlers(deps: { store: Store }): Handlers<keyof typeof guarantorEndpoints> {
  const { store } = deps;
  return {
    getAccountGuarantor: ({ params, req, signedIn }) =>
      accountGuarantor(store, signedIn.actor, params.patientId, !!req.headers[BACKGROUND_HEADER]),
    postFamilyPayment: ({ params, body, signedIn }) =>
      postFamilyPayment(store, signedIn.actor, params.patientId, body),
  };
}
