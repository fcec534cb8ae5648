import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { KEY_FILE_NAME, writeKeyFile } from '../../../server/workstation/db/key-source';
import { checkOpens } from '../../../server/workstation/db/maintenance';
import { latestSchemaVersion } from '../../../server/workstation/db/migrations';
import { applyKey, DB_FILE_NAME, DatabaseKeyError, openDatabase } from '../../../server/workstation/db/open';
import { Store } from '../../../server/workstation/db/store';
import { findUserByUsername } from '../../../server/workstation/services/admin/user-rows';
import { verifyPassword } from '../../../server/platform/passwords';
import { verifyAuditLog } from '../../../server/workstation/services/audit/verify';
import {
  cliEnv,
  dumpDatabase,
  exitOf,
  fileMode,
  filesUnder,
  marker,
  markersIn,
  newKey,
  runCli,
  sha256,
  spawnCli,
  waitForOutput,
} from '../../support/storage';
import { addStaff, setUpClinic, signIn, startTestServer, tempDir, type TestServer } from '../../support/workstation';

/**
 * The CLI runs as a child process (`node --import tsx server/workstation/cli.ts …`) against a data folder
 * that was set up through the API: a clinic, its admin, a locked-out staff member and patients.
 */
// Each test starts the CLI (through tsx) several times; on a machine busy with the rest of the suite one start
// can take well over ten seconds, so this file's limits are wider than the suite's.
vi.setConfig({ testTimeout: 180_000, hookTimeout: 180_000 });

const KEY = newKey();
const clinicName = marker('Clinic');
let base: string;
let auditEntries: number;

beforeAll(async () => {
  base = tempDir('tessera-cli-base-');
  const t = await startTestServer({ dataDir: base, keyHex: KEY });
  try {
    const admin = await t.client().launch();
    const creds = await setUpClinic(t, admin, { clinicName });
    expect((await signIn(t, admin, creds.username, creds.password, creds.totpSecret)).status).toBe(200);
    await addStaff(t, admin, 'frank.desk', ['front_desk']);
    for (const first of ['Maria', 'Jonas', 'Amara']) {
      const p = await admin.call('createPatient', { body: { legalFirstName: first, legalLastName: 'Rivera', dateOfBirth: '1975-06-01' } });
      expect(p.status).toBe(201);
    }
    const fd = await t.client().launch();
    for (let i = 0; i < 5; i++) await fd.call('login', { body: { username: 'frank.desk', password: 'wrong wrong wrong' } });
    auditEntries = verifyAuditLog(t.server.store).checked;
  } finally {
    await t.stop();
  }
});

/** A private copy of the set-up data folder (the database is checkpointed into one file on close). */
function copyOfBase(): string {
  const dir = tempDir('tessera-cli-');
  fs.cpSync(base, dir, { recursive: true });
  return dir;
}

const envKey = (key = KEY) => cliEnv({ TESSERA_DB_KEY: key });
const cli = (dir: string, args: string[], opts: { env?: NodeJS.ProcessEnv; input?: string } = {}) =>
  runCli([...args, '--data-dir', dir], { env: opts.env ?? envKey(), input: opts.input });

function withDb<T>(dir: string, fn: (store: Store) => T, key = KEY): T {
  const db = openDatabase(path.join(dir, DB_FILE_NAME), key, { migrate: false });
  try {
    return fn(new Store(db));
  } finally {
    db.close();
  }
}

const lastAudit = (store: Store) =>
  store.db.prepare('SELECT action, user_id, username, outcome, detail FROM audit_log ORDER BY seq DESC LIMIT 1').get() as {
    action: string;
    user_id: string | null;
    username: string | null;
    outcome: string;
    detail: string;
  };

/** The entries `audit verify` names, from lines like "  entry 4: …". */
const namedEntries = (stderr: string) => [...new Set([...stderr.matchAll(/^ {2}entry (\d+):/gm)].map((m) => Number(m[1])))];

