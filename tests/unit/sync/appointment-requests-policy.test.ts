import { describe, expect, it } from 'vitest';
import { centralOnlyProblem } from '../../../server/central/services/replication/staff-guard';
import { mergeMutation, type StoredRow } from '../../../server/domain/sync/merge';
import { policyFor } from '../../../server/domain/sync/policies';

/**
 * An appointment request is the patient's: what they asked never changes, the front desk decides it once
 * (booked or declined), and a second desk's decision made offline meanwhile is refused (it lands in that
 * workstation's conflict inbox instead of silently overwriting the first). A workstation cannot create one.
 */

const stored = (data: Record<string, unknown>): StoredRow => ({
  data,
  fieldStamps: {},
  created: [1, 'central'],
});
const update = (row: Record<string, unknown>, changedFields: string[], origin = 'ws-a') => ({
  op: 'update' as const,
  row,
  changedFields,
  seenSeq: 1,
  origin,
});
const request = {
  id: 'r1',
  patientId: 'p1',
  providerId: null,
  appointmentTypeId: 't1',
  preferredDays: '["mon"]',
  preferredTimes: '["morning"]',
  note: 'Mornings please',
  status: 'pending',
  appointmentId: null,
  declineReason: null,
  decidedBy: null,
  decidedAt: null,
  updatedAt: 't0',
};
const decision = ['status', 'appointmentId', 'declineReason', 'decidedBy', 'decidedAt', 'updatedAt'];

describe('appointment requests at central', () => {
  const policy = policyFor('appointment_requests');

  it('takes the first decision and refuses a second desk’s decision made meanwhile', () => {
    const booked = {
      ...request,
      status: 'booked',
      appointmentId: 'a1',
      decidedBy: 'u1',
      decidedAt: 't1',
      updatedAt: 't1',
    };
    expect(mergeMutation(policy, stored(request), update(booked, decision), 2).status).toBe('applied');
    const declined = {
      ...request,
      status: 'declined',
      declineReason: 'Full',
      decidedBy: 'u2',
      decidedAt: 't1',
      updatedAt: 't1',
    };
    expect(mergeMutation(policy, stored(booked), update(declined, decision, 'ws-b'), 3)).toMatchObject({
      status: 'rejected',
      reason: 'locked',
      message: 'This appointment request was already booked or declined on another workstation.',
    });
  });

  it('never lets a workstation change what the patient asked', () => {
    const edit = mergeMutation(
      policy,
      stored(request),
      update({ ...request, note: 'Evenings' }, ['note']),
      2,
    );
    expect(edit).toMatchObject({ status: 'rejected', reason: 'locked' });
  });

  it('keeps the note and the reason encrypted at central', () => {
    expect(policy.encryptedFields).toEqual(['note', 'declineReason']);
  });

  it('refuses a request a workstation makes up, but takes its decision on a real one', () => {
    const m = {
      table: 'appointment_requests',
      rowId: 'r1',
      op: 'insert' as const,
      row: request,
      changedFields: null,
      seenSeq: null,
    };
    expect(centralOnlyProblem(m)).toMatch(/come from the patient in the portal only/);
    expect(centralOnlyProblem({ ...m, op: 'update' }, stored(request))).toBeNull();
  });
});
