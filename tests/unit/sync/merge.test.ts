import { describe, expect, it } from 'vitest';
import {
  mergeMutation,
  overlayPending,
  type IncomingMutation,
  type StoredRow,
} from '../../../server/domain/sync/merge';
import { defaultPolicy, policyFor } from '../../../server/domain/sync/policies';
import { keysOf } from '../../../server/central/services/replication/unique-keys';
import { centralOnlyProblem } from '../../../server/central/services/replication/staff-guard';

const stored = (data: Record<string, unknown>, fieldStamps: StoredRow['fieldStamps'] = {}): StoredRow => ({
  data,
  fieldStamps,
  created: [1, 'ws-a'],
});
const update = (
  row: Record<string, unknown>,
  changedFields: string[] | null,
  seenSeq: number | null,
  origin = 'ws-b',
): IncomingMutation => ({
  op: 'update',
  row,
  changedFields,
  seenSeq,
  origin,
});

describe('per-field last-writer-wins', () => {
  const patient = { id: 'p', legalFirstName: 'Ana', legalLastName: 'Diaz', phone: '555', updatedAt: 't1' };

  it('keeps concurrent changes to different fields from both workstations', () => {
    const current = stored({ ...patient, phone: '777' }, { phone: [5, 'ws-a'] });
    const out = mergeMutation(
      policyFor('patients'),
      current,
      update({ ...patient, legalLastName: 'Díaz' }, ['legalLastName'], 2),
      6,
    );
    expect(out.status).toBe('merged');
    if (out.status === 'rejected') throw new Error();
    expect(out.next!.data).toMatchObject({ phone: '777', legalLastName: 'Díaz' });
    expect(out.overwritten).toEqual([]);
  });

  it('lets the later writer (central’s receive order) win a field and keeps the overwritten value', () => {
    const current = stored({ ...patient, phone: '777' }, { phone: [5, 'ws-a'] });
    const out = mergeMutation(
      policyFor('patients'),
      current,
      update({ ...patient, phone: '888' }, ['phone'], 2),
      6,
    );
    if (out.status === 'rejected') throw new Error();
    expect(out.next!.data.phone).toBe('888');
    expect(out.overwritten).toEqual([
      { field: 'phone', previous: '777', previousOrigin: 'ws-a', value: '888' },
    ]);
  });

  it('records no conflict when the writer had seen the change it overwrites, or made it itself', () => {
    const current = stored({ ...patient, phone: '777' }, { phone: [5, 'ws-a'] });
    const seen = mergeMutation(
      policyFor('patients'),
      current,
      update({ ...patient, phone: '888' }, ['phone'], 5),
      6,
    );
    const own = mergeMutation(
      policyFor('patients'),
      current,
      update({ ...patient, phone: '888' }, ['phone'], 2, 'ws-a'),
      6,
    );
    for (const out of [seen, own]) {
      if (out.status === 'rejected') throw new Error();
      expect(out.overwritten).toEqual([]);
      expect(out.status).toBe('applied');
    }
  });

  it('ignores workstation clocks entirely (updatedAt is data, not order)', () => {
    const current = stored({ ...patient, updatedAt: '2999-01-01T00:00:00Z' });
    const out = mergeMutation(
      policyFor('patients'),
      current,
      update({ ...patient, phone: '1', updatedAt: '2000-01-01T00:00:00Z' }, null, null),
      9,
    );
    if (out.status === 'rejected') throw new Error();
    expect(out.next!.data).toMatchObject({ phone: '1', updatedAt: '2000-01-01T00:00:00Z' });
  });

  it('a repeat of what central has changes nothing', () => {
    const out = mergeMutation(defaultPolicy, stored(patient), update(patient, null, null), 3);
    expect(out).toEqual({ status: 'applied', next: null, overwritten: [] });
  });

  it('keeps the larger TOTP counter and records no conflict for sign-in bookkeeping', () => {
    const user = { id: 'u', mfaLastCounter: 100, failedAttempts: 0 };
    const out = mergeMutation(
      policyFor('users'),
      stored(user, { mfaLastCounter: [4, 'ws-a'], failedAttempts: [4, 'ws-a'] }),
      update({ ...user, mfaLastCounter: 90, failedAttempts: 2 }, null, 1),
      5,
    );
    if (out.status === 'rejected') throw new Error();
    expect(out.next!.data).toMatchObject({ mfaLastCounter: 100, failedAttempts: 2 });
    expect(out.overwritten).toEqual([]);
  });
});

