import { v7 as uuidv7 } from 'uuid';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { auditLog } from '../../../server/workstation/db/schema';
import { systemActor } from '../../../server/workstation/db/store';
import { apply999 } from '../../../server/workstation/services/claims/acks';
import { buildBatch } from '../../../server/workstation/services/claims/batch';
import { getClaimFile } from '../../../server/workstation/services/claims/board';
import { createClaimsFromVisit } from '../../../server/workstation/services/claims/create';
import { importInboundFile, waitingInboundFiles } from '../../../server/workstation/services/claims/inbound-import';
import { getInboundFile, listReceivedFiles } from '../../../server/workstation/services/claims/received-files';
import { ack277, ack999, claimsWorld, type ClaimsWorld } from './claims-world';

/**
 * Billing > Claims > Files received (docs/claims-inbound.md, "Files received"): the clearinghouse's files
 * central handed over — imported, failed with the reader's sentence, waiting — and files imported by hand,
 * newest first, each downloadable (audited).
 */
let w: ClaimsWorld;
beforeEach(() => {
  w = claimsWorld();
});
afterEach(() => w.close());

/** A row as central writes it (claim_inbound_files), received `minutesAgo` before now. */
function fromCentral(kind: 'x999' | 'x277ca' | 'x835' | 'x271', name: string, content: string, receivedAt: string) {
  const id = uuidv7();
  const now = w.store.nowIso();
  w.store.write(systemActor, (t) =>
    t.insert('claim_inbound_files', {
      id,
      clinicId: w.store.requireClinicId(),
      kind,
      name,
      sha256: id,
      content,
      transport: 'sftp',
      receivedAt,
      importedAt: null,
      importedByDevice: null,
      fileId: null,
      importError: null,
      createdAt: now,
      updatedAt: now,
      deletedAt: null,
    }),
  );
  return id;
}

describe('files received', () => {
  it('lists imported, failed and waiting clearinghouse files and hand imports, with what each did; downloads are audited', () => {
    const visit = w.closedVisit(w.insuredPatient(), [{ code: '90837', cents: 18000 }]);
    createClaimsFromVisit(w.store, w.actor, visit.encounterId);
    const batch = buildBatch(w.store, w.actor);

    const ok = fromCentral('x999', 'ack-0001.999', ack999({ control: 9001, group: batch.interchangeControlNumber, accepted: true }), '2026-03-10T14:00:00.000Z');
    const bad = fromCentral('x835', 'era-broken.835', 'ISA*this is not an interchange~', '2026-03-10T14:05:00.000Z');
    const waiting = fromCentral('x277ca', 'X3-0002.277', ack277({ control: 9003, claims: [] }), '2026-03-10T14:10:00.000Z');
    const device = uuidv7();
    for (const row of waitingInboundFiles(w.store).filter((r) => r.id !== waiting)) importInboundFile(w.store, row, device);
    const byHand = apply999(w.store, w.actor, 'picked.999', ack999({ control: 9004, group: 4242, accepted: false }));

    const list = listReceivedFiles(w.store, w.actor);
    expect(list).toMatchObject({ failed: 1, waiting: 1, more: false });
    const row = (id: string) => list.files.find((f) => f.id === id)!;
    expect(list.files.map((f) => f.name)).toEqual(['picked.999', 'X3-0002.277', 'era-broken.835', 'ack-0001.999']);
    expect(row(ok)).toMatchObject({
      source: 'clearinghouse',
      kind: 'x999',
      transport: 'sftp',
      result: 'imported',
      detail: `Batch ${batch.interchangeControlNumber} accepted.`,
    });
    expect(row(ok).fileId).toBeTruthy();
    expect(row(bad)).toMatchObject({ result: 'failed', fileId: null });
    expect(row(bad).detail).toMatch(/\.$/);
    expect(row(bad).detail).not.toBe('Imported.');
    expect(row(waiting)).toMatchObject({ result: 'waiting', detail: 'Waiting for a workstation to import it.' });
    expect(row(byHand.fileId)).toMatchObject({ source: 'import', transport: null, result: 'imported', fileId: byHand.fileId });

    // The failed file's content is still there to download (and send to the clearinghouse's support), audited.
    expect(getInboundFile(w.store, w.actor, bad)).toMatchObject({ name: 'era-broken.835', content: 'ISA*this is not an interchange~' });
    expect(getClaimFile(w.store, w.actor, row(ok).fileId!).name).toBe('ack-0001.999');
    const audits = w.store.orm.select().from(auditLog).all().filter((a) => a.action === 'claims.read');
    expect(audits.some((a) => a.detail.includes(bad))).toBe(true);
    expect(audits.some((a) => a.detail.includes('received_files'))).toBe(true);
    expect(() => getInboundFile(w.store, w.actor, uuidv7())).toThrow('That file was not found.');
  });
});
