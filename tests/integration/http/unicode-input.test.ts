import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyAuditLog } from '../../../server/workstation/services/audit/verify';
import { startSignedInAdmin, type TestClient, type TestServer } from '../../support/workstation';

/**
 * Text that is not valid Unicode (a lone UTF-16 surrogate, which JSON can carry) was silently altered on
 * its way into SQLite; worse, one failed sign-in with such a username made `audit verify` report the log
 * as tampered, because the entry was hashed over a string the database then stored differently. Requests
 * with a lone surrogate are refused; everything stored is NFC; audit entries are hashed as stored.
 */

let t: TestServer;
let admin: TestClient;
beforeAll(async () => {
  ({ t, admin } = await startSignedInAdmin());
});
afterAll(() => t.stop());

const db = () => t.server.store.db;
const count = (table: string) => (db().prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
/** A JSON body with a lone surrogate: JSON.stringify would escape it, so write the escape by hand. */
const loneSurrogateJson = (fields: Record<string, string>) =>
  `{${Object.entries(fields)
    .map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v).replace('LONE', '\\ud800')}`)
    .join(',')}}`;

describe('text canonicalisation', () => {
  it('a failed sign-in with a lone-surrogate username is refused and leaves the audit chain intact', async () => {
    const stranger = await t.client().launch();
    const auditBefore = count('audit_log');
    const res = await stranger.raw('POST', '/api/auth/login', {
      body: loneSurrogateJson({ username: 'adLONEmin', password: 'not the password at all' }),
      headers: { 'content-type': 'application/json' },
    });
    const body = (await res.json()) as { error: { code: string; message: string; fields: Record<string, string> } };
    expect(res.status).toBe(400);
    expect(body.error.code).toBe('invalid_text');
    expect(body.error.fields.username).toMatch(/broken character/);
    expect(count('audit_log')).toBe(auditBefore);
    const verify = await admin.call('auditVerify');
    expect(verify.body).toMatchObject({ ok: true, problems: [] });
  });

  it('an audit entry written with a lone surrogate by any other road is hashed as it is stored', () => {
    // The write path's own guarantee, independent of the HTTP refusal above (CLI, internal callers).
    t.server.store.audit({ userId: null, username: 'ad\ud800min' }, { action: 'auth.login_failed', outcome: 'failure' });
    const last = db().prepare('SELECT username FROM audit_log ORDER BY seq DESC LIMIT 1').get() as { username: string };
    expect(last.username).toBe('ad\uFFFDmin');
    expect(verifyAuditLog(t.server.store)).toMatchObject({ ok: true, problems: [] });
  });

  it('refuses lone surrogates in any field of any body and stores nothing', async () => {
    const before = count('patients');
    const res = await admin.raw('POST', '/api/patients', {
      body: loneSurrogateJson({ legalFirstName: 'ZoLONE', legalLastName: 'Test', dateOfBirth: '1980-01-01' }),
      headers: { 'content-type': 'application/json' },
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('invalid_text');
    expect(count('patients')).toBe(before);
  });

  it('stores text in NFC and returns exactly what it stored', async () => {
    const decomposed = 'Zoe\u0308 Bjo\u0308rk'; // "Zoë Björk" typed with combining marks
    const res = await admin.call('createPatient', {
      body: { legalFirstName: decomposed, legalLastName: 'Nun\u0303ez', dateOfBirth: '1980-01-01', confirmedNotDuplicate: true },
    });
    expect(res.status, res.text).toBe(201);
    const stored = db().prepare('SELECT legal_first_name AS f, legal_last_name AS l FROM patients WHERE id = ?').get(res.body.id) as {
      f: string;
      l: string;
    };
    expect(stored.f).toBe('Zoë Björk'.normalize('NFC'));
    expect(stored.l).toBe('Nuñez'.normalize('NFC'));
    const read = await admin.call('getPatient', { params: { id: res.body.id } });
    expect(read.body.legalFirstName ?? read.body.patient?.legalFirstName).toBe(stored.f);
    // The outbox copy that replicates is the same text as the row.
    const outbox = db()
      .prepare("SELECT payload FROM outbox WHERE table_name = 'patients' AND row_id = ? ORDER BY rowid DESC LIMIT 1")
      .get(res.body.id) as { payload: string };
    expect(JSON.parse(outbox.payload).legalFirstName).toBe(stored.f);
  });

  it('refuses absurdly nested payloads with a 400', async () => {
    const deep = `${'['.repeat(5000)}${']'.repeat(5000)}`;
    const res = await admin.raw('POST', '/api/patients', {
      body: `{"legalFirstName":${deep},"legalLastName":"x","dateOfBirth":"1980-01-01"}`,
      headers: { 'content-type': 'application/json' },
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('too_deep');
  });
});
