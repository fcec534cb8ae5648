import { afterEach, describe, expect, it } from 'vitest';
import { addStaff, startSignedInAdmin, type TestClient, type TestServer } from '../../support/workstation';

/**
 * The two workstation admin actions the desktop app offers besides backups (issue 12): verifying the audit
 * log's hash chain and unlocking a locked-out account. Each is refused to every non-admin role, does what it
 * says on an intact and on a tampered log, and leaves an audit entry.
 */

let t: TestServer | undefined;
afterEach(async () => {
  await t?.stop();
  t = undefined;
});

interface Entry {
  action: string;
  outcome: string;
  userId: string | null;
  detail: Record<string, unknown>;
}

async function entries(admin: TestClient, action: string): Promise<Entry[]> {
  const res = await admin.call('auditReport', { query: { action, limit: 1000 } });
  expect(res.status, res.text).toBe(200);
  return res.body.entries as Entry[];
}

async function clinicWithStaff() {
  const s = await startSignedInAdmin();
  t = s.t;
  const others: Record<string, TestClient> = {};
  for (const role of ['front_desk', 'clinician', 'biller']) {
    others[role] = (await addStaff(s.t, s.admin, `staff.${role.replace('_', '')}`, [role])).client;
  }
  return { ...s, others };
}

describe('GET /api/audit/verify', () => {
  it('is refused to every non-admin role, and the refusal is itself on the record', async () => {
    const { admin, others } = await clinicWithStaff();
    for (const [role, client] of Object.entries(others)) {
      const res = await client.call('auditVerify');
      expect(res.status, `${role}: ${res.text}`).toBe(403);
      expect(res.body.error.code).toBe('forbidden');
    }
    expect(await entries(admin, 'audit.verify')).toEqual([]);
    const denied = await entries(admin, 'access.denied');
    expect(denied.length).toBeGreaterThanOrEqual(3);
  });

  it('counts every entry on an intact log and records the check', async () => {
    const { t: server, admin } = await clinicWithStaff();
    const before = (server.server.store.db.prepare('SELECT COUNT(*) AS n FROM audit_log').get() as { n: number }).n;
    const res = await admin.call('auditVerify');
    expect(res.status, res.text).toBe(200);
    expect(res.body).toEqual({ ok: true, checked: before, problems: [] });

    const [made] = await entries(admin, 'audit.verify');
    expect(made).toMatchObject({ outcome: 'success', detail: { checked: before, problems: 0 } });
    // Recording the check extended the chain properly: the next check counts it and is still intact.
    const again = await admin.call('auditVerify');
    expect(again.body.ok).toBe(true);
    expect(again.body.checked).toBeGreaterThan(before);
  });

  it('names the first broken link when an entry was removed behind the app, and records a failed check', async () => {
    const { t: server, admin } = await clinicWithStaff();
    const db = server.server.store.db;
    // Someone holding the database key removes an entry (the append-only trigger has to go first).
    db.exec('DROP TRIGGER audit_log_no_delete');
    db.prepare('DELETE FROM audit_log WHERE seq = 4').run();
    const res = await admin.call('auditVerify');
    expect(res.status, res.text).toBe(200);
    expect(res.body.ok).toBe(false);
    expect(res.body.problems[0]).toEqual({ seq: 5, problem: 'entry 4 is missing (next found is 5)' });

    const [made] = await entries(admin, 'audit.verify');
    expect(made).toMatchObject({ outcome: 'failure', detail: { firstBroken: 5 } });
    expect(made!.detail.problems).toBe(res.body.problems.length);
  });
});

describe('POST /api/admin/users/:id/unlock', () => {
  it('is refused to non-admins (the account stays locked); the admin unlocks it and that is audited', async () => {
    const { t: server, admin, others } = await clinicWithStaff();
    const { client: fran, password, user } = await addStaff(server, admin, 'fran.locked', ['front_desk']);
    for (let i = 0; i < 5; i++) {
      await fran.call('login', { body: { username: 'fran.locked', password: 'wrong wrong wrong' } });
    }
    expect((await fran.call('login', { body: { username: 'fran.locked', password } })).status).toBe(423);

    for (const [role, client] of Object.entries(others)) {
      const res = await client.call('unlockUser', { params: { id: user.id } });
      expect(res.status, `${role}: ${res.text}`).toBe(403);
    }
    expect((await fran.call('login', { body: { username: 'fran.locked', password } })).status).toBe(423);

    const res = await admin.call('unlockUser', { params: { id: user.id } });
    expect(res.status, res.text).toBe(200);
    expect(res.body.lockedUntil).toBeNull();
    expect((await fran.call('login', { body: { username: 'fran.locked', password } })).status).toBe(200);
    const unlocked = await entries(admin, 'user.unlock');
    expect(unlocked).toHaveLength(1);
    expect(unlocked[0]!.detail).toEqual({ targetUserId: user.id });
  });
});
