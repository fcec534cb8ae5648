import crypto from 'node:crypto';
import { and, eq, isNull, ne, sql, type SQL } from 'drizzle-orm';
import type { SQLiteColumn } from 'drizzle-orm/sqlite-core';
import { uuidv7 } from '../../../platform/ids';
import type { ClaimEventKind, ClaimFileKind, ClaimStatus } from '../../../contracts/claims/records';
import { AppError } from '../../../platform/errors';
import { claimEvents, claimFiles, claimLines, claims } from '../../db/schema';
import { prepared } from '../../db/prepared';
import type { Store, Writer } from '../../db/store';

/** Row helpers the claims services share: reading claims, writing their history and files. */

export type ClaimRow = typeof claims.$inferSelect;
export type ClaimLineRow = typeof claimLines.$inferSelect;

export const sha256Hex = (text: string) => crypto.createHash('sha256').update(text, 'utf8').digest('hex');

// Prepared once per database: posting an ERA reads a claim and its lines for each of thousands of claims.
export function claimRow(store: Store, id: string): ClaimRow {
  const row = prepared(store, 'claim-by-id', (orm) =>
    orm
      .select()
      .from(claims)
      .where(and(eq(claims.id, sql.placeholder('id')), eq(claims.clinicId, sql.placeholder('clinicId')), isNull(claims.deletedAt)))
      .prepare(),
  ).get({ id, clinicId: store.requireClinicId() });
  if (!row) throw new AppError(404, 'not_found', 'That claim was not found.');
  return row;
}

export function claimLineRows(store: Store, claimId: string): ClaimLineRow[] {
  return prepared(store, 'claim-lines-of-claim', (orm) =>
    orm
      .select()
      .from(claimLines)
      .where(and(eq(claimLines.claimId, sql.placeholder('claimId')), isNull(claimLines.deletedAt)))
      .orderBy(claimLines.position)
      .prepare(),
  ).all({ claimId });
}

/**
 * A claim still in play: not closed, not a void (frequency 8 cancels at the payer, it bills nothing), not
 * deleted (a tombstone replicated from elsewhere keeps its row and its lines).
 */
export const liveClaim = (): SQL => and(ne(claims.status, 'closed'), ne(claims.frequency, 'void'), isNull(claims.deletedAt))!;

/** A line that bills its charge: on a live claim (joined as `claims`) and not replaced by a later claim's line. */
export const liveClaimLine = (): SQL => and(liveClaim(), ne(claimLines.status, 'replaced'))!;

/** `column IN (ids)` for any number of ids (one bound JSON array: no limit on bound variables). */
export const inJson = (column: SQLiteColumn, ids: readonly string[]): SQL =>
  sql`${column} IN (SELECT value FROM json_each(${JSON.stringify(ids)}))`;

/** Many claims at once (an ERA's), by id; the missing and deleted are left out. */
export function claimRowsByIds(store: Store, ids: readonly string[]): Map<string, ClaimRow> {
  if (!ids.length) return new Map();
  const rows = store.orm
    .select()
    .from(claims)
    .where(and(inJson(claims.id, ids), eq(claims.clinicId, store.requireClinicId()), isNull(claims.deletedAt)))
    .all();
  return new Map(rows.map((r) => [r.id, r]));
}

/** The lines of many claims, by claim, each claim's in position order (as claimLineRows). */
export function claimLineRowsByClaim(store: Store, claimIds: readonly string[]): Map<string, ClaimLineRow[]> {
  const out = new Map<string, ClaimLineRow[]>(claimIds.map((id) => [id, []]));
  if (!claimIds.length) return out;
  const rows = store.orm
    .select()
    .from(claimLines)
    .where(and(inJson(claimLines.claimId, claimIds), isNull(claimLines.deletedAt)))
    .orderBy(claimLines.claimId, claimLines.position)
    .all();
  for (const r of rows) out.get(r.claimId)?.push(r);
  return out;
}

/**
 * CLM01 (patient control number): at most 20 characters so every payer keeps it whole, unique across
 * workstations without asking central (48 bits of time and 48 random bits, base 36), never patient data.
 */
export function newControlNumber(prefix: 'C' | 'L'): string {
  const hex = uuidv7().replace(/-/g, '');
  const time = BigInt(`0x${hex.slice(0, 12)}`);
  const rand = BigInt(`0x${crypto.randomBytes(6).toString('hex')}`);
  return `${prefix}${((time << 48n) | rand).toString(36).toUpperCase().padStart(19, '0')}`;
}

/** One entry of a claim's history; `fileId` names the file that touched it, when one did. */
export function recordEvent(
  w: Writer,
  store: Store,
  claim: Pick<ClaimRow, 'id' | 'patientId' | 'status'>,
  kind: ClaimEventKind,
  options: { to?: ClaimStatus | null; fileId?: string | null; detail?: Record<string, unknown> } = {},
): void {
  w.insert('claim_events', {
    id: uuidv7(),
    clinicId: store.requireClinicId(),
    claimId: claim.id,
    patientId: claim.patientId,
    kind,
    fileId: options.fileId ?? null,
    statusFrom: claim.status,
    statusTo: options.to ?? claim.status,
    detail: JSON.stringify(options.detail ?? {}),
    createdBy: w.actor.userId,
    createdAt: store.nowIso(),
  });
}

/** Moves a claim to a status and records it; a no-op status change still records the event. */
export function moveClaim(
  w: Writer,
  store: Store,
  claim: ClaimRow,
  kind: ClaimEventKind,
  to: ClaimStatus,
  options: { fileId?: string | null; detail?: Record<string, unknown>; patch?: Partial<ClaimRow> } = {},
): void {
  recordEvent(w, store, claim, kind, { to, fileId: options.fileId, detail: options.detail });
  w.update('claims', claim.id, { ...options.patch, status: to, updatedAt: store.nowIso() });
}

/** Where an inbound file came from when it did not come from a person's upload (kept in its summary). */
export interface FileOrigin {
  via: 'clearinghouse';
  transport: string;
  receivedAt: string;
  inboundFileId: string;
}

export function storeFile(
  w: Writer,
  store: Store,
  file: {
    kind: ClaimFileKind;
    direction: 'outbound' | 'inbound';
    name: string;
    content: string;
    summary?: Record<string, unknown>;
    origin?: FileOrigin;
  },
): string {
  const id = uuidv7();
  w.insert('claim_files', {
    id,
    clinicId: store.requireClinicId(),
    kind: file.kind,
    direction: file.direction,
    sha256: sha256Hex(file.content),
    name: file.name,
    content: file.content,
    summary: JSON.stringify(file.origin ? { ...file.summary, origin: file.origin } : (file.summary ?? {})),
    createdBy: w.actor.userId,
    createdAt: store.nowIso(),
  });
  return id;
}

export function findFileByDigest(store: Store, kind: ClaimFileKind, digest: string) {
  return store.orm
    .select({ id: claimFiles.id, name: claimFiles.name, createdAt: claimFiles.createdAt })
    .from(claimFiles)
    .where(and(eq(claimFiles.clinicId, store.requireClinicId()), eq(claimFiles.kind, kind), eq(claimFiles.sha256, digest)))
    .get();
}

export const events = (store: Store, claimId: string) =>
  store.orm.select().from(claimEvents).where(eq(claimEvents.claimId, claimId)).orderBy(claimEvents.createdAt, claimEvents.id).all();