describe('locked and append-only tables', () => {
  it('refuses an edit to a patient record merged into another, and takes the merge whole', () => {
    const patient = { id: 'p', legalLastName: 'Diaz', mergedIntoId: null, deletedAt: null, updatedAt: 't1' };
    const merged = { ...patient, mergedIntoId: 's', deletedAt: 't2', updatedAt: 't2' };
    const edit = mergeMutation(
      policyFor('patients'),
      stored(merged),
      update({ ...patient, legalLastName: 'Edited' }, ['legalLastName'], 1),
      5,
    );
    expect(edit).toMatchObject({ status: 'rejected', reason: 'locked' });
    // An edit that came first is overwritten by the merger's copy and reported as overwritten.
    const out = mergeMutation(
      policyFor('patients'),
      stored({ ...patient, legalLastName: 'Edited' }, { legalLastName: [4, 'ws-a'] }),
      update(merged, ['mergedIntoId', 'deletedAt', 'updatedAt'], 2),
      5,
    );
    if (out.status === 'rejected') throw new Error();
    expect(out.next!.data).toMatchObject({ mergedIntoId: 's', legalLastName: 'Diaz' });
    expect(out.overwritten.map((o) => o.field)).toEqual(['legalLastName']);
  });

  const note = { id: 'n', status: 'signed', content: 'Signed text', patientId: 'p1', updatedAt: 't' };

  it('refuses an edit to a signed note', () => {
    const out = mergeMutation(
      policyFor('notes'),
      stored(note),
      update({ ...note, status: 'draft', content: 'Edited offline' }, ['content', 'status'], 1),
      5,
    );
    expect(out).toMatchObject({ status: 'rejected', reason: 'locked' });
  });

  it('allows what the lock allows (re-filing to another patient after a merge)', () => {
    const out = mergeMutation(
      policyFor('notes'),
      stored(note),
      update({ ...note, patientId: 'p2' }, ['patientId'], 1),
      5,
    );
    expect(out.status).toBe('applied');
  });

  it('takes the signing change whole: what is signed is what its author saw', () => {
    const draft = { id: 'n', status: 'draft', content: 'Edited elsewhere', patientId: 'p1', signedAt: null };
    const current = stored(draft, { content: [4, 'ws-a'] });
    const out = mergeMutation(
      policyFor('notes'),
      current,
      update(
        { ...draft, content: 'What the author signed', status: 'signed', signedAt: 'now' },
        ['status', 'signedAt'],
        2,
      ),
      5,
    );
    if (out.status === 'rejected') throw new Error();
    expect(out.next!.data.content).toBe('What the author signed');
    expect(out.overwritten.map((o) => o.field)).toEqual(['content']);
  });

  it('append-only rows accept a retried insert but never an edit', () => {
    const entry = { id: 'g', reason: 'Unconscious' };
    const policy = policyFor('emergency_access_grants');
    expect(
      mergeMutation(policy, stored(entry), { ...update(entry, null, null), op: 'insert' }, 3).status,
    ).toBe('applied');
    expect(
      mergeMutation(policy, stored(entry), update({ ...entry, reason: 'Changed' }, null, null), 3),
    ).toMatchObject({ status: 'rejected', reason: 'append_only' });
  });

  it('gives a table nobody declared the safe default', () => {
    expect(policyFor('a_table_added_next_year')).toEqual(defaultPolicy);
    expect(policyFor('audit_log')).toMatchObject({ merge: 'append-only', direction: 'up' });
  });
});

describe('laying unsent changes over a pulled row', () => {
  it('applies only each pending change’s fields, in order', () => {
    const pulled = { a: 1, b: 1, c: 1 };
    const out = overlayPending(pulled, [
      { row: { a: 2, b: 0, c: 0 }, changedFields: ['a'] },
      { row: { a: 2, b: 3, c: 0 }, changedFields: ['b'] },
    ]);
    expect(out).toEqual({ a: 2, b: 3, c: 1 });
  });
});

