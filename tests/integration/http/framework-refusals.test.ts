import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSignedInAdmin, type TestClient, type TestServer } from '../../support/workstation';

/**
 * The framework's own refusals (a path parameter that is not valid percent-encoding, a body whose
 * Content-Encoding is unsupported or lies about it, an unsupported charset) are the client's fault: they
 * stay 4xx with a sentence a person can act on, never a 500, never an echo of the input, and store nothing.
 */

let t: TestServer;
let admin: TestClient;
beforeAll(async () => {
  ({ t, admin } = await startSignedInAdmin());
});
afterAll(() => t.stop());

const countPatients = () =>
  (t.server.store.db.prepare('SELECT count(*) AS n FROM patients').get() as { n: number }).n;
const patient = JSON.stringify({
  legalFirstName: 'Encoded',
  legalLastName: 'Body',
  dateOfBirth: '1975-05-05',
  confirmedNotDuplicate: true,
});

async function post(body: string | Buffer, headers: Record<string, string>) {
  const res = await admin.raw('POST', '/api/patients', {
    body: body as string,
    headers: { 'content-type': 'application/json', ...headers },
  });
  const text = await res.text();
  return { status: res.status, text, error: (JSON.parse(text) as { error: { code: string; message: string } }).error };
}

describe('framework refusals stay 4xx', () => {
  it('answers a path parameter with malformed percent-encoding with 400, without echoing it', async () => {
    for (const bad of ['%E0%A4%A', '%', '%zz', '%ED%A0%80']) {
      const res = await admin.raw('GET', `/api/appointments/${bad}`);
      const text = await res.text();
      expect(res.status, bad).toBe(400);
      const { error } = JSON.parse(text) as { error: { code: string; message: string } };
      expect(error.code).toBe('bad_path');
      expect(error.message).toMatch(/percent-encoding/);
      expect(text).not.toContain(bad);
    }
  });

  it('answers a body that is not what its Content-Encoding says with 400 and stores nothing', async () => {
    const before = countPatients();
    for (const encoding of ['gzip', 'deflate', 'br']) {
      const res = await post('{"not": "compressed"}', { 'content-encoding': encoding });
      expect(res.status, encoding).toBe(400);
      expect(res.error.code).toBe('bad_encoding');
      expect(res.error.message).toMatch(/Content-Encoding/);
    }
    expect(countPatients()).toBe(before);
  });

  it('answers an unsupported Content-Encoding or charset with 415', async () => {
    const before = countPatients();
    const enc = await post(patient, { 'content-encoding': 'x-tessera-nonsense' });
    expect(enc.status).toBe(415);
    expect(enc.error.code).toBe('unsupported_encoding');
    expect(enc.text).not.toContain('x-tessera-nonsense');
    const charset = await post(patient, { 'content-type': 'application/json; charset=x-klingon' });
    expect(charset.status).toBe(415);
    expect(charset.error.code).toBe('unsupported_charset');
    expect(charset.text).not.toMatch(/klingon/i);
    expect(countPatients()).toBe(before);
  });

  it('still accepts an honestly compressed body', async () => {
    const before = countPatients();
    const res = await post(zlib.gzipSync(patient), { 'content-encoding': 'gzip' });
    expect(res.status, res.text).toBe(201);
    expect(countPatients()).toBe(before + 1);
  });
});
