import type { Store } from '../../db/store';
import { createPatient, grantEmergencyAccess, readPatient } from '../../services/patients/patient-core';
import type { Handlers } from '../context';

export function patientHandlers(deps: {
  store: Store;
}): Handlers<'createPatient' | 'getPatient' | 'emergencyAccess'> {
  const { store } = deps;
  return {
    createPatient: ({ body, signedIn }) => createPatient(store, signedIn.actor, body),
    getPatient: ({ params, signedIn }) => readPatient(store, signedIn.actor, params.id),
    emergencyAccess: ({ body, signedIn }) =>
      grantEmergencyAccess(store, signedIn.actor, body.patientId, body.reason),
  };
}
