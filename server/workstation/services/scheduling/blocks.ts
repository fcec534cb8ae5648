import { and, asc, eq, gt, isNotNull, isNull, lt, or } from 'drizzle-orm';
import { v7 as uuidv7 } from 'uuid';
import type { z } from 'zod';
import {
  recurrenceSchema,
  type Block,
  type BlockOccurrence,
  type blockCreateSchema,
} from '../../../contracts/scheduling';
import {
  anchorOf,
  describeRecurrence,
  expandOccurrences,
  toRRuleString,
} from '../../../domain/scheduling/recurrence';
import { blockTimesIn, MAX_BLOCK_OCCURRENCES } from '../../../domain/scheduling/block-occurrences';
import { scheduleBlocks } from '../../db/schema';
import type { Actor, Store } from '../../db/store';
import { fieldError, notFound } from '../../../platform/errors';
import { clinicZone, getProvider, listLocations } from './setup';
import { liveRow } from '../../db/live-row';
import { getClinicInfo } from '../settings/clinic-info';
import type { TimeFormat } from '../../../contracts/time-format';

/**
 * Blocks: lunch, meetings, time off, for a provider, a room or the whole clinic; one-time or repeating.
 * A repeating block keeps its rule and is expanded when a window of the schedule is read.
 */

type BlockRow = typeof scheduleBlocks.$inferSelect;

function toBlock(row: BlockRow, timeFormat: TimeFormat): Block {
  const recurrence = row.recurrence ? recurrenceSchema.parse(JSON.parse(row.recurrence)) : null;
  return {
    id: row.id,
    providerId: row.providerId,
    roomId: row.roomId,
    kind: row.kind,
    label: row.label,
    startsAt: row.startsAt,
    endsAt: row.endsAt,
    timeZone: row.timeZone,
    recurrence,
    recurrenceText: recurrence
      ? describeRecurrence(recurrence, anchorOf(row.startsAt, row.timeZone), timeFormat)
      : null,
  };
}

export function listBlocks(store: Store): Block[] {
  const { timeFormat } = getClinicInfo(store);
  return store.orm
    .select()
    .from(scheduleBlocks)
    .where(liveRow(scheduleBlocks, store.requireClinicId()))
    .orderBy(asc(scheduleBlocks.startsAt))
    .all()
    .map((row) => toBlock(row, timeFormat));
}

export function createBlock(store: Store, actor: Actor, input: z.infer<typeof blockCreateSchema>): Block {
  const zone = clinicZone(store);
  if (input.providerId) {
    try {
      getProvider(store, input.providerId);
    } catch {
      throw fieldError('providerId', 'Choose a provider of this clinic.');
    }
  }
  if (input.roomId && !listLocations(store).some((l) => l.rooms.some((r) => r.id === input.roomId))) {
    throw fieldError('roomId', 'Choose a room of this clinic.');
  }
  const start = new Date(input.startsAt);
  const end = new Date(input.endsAt);
  if (end.getTime() - start.getTime() > 366 * 86_400_000) {
    throw fieldError('endsAt', 'A block lasts at most a year; use a repeating block for longer.');
  }
  let rrule: string | null = null;
  let untilAt: string | null = null;
  if (input.recurrence) {
    const anchor = anchorOf(start, zone);
    rrule = toRRuleString(input.recurrence, anchor, zone);
    if (input.recurrence.count !== undefined || input.recurrence.until !== undefined) {
      const all = expandOccurrences(input.recurrence, anchor, zone, { max: MAX_BLOCK_OCCURRENCES });
      const last = all.at(-1);
      untilAt = last
        ? new Date(last.startsAt.getTime() + (end.getTime() - start.getTime())).toISOString()
        : null;
    }
  }
  const now = store.nowIso();
  const id = uuidv7();
  store.write(actor, (w) => {
    w.insert('schedule_blocks', {
      id,
      clinicId: store.requireClinicId(),
      providerId: input.providerId,
      roomId: input.roomId,
      kind: input.kind,
      label: input.label,
      startsAt: start.toISOString(),
      endsAt: end.toISOString(),
      timeZone: zone,
      recurrence: input.recurrence ? JSON.stringify(input.recurrence) : null,
      rrule,
      untilAt,
      createdBy: actor.userId,
      createdAt: now,
      updatedAt: now,
    });
    w.audit({ action: 'schedule.settings_update', detail: { what: 'block', id, kind: input.kind } });
  });
  const row = store.orm.select().from(scheduleBlocks).where(eq(scheduleBlocks.id, id)).get()!;
  return toBlock(row, getClinicInfo(store).timeFormat);
}

export function removeBlock(store: Store, actor: Actor, id: string): void {
  const row = store.orm
    .select()
    .from(scheduleBlocks)
    .where(and(eq(scheduleBlocks.id, id), liveRow(scheduleBlocks, store.requireClinicId())))
    .get();
  if (!row) throw notFound('That block');
  const now = store.nowIso();
  store.write(actor, (w) => {
    w.update('schedule_blocks', id, { deletedAt: now, updatedAt: now });
    w.audit({ action: 'schedule.settings_update', detail: { what: 'block', id, removed: true } });
  });
}

/**
 * Every block occurrence overlapping [from, to) (UTC ms), optionally only those touching some providers
 * or rooms (clinic-wide blocks always count).
 */
export function blockOccurrences(
  store: Store,
  from: number,
  to: number,
  filter: { providerIds?: readonly string[]; roomIds?: readonly string[] } = {},
): BlockOccurrence[] {
  const rows = store.orm
    .select()
    .from(scheduleBlocks)
    .where(
      and(
        liveRow(scheduleBlocks, store.requireClinicId()),
        lt(scheduleBlocks.startsAt, new Date(to).toISOString()),
        or(
          and(isNull(scheduleBlocks.recurrence), gt(scheduleBlocks.endsAt, new Date(from).toISOString())),
          and(
            isNotNull(scheduleBlocks.recurrence),
            or(isNull(scheduleBlocks.untilAt), gt(scheduleBlocks.untilAt, new Date(from).toISOString())),
          ),
        ),
      ),
    )
    .all();
  const out: BlockOccurrence[] = [];
  for (const row of rows) {
    const relevant =
      (row.providerId === null && row.roomId === null) ||
      (row.providerId !== null && (!filter.providerIds || filter.providerIds.includes(row.providerId))) ||
      (row.roomId !== null && (!filter.roomIds || filter.roomIds.includes(row.roomId)));
    if (!relevant) continue;
    const base = {
      blockId: row.id,
      providerId: row.providerId,
      roomId: row.roomId,
      kind: row.kind,
      label: row.label,
    };
    for (const t of blockTimesIn(row, from, to)) out.push({ ...base, ...t });
  }
  return out.sort((a, b) => a.startsAt.localeCompare(b.startsAt));
}