describe('the ledger at central', () => {
  const entry = { id: 'e', patientId: 'p1', kind: 'payment', amountCents: 2500, memo: '' };

  it('takes a retried insert, refuses any change but a merge re-filing the account', () => {
    const current = stored(entry);
    const policy = policyFor('ledger_entries');
    const retried = mergeMutation(policy, current, { ...update(entry, null, 3), op: 'insert' }, 4);
    expect(retried.status).not.toBe('rejected');
    const changed = mergeMutation(
      policy,
      current,
      update({ ...entry, amountCents: 1 }, ['amountCents'], 3),
      4,
    );
    expect(changed).toMatchObject({ status: 'rejected', reason: 'locked' });
    const refiled = mergeMutation(
      policy,
      current,
      update({ ...entry, patientId: 'p2' }, ['patientId'], 3),
      4,
    );
    if (refiled.status === 'rejected') throw new Error(refiled.message);
    expect(refiled.next!.data).toMatchObject({ patientId: 'p2', amountCents: 2500 });
    const alloc = mergeMutation(
      policyFor('ledger_allocations'),
      stored({ id: 'a', amountCents: 100, patientId: 'p1' }),
      update({ id: 'a', amountCents: 200, patientId: 'p1' }, ['amountCents'], 3),
      4,
    );
    expect(alloc).toMatchObject({ status: 'rejected', reason: 'locked' });
  });
});

describe('claims at central', () => {
  it('keeps claim history and stored files as written; a merge may re-file a claim event', () => {
    const event = { id: 'ev', claimId: 'c', patientId: 'p1', kind: 'era', detail: '{}' };
    const policy = policyFor('claim_events');
    expect(mergeMutation(policy, stored(event), update({ ...event, detail: '{"x":1}' }, ['detail'], 3), 4)).toMatchObject({
      status: 'rejected',
      reason: 'locked',
    });
    const refiled = mergeMutation(policy, stored(event), update({ ...event, patientId: 'p2' }, ['patientId'], 3), 4);
    expect(refiled.status).not.toBe('rejected');
    const file = { id: 'f', kind: 'x835', content: 'ISA…', sha256: 'a' };
    expect(
      mergeMutation(policyFor('claim_files'), stored(file), update({ ...file, content: 'changed' }, ['content'], 3), 4),
    ).toMatchObject({ status: 'rejected', reason: 'locked' });
  });

  it('keeps a clearinghouse file as central fetched it; a workstation records only its import', () => {
    const file = { id: 'i', kind: 'x835', name: 'era.835', content: 'ISA…', sha256: 'a', importedAt: null, fileId: null };
    const policy = policyFor('claim_inbound_files');
    expect(mergeMutation(policy, stored(file), update({ ...file, content: 'changed' }, ['content'], 3), 4)).toMatchObject({
      status: 'rejected',
      reason: 'locked',
    });
    const imported = mergeMutation(policy, stored(file), update({ ...file, importedAt: 't', fileId: 'f' }, ['importedAt', 'fileId'], 3), 4);
    if (imported.status === 'rejected') throw new Error(imported.message);
    expect(imported.next!.data).toMatchObject({ importedAt: 't', fileId: 'f', content: 'ISA…' });
    const insert = { table: 'claim_inbound_files', rowId: 'i', op: 'insert' as const, row: file, changedFields: null, seenSeq: null };
    expect(centralOnlyProblem(insert)).toMatch(/central server only/);
  });

  it('holds CLM01 and ISA13 unique within the clinic (two workstations cannot both send one)', () => {
    const a = keysOf('claims', { id: 'a', patientControlNumber: 'C0001' });
    const b = keysOf('claims', { id: 'b', patientControlNumber: 'C0001' });
    expect(a).toHaveLength(1);
    expect(a).toEqual(b);
    expect(keysOf('claim_batches', { id: 'x', interchangeControlNumber: 7 })).toHaveLength(1);
    expect(keysOf('claim_lines', { id: 'l', lineControlNumber: 'L1' })).toEqual([]);
  });
});
