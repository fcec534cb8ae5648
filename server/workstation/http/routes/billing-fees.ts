import type { Permission } from '../../../contracts/admin/permissions';
import { hasPermission } from '../../../domain/admin/permission-matrix';
import { AppError } from '../../../platform/errors';
import type { Store } from '../../db/store';
import { userRoles } from '../../services/admin/user-rows';
import {
  addChargeLine,
  closeVisit,
  getAppointmentCharges,
  getVisitCharges,
  proposeForVisit,
  removeChargeLine,
  reverseChargeLine,
  setEncounterModality,
  updateChargeLine,
} from '../../services/billing/charges';
import {
  answerPaymentPolicy,
  getPaymentPolicy,
  updatePaymentPolicy,
  visitClearanceFor,
} from '../../services/billing/payment-policy';
import {
  createFeeEntry,
  createPosRule,
  createServiceCode,
  listAppointmentTypeCodes,
  listFeeEntries,
  listPosRules,
  listServiceCodes,
  removeFeeEntry,
  removePosRule,
  setAppointmentTypeCodes,
  updateFeeEntry,
  updatePosRule,
  updateServiceCode,
} from '../../services/billing/setup';
import type { Handlers, SignedIn } from '../context';

type FeesEndpoints =
  | 'listServiceCodes'
  | 'createServiceCode'
  | 'updateServiceCode'
  | 'listFees'
  | 'createFee'
  | 'updateFee'
  | 'removeFee'
  | 'listPosRules'
  | 'createPosRule'
  | 'updatePosRule'
  | 'removePosRule'
  | 'listTypeCodes'
  | 'setTypeCodes'
  | 'getPaymentPolicy'
  | 'updatePaymentPolicy'
  | 'getVisitClearance'
  | 'answerPaymentPolicy'
  | 'getVisitCharges'
  | 'getAppointmentCharges'
  | 'proposeVisitCharges'
  | 'addChargeLine'
  | 'updateChargeLine'
  | 'removeChargeLine'
  | 'setEncounterModality'
  | 'closeVisit'
  | 'reverseChargeLine';

/**
 * Charges are billing's and the visit's clinician's: reading needs billing.read or chart.read, drafting
 * lines billing.post or chart.write. Refusals are audited like the router's own.
 */
function requireAny(store: Store, signedIn: SignedIn, wanted: Permission[]): void {
  const roles = userRoles(signedIn.user);
  if (wanted.some((p) => hasPermission(roles, p))) return;
  store.audit(signedIn.actor, {
    action: 'access.denied',
    outcome: 'denied',
    detail: { permission: wanted.join(' or ') },
  });
  throw new AppError(403, 'forbidden', 'Your role does not allow this. Ask an administrator if you need it.');
}

const READ: Permission[] = ['billing.read', 'chart.read'];
const DRAFT: Permission[] = ['billing.post', 'chart.write'];

export function billingFeesHandlers(deps: { store: Store }): Handlers<FeesEndpoints> {
  const { store } = deps;
  const mayOverride = (s: SignedIn) => hasPermission(userRoles(s.user), 'billing.override');
  return {
    listServiceCodes: () => ({ serviceCodes: listServiceCodes(store) }),
    createServiceCode: ({ body, signedIn }) => createServiceCode(store, signedIn.actor, body),
    updateServiceCode: ({ params, body, signedIn }) => updateServiceCode(store, signedIn.actor, params.id, body),
    listFees: ({ query, signedIn }) => ({ entries: listFeeEntries(store, signedIn.actor, query) }),
    createFee: ({ body, signedIn }) => createFeeEntry(store, signedIn.actor, body),
    updateFee: ({ params, body, signedIn }) => updateFeeEntry(store, signedIn.actor, params.id, body),
    removeFee: ({ params, signedIn }) => {
      removeFeeEntry(store, signedIn.actor, params.id);
      return { ok: true as const };
    },
    listPosRules: () => listPosRules(store),
    createPosRule: ({ body, signedIn }) => createPosRule(store, signedIn.actor, body),
    updatePosRule: ({ params, body, signedIn }) => updatePosRule(store, signedIn.actor, params.id, body),
    removePosRule: ({ params, signedIn }) => {
      removePosRule(store, signedIn.actor, params.id);
      return { ok: true as const };
    },
    listTypeCodes: () => listAppointmentTypeCodes(store),
    setTypeCodes: ({ params, body, signedIn }) => setAppointmentTypeCodes(store, signedIn.actor, params.id, body),
    getPaymentPolicy: () => getPaymentPolicy(store),
    updatePaymentPolicy: ({ body, signedIn }) => updatePaymentPolicy(store, signedIn.actor, body),
    getVisitClearance: ({ query, signedIn }) =>
      visitClearanceFor(store, query, query.point, mayOverride(signedIn)),
    answerPaymentPolicy: ({ body, signedIn }) =>
      answerPaymentPolicy(store, signedIn.actor, mayOverride(signedIn), body),

    getVisitCharges: ({ params, signedIn }) => {
      requireAny(store, signedIn, READ);
      return getVisitCharges(store, signedIn.actor, params.id);
    },
    getAppointmentCharges: ({ params, signedIn }) => {
      requireAny(store, signedIn, READ);
      return getAppointmentCharges(store, signedIn.actor, params.id);
    },
    proposeVisitCharges: ({ params, signedIn }) => {
      requireAny(store, signedIn, DRAFT);
      return proposeForVisit(store, signedIn.actor, params.id);
    },
    addChargeLine: ({ params, body, signedIn }) => {
      requireAny(store, signedIn, DRAFT);
      return addChargeLine(store, signedIn.actor, params.id, body);
    },
    updateChargeLine: ({ params, body, signedIn }) => {
      requireAny(store, signedIn, DRAFT);
      return updateChargeLine(store, signedIn.actor, params.id, params.lineId, body);
    },
    removeChargeLine: ({ params, signedIn }) => {
      requireAny(store, signedIn, DRAFT);
      return removeChargeLine(store, signedIn.actor, params.id, params.lineId);
    },
    setEncounterModality: ({ params, body, signedIn }) => {
      requireAny(store, signedIn, DRAFT);
      return setEncounterModality(store, signedIn.actor, params.id, body.modality);
    },
    closeVisit: ({ params, signedIn }) => closeVisit(store, signedIn.actor, params.id),
    reverseChargeLine: ({ params, body, signedIn }) =>
      reverseChargeLine(store, signedIn.actor, params.id, params.lineId, body.reason),
  };
}
