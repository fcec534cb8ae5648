import { and, asc, eq, isNull } from 'drizzle-orm';
import { AppError } from '../../../platform/errors';
import { claimInboundFiles } from '../../db/schema';
import { systemActor, type Store } from '../../db/store';
import { apply277CA, apply999 } from './acks';
import { importEligibilityResponse } from './eligibility';
import { importEra } from './era';
import type { FileOrigin } from './rows';

/**
 * Importing the files central fetched from the clearinghouse (docs/claims-inbound.md, "Transport"). They
 * arrive as replicated `claim_inbound_files` rows on every workstation; each is imported by exactly one:
 * before importing, a workstation asks central, which grants each file to the first that asks and to no
 * other. The import is the same as a person's (999 on the batch, 277CA on the claims, 835 into posting),
 * with the file's origin in the stored file so the claim's history shows where it came from; the outcome
 * (the stored file, or the reason it could not be read) is written to the row in the same transaction, so
 * a crash can never leave a file imported but not marked. A 271 goes to the eligibility import (its answers
 * reach the insurance panel and the check-in dialog); its row's `fileId` then names the `eligibility_files`
 * row it was stored as.
 */

export type InboundImportRow = typeof claimInboundFiles.$inferSelect;

/** What central answers when asked for a file: granted to this workstation or not. */
export type GrantImport = (inboundFileId: string) => Promise<{ granted: boolean }>;

export interface InboundImportOutcome {
  imported: { id: string; kind: string; fileId: string }[];
  failed: { id: string; kind: string; error: string }[];
  /** Granted to another workstation. */
  notOurs: string[];
}

/** Files waiting for an import here, oldest first; `skip` names those another workstation has. */
export function waitingInboundFiles(store: Store, skip: ReadonlySet<string> = new Set()): InboundImportRow[] {
  if (!store.clinicId) return [];
  return store.orm
    .select()
    .from(claimInboundFiles)
    .where(
      and(
        eq(claimInboundFiles.clinicId, store.clinicId),
        isNull(claimInboundFiles.importedAt),
        isNull(claimInboundFiles.importError),
        isNull(claimInboundFiles.deletedAt),
      ),
    )
    .orderBy(asc(claimInboundFiles.receivedAt), asc(claimInboundFiles.id))
    .all()
    .filter((r) => !skip.has(r.id));
}

/** Imports one granted file and records the outcome in its row, in one transaction. */
export function importInboundFile(store: Store, row: InboundImportRow, deviceId: string): { fileId: string } | { error: string } {
  const origin: FileOrigin = { via: 'clearinghouse', transport: row.transport, receivedAt: row.receivedAt, inboundFileId: row.id };
  const mark = (patch: Partial<InboundImportRow>) =>
    store.write(systemActor, (w) => w.update('claim_inbound_files', row.id, { ...patch, importedByDevice: deviceId, updatedAt: store.nowIso() }));
  try {
    return store.write(systemActor, () => {
      const fileId =
        row.kind === 'x999'
          ? apply999(store, systemActor, row.name, row.content, origin).fileId
          : row.kind === 'x277ca'
            ? apply277CA(store, systemActor, row.name, row.content, origin).fileId
            : row.kind === 'x271'
              ? importEligibilityResponse(store, systemActor, row.name, row.content, origin).fileId
              : importEra(store, systemActor, row.name, row.content, origin).fileId;
      mark({ importedAt: store.nowIso(), fileId });
      return { fileId };
    });
  } catch (err) {
    // A file our readers refuse: the reason is kept on the row (for the biller) and it is not retried.
    if (!(err instanceof AppError)) throw err;
    mark({ importError: err.message });
    return { error: err.message };
  }
}

/**
 * Asks central for each waiting file and imports those granted here. `notOurs` collects files granted to
 * another workstation so they are not asked about again until that workstation's result arrives.
 */
export async function importInboundFiles(
  store: Store,
  deviceId: string,
  grant: GrantImport,
  notOurs: Set<string>,
): Promise<InboundImportOutcome> {
  const out: InboundImportOutcome = { imported: [], failed: [], notOurs: [] };
  for (const row of waitingInboundFiles(store, notOurs)) {
    const { granted } = await grant(row.id);
    if (!granted) {
      notOurs.add(row.id);
      out.notOurs.push(row.id);
      continue;
    }
    // Pulled again meanwhile by this workstation (a second run): only a row still waiting is imported.
    const current = store.orm.select().from(claimInboundFiles).where(eq(claimInboundFiles.id, row.id)).get();
    if (!current || current.importedAt || current.importError) continue;
    const r = importInboundFile(store, current, deviceId);
    if ('fileId' in r) out.imported.push({ id: row.id, kind: row.kind, fileId: r.fileId });
    else out.failed.push({ id: row.id, kind: row.kind, error: r.error });
  }
  return out;
}
