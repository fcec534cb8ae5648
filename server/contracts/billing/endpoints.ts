import { cardEndpoints } from './cards-endpoints';
import { guarantorEndpoints } from './guarantor-endpoints';
import { ledgerEndpoints } from './ledger-endpoints';

/** The billing area's HTTP endpoints, assembled from its parts (see ../api.ts and docs/billing.md). */
export const billingEndpoints = {
  ...ledgerEndpoints,
  ...cardEndpoints,
  ...guarantorEndpoints,
};
