import { describe, expect, it } from 'vitest';
import {
  entryHash,
  GENESIS_HASH,
  verifyChain,
  type ChainedFields,
} from '../../../server/domain/audit/hash-chain';

type Entry = ChainedFields & { hash: string };

/** A well-formed chain of n entries, built the way the store appends them. */
function chain(n: number): Entry[] {
  const out: Entry[] = [];
  for (let seq = 1; seq <= n; seq++) {
    const fields: ChainedFields = {
      seq,
      id: `id-${seq}`,
      clinicId: 'clinic-1',
      at: new Date(Date.UTC(2030, 0, 1, 9, seq)).toISOString(),
      userId: seq % 3 === 0 ? null : `user-${seq % 2}`,
      username: seq % 3 === 0 ? null : `staff.${seq % 2}`,
      action: seq % 2 ? 'patient.read' : 'auth.login',
      outcome: 'success',
      patientId: seq % 2 ? `patient-${seq}` : null,
      workstationId: 'ws-1',
      detail: JSON.stringify({ n: seq }),
      prevHash: out.at(-1)?.hash ?? GENESIS_HASH,
    };
    out.push({ ...fields, hash: entryHash(fields) });
  }
  return out;
}

/** Re-link and re-hash entries from `from` on, as an attacker who knows the scheme would. */
function rehash(entries: Entry[], from = 0): Entry[] {
  const out = entries.slice(0, from);
  for (const e of entries.slice(from)) {
    const fields = { ...e, prevHash: out.at(-1)?.hash ?? GENESIS_HASH };
    delete (fields as Partial<Entry>).hash;
    out.push({ ...fields, hash: entryHash(fields) });
  }
  return out;
}

const headOf = (entries: Entry[]) => ({ seq: entries.at(-1)!.seq, hash: entries.at(-1)!.hash });
const seqs = (problems: { seq: number }[]) => [...new Set(problems.map((p) => p.seq))];