let inProcess: TestServer | undefined;
afterEach(async () => {
  await inProcess?.stop();
  inProcess = undefined;
});

describe('tessera serve', () => {
  const children: ReturnType<typeof spawnCli>[] = [];
  afterAll(() => {
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  });

  it('prints the key source and a launch URL, answers health, refuses a second server, stops on SIGTERM', async () => {
    const dir = copyOfBase();
    const fresh = path.join(tempDir(), 'fresh');
    const first = spawnCli(['serve', '--data-dir', dir], envKey());
    const other = spawnCli(['serve', '--data-dir', fresh], cliEnv());
    children.push(first, other);
    const [{ match, stdout }, freshOut] = await Promise.all([
      waitForOutput(first, /(http:\/\/127\.0\.0\.1:(\d+))\/launch\?token=([\w-]{20,})/),
      waitForOutput(other, /\/launch\?token=/),
    ]);
    expect(stdout).toContain('Database key: from the TESSERA_DB_KEY environment variable.');
    expect(stdout).not.toContain(KEY);
    // A fresh folder gets a new 0600 key file and says so.
    expect(freshOut.stdout).toContain(`Database key: new key created in ${path.join(fresh, KEY_FILE_NAME)} (mode 0600).`);
    expect(fileMode(path.join(fresh, KEY_FILE_NAME))).toBe(0o600);
    other.kill('SIGTERM');

    const origin = match[1]!;
    const health = await fetch(`${origin}/api/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: 'ok', schemaVersion: latestSchemaVersion });
    const launch = await fetch(match[0], { redirect: 'manual' });
    expect(launch.status).toBe(303);
    expect(launch.headers.getSetCookie().join(';')).toMatch(/tessera_launch=.*HttpOnly/i);
    // The link is one-time.
    expect((await fetch(match[0], { redirect: 'manual' })).status).toBe(403);

    // While it runs: a second server, a restore and a rekey on the same folder are all refused.
    const dbHash = sha256(path.join(dir, DB_FILE_NAME));
    const [second, restore, rekey] = await Promise.all([
      cli(dir, ['serve']),
      cli(dir, ['restore', '--from', path.join(base, DB_FILE_NAME)]),
      cli(dir, ['db', 'rekey'], { input: newKey() }),
    ]);
    expect(second.code).toBe(1);
    expect(second.stderr).toMatch(new RegExp(`Another Tessera server \\(process ${first.pid}\\) is using ${dir}\\. Stop it first\\.`));
    expect(restore.code).toBe(1);
    expect(restore.stderr).toContain('Stop the Tessera server using this data folder before restoring.');
    expect(rekey.code).toBe(1);
    expect(rekey.stderr).toContain('Stop the Tessera server using this data folder before changing its key.');
    expect((await fetch(`${origin}/api/health`)).status).toBe(200);
    expect(filesUnder(dir).some((f) => f.includes('before-restore'))).toBe(false);

    first.kill('SIGTERM');
    expect(await exitOf(first)).toEqual({ code: 0, signal: null });
    expect(fs.existsSync(path.join(dir, 'server.lock'))).toBe(false);
    expect(sha256(path.join(dir, DB_FILE_NAME))).toBe(dbHash);
    await exitOf(other);
    await expect(fetch(`${origin}/api/health`)).rejects.toThrow();
  });

  it('refuses to start on an existing database without its key, and on a bad TESSERA_DB_KEY', async () => {
    const dir = copyOfBase();
    const [noKey, badKey, wrongKey] = await Promise.all([
      cli(dir, ['serve'], { env: cliEnv() }),
      cli(dir, ['serve'], { env: cliEnv({ TESSERA_DB_KEY: 'not-a-key' }) }),
      cli(dir, ['serve'], { env: envKey(newKey()) }),
    ]);
    expect(noKey.code).toBe(1);
    expect(noKey.stderr).toMatch(/exists but its key was not found: set TESSERA_DB_KEY or restore db\.key/);
    expect(fs.existsSync(path.join(dir, KEY_FILE_NAME))).toBe(false);
    expect(badKey.code).toBe(1);
    expect(badKey.stderr).toContain('TESSERA_DB_KEY must be 64 hex characters');
    expect(wrongKey.code).toBe(1);
    expect(wrongKey.stderr).toContain('The database key does not open this database');
    expect(sha256(path.join(dir, DB_FILE_NAME))).toBe(sha256(path.join(base, DB_FILE_NAME)));
    expect(fs.existsSync(path.join(dir, 'server.lock'))).toBe(false);
  });
});

describe('tessera user', () => {
  it('user add reads the password from stdin; weak or incomplete input is refused with a message', async () => {
    const dir = copyOfBase();
    const add = (password: string, extra: string[] = ['--roles', 'clinician']) =>
      cli(dir, ['user', 'add', '--username', 'nina.nurse', '--full-name', 'Nina Nurse', ...extra], { input: password });
    const [short, common, noRoles, badRole] = await Promise.all([
      add('short pw\n'),
      add('password1234\n'),
      add('a fine long passphrase 1\n', []),
      add('a fine long passphrase 1\n', ['--roles', 'superuser']),
    ]);
    expect(short.code).toBe(2);
    expect(short.stderr).toContain('password: Passwords have at least 12 characters.');
    expect(common.code).toBe(1);
    expect(common.stderr).toContain('That password is on a list of commonly used passwords');
    expect(noRoles.code).toBe(2);
    expect(noRoles.stderr).toContain('roles: Give the user at least one role.');
    expect(badRole.code).toBe(2);
    expect(badRole.stderr).toMatch(/^roles\.0: /m);
    for (const r of [short, common, noRoles, badRole]) expect(r.stdout + r.stderr).not.toContain('passphrase');
    expect(withDb(dir, (s) => findUserByUsername(s, 'nina.nurse'))).toBeUndefined();

    const ok = await add('a fine long passphrase 1\n', ['--roles', 'clinician,front_desk']);
    expect(ok).toMatchObject({ code: 0, stdout: 'Created nina.nurse (clinician, front_desk).\n' });
    const user = withDb(dir, (s) => {
      expect(lastAudit(s)).toMatchObject({ action: 'user.create', user_id: null, username: null, outcome: 'success' });
      expect(verifyAuditLog(s).ok).toBe(true);
      return findUserByUsername(s, 'nina.nurse');
    });
    // The administrator typed this password: Nina chooses her own at first sign-in.
    expect(user).toMatchObject({
      fullName: 'Nina Nurse',
      roles: '["clinician","front_desk"]',
      active: true,
      passwordChangeRequired: true,
    });
    // The password is the line read (its newline dropped), stored only as an argon2id hash.
    expect(user!.passwordHash).toMatch(/^\$argon2id\$/);
    expect(await verifyPassword(user!.passwordHash, 'a fine long passphrase 1')).toBe(true);
    expect(await verifyPassword(user!.passwordHash, 'a fine long passphrase 1\n')).toBe(false);

    const again = await add('another long passphrase 2\n');
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('That username is taken.');
  });

  it('user unlock clears a lockout and audits it', async () => {
    const dir = copyOfBase();
    const before = withDb(dir, (s) => findUserByUsername(s, 'frank.desk'))!;
    expect(before.failedAttempts).toBe(5);
    expect(before.lockedUntil).not.toBeNull();

    const [ok, unknown, missing] = await Promise.all([
      cli(dir, ['user', 'unlock', '--username', 'frank.desk']),
      cli(dir, ['user', 'unlock', '--username', 'nobody.here']),
      cli(dir, ['user', 'unlock']),
    ]);
    expect(ok).toMatchObject({ code: 0, stdout: 'Unlocked frank.desk.\n' });
    for (const r of [unknown, missing]) {
      expect(r.code).toBe(2);
      expect(r.stderr).toContain('No such user. Give --username.');
    }
    withDb(dir, (s) => {
      expect(findUserByUsername(s, 'frank.desk')).toMatchObject({ failedAttempts: 0, lockedUntil: null });
      expect(lastAudit(s)).toMatchObject({ action: 'user.unlock', user_id: null });
      expect(JSON.parse(lastAudit(s).detail)).toMatchObject({ targetUserId: before.id });
      expect(verifyAuditLog(s).ok).toBe(true);
    });
  });

  it('user commands on a folder without a database say how to create one', async () => {
    const dir = tempDir();
    const r = await cli(dir, ['user', 'unlock', '--username', 'x']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/No Tessera database in .*Run `tessera serve` once/);
    expect(fs.readdirSync(dir)).toEqual([]);
  });
});

describe('tessera backup and restore', () => {
  it('backup writes an encrypted copy that opens with the key only, and audits it', async () => {
    const dir = copyOfBase();
    const out = path.join(tempDir(), 'sub', 'manual.db');
    const [explicit, byDefault] = [await cli(dir, ['backup', '--out', out]), await cli(dir, ['backup'])];
    expect(explicit.code).toBe(0);
    expect(explicit.stdout).toMatch(new RegExp(`^Backup written to ${out} \\(\\d+ bytes, encrypted with the database key\\)\\.\\n$`));
    expect(byDefault.code).toBe(0);
    const defaults = fs.readdirSync(path.join(dir, 'backups'));
    expect(defaults).toEqual([expect.stringMatching(/^tessera-backup-\d{4}-\d\d-\d\dT[\d-]+Z\.db$/)]);

    for (const file of [out, path.join(dir, 'backups', defaults[0]!)]) {
      expect(fileMode(file)).toBe(0o600);
      expect(markersIn(file, [clinicName, 'Rivera', 'frank.desk'])).toEqual([]);
      expect(fs.readFileSync(file).subarray(0, 15).toString('latin1')).not.toBe('SQLite format 3');
      expect(() => checkOpens(file, KEY)).not.toThrow();
      expect(() => checkOpens(file, newKey())).toThrow(DatabaseKeyError);
    }
    // The backup holds the clinic (read back with the key) ...
    const copy = openDatabase(out, KEY, { readonly: true, migrate: false });
    expect(JSON.stringify(copy.prepare('SELECT value FROM clinic_settings').all())).toContain(clinicName);
    expect((copy.prepare('SELECT count(*) AS n FROM patients').get() as { n: number }).n).toBe(3);
    copy.close();
    // ... and each backup is in the audit log.
    withDb(dir, (s) => {
      const actions = (s.db.prepare('SELECT action FROM audit_log ORDER BY seq DESC LIMIT 2').all() as { action: string }[]).map((r) => r.action);
      expect(actions).toEqual(['backup.create', 'backup.create']);
      expect(verifyAuditLog(s).ok).toBe(true);
    });
    // An existing file is never overwritten.
    const clash = await cli(dir, ['backup', '--out', out]);
    expect(clash.code).toBe(1);
    expect(clash.stderr).toContain('already exists; choose a new file name.');
  });

  it('restore --from brings the backup back, keeps the previous database, and audits the restore', async () => {
    const dir = copyOfBase();
    const backup = path.join(tempDir(), 'b.db');
    expect((await cli(dir, ['backup', '--out', backup])).code).toBe(0);
    expect((await cli(dir, ['user', 'add', '--username', 'late.user', '--full-name', 'Late', '--roles', 'biller'], { input: 'added after the backup 3' })).code).toBe(0);

    const noFrom = await cli(dir, ['restore']);
    expect(noFrom.code).toBe(2);
    expect(noFrom.stderr).toContain('Give --from FILE.');

    // Refused while a server (here: this test process) holds the folder.
    inProcess = await startTestServer({ dataDir: dir, keyHex: KEY });
    const busy = await cli(dir, ['restore', '--from', backup]);
    expect(busy.code).toBe(1);
    expect(busy.stderr).toContain('Stop the Tessera server');
    expect(findUserByUsername(inProcess.server.store, 'late.user')).toBeDefined();
    await inProcess.stop();
    inProcess = undefined;

    const r = await cli(dir, ['restore', '--from', backup]);
    expect(r.code).toBe(0);
    const kept = r.stdout.match(/The previous database was kept as (.+\.before-restore-[\w-]+)\./)?.[1];
    expect(kept).toBeDefined();
    expect(path.dirname(kept!)).toBe(dir);
    withDb(dir, (s) => {
      expect(findUserByUsername(s, 'late.user')).toBeUndefined();
      expect(lastAudit(s)).toMatchObject({ action: 'backup.restore', detail: '{"keptPrevious":true}' });
      expect(verifyAuditLog(s).ok).toBe(true);
    });
    const keptDb = openDatabase(kept!, KEY, { readonly: true, migrate: false });
    expect(findUserByUsername(new Store(keptDb), 'late.user')).toBeDefined();
    keptDb.close();
    expect(fileMode(path.join(dir, DB_FILE_NAME))).toBe(0o600);
  });

  it('restore refuses a backup made with another key and changes nothing', async () => {
    const dir = copyOfBase();
    const otherKey = newKey();
    const other = openDatabase(path.join(tempDir(), DB_FILE_NAME), otherKey);
    other.prepare('VACUUM INTO ?').run(path.join(path.dirname(other.name), 'foreign.db'));
    other.close();
    const hash = sha256(path.join(dir, DB_FILE_NAME));
    const r = await cli(dir, ['restore', '--from', path.join(path.dirname(other.name), 'foreign.db')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('The database key does not open this database');
    expect(sha256(path.join(dir, DB_FILE_NAME))).toBe(hash);
    expect(filesUnder(dir).some((f) => f.includes('before-restore'))).toBe(false);
  });
});

describe('tessera audit verify', () => {
  /** Edit the database behind the app's back, as someone holding the key would: a raw connection. */
  function tamper(sql: string): string {
    const dir = copyOfBase();
    const db = new Database(path.join(dir, DB_FILE_NAME));
    applyKey(db, KEY);
    db.exec(sql);
    db.close();
    return dir;
  }

  it('exits 0 on an intact log and 1 naming the entry for each kind of tampering', async () => {
    expect(auditEntries).toBeGreaterThan(8);
    const last = auditEntries;
    const cases = {
      intact: copyOfBase(),
      altered: tamper(`DROP TRIGGER audit_log_no_update; UPDATE audit_log SET detail = '{"reason":"nothing to see"}' WHERE seq = 3;`),
      deleted: tamper(`DROP TRIGGER audit_log_no_delete; DELETE FROM audit_log WHERE seq = 5;`),
      reordered: tamper(`DROP TRIGGER audit_log_no_update;
        UPDATE audit_log SET seq = -1 WHERE seq = 6; UPDATE audit_log SET seq = 6 WHERE seq = 7; UPDATE audit_log SET seq = 7 WHERE seq = -1;`),
      truncated: tamper(`DROP TRIGGER audit_log_no_delete; DELETE FROM audit_log WHERE seq = ${last};`),
    };
    const results = Object.fromEntries(
      await Promise.all(Object.entries(cases).map(async ([name, dir]) => [name, await cli(dir, ['audit', 'verify'])] as const)),
    );

    expect(results.intact).toMatchObject({ code: 0, stdout: `Audit log intact: ${last} entries verified.\n`, stderr: '' });

    expect(results.altered!.code).toBe(1);
    expect(results.altered!.stderr).toContain(`Audit log BROKEN: 1 problem(s) in ${last} entries.`);
    expect(results.altered!.stderr).toContain('  entry 3: content was altered after it was written');
    expect(namedEntries(results.altered!.stderr)).toEqual([3]);

    expect(results.deleted!.code).toBe(1);
    expect(results.deleted!.stderr).toContain('  entry 6: entry 5 is missing (next found is 6)');
    expect(namedEntries(results.deleted!.stderr)).toEqual([6]);

    expect(results.reordered!.code).toBe(1);
    expect(results.reordered!.stderr).toMatch(/ {2}entry 6: does not link to the entry before it \(removed or reordered\)/);
    expect(namedEntries(results.reordered!.stderr)).toEqual([6, 7, 8]);

    expect(results.truncated!.code).toBe(1);
    expect(results.truncated!.stderr).toContain(
      `  entry ${last}: the log ends at entry ${last - 1} but ${last} entries were recorded (entries removed from the end)`,
    );
    expect(namedEntries(results.truncated!.stderr)).toEqual([last]);

    // Verifying changes nothing.
    expect(sha256(path.join(cases.intact, DB_FILE_NAME))).toBe(sha256(path.join(base, DB_FILE_NAME)));
  });
});

describe('tessera db rekey', () => {
  const dataOf = (store: Store) => {
    const d = dumpDatabase(store.db);
    return { users: d.tables.users, patients: d.tables.patients, clinic_settings: d.tables.clinic_settings, sessions: d.tables.sessions };
  };

  it('with a key file: writes a new 0600 key, the old key stops working, the data is intact', async () => {
    const dir = copyOfBase();
    const keyFile = path.join(dir, KEY_FILE_NAME);
    writeKeyFile(keyFile, KEY);
    const before = withDb(dir, dataOf);
    const auditBefore = withDb(dir, (s) => s.db.prepare('SELECT * FROM audit_log ORDER BY seq').all());

    const r = await cli(dir, ['db', 'rekey'], { env: cliEnv() });
    expect(r).toMatchObject({ code: 0, stdout: `Re-encrypted; new key in ${keyFile}.\n` });
    const newKeyHex = fs.readFileSync(keyFile, 'utf8').trim();
    expect(newKeyHex).toMatch(/^[0-9a-f]{64}$/);
    expect(newKeyHex).not.toBe(KEY);
    expect(fileMode(keyFile)).toBe(0o600);
    expect(fs.readdirSync(dir).filter((f) => f.startsWith(KEY_FILE_NAME))).toEqual([KEY_FILE_NAME]);

    expect(() => openDatabase(path.join(dir, DB_FILE_NAME), KEY)).toThrow(DatabaseKeyError);
    withDb(
      dir,
      (s) => {
        expect(dataOf(s)).toEqual(before);
        const audit = s.db.prepare('SELECT * FROM audit_log ORDER BY seq').all();
        expect(audit.slice(0, auditBefore.length)).toEqual(auditBefore);
        expect(lastAudit(s)).toMatchObject({ action: 'db.rekey' });
        expect(JSON.parse(lastAudit(s).detail)).toMatchObject({ keySource: 'key-file' });
        expect(verifyAuditLog(s)).toMatchObject({ ok: true, checked: auditBefore.length + 1 });
      },
      newKeyHex,
    );
    // The CLI itself now runs on the new key file.
    expect((await cli(dir, ['audit', 'verify'], { env: cliEnv() })).code).toBe(0);
  });

  it('with TESSERA_DB_KEY: reads the new key from stdin; a bad one is refused and changes nothing', async () => {
    const [dir, badDir] = [copyOfBase(), copyOfBase()];
    const before = withDb(dir, dataOf);
    const next = newKey();
    const [r, bad, empty] = await Promise.all([
      cli(dir, ['db', 'rekey'], { input: `${next.toUpperCase()}\n` }),
      cli(badDir, ['db', 'rekey'], { input: 'zz-not-a-key\n' }),
      cli(badDir, ['db', 'rekey'], { input: '' }),
    ]);
    expect(r).toMatchObject({ code: 0, stdout: 'Re-encrypted. Set TESSERA_DB_KEY to the new key before the next start.\n' });
    expect(r.stdout + r.stderr).not.toContain(next);
    expect(fs.existsSync(path.join(dir, KEY_FILE_NAME))).toBe(false);
    expect(() => openDatabase(path.join(dir, DB_FILE_NAME), KEY)).toThrow(DatabaseKeyError);
    withDb(
      dir,
      (s) => {
        expect(dataOf(s)).toEqual(before);
        expect(lastAudit(s)).toMatchObject({ action: 'db.rekey' });
        expect(verifyAuditLog(s).ok).toBe(true);
      },
      next,
    );
    expect((await cli(dir, ['audit', 'verify'], { env: envKey(next) })).code).toBe(0);

    for (const result of [bad, empty]) {
      expect(result.code).toBe(1);
      expect(result.stderr).toContain('The new key must be 64 hex characters.');
    }
    expect(sha256(path.join(badDir, DB_FILE_NAME))).toBe(sha256(path.join(base, DB_FILE_NAME)));
    withDb(badDir, (s) => expect(dataOf(s)).toEqual(before));
  });
});

describe('tessera serve in a terminal', () => {
  it('keeps the launch link on screen: request lines go to the log file in the data folder', async () => {
    const dir = copyOfBase();
    const child = spawnCli(['serve', '--data-dir', dir], { ...envKey(), TESSERA_LOG_LEVEL: 'info' });
    let terminal = '';
    child.stdout.on('data', (d) => (terminal += d));
    child.stderr.on('data', (d) => (terminal += d));
    try {
      const { match } = await waitForOutput(child, /(http:\/\/127\.0\.0\.1:\d+)\/launch\?token=[\w-]{20,}/);
      const origin = match[1]!;
      for (let i = 0; i < 25; i++) expect((await fetch(`${origin}/api/health`)).status).toBe(200);
      expect((await fetch(match[0], { redirect: 'manual' })).status).toBe(303);
      child.kill('SIGTERM');
      await exitOf(child);
    } finally {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    }
    // The terminal: the key source, where the log is, the link; not a line per request.
    expect(terminal).toContain(`Log: ${path.join(dir, 'logs', 'workstation.log')}`);
    expect(terminal).not.toMatch(/"msg":"request"/);
    const log = fs.readFileSync(path.join(dir, 'logs', 'workstation.log'), 'utf8');
    const requests = log.split('\n').filter((l) => l.includes('"msg":"request"'));
    expect(requests.length).toBeGreaterThanOrEqual(26);
    expect(log).toContain('workstation server listening');
    // The launch token never reaches the log (request lines carry the route, not the URL).
    expect(log).not.toContain(match0Token(terminal));
    expect(fileMode(path.join(dir, 'logs', 'workstation.log'))).toBe(0o600);
  });
});

function match0Token(output: string): string {
  return /launch\?token=([\w-]{20,})/.exec(output)![1]!;
}

describe('tessera key export', () => {
  it('prints the key once on stdout for escrow and records the export in the audit log', async () => {
    const dir = copyOfBase();
    const r = await cli(dir, ['key', 'export']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`${KEY}\n`);
    expect(r.stderr).toContain('Keep this key in your escrow');
    withDb(dir, (store) => {
      expect(lastAudit(store)).toMatchObject({ action: 'db.key_export', outcome: 'success' });
      expect(JSON.parse(lastAudit(store).detail)).toEqual({ via: 'cli' });
      expect(verifyAuditLog(store).ok).toBe(true);
    });
  });

  it('refuses a wrong key without printing anything', async () => {
    const dir = copyOfBase();
    const r = await cli(dir, ['key', 'export'], { env: envKey(newKey()) });
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
  });
});
