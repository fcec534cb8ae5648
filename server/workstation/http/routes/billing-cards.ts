import type { cardEndpoints } from '../../../contracts/billing/cards-endpoints';
import type { Store } from '../../db/store';
import { cardReconciliation } from '../../services/billing/card-reconciliation';
import { CardPayments } from '../../services/billing/cards';
import type { SyncEngine } from '../../sync/engine';
import type { Handlers } from '../context';

export function billingCardHandlers(deps: {
  store: Store;
  sync: SyncEngine;
}): Handlers<keyof typeof cardEndpoints> {
  const cards = new CardPayments(deps.store, deps.sync);
  return {
    cardReconciliation: ({ signedIn }) => cardReconciliation(deps.store, deps.sync, signedIn.actor),
    cardReaders: async () => ({ readers: await cards.readers() }),
    cardActivity: ({ params }) => cards.activity(params.patientId),
    cardReaderPayment: ({ params, body, signedIn }) =>
      cards.readerPayment(signedIn.actor, params.patientId, body),
    cardPaymentLink: ({ params, body, signedIn }) =>
      cards.paymentLink(signedIn.actor, params.patientId, body),
    cardSavedCardPayment: ({ params, body, signedIn }) =>
      cards.savedCardPayment(signedIn.actor, params.patientId, body),
    cardPayment: ({ params }) => cards.payment(params.id),
    cardPaymentCancel: ({ params, signedIn }) => cards.cancel(signedIn.actor, params.id),
    cardPaymentRefund: ({ params, body, signedIn }) => cards.refund(signedIn.actor, params.id, body),
    cardAgreementStart: ({ params, body, signedIn }) =>
      cards.agreementStart(signedIn.actor, params.patientId, body),
    cardAgreementRevoke: ({ params, signedIn }) => cards.agreementRevoke(signedIn.actor, params.id),
  };
}
