import { endpoint, type Endpoint } from '../endpoint';
import * as patients from './index';

/** The patients area's HTTP endpoints (see ../api.ts). */
export const patientsEndpoints = {
  createPatient: endpoint({
    method: 'POST',
    path: '/api/patients',
    access: 'patients.write',
    summary: 'Register a patient',
    body: patients.patientCreateSchema,
    response: patients.patientSchema,
  }),
  getPatient: endpoint({
    method: 'GET',
    path: '/api/patients/:id',
    access: 'patients.read',
    summary: 'One patient (restricted records need emergency access)',
    params: patients.patientIdParamsSchema,
    response: patients.patientSchema,
  }),
  emergencyAccess: endpoint({
    method: 'POST',
    path: '/api/patients/emergency-access',
    access: 'emergency.access',
    summary: 'Break-glass: open a restricted record for a stated reason',
    body: patients.emergencyAccessRequestSchema,
    response: patients.emergencyAccessGrantSchema,
  }),
} satisfies Record<string, Endpoint>;
