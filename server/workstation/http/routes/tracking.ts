import type { trackingEndpoints } from '../../../contracts/portal/tracking-endpoints';
import type { Store } from '../../db/store';
import { listAdherence } from '../../services/tracking/adherence';
import { TrackingService } from '../../services/tracking/tracking';
import type { Handlers } from '../context';
import { BACKGROUND_HEADER } from '../register';

/** Health tracking on the chart (services/tracking). */
export function trackingHandlers(deps: { store: Store }): Handlers<keyof typeof trackingEndpoints> {
  const tracking = new TrackingService(deps.store);
  return {
    patientTracking: ({ params, req, signedIn }) =>
      tracking.list(signedIn.actor, params.patientId, !!req.headers[BACKGROUND_HEADER]),
    patientAdherence: ({ params, req, signedIn }) =>
      listAdherence(deps.store, signedIn.actor, params.patientId, !!req.headers[BACKGROUND_HEADER]),
    trackingRangeSet: ({ params, body, signedIn }) =>
      tracking.setRange(signedIn.actor, params.patientId, params.kind, body),
  };
}
