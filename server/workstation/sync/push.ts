import { setImmediate as yieldToIo } from 'node:timers/promises';
import type { PushResponse, Row } from '../../contracts/sync';
import type { Store } from '../db/store';
import type { RemoteApplier } from './apply';
import { CentralRequestError, type CentralClient } from './central-client';
import { markSent, outboxHighWater, unsentBatch, type OutgoingBatch } from './outbox';
import { readSyncState } from './state';

/**
 * The push half of a sync cycle (engine.ts runs it after hello, before the pull): every unsent mutation of
 * the outbox goes to central in order, in batches, and is marked sent once central has answered it.
 */

/** Push batches sent before the one ahead is answered (central stores them in order; see pushAll). */
const PUSHES_IN_FLIGHT = 2;

export interface PushDeps {
  store: Store;
  applier: RemoteApplier;
  client: CentralClient;
  /** Mutations per push: as many as central takes, since each batch is a round trip and a transaction on both sides. */
  batchSize: number;
  /** Throws when an answer comes from another epoch than this workstation's (the engine starts over). */
  checkEpoch: (epoch: string) => void;
}

export async function pushAll({ store, applier, client, batchSize, checkEpoch }: PushDeps): Promise<void> {
  // Two batches in flight: central reads and checks the next batch while it stores this one, and stores it
  // right after (it takes a device's mutation ids only in order; on one node the next batch waits for this
  // one, see central's DeviceTurns). Answers are taken in order and a batch is marked sent here only once
  // answered: should this process stop in between, the batches not marked sent go again and central
  // answers them "duplicate", as after any lost answer.
  const epoch = () => readSyncState(store).epoch ?? '';
  let acknowledged = outboxHighWater(store).sent;
  const send = (batch: OutgoingBatch) => client.push(epoch(), acknowledged, batch.json);
  const inFlight: { batch: OutgoingBatch; answer: Promise<PushResponse>; behind: boolean }[] = [];
  let after = 0;
  for (;;) {
    while (inFlight.length < PUSHES_IN_FLIGHT) {
      const batch = unsentBatch(store, batchSize, undefined, after);
      if (!batch.keys.length) break;
      after = batch.keys[batch.keys.length - 1]!.mutationId;
      const answer = send(batch);
      // Awaited below; this only keeps a batch abandoned by an error from being reported as unhandled.
      answer.catch(() => {});
      inFlight.push({ batch, answer, behind: inFlight.length > 0 });
      // Reading the next batch is synchronous: let this request go out first.
      await yieldToIo();
    }
    const current = inFlight.shift();
    if (!current) return;
    const res = await current.answer.catch((err: unknown) => {
      // Sent before the batch ahead of it was stored, it reached central first (over its own connection, or
      // at another node behind the same address). Every batch ahead of it is answered now: send it again.
      if (current.behind && err instanceof CentralRequestError && err.code === 'mutation_gap')
        return send(current.batch);
      throw err;
    });
    checkEpoch(res.epoch);
    acknowledged = Math.max(acknowledged, res.lastMutationId);
    acknowledge(store, applier, current.batch, res);
  }
}

/** Mark an answered batch sent; a refused change puts central's row back here (the inbox keeps it). */
function acknowledge(store: Store, applier: RemoteApplier, batch: OutgoingBatch, res: PushResponse): void {
  const rejected = new Map<number, Row | null>();
  for (const r of res.results)
    if (r.status === 'rejected' && r.current !== undefined) rejected.set(r.mutationId, r.current);
  const byId = new Map(batch.keys.map((m) => [m.mutationId, m]));
  const answered = res.results.map((r) => r.mutationId);
  store.applyRemote(() => {
    markSent(store, answered, store.nowIso());
    const restore = [...rejected].flatMap(([id, row]) => {
      const m = byId.get(id)!;
      return row ? [{ table: m.table, rowId: m.rowId, row }] : [];
    });
    if (restore.length) applier.applyInTransaction(restore);
  });
}
