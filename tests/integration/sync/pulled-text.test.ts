import crypto from 'node:crypto';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import { DB_FILE_NAME, openDatabase, type SqliteDatabase } from '../../../server/workstation/db/open';
import * as schema from '../../../server/workstation/db/schema';
import { Store, systemActor, type Actor } from '../../../server/workstation/db/store';
import { verifyAuditLog } from '../../../server/workstation/services/audit/verify';
import { encodeWrapKey, wrapRowSecrets } from '../../../server/domain/sync/secret-wrap';
import { RemoteApplier } from '../../../server/workstation/sync/apply';
import { saveSecretsKey } from '../../../server/workstation/sync/secrets';
import { newKey } from '../../support/storage';
import { tempDir } from '../../support/workstation';

/**
 * Rows pulled from central get the same canonical-text treatment as local writes (NFC; a lone UTF-16
 * surrogate becomes U+FFFD, with an inbox entry that keeps the row as received), so a pulled row can neither
 * crash the apply nor make `audit verify` report the chain as tampered.
 */

const CLINIC = '0190a000-0000-7000-8000-00000000c11c';
const open: SqliteDatabase[] = [];
afterEach(() => {
  for (const db of open.splice(0)) if (db.open) db.close();
});

function freshStore() {
  const db = openDatabase(path.join(tempDir(), DB_FILE_NAME), newKey());
  open.push(db);
  const store = new Store(db);
  store.write(systemActor, (w) => store.setClinic(w, CLINIC));
  return store;
}

const patient = (id: string, first: string, last = 'Okafor') => ({
  id,
  clinicId: CLINIC,
  mrn: id.slice(-9),
  legalFirstName: first,
  legalLastName: last,
  dateOfBirth: '1980-02-29',
  restricted: false,
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
  deletedAt: null,
});

describe('rows pulled from central are stored as canonical text', () => {
  it('stores decomposed text composed (NFC), so search and local edits see one form', () => {
    const store = freshStore();
    const id = '0190a000-0000-7000-8000-000000000101';
    const applier = new RemoteApplier(store);
    const out = store.applyRemote(() =>
      applier.applyInTransaction([
        { table: 'patients', rowId: id, row: patient(id, 'Jose\u0301', 'Mun\u0303oz') },
      ]),
    );
    expect(out).toEqual({ applied: 1, failed: 0 });
    const row = store.orm.select().from(schema.patients).where(eq(schema.patients.id, id)).get()!;
    expect(row.legalFirstName).toBe('Jos\u00e9');
    expect(row.legalLastName).toBe('Mu\u00f1oz');
    // Nothing to report: NFC is the same text.
    expect(store.orm.select().from(schema.syncConflicts).all()).toEqual([]);
  });

  it('stores a lone surrogate as U+FFFD, records an inbox entry keeping the row as received, and the audit chain verifies', () => {
    const store = freshStore();
    const id = '0190a000-0000-7000-8000-000000000102';
    const userId = '0190a000-0000-7000-8000-0000000000b1';
    const applier = new RemoteApplier(store);
    const broken = patient(id, 'Ana\ud800', 'Lo\udc00pez');
    const out = store.applyRemote(() =>
      applier.applyInTransaction([{ table: 'patients', rowId: id, row: broken }]),
    );
    expect(out).toEqual({ applied: 1, failed: 0 });
    const row = store.orm.select().from(schema.patients).where(eq(schema.patients.id, id)).get()!;
    expect(row.legalFirstName).toBe('Ana\ufffd');
    expect(row.legalLastName).toBe('Lo\ufffdpez');

    const [entry] = store.orm.select().from(schema.syncConflicts).all();
    expect(entry).toMatchObject({
      kind: 'apply_failed',
      reason: 'invalid_text',
      tableName: 'patients',
      rowId: id,
      field: 'legalFirstName, legalLastName',
    });
    expect(entry!.message).toMatch(/not valid Unicode/);
    // The inbox keeps the row exactly as received (JSON escapes the broken characters).
    expect(JSON.parse(entry!.valueLost!)).toMatchObject({
      legalFirstName: 'Ana\ud800',
      legalLastName: 'Lo\udc00pez',
    });

    // Local work on the pulled record, audited with its text, keeps a chain that verifies.
    const actor: Actor = { userId, username: `clerk\ud800` };
    store.write(actor, (w) => {
      w.update('patients', id, { legalFirstName: 'Ana', updatedAt: '2026-01-02T00:00:00.000Z' });
      w.audit({
        action: 'patient.update',
        patientId: id,
        detail: { name: row.legalLastName, raw: broken.legalLastName },
      });
    });
    expect(verifyAuditLog(store)).toMatchObject({ ok: true });
  });

  it('a secret field of a broken staff row is not copied into the inbox entry', () => {
    const store = freshStore();
    const applier = new RemoteApplier(store);
    const id = '0190a000-0000-7000-8000-0000000000c1';
    const user = {
      id,
      clinicId: CLINIC,
      username: 'temp\udfff',
      fullName: 'Temp',
      passwordHash: '$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2g',
      roles: '["front_desk"]',
      active: true,
      mfaSecret: null,
      mfaEnrolledAt: null,
      mfaLastCounter: null,
      recoveryCodeHashes: '[]',
      failedAttempts: 0,
      lockedUntil: null,
      lastLoginAt: null,
      createdAt: '2026-01-01T00:00:00.000Z',
      updatedAt: '2026-01-01T00:00:00.000Z',
      deletedAt: null,
    };
    const key = crypto.randomBytes(32);
    store.write(systemActor, (w) => saveSecretsKey(w, encodeWrapKey(key)));
    const row = wrapRowSecrets(key, CLINIC, 'users', id, user);
    const out = store.applyRemote(() => applier.applyInTransaction([{ table: 'users', rowId: id, row }]));
    expect(out).toEqual({ applied: 1, failed: 0 });
    const stored = store.orm.select().from(schema.users).where(eq(schema.users.id, id)).get()!;
    expect(stored.username).toBe('temp\ufffd');
    const [entry] = store.orm.select().from(schema.syncConflicts).all();
    expect(entry!.field).toBe('username');
    expect(entry!.valueLost).not.toContain('argon2');
  });
});
