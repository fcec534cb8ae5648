import { hasPermission } from '../../../domain/admin/permission-matrix';
import { AppError } from '../../../platform/errors';
import type { Store } from '../../db/store';
import { userRoles } from '../../services/admin/user-rows';
import {
  applyCredit,
  dueToday,
  openAccount,
  paymentsOn,
  postCharge,
  postAdjustment,
  postPayment,
  postRefund,
  postTransfer,
  reversalPermission,
  reverseEntry,
  unallocate,
} from '../../services/billing/account';
import { verifyLedger } from '../../services/billing/verify';
import type { Handlers } from '../context';
import { BACKGROUND_HEADER } from '../register';
import type { ledgerEndpoints } from '../../../contracts/billing/ledger-endpoints';

export function billingLedgerHandlers(deps: { store: Store }): Handlers<keyof typeof ledgerEndpoints> {
  const { store } = deps;
  return {
    getPatientAccount: ({ params, query, signedIn }) =>
      openAccount(store, signedIn.actor, params.patientId, query),
    getDueToday: ({ params, query }) => dueToday(store, params.patientId, query.appointmentId),
    postCharge: ({ params, body, signedIn }) => postCharge(store, signedIn.actor, params.patientId, body),
    postPayment: ({ params, body, signedIn }) => postPayment(store, signedIn.actor, params.patientId, body),
    postAdjustment: ({ params, body, signedIn }) =>
      postAdjustment(store, signedIn.actor, params.patientId, 'adjustment', body),
    postWriteOff: ({ params, body, signedIn }) =>
      postAdjustment(store, signedIn.actor, params.patientId, 'write_off', body),
    postRefund: ({ params, body, signedIn }) => postRefund(store, signedIn.actor, params.patientId, body),
    postTransfer: ({ params, body, signedIn }) => postTransfer(store, signedIn.actor, params.patientId, body),
    reverseLedgerEntry: ({ params, body, signedIn }) => {
      // Undoing a refund or a write-off is as sensitive as making one.
      const needs = reversalPermission(store, params.patientId, params.entryId);
      if (needs && !hasPermission(userRoles(signedIn.user), needs)) {
        store.audit(signedIn.actor, {
          action: 'access.denied',
          outcome: 'denied',
          patientId: params.patientId,
          detail: { reason: 'permission', permission: needs, entryId: params.entryId },
        });
        throw new AppError(
          403,
          'forbidden',
          'Reversing this entry needs a permission your role does not have.',
        );
      }
      return reverseEntry(store, signedIn.actor, params.patientId, params.entryId, body.reason);
    },
    applyCredit: ({ params, body, signedIn }) => applyCredit(store, signedIn.actor, params.patientId, body),
    unallocatePayment: ({ params, signedIn }) =>
      unallocate(store, signedIn.actor, params.patientId, params.allocationId),
    listPayments: ({ query, req, signedIn }) =>
      paymentsOn(store, signedIn.actor, query.date, !!req.headers[BACKGROUND_HEADER]),
    verifyLedger: ({ signedIn }) => {
      const result = verifyLedger(store);
      store.audit(signedIn.actor, {
        action: 'ledger.verify',
        outcome: result.ok ? 'success' : 'failure',
        detail: {
          patients: result.patients,
          entries: result.entries,
          mismatches: result.mismatches,
          problems: result.problems.length,
        },
      });
      return result;
    },
  };
}
