import type { Mutation, MutationResult, PushResponse } from '../../../contracts/sync';
import { policyFor } from '../../../domain/sync/policies';
import { wrapRowSecrets } from '../../../domain/sync/secret-wrap';
import type { ColumnCipher } from '../../crypto';
import type { CentralDb, Tx } from '../../db/pool';
import { AppError } from '../../../platform/errors';
import { APPLY_PLAN_SETTINGS, applyBatch, type ApplyResult } from './apply';
import type { DeviceTurns } from './device-turns';
import { clinicHead, clinicHeadSql, headOf, requireSchema, type HeadRow } from './pull';

/**
 * A device's push: mutations in its outbox order. Ids at or below the device's last_mutation_id were
 * applied before (the answer was lost): they are answered `applied, duplicate` and not applied again; the
 * others must continue that count without a gap (requireContiguous).
 * The rest are applied and last_mutation_id advances in the same transaction, so a crash before commit
 * applies nothing and a crash after commit cannot apply anything twice.
 */

export interface PushDeps {
  db: CentralDb;
  cipher: ColumnCipher;
  now: () => Date;
  minSchema: number;
  /** This node's order of a device's pushes in flight (one instance per API process). */
  turns?: DeviceTurns;
}

export interface PushingDevice {
  deviceId: string;
  clinicId: string;
  schemaVersion: number;
  clockSkewMs: number | null;
}

export interface PushOutcome extends PushResponse {
  /** Mutations applied now (not duplicates), for the lag metric. */
  fresh: Mutation[];
}

export async function pushMutations(
  deps: PushDeps,
  device: PushingDevice,
  request: { epoch: string; lastAcknowledged: number },
  mutations: Mutation[],
): Promise<PushOutcome> {
  for (let i = 1; i < mutations.length; i++) {
    if (mutations[i]!.mutationId <= mutations[i - 1]!.mutationId) {
      throw new AppError(400, 'out_of_order', 'Mutations must be sent in increasing mutation id order.');
    }
  }
  const store = () => applyPush(deps, device, request, mutations);
  if (!deps.turns || !mutations.length) return store();
  return deps.turns.inTurn(
    device.deviceId,
    mutations[0]!.mutationId,
    mutations[mutations.length - 1]!.mutationId,
    store,
  );
}

async function applyPush(
  deps: PushDeps,
  device: PushingDevice,
  request: { epoch: string; lastAcknowledged: number },
  mutations: Mutation[],
): Promise<PushOutcome> {
  try {
    return await deps.db.tx({ clinicId: device.clinicId }, (tx) =>
      pushInTx(deps, tx, device, request, mutations),
    );
  } catch (err) {
    if (err instanceof AppError || mutations.length === 1 || !isDataError(err)) throw err;
    // One mutation the database refuses (a value PostgreSQL cannot store) must not hold back the others:
    // apply one at a time; the bad one is answered rejected, with a conflict record, never dropped.
    const results: MutationResult[] = [];
    let last: PushOutcome | null = null;
    const fresh: Mutation[] = [];
    for (const m of mutations) {
      try {
        last = await deps.db.tx({ clinicId: device.clinicId }, (tx) =>
          pushInTx(deps, tx, device, request, [m]),
        );
      } catch (inner) {
        if (!isDataError(inner)) throw inner;
        last = await deps.db.tx({ clinicId: device.clinicId }, (tx) => refuseInTx(deps, tx, device, m));
      }
      results.push(...last.results);
      fresh.push(...last.fresh);
    }
    return { ...last!, results, fresh };
  }
}