describe('entryHash', () => {
  it('is a deterministic SHA-256 hex digest', () => {
    const [e] = chain(1);
    expect(e!.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(entryHash(e!)).toBe(e!.hash);
    expect(GENESIS_HASH).toBe('0'.repeat(64));
    expect(e!.prevHash).toBe(GENESIS_HASH);
  });

  it('changes when any covered field changes (including null vs a value)', () => {
    const [e] = chain(1);
    const base = entryHash(e!);
    const changes: Partial<ChainedFields>[] = [
      { seq: 2 },
      { id: 'other' },
      { clinicId: 'clinic-2' },
      { at: '2030-01-01T09:01:00.001Z' },
      { userId: null },
      { userId: 'user-9' },
      { username: null },
      { action: 'patient.update' },
      { outcome: 'denied' },
      { patientId: 'patient-x' },
      { workstationId: 'ws-2' },
      { detail: '{"n":2}' },
      { prevHash: 'f'.repeat(64) },
    ];
    for (const change of changes)
      expect(entryHash({ ...e!, ...change }), JSON.stringify(change)).not.toBe(base);
  });

  it('cannot be fooled by moving text between fields', () => {
    const [e] = chain(1);
    const a = { ...e!, username: 'ab', action: 'c' };
    const b = { ...e!, username: 'a', action: 'bc' };
    expect(entryHash(a)).not.toBe(entryHash(b));
  });
});

describe('verifyChain', () => {
  it('accepts an intact chain, with and without the recorded head', () => {
    const entries = chain(6);
    expect(verifyChain(entries, headOf(entries))).toEqual({ checked: 6, problems: [] });
    expect(verifyChain(entries, null)).toEqual({ checked: 6, problems: [] });
    expect(verifyChain([], null)).toEqual({ checked: 0, problems: [] });
  });

  it('finds an altered entry', () => {
    const entries = chain(6);
    const head = headOf(entries);
    entries[2] = { ...entries[2]!, detail: JSON.stringify({ n: 999 }) };
    const { problems } = verifyChain(entries, head);
    expect(problems).toEqual([{ seq: 3, problem: expect.stringMatching(/altered/) }]);
  });

  it('finds an altered entry even when its own hash was recomputed (the next link breaks)', () => {
    const entries = chain(6);
    const head = headOf(entries);
    const { hash: _old, ...fields } = { ...entries[2]!, outcome: 'denied' };
    entries[2] = { ...fields, hash: entryHash(fields) };
    const { problems } = verifyChain(entries, head);
    expect(seqs(problems)).toEqual([4]);
    expect(problems[0]!.problem).toMatch(/does not link/);
  });

  it('finds a removed entry', () => {
    const entries = chain(6);
    const head = headOf(entries);
    const removed = entries.filter((e) => e.seq !== 3);
    const { problems, checked } = verifyChain(removed, head);
    expect(checked).toBe(5);
    expect(seqs(problems)).toEqual([4]);
    expect(problems.map((p) => p.problem).join(' | ')).toMatch(/entry 3 is missing/);
    expect(problems.map((p) => p.problem).join(' | ')).toMatch(/does not link/);
  });

  it('finds reordered entries', () => {
    const entries = chain(6);
    const head = headOf(entries);
    const swapped = [entries[0]!, entries[2]!, entries[1]!, ...entries.slice(3)];
    const { problems } = verifyChain(swapped, head);
    expect(problems.length).toBeGreaterThan(0);
    expect(seqs(problems)).toEqual(expect.arrayContaining([3, 2]));
  });

  it('finds an inserted entry, even one hashed and linked correctly to the entry before it', () => {
    const entries = chain(6);
    const head = headOf(entries);
    const forgedFields: ChainedFields = {
      ...entries[2]!,
      id: 'forged',
      detail: '{"forged":true}',
      prevHash: entries[1]!.hash,
    };
    const forged: Entry = { ...forgedFields, hash: entryHash(forgedFields) };
    const withInsert = [...entries.slice(0, 2), forged, ...entries.slice(2)];
    const { problems, checked } = verifyChain(withInsert, head);
    expect(checked).toBe(7);
    // The forged entry itself checks out; the original entry 3 after it does not.
    expect(problems.length).toBeGreaterThan(0);
    expect(problems.every((p) => p.seq === 3)).toBe(true);
    expect(problems.map((p) => p.problem).join(' | ')).toMatch(/does not link/);
  });

  it('finds entries removed from the end, using the recorded head', () => {
    const entries = chain(6);
    const head = headOf(entries);
    const truncated = entries.slice(0, 4);
    const { problems } = verifyChain(truncated, head);
    expect(problems).toEqual([
      { seq: 6, problem: expect.stringMatching(/ends at entry 4 but 6 entries were recorded/) },
    ]);
    // Everything removed: still caught.
    expect(verifyChain([], head).problems).toEqual([
      { seq: 6, problem: expect.stringMatching(/ends at entry 0/) },
    ]);
    // Without a head, a truncated tail is indistinguishable from a shorter log: that is what the head is for.
    expect(verifyChain(truncated, null).problems).toEqual([]);
  });

  it('catches a rewritten chain (entry removed, the rest renumbered and re-hashed) only through the head', () => {
    const entries = chain(6);
    const head = headOf(entries);
    const renumbered = entries.filter((e) => e.seq !== 3).map((e, i) => ({ ...e, seq: i + 1 }));
    const rewritten = rehash(renumbered);
    expect(verifyChain(rewritten, null).problems).toEqual([]);
    const { problems } = verifyChain(rewritten, head);
    expect(problems).toHaveLength(1);
    expect(problems[0]!.seq).toBe(6);
  });

  it('catches a replaced last entry whose hash differs from the recorded head', () => {
    const entries = chain(6);
    const head = headOf(entries);
    const rewritten = rehash([...entries.slice(0, 5), { ...entries[5]!, detail: '{"n":"changed"}' }], 5);
    expect(verifyChain(rewritten, null).problems).toEqual([]);
    expect(seqs(verifyChain(rewritten, head).problems)).toEqual([6]);
  });
});
