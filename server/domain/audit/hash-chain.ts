import { createHash } from 'node:crypto';

/** The fields an audit entry's hash covers: everything but the hash itself. */
export interface ChainedFields {
  seq: number;
  id: string;
  clinicId: string;
  at: string;
  userId: string | null;
  username: string | null;
  action: string;
  outcome: string;
  patientId: string | null;
  workstationId: string;
  detail: string;
  prevHash: string;
}

export const GENESIS_HASH = '0'.repeat(64);

/**
 * SHA-256 over a fixed-order JSON array of the fields. The sequence number and the previous hash are
 * inside, so an altered, removed, inserted or reordered entry breaks every hash after it.
 */
export function entryHash(e: ChainedFields): string {
  const canonical = JSON.stringify([
    e.seq,
    e.id,
    e.clinicId,
    e.at,
    e.userId,
    e.username,
    e.action,
    e.outcome,
    e.patientId,
    e.workstationId,
    e.detail,
    e.prevHash,
  ]);
  return createHash('sha256').update(canonical).digest('hex');
}

export interface ChainProblem {
  seq: number;
  problem: string;
}

/**
 * Walk entries in seq order and report every break. `head` is the last (seq, hash) the app recorded, so a
 * truncated tail is caught too.
 */
export function verifyChain(
  entries: Iterable<ChainedFields & { hash: string }>,
  head: { seq: number; hash: string } | null,
): { checked: number; problems: ChainProblem[] } {
  const problems: ChainProblem[] = [];
  let expectedPrev = GENESIS_HASH;
  let expectedSeq = 1;
  let checked = 0;
  let last: { seq: number; hash: string } | null = null;
  for (const e of entries) {
    checked++;
    if (e.seq !== expectedSeq) {
      problems.push({ seq: e.seq, problem: `entry ${expectedSeq} is missing (next found is ${e.seq})` });
    }
    if (e.prevHash !== expectedPrev) {
      problems.push({ seq: e.seq, problem: 'does not link to the entry before it (removed or reordered)' });
    }
    if (entryHash(e) !== e.hash) problems.push({ seq: e.seq, problem: 'content was altered after it was written' });
    expectedPrev = e.hash;
    expectedSeq = e.seq + 1;
    last = { seq: e.seq, hash: e.hash };
  }
  if (head && (!last || last.seq !== head.seq || last.hash !== head.hash)) {
    problems.push({
      seq: head.seq,
      problem: `the log ends at entry ${last?.seq ?? 0} but ${head.seq} entries were recorded (entries removed from the end)`,
    });
  }
  return { checked, problems };
}