async function pushInTx(
  deps: PushDeps,
  tx: Tx,
  device: PushingDevice,
  request: { epoch: string; lastAcknowledged: number },
  mutations: Mutation[],
): Promise<PushOutcome> {
  // The clinic's head, the device's row and the clinic row's lock that applyBatch needs, in one statement:
  // on a busy machine a round trip costs more than these statements, and a push is a series of them.
  // Locks are taken in the order they always were: the device's row (in the LATERAL), then the clinic's.
  const r = await tx.query<HeadRow & { last_mutation_id: number | null }>(
    `${clinicHeadSql({
      columns: `d.last_mutation_id, ${APPLY_PLAN_SETTINGS}`,
      joins: 'LEFT JOIN LATERAL (SELECT last_mutation_id FROM devices WHERE id = $2 FOR UPDATE) d ON true',
    })} FOR UPDATE OF c`,
    [device.clinicId, device.deviceId],
  );
  const head = headOf(r.rows[0]);
  requireSchema(device.schemaVersion, head, deps.minSchema);
  const { epoch } = head;
  if (request.epoch !== epoch) {
    throw new AppError(
      409,
      'epoch_changed',
      'The central server was restored from a backup; the workstation must re-synchronise first.',
    );
  }
  const dev = r.rows[0]!;
  if (dev.last_mutation_id === null)
    throw new AppError(
      401,
      'device_revoked',
      'This workstation is no longer enrolled. Ask an administrator to enroll it again.',
    );
  const last = dev.last_mutation_id;
  if (last < request.lastAcknowledged) {
    throw new AppError(
      409,
      'central_behind',
      'The central server lacks changes it had acknowledged; the workstation must send them again first.',
    );
  }
  const fresh = mutations.filter((m) => m.mutationId > last);
  requireContiguous(last, fresh);
  const newLast = fresh.length ? fresh[fresh.length - 1]!.mutationId : last;
  const outcome = await applyBatch(
    {
      tx,
      cipher: deps.cipher,
      clinicId: device.clinicId,
      origin: device.deviceId,
      now: deps.now(),
      locked: { changeSeq: head.head },
      // The device's count goes in with the batch's rows, in the same statement.
      device: { id: device.deviceId, lastMutationId: newLast, clockSkewMs: device.clockSkewMs },
    },
    fresh.map((m) => ({
      table: m.table,
      rowId: m.rowId,
      op: m.op,
      row: m.row,
      changedFields: m.changedFields,
      seenSeq: m.seenSeq,
    })),
  );
  const byId = new Map<number, ApplyResult>(
    fresh.map((m, i) => [m.mutationId, wrapCurrent(deps, device.clinicId, m, outcome.results[i]!)]),
  );
  const results: MutationResult[] = mutations.map((m) => {
    const r = byId.get(m.mutationId);
    return r
      ? { mutationId: m.mutationId, ...r }
      : { mutationId: m.mutationId, status: 'applied', duplicate: true };
  });
  return { epoch, results, lastMutationId: newLast, head: outcome.head, fresh };
}

/** Record a mutation the database could not store as rejected (with its conflict record) and move on. */
async function refuseInTx(deps: PushDeps, tx: Tx, device: PushingDevice, m: Mutation): Promise<PushOutcome> {
  const { epoch } = await clinicHeadChecked(deps, tx, device);
  const outcome = await applyBatch(
    {
      tx,
      cipher: deps.cipher,
      clinicId: device.clinicId,
      origin: device.deviceId,
      now: deps.now(),
      refuse: {
        reason: 'unstorable',
        message: 'Central could not store this change (it contains characters the database refuses).',
      },
    },
    [
      {
        table: m.table,
        rowId: m.rowId,
        op: m.op,
        row: m.row,
        changedFields: m.changedFields,
        seenSeq: m.seenSeq,
      },
    ],
  );
  await tx.query(
    'UPDATE devices SET last_mutation_id = GREATEST(last_mutation_id, $2), last_seen_at = now() WHERE id = $1',
    [device.deviceId, m.mutationId],
  );
  return {
    epoch,
    results: [{ mutationId: m.mutationId, ...outcome.results[0]! }],
    lastMutationId: m.mutationId,
    head: outcome.head,
    fresh: [],
  };
}

async function clinicHeadChecked(deps: PushDeps, tx: Tx, device: PushingDevice) {
  const head = await clinicHead(tx, device.clinicId);
  requireSchema(device.schemaVersion, head, deps.minSchema);
  return head;
}

/** Central's row sent back with a rejection carries its secrets wrapped, as a pull does. */
function wrapCurrent(deps: PushDeps, clinicId: string, m: Mutation, r: ApplyResult): ApplyResult {
  if (!r.current || !policyFor(m.table).encryptedFields.length) return r;
  const key = deps.cipher.wrapKeyFor(clinicId);
  return { ...r, current: wrapRowSecrets(key, clinicId, m.table, m.rowId, r.current) };
}

/**
 * A device's outbox numbers its changes 1, 2, 3, … without gaps (a restored workstation renumbers past what
 * central has, see hello), so new ids continue exactly where central's count for the device stands. Anything
 * else is refused before it is stored: one absurd id would otherwise become the device's count, and every
 * later change up to it would be answered "duplicate" and lost, a count a re-enrolment would inherit.
 */
function requireContiguous(last: number, fresh: readonly Mutation[]): void {
  fresh.forEach((m, i) => {
    if (m.mutationId !== last + 1 + i) {
      throw new AppError(
        409,
        'mutation_gap',
        `Central has this workstation's changes up to number ${last}; the next one must be ${last + 1 + i}. Nothing was stored. The workstation re-synchronises on its next attempt; if this repeats, ask IT.`,
      );
    }
  });
}

/** PostgreSQL data errors (class 22: a value it cannot store, like a NUL character in text). */
function isDataError(err: unknown): boolean {
  const code = (err as { code?: unknown })?.code;
  return typeof code === 'string' && code.startsWith('22');
}
