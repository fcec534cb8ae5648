import { and, desc, eq, isNull } from 'drizzle-orm';
import type { ReceivedFile } from '../../../contracts/claims/api';
import { AppError } from '../../../platform/errors';
import { claimFiles, claimInboundFiles } from '../../db/schema';
import type { Actor, Store } from '../../db/store';

/**
 * Billing > Claims > Files (docs/claims-inbound.md, "Files received"): what the clearinghouse sent through
 * central (claim_inbound_files: imported, failed with the reader's sentence, or waiting for a workstation)
 * and what a person imported from a file (inbound claim_files without such a row), newest first. Reading
 * the list and a file's content are audited (`claims.read`).
 */
const LIMIT = 500;

/** AK9-01 / IK5-01 codes as words. */
const ACK: Record<string, string> = { A: 'accepted', E: 'accepted with errors', P: 'partially accepted', R: 'rejected', M: 'rejected', W: 'rejected', X: 'rejected' };

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** What an import did, from the stored file's summary (counts and control numbers only). */
export function importSentence(kind: string, summary: string): string {
  let s: Record<string, unknown>;
  try {
    s = JSON.parse(summary) as Record<string, unknown>;
  } catch {
    return 'Imported.';
  }
  if (kind === 'x999' && Array.isArray(s.groups)) {
    const groups = s.groups as { group: unknown; status: unknown }[];
    return groups.length
      ? groups.map((g) => `Batch ${String(g.group)} ${ACK[String(g.status)] ?? String(g.status).replace(/_/g, ' ')}.`).join(' ')
      : 'No batch acknowledged.';
  }
  if (kind === 'x277ca' && typeof s.claims === 'number')
    return `${plural(s.claims, 'claim')}, ${typeof s.accepted === 'number' ? s.accepted : 0} accepted.`;
  if (kind === 'x835' && typeof s.remittances === 'number') return `${plural(s.remittances, 'remittance')} read.`;
  if (kind === 'x271' && typeof s.answers === 'number') return `${plural(s.answers, 'eligibility answer')} read.`;
  return 'Imported.';
}

export function listReceivedFiles(store: Store, actor: Actor): { files: ReceivedFile[]; failed: number; waiting: number; more: boolean } {
  const clinicId = store.requireClinicId();
  const inbound = store.orm
    .select()
    .from(claimInboundFiles)
    .where(and(eq(claimInboundFiles.clinicId, clinicId), isNull(claimInboundFiles.deletedAt)))
    .orderBy(desc(claimInboundFiles.receivedAt))
    .limit(LIMIT + 1)
    .all();
  const stored = store.orm
    .select({ id: claimFiles.id, kind: claimFiles.kind, name: claimFiles.name, summary: claimFiles.summary, createdAt: claimFiles.createdAt })
    .from(claimFiles)
    .where(and(eq(claimFiles.clinicId, clinicId), eq(claimFiles.direction, 'inbound')))
    .orderBy(desc(claimFiles.createdAt))
    .limit(LIMIT + 1)
    .all();
  const summaries = new Map(stored.map((f) => [f.id, f.summary]));
  const fromCentral = new Set(inbound.map((f) => f.fileId).filter((id): id is string => Boolean(id)));
  const files: ReceivedFile[] = inbound.map((f) => ({
    id: f.id,
    source: 'clearinghouse',
    kind: f.kind,
    name: f.name,
    receivedAt: f.receivedAt,
    transport: f.transport,
    result: f.importError ? 'failed' : f.importedAt ? 'imported' : 'waiting',
    detail: f.importError
      ? f.importError
      : f.importedAt
        ? f.fileId && summaries.has(f.fileId)
          ? importSentence(f.kind, summaries.get(f.fileId)!)
          : 'Imported.'
        : 'Waiting for a workstation to import it.',
    // A 271's stored answer lives with eligibility; only claims files open through getClaimFile.
    fileId: f.kind !== 'x271' && f.fileId && !f.importError ? f.fileId : null,
  }));
  for (const f of stored) {
    if (fromCentral.has(f.id) || f.kind === 'x837p') continue;
    files.push({
      id: f.id,
      source: 'import',
      kind: f.kind,
      name: f.name,
      receivedAt: f.createdAt,
      transport: null,
      result: 'imported',
      detail: importSentence(f.kind, f.summary),
      fileId: f.id,
    });
  }
  files.sort((x, y) => (x.receivedAt < y.receivedAt ? 1 : x.receivedAt > y.receivedAt ? -1 : 0));
  const more = files.length > LIMIT || inbound.length > LIMIT || stored.length > LIMIT;
  const shown = files.slice(0, LIMIT);
  store.audit(actor, { action: 'claims.read', detail: { view: 'received_files', count: shown.length } });
  return {
    files: shown,
    failed: shown.filter((f) => f.result === 'failed').length,
    waiting: shown.filter((f) => f.result === 'waiting').length,
    more,
  };
}

/** A clearinghouse file's content as central handed it over (also when its import failed), audited. */
export function getInboundFile(store: Store, actor: Actor, id: string) {
  const f = store.orm
    .select({ id: claimInboundFiles.id, name: claimInboundFiles.name, kind: claimInboundFiles.kind, content: claimInboundFiles.content })
    .from(claimInboundFiles)
    .where(and(eq(claimInboundFiles.id, id), eq(claimInboundFiles.clinicId, store.requireClinicId()), isNull(claimInboundFiles.deletedAt)))
    .get();
  if (!f) throw new AppError(404, 'not_found', 'That file was not found.');
  store.audit(actor, { action: 'claims.read', detail: { inboundFileId: id, kind: f.kind } });
  return f;
}
