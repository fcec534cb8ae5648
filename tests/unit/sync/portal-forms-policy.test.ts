import { describe, expect, it } from 'vitest';
import { centralOnlyProblem } from '../../../server/central/services/replication/staff-guard';
import { mergeMutation, type StoredRow } from '../../../server/domain/sync/merge';
import { policyFor } from '../../../server/domain/sync/policies';

/**
 * What a patient submitted in the portal is theirs: a submitted form (intake answers, a signed consent)
 * never changes, a proposed demographic change is decided once (a second, conflicting decision from
 * another workstation is refused), and a workstation can create neither.
 */

const stored = (data: Record<string, unknown>): StoredRow => ({
  data,
  fieldStamps: {},
  created: [1, 'central'],
});
const update = (row: Record<string, unknown>, changedFields: string[]) => ({
  op: 'update' as const,
  row,
  changedFields,
  seenSeq: 1,
  origin: 'ws-a',
});
const change = {
  id: 'c1',
  patientId: 'p1',
  field: 'city',
  previousValue: '"Round Rock"',
  proposedValue: '"Austin"',
  status: 'pending',
  decidedBy: null,
  decidedAt: null,
  updatedAt: 't0',
};

describe('portal forms at central', () => {
  it('takes one decision on a proposed change, and refuses a second or an edit of the value', () => {
    const policy = policyFor('portal_demographic_changes');
    const accepted = { ...change, status: 'accepted', decidedBy: 'u1', decidedAt: 't1', updatedAt: 't1' };
    const first = mergeMutation(
      policy,
      stored(change),
      update(accepted, ['status', 'decidedBy', 'decidedAt', 'updatedAt']),
      2,
    );
    expect(first.status).toBe('applied');
    const edit = mergeMutation(
      policy,
      stored(change),
      update({ ...change, proposedValue: '"Dallas"' }, ['proposedValue']),
      2,
    );
    expect(edit).toMatchObject({ status: 'rejected', reason: 'locked' });
    const second = mergeMutation(
      policy,
      stored(accepted),
      update({ ...accepted, status: 'rejected', decidedBy: 'u2' }, ['status', 'decidedBy']),
      3,
    );
    expect(second).toMatchObject({ status: 'rejected', reason: 'locked' });
  });

  it('refuses any change of a submitted form', () => {
    const row = {
      id: 's1',
      patientId: 'p1',
      signedName: 'Jordan Rivera',
      signature: 'data:…',
      updatedAt: 't0',
    };
    const out = mergeMutation(
      policyFor('portal_form_submissions'),
      stored(row),
      update({ ...row, signedName: 'Someone else' }, ['signedName']),
      2,
    );
    expect(out).toMatchObject({ status: 'rejected', reason: 'locked' });
  });

  it('keeps answers, signatures and proposed values encrypted at central', () => {
    expect(policyFor('portal_form_submissions').encryptedFields).toEqual(
      expect.arrayContaining(['answers', 'signedName', 'signature', 'signerIp']),
    );
    expect(policyFor('portal_demographic_changes').encryptedFields).toEqual([
      'previousValue',
      'proposedValue',
    ]);
  });

  it('refuses a submission or a proposed change created by a workstation, but not a decision', () => {
    for (const table of ['portal_form_submissions', 'portal_demographic_changes']) {
      const m = {
        table,
        rowId: 'x',
        op: 'insert' as const,
        row: { id: 'x' },
        changedFields: null,
        seenSeq: null,
      };
      expect(centralOnlyProblem(m)).toMatch(/come from the patient in the portal only/);
    }
    const decision = {
      table: 'portal_demographic_changes',
      rowId: 'c1',
      op: 'update' as const,
      row: change,
      changedFields: ['status'],
      seenSeq: 1,
    };
    expect(centralOnlyProblem(decision, stored(change))).toBeNull();
  });
});
