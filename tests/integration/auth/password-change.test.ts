import { afterEach, describe, expect, it } from 'vitest';
import { startSignedInAdmin, type TestServer } from '../../support/workstation';

let t: TestServer | undefined;
afterEach(async () => {
  await t?.stop();
  t = undefined;
});

const temporary = 'harbour-temporary-2026';
const ownPassword = 'violet kettle meadow 31';

/** The users row as it was last queued for replication. */
function lastQueuedUserRow(t: TestServer, id: string): Record<string, unknown> {
  const row = t.server.store.db
    .prepare(`SELECT payload FROM outbox WHERE table_name = 'users' AND row_id = ? ORDER BY mutation_id DESC LIMIT 1`)
    .get(id) as { payload: string };
  return JSON.parse(row.payload) as Record<string, unknown>;
}

describe('an administrator’s password is replaced at first sign-in', () => {
  it('a new account can reach only the change-password step until its holder chooses a password', async () => {
    const s = await startSignedInAdmin();
    t = s.t;
    const created = await s.admin.call('createUser', {
      body: { username: 'fran.desk', fullName: 'Fran Desk', password: temporary, roles: ['front_desk'] },
    });
    expect(created.status).toBe(201);
    expect(created.body.passwordChangeRequired).toBe(true);
    // The flag replicates with the account: another workstation asks for the change too.
    expect(lastQueuedUserRow(t, created.body.id).passwordChangeRequired).toBe(true);

    const fran = await t.client().launch();
    const login = await fran.call('login', { body: { username: 'fran.desk', password: temporary } });
    expect(login.status).toBe(200);
    expect(login.body.step).toBe('done');
    expect(login.body.session.user.passwordChangeRequired).toBe(true);

    // The server refuses everything else, whatever the UI shows.
    const search = await fran.call('searchPatients', { query: { q: 'smith' } });
    expect(search.status).toBe(403);
    expect(search.body.error.code).toBe('password_change_required');
    const register = await fran.call('createPatient', {
      body: { legalFirstName: 'Nora', legalLastName: 'Quill', dateOfBirth: '1988-04-12' },
    });
    expect(register.status).toBe(403);
    // Keeping the session alive and reading who is signed in still work (the screen needs them).
    expect((await fran.call('session')).status).toBe(200);
    expect((await fran.call('activity')).status).toBe(200);

    // The same password again is not a change.
    const same = await fran.call('changePassword', {
      body: { currentPassword: temporary, newPassword: temporary },
    });
    expect(same.status).toBe(400);
    expect(same.body.error.fields.newPassword).toMatch(/different/);
    const wrong = await fran.call('changePassword', {
      body: { currentPassword: 'not the password', newPassword: ownPassword },
    });
    expect(wrong.status).toBe(400);
    expect(wrong.body.error.fields.currentPassword).toBeDefined();

    const changed = await fran.call('changePassword', {
      body: { currentPassword: temporary, newPassword: ownPassword },
    });
    expect(changed.status).toBe(200);
    // The same session now reaches what the role allows.
    expect((await fran.call('searchPatients', { query: { q: 'smith' } })).status).toBe(200);
    expect((await fran.call('session')).body.user.passwordChangeRequired).toBe(false);
    expect(lastQueuedUserRow(t, created.body.id).passwordChangeRequired).toBe(false);
    const users = (await s.admin.call('listUsers')).body.users as { username: string; passwordChangeRequired: boolean }[];
    expect(users.find((u) => u.username === 'fran.desk')?.passwordChangeRequired).toBe(false);

    const audit = await s.admin.call('auditReport', { query: { action: 'auth.password_changed' } });
    expect(audit.body.entries.map((e: { detail: unknown }) => e.detail)).toContainEqual({ required: true });

    // A reset by the administrator asks again, and ends the sessions that used the old password.
    const reset = await s.admin.call('resetPassword', {
      params: { id: created.body.id },
      body: { password: 'another-temporary-42' },
    });
    expect(reset.status).toBe(200);
    expect(reset.body.passwordChangeRequired).toBe(true);
    expect((await fran.call('session')).status).toBe(401);
    const again = await fran.call('login', { body: { username: 'fran.desk', password: 'another-temporary-42' } });
    expect(again.body.session.user.passwordChangeRequired).toBe(true);
    expect((await fran.call('searchPatients', { query: { q: 'smith' } })).status).toBe(403);
  });

  it('accounts that chose their own password are not asked (the administrator from setup)', async () => {
    const s = await startSignedInAdmin();
    t = s.t;
    const session = await s.admin.call('session');
    expect(session.body.user.passwordChangeRequired).toBe(false);
    expect((await s.admin.call('listUsers')).status).toBe(200);
  });
});
