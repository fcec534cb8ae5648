import crypto from 'node:crypto';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DB_FILE_NAME, openDatabase, type SqliteDatabase } from '../../../server/workstation/db/open';
import { Store } from '../../../server/workstation/db/store';
import { parseStaffApproval, staffApprovalValid } from '../../../server/domain/sync/staff-approval';
import { seedDemo } from '../../../server/workstation/seed-demo/seed';
import { verifyAuditLog } from '../../../server/workstation/services/audit/verify';
import { setUpClinic, startTestServer, tempDir } from '../../support/workstation';

const open: SqliteDatabase[] = [];
afterEach(() => {
  for (const db of open.splice(0)) if (db.open) db.close();
});

const small = {
  patients: 60,
  providers: 2,
  years: 0.2,
  series: 6,
  seed: 3,
  timeZone: 'America/Chicago',
  log: () => undefined,
};

describe('seed-demo', () => {
  it('fills a fresh database with a demo clinic and consistent fake data, through the write path', async () => {
    const db = openDatabase(path.join(tempDir(), DB_FILE_NAME), crypto.randomBytes(32).toString('hex'));
    open.push(db);
    const store = new Store(db);
    const result = await seedDemo(store, small);
    expect(result.created?.admin.username).toBe('demo.admin');
    expect(result.created?.desk.username).toBe('demo.desk');
    expect(result.counts).toMatchObject({ providers: 2, patients: 60 });
    // Demo staff carry the demo administrator's approval, so central takes them when the demo enrolls.
    const admin = db
      .prepare(`SELECT id, password_hash AS hash FROM users WHERE username = 'demo.admin'`)
      .get() as {
      id: string;
      hash: string;
    };
    const providerRows = db
      .prepare(`SELECT * FROM users WHERE username LIKE 'demo.provider%'`)
      .all() as Record<string, unknown>[];
    expect(providerRows).toHaveLength(2);
    for (const u of providerRows) {
      const approval = parseStaffApproval(u.change_approval)!;
      expect(approval.by).toBe(admin.id);
      const row = {
        username: u.username,
        roles: u.roles,
        active: u.active === 1,
        passwordHash: u.password_hash,
        mfaSecret: u.mfa_secret,
        recoveryCodeHashes: u.recovery_code_hashes,
        deletedAt: u.deleted_at,
      };
      expect(staffApprovalValid(approval, admin.hash, store.clinicId!, String(u.id), row)).toBe(true);
    }
    const n = (sql: string) => (db.prepare(sql).get() as { n: number }).n;
    expect(n('SELECT count(*) AS n FROM patients')).toBe(60);
    expect(n('SELECT count(*) AS n FROM appointments')).toBeGreaterThan(50);
    expect(n('SELECT count(*) AS n FROM appointments WHERE series_id IS NOT NULL')).toBeGreaterThan(0);
    // Every row went through the outbox, and the audit chain holds.
    expect(n(`SELECT count(*) AS n FROM outbox WHERE table_name = 'appointments'`)).toBe(
      n('SELECT count(*) AS n FROM appointments'),
    );
    expect(verifyAuditLog(store).ok).toBe(true);
    // No provider is double-booked by the seed, and nothing sits on the lunch hour.
    expect(
      n(`SELECT count(*) AS n FROM appointments a JOIN appointments b
           ON a.provider_id = b.provider_id AND a.id < b.id AND a.starts_at < b.ends_at AND b.starts_at < a.ends_at
         WHERE a.status NOT IN ('cancelled', 'no_show') AND b.status NOT IN ('cancelled', 'no_show')`),
    ).toBe(0);
    const npis = db.prepare('SELECT npi FROM provider_profiles').all() as { npi: string }[];
    const { isValidNpi } = await import('../../../server/domain/scheduling/npi');
    for (const { npi } of npis) expect(isValidNpi(npi)).toBe(true);

    // Seeding again adds to the demo database.
    const again = await seedDemo(store, { ...small, seed: 4 });
    expect(again.created).toBeNull();
    expect(n('SELECT count(*) AS n FROM patients')).toBe(120);
  });

  it('refuses to add fake data to a clinic it did not create', async () => {
    const t = await startTestServer();
    await setUpClinic(t, await t.client().launch());
    await t.stop();
    const db = openDatabase(path.join(t.dataDir, DB_FILE_NAME), t.keyHex);
    open.push(db);
    await expect(seedDemo(new Store(db), small)).rejects.toThrow(/seed-demo did not create/);
    expect((db.prepare('SELECT count(*) AS n FROM patients').get() as { n: number }).n).toBe(0);
  });
});
