import { describe, expect, it } from 'vitest';
import { centralOnlyProblem } from '../../../server/central/services/replication/staff-guard';
import { mergeMutation, type StoredRow } from '../../../server/domain/sync/merge';
import { policyFor } from '../../../server/domain/sync/policies';

/**
 * Portal messages and questionnaire answers replicate both ways, but what the patient wrote is theirs: a
 * sent message changes only by its read receipts (and a patient merge), answers only by the clinician's
 * review, and a workstation can create neither a message in the patient's name nor an answer sheet.
 */

const stored = (data: Record<string, unknown>): StoredRow => ({
  data,
  fieldStamps: {},
  created: [1, 'central'],
});
const message = {
  id: 'm1',
  threadId: 't1',
  patientId: 'p1',
  sender: 'patient',
  body: 'Should I take it with food?',
  readByPatientAt: null,
  readByStaffAt: null,
  readByStaffUserId: null,
  updatedAt: 't0',
};
const response = {
  id: 'r1',
  patientId: 'p1',
  answers: '[0,0,0,0,0,0,0,0,1]',
  totalScore: 1,
  urgent: true,
  reviewedAt: null,
  reviewedBy: null,
  updatedAt: 't0',
};

describe('portal messages and answers at central', () => {
  it('takes a read receipt on a sent message', () => {
    const out = mergeMutation(
      policyFor('portal_messages'),
      stored(message),
      {
        op: 'update',
        row: { ...message, readByStaffAt: 't1', readByStaffUserId: 'u1', updatedAt: 't1' },
        changedFields: ['readByStaffAt', 'readByStaffUserId', 'updatedAt'],
        seenSeq: 1,
        origin: 'ws-a',
      },
      2,
    );
    expect(out.status).toBe('applied');
    if (out.status === 'rejected') throw new Error();
    expect(out.next?.data).toMatchObject({ readByStaffAt: 't1', body: message.body });
  });

  it('refuses an edit of a sent message’s text', () => {
    const out = mergeMutation(
      policyFor('portal_messages'),
      stored(message),
      {
        op: 'update',
        row: { ...message, body: 'Never mind' },
        changedFields: ['body'],
        seenSeq: 1,
        origin: 'ws-a',
      },
      2,
    );
    expect(out).toMatchObject({ status: 'rejected', reason: 'locked' });
  });

  it('takes a review of an answer sheet and refuses a change of its answers or score', () => {
    const policy = policyFor('questionnaire_responses');
    const reviewed = mergeMutation(
      policy,
      stored(response),
      {
        op: 'update',
        row: { ...response, reviewedAt: 't1', reviewedBy: 'u1' },
        changedFields: ['reviewedAt', 'reviewedBy'],
        seenSeq: 1,
        origin: 'ws-a',
      },
      2,
    );
    expect(reviewed.status).toBe('applied');
    const altered = mergeMutation(
      policy,
      stored(response),
      {
        op: 'update',
        row: { ...response, answers: '[0,0,0,0,0,0,0,0,0]', urgent: false },
        changedFields: ['answers', 'urgent'],
        seenSeq: 1,
        origin: 'ws-a',
      },
      2,
    );
    expect(altered).toMatchObject({ status: 'rejected', reason: 'locked' });
  });

  it('keeps the text and answers encrypted at rest', () => {
    expect(policyFor('portal_messages').encryptedFields).toEqual(['body']);
    expect(policyFor('portal_threads').encryptedFields).toEqual(['subject']);
    expect(policyFor('questionnaire_responses').encryptedFields).toEqual(['answers']);
  });

  it('refuses a workstation’s message in the patient’s name and any new answer sheet from a workstation', () => {
    const input = (table: string, row: Record<string, unknown>) => ({
      table,
      rowId: String(row.id),
      op: 'insert' as const,
      row,
      changedFields: null,
      seenSeq: null,
    });
    expect(centralOnlyProblem(input('portal_messages', message))).toMatch(/come from the portal only/);
    expect(centralOnlyProblem(input('portal_messages', { ...message, sender: 'staff' }))).toBeNull();
    expect(centralOnlyProblem(input('questionnaire_responses', response))).toMatch(
      /from the patient in the portal only/,
    );
    // A receipt or a review on a row central already holds is the workstation's to make.
    expect(centralOnlyProblem(input('portal_messages', message), stored(message))).toBeNull();
    expect(centralOnlyProblem(input('questionnaire_responses', response), stored(response))).toBeNull();
  });
});
