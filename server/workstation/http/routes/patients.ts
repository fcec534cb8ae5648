import type { Store } from '../../db/store';
import {
  createEmergencyContact,
  deleteEmergencyContact,
  setGuarantor,
  updateEmergencyContact,
} from '../../services/patients/contacts';
import { createCoverage, deleteCoverage, updateCoverage } from '../../services/patients/coverage';
import { checkDuplicates } from '../../services/patients/duplicates';
import { mergePatients } from '../../services/patients/merge';
import {
  createPatient,
  grantEmergencyAccess,
  readPatient,
  updatePatient,
} from '../../services/patients/patient-core';
import { searchPatients } from '../../services/patients/search';
import type { Handlers } from '../context';

export function patientHandlers(deps: {
  store: Store;
}): Handlers<
  | 'searchPatients'
  | 'checkDuplicatePatients'
  | 'createPatient'
  | 'getPatient'
  | 'updatePatient'
  | 'createEmergencyContact'
  | 'updateEmergencyContact'
  | 'deleteEmergencyContact'
  | 'setGuarantor'
  | 'createCoverage'
  | 'updateCoverage'
  | 'deleteCoverage'
  | 'mergePatients'
  | 'emergencyAccess'
> {
  const { store } = deps;
  return {
    searchPatients: ({ query, signedIn }) => searchPatients(store, signedIn.actor, query),
    checkDuplicatePatients: ({ body, signedIn }) => checkDuplicates(store, signedIn.actor, body),
    createPatient: ({ body, signedIn }) => createPatient(store, signedIn.actor, body),
    getPatient: ({ params, signedIn }) => readPatient(store, signedIn.actor, params.id),
    updatePatient: ({ params, body, signedIn }) => updatePatient(store, signedIn.actor, params.id, body),
    createEmergencyContact: ({ params, body, signedIn }) =>
      createEmergencyContact(store, signedIn.actor, params.id, body),
    updateEmergencyContact: ({ params, body, signedIn }) =>
      updateEmergencyContact(store, signedIn.actor, params.id, params.itemId, body),
    deleteEmergencyContact: ({ params, signedIn }) =>
      deleteEmergencyContact(store, signedIn.actor, params.id, params.itemId),
    setGuarantor: ({ params, body, signedIn }) => setGuarantor(store, signedIn.actor, params.id, body),
    createCoverage: ({ params, body, signedIn }) => createCoverage(store, signedIn.actor, params.id, body),
    updateCoverage: ({ params, body, signedIn }) =>
      updateCoverage(store, signedIn.actor, params.id, params.itemId, body),
    deleteCoverage: ({ params, signedIn }) => deleteCoverage(store, signedIn.actor, params.id, params.itemId),
    mergePatients: ({ body, signedIn }) => mergePatients(store, signedIn.actor, body),
    emergencyAccess: ({ body, signedIn }) =>
      grantEmergencyAccess(store, signedIn.actor, body.patientId, body.reason),
  };
}
