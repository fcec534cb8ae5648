import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, type Endpoint } from '../../../server/contracts/api';
import { addStaff, startSignedInAdmin, type TestClient, type TestServer } from '../../support/workstation';

/** A request with full control over Host and Origin (fetch would fill them in). */
function rawRequest(
  port: number,
  opts: { method?: string; path: string; headers?: Record<string, string>; body?: string },
): Promise<{ status: number; headers: http.IncomingHttpHeaders; text: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        method: opts.method ?? 'GET',
        path: opts.path,
        headers: opts.headers ?? {},
        setHost: false,
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (text += c));
        res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, text }));
      },
    );
    req.on('error', reject);
    if (opts.body !== undefined) req.write(opts.body);
    req.end();
  });
}

const cookieHeader = (c: TestClient) => [...c.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
const countPatients = (t: TestServer) =>
  (t.server.store.db.prepare('SELECT count(*) AS n FROM patients').get() as { n: number }).n;
const patientBody = { legalFirstName: 'Guard', legalLastName: 'Check', dateOfBirth: '1975-05-05' };

let t: TestServer;
let admin: TestClient;

beforeAll(async () => {
  const s = await startSignedInAdmin();
  t = s.t;
  admin = s.admin;
});
afterAll(async () => {
  await t?.stop();
});

describe('Host header (DNS-rebinding defence)', () => {
  it('answers on 127.0.0.1:<port> and localhost:<port> only', async () => {
    const port = t.server.port;
    for (const host of [`127.0.0.1:${port}`, `localhost:${port}`]) {
      const res = await rawRequest(port, { path: '/api/health', headers: { host } });
      expect(res.status, host).toBe(200);
    }
    for (const host of [
      'evil.example',
      `evil.example:${port}`,
      `127.0.0.1:${port}.evil.example`,
      `127.0.0.1:${port + 1}`,
      `localhost:${port + 1}`,
      '127.0.0.1',
      'localhost',
      `0.0.0.0:${port}`,
      `[::1]:${port}`,
    ]) {
      const res = await rawRequest(port, { path: '/api/health', headers: { host } });
      expect(res.status, host).toBe(421);
      expect(JSON.parse(res.text).error.code).toBe('wrong_host');
    }
  });

  it('rejects a request with no Host header at all', async () => {
    const res = await rawRequest(t.server.port, { path: '/api/health' });
    expect([400, 421]).toContain(res.status);
  });

  it('does not spend a launch token or set a cookie for a foreign Host, and stores nothing', async () => {
    const port = t.server.port;
    const url = new URL(t.server.launchUrl());
    const foreign = await rawRequest(port, {
      path: url.pathname + url.search,
      headers: { host: `evil.example:${port}` },
    });
    expect(foreign.status).toBe(421);
    expect(foreign.headers['set-cookie']).toBeUndefined();
    // The same token still works from the real origin.
    const real = await rawRequest(port, {
      path: url.pathname + url.search,
      headers: { host: `127.0.0.1:${port}` },
    });
    expect(real.status).toBe(303);

    const before = countPatients(t);
    const res = await rawRequest(port, {
      method: 'POST',
      path: '/api/patients',
      headers: {
        host: `evil.example:${port}`,
        origin: `http://evil.example:${port}`,
        cookie: cookieHeader(admin),
        'content-type': 'application/json',
      },
      body: JSON.stringify(patientBody),
    });
    expect(res.status).toBe(421);
    expect(countPatients(t)).toBe(before);
  });
});

describe('Origin check on state-changing requests', () => {
  const post = (
    origin: string | undefined,
    client: TestClient,
    path = '/api/patients',
    // Registered again and again on purpose: past the duplicate warning.
    body: unknown = { ...patientBody, confirmedNotDuplicate: true },
    method = 'POST',
  ) =>
    rawRequest(t.server.port, {
      method,
      path,
      headers: {
        host: `127.0.0.1:${t.server.port}`,
        cookie: cookieHeader(client),
        'content-type': 'application/json',
        ...(origin !== undefined && { origin }),
      },
      body: JSON.stringify(body),
    });

  it('refuses a POST with no Origin or a foreign Origin, and stores nothing', async () => {
    const port = t.server.port;
    const before = countPatients(t);
    for (const origin of [
      undefined,
      'http://evil.example',
      `http://evil.example:${port}`,
      `http://127.0.0.1:${port + 1}`,
      `https://127.0.0.1:${port}`,
      `http://127.0.0.1:${port}.evil.example`,
      'null',
      '',
    ]) {
      const res = await post(origin, admin);
      expect(res.status, String(origin)).toBe(403);
      expect(JSON.parse(res.text).error.code).toBe('bad_origin');
    }
    expect(countPatients(t)).toBe(before);
    const audit = await admin.call('auditReport', { query: { action: 'patient.create' } });
    expect(audit.body.total).toBe(0);

    // The same request from the app's own origin (either loopback name) goes through: the check is not
    // refusing everything.
    expect((await post(`http://127.0.0.1:${port}`, admin)).status).toBe(201);
    expect((await post(`http://localhost:${port}`, admin)).status).toBe(201);
    expect(countPatients(t)).toBe(before + 2);
  });

  it('refuses a cross-site PATCH of the security settings and leaves them unchanged', async () => {
    const before = (await admin.call('getSecuritySettings')).body;
    const res = await post(
      'http://evil.example',
      admin,
      '/api/admin/security',
      { idleTimeoutMinutes: 240, lockoutThreshold: 20 },
      'PATCH',
    );
    expect(res.status).toBe(403);
    expect((await admin.call('getSecuritySettings')).body).toEqual(before);
  });

  it('refuses a cross-site sign-in (login CSRF) without starting a session', async () => {
    const { password } = await addStaff(t, admin, 'olga.origin', ['front_desk']);
    const fresh = await t.client().launch();
    const res = await post('http://evil.example', fresh, '/api/auth/login', {
      username: 'olga.origin',
      password,
    });
    expect(res.status).toBe(403);
    expect(String(res.headers['set-cookie'] ?? '')).not.toMatch(/tessera_session/);
    const audit = await admin.call('auditReport', { query: { action: 'auth.login' } });
    expect(audit.body.entries.filter((e: { username: string }) => e.username === 'olga.origin')).toHaveLength(
      1,
    ); // addStaff's own sign-in
  });
});

describe('launch hand-off', () => {
  it('accepts a launch token once; the second use and a made-up token get 403 and no cookie', async () => {
    const url = new URL(t.server.launchUrl());
    const c = t.client();
    const first = await c.raw('GET', url.pathname + url.search);
    expect(first.status).toBe(303);
    expect(first.headers.get('location')).toBe('/');
    expect(c.cookies.has('tessera_launch')).toBe(true);
    expect((await c.call('setupStatus')).status).toBe(200);

    for (const path of [
      url.pathname + url.search,
      '/launch?token=not-a-real-token',
      '/launch',
      `/launch?token=${url.searchParams.get('token')}&token=x`,
    ]) {
      const other = t.client();
      const res = await other.raw('GET', path);
      expect(res.status, path).toBe(403);
      expect(await res.text()).toMatch(/already used or has expired/);
      expect(res.headers.getSetCookie(), path).toEqual([]);
      expect((await other.call('setupStatus')).status).toBe(401);
    }
  });

  it('refuses a token or cookie of the right length with non-ASCII characters (403/401, never a 500)', async () => {
    // Launch tokens and the cookie are 43 base64url characters; 'é' is one character but two UTF-8 bytes,
    // so a byte-wise comparison of equal-length strings would throw instead of answering.
    const token = new URL(t.server.launchUrl()).searchParams.get('token')!;
    const lookalike = `é${token.slice(1)}`;
    expect(lookalike.length).toBe(token.length);
    const res = await t.client().raw('GET', `/launch?token=${encodeURIComponent(lookalike)}`);
    expect(res.status).toBe(403);
    expect(res.headers.getSetCookie()).toEqual([]);

    const cookieLookalike = encodeURIComponent(`é${'a'.repeat(42)}`);
    const api = await rawRequest(t.server.port, {
      path: '/api/setup',
      headers: { host: `127.0.0.1:${t.server.port}`, cookie: `tessera_launch=${cookieLookalike}` },
    });
    expect(api.status).toBe(401);
    expect(api.text).toMatch(/launch link/);

    // The genuine token still works after the look-alike was refused.
    expect((await t.client().raw('GET', `/launch?token=${token}`)).status).toBe(303);
  });
});

describe('cookies', () => {
  const attrs = (setCookie: string) => setCookie.split(';').map((p) => p.trim().toLowerCase());
  const expectStrict = (setCookie: string) => {
    const a = attrs(setCookie);
    expect(a, setCookie).toContain('httponly');
    expect(a, setCookie).toContain('samesite=strict');
    expect(a, setCookie).toContain('path=/');
    expect(
      a.some((x) => x.startsWith('domain=')),
      setCookie,
    ).toBe(false);
  };

  it('sets the launch, pending and session cookies HttpOnly and SameSite=Strict, and clears them the same way', async () => {
    const url = new URL(t.server.launchUrl());
    const c = t.client();
    const launch = await c.raw('GET', url.pathname + url.search);
    const launchCookies = launch.headers.getSetCookie();
    expect(launchCookies.some((x) => x.startsWith('tessera_launch='))).toBe(true);
    launchCookies.forEach(expectStrict);

    // A user without MFA gets the session cookie straight from the password step.
    const { password } = await addStaff(t, admin, 'cora.cookie', ['biller']);
    const login = await c.raw('POST', '/api/auth/login', {
      body: JSON.stringify({ username: 'cora.cookie', password }),
      headers: { 'content-type': 'application/json' },
    });
    expect(login.status).toBe(200);
    const sessionCookies = login.headers.getSetCookie();
    expect(sessionCookies.some((x) => x.startsWith('tessera_session='))).toBe(true);
    sessionCookies.forEach(expectStrict);

    // The administrator (MFA) gets the short-lived pending cookie first.
    const adminClient = await t.client().launch();
    const pending = await adminClient.raw('POST', '/api/auth/login', {
      body: JSON.stringify({ username: 'ada.admin', password: 'correct horse battery staple' }),
      headers: { 'content-type': 'application/json' },
    });
    expect(pending.status).toBe(200);
    const pendingCookies = pending.headers.getSetCookie();
    expect(pendingCookies.some((x) => x.startsWith('tessera_pending='))).toBe(true);
    pendingCookies.forEach(expectStrict);

    const logout = await c.raw('POST', '/api/auth/logout');
    expect(logout.status).toBe(200);
    const cleared = logout.headers.getSetCookie().filter((x) => x.startsWith('tessera_session='));
    expect(cleared).toHaveLength(1);
    expect(cleared[0]).toMatch(/expires=Thu, 01 Jan 1970/i);
    expectStrict(cleared[0]!);
  });
});

describe('security headers', () => {
  const csp = (header: string | null) => {
    expect(header).toBeTruthy();
    const directives = new Map<string, string[]>();
    for (const part of header!
      .split(';')
      .map((p) => p.trim())
      .filter(Boolean)) {
      const [name, ...values] = part.split(/\s+/);
      directives.set(name!, values);
    }
    return directives;
  };

  it.each([
    ['an API answer', '/api/health'],
    ['an API refusal', '/api/admin/users'],
    ['the screens', '/'],
  ])('sends helmet headers and a strict CSP on %s', async (_what, path) => {
    const res = await t.client().raw('GET', path);
    const h = res.headers;
    const d = csp(h.get('content-security-policy'));
    expect(d.get('default-src')).toEqual(["'self'"]);
    expect(d.get('script-src')).toEqual(["'self'"]);
    expect(d.get('style-src')).toEqual(["'self'"]);
    expect(d.get('object-src')).toEqual(["'none'"]);
    expect(d.get('base-uri')).toEqual(["'none'"]);
    expect(d.get('frame-ancestors')).toEqual(["'none'"]);
    const all = [...d.values()].flat();
    expect(all).not.toContain("'unsafe-inline'");
    expect(all).not.toContain("'unsafe-eval'");
    expect(all).not.toContain('*');
    // The only remote origins: Twilio's video services, for the clinician's video visits (telehealth.md).
    expect(d.get('connect-src')).toEqual(["'self'", 'https://*.twilio.com', 'wss://*.twilio.com']);
    expect(
      [...d.entries()].filter(([name]) => name !== 'connect-src').flatMap(([, v]) => v).some((v) => /^(https?|wss?):/.test(v)),
    ).toBe(false);

    expect(h.get('x-content-type-options')).toBe('nosniff');
    expect(['DENY', 'SAMEORIGIN']).toContain(h.get('x-frame-options'));
    expect(h.get('referrer-policy')).toBe('no-referrer');
    expect(h.get('cross-origin-opener-policy')).toBe('same-origin');
    expect(h.get('cross-origin-resource-policy')).toBe('same-origin');
    expect(h.get('cache-control')).toBe('no-store');
    expect(h.get('x-powered-by')).toBeNull();
    // Plain-HTTP loopback: HSTS would be meaningless.
    expect(h.get('strict-transport-security')).toBeNull();
  });
});

describe('request bodies and input', () => {
  const send = (body: string) =>
    admin.raw('POST', '/api/patients', { body, headers: { 'content-type': 'application/json' } });

  it('refuses a body over the limit with 413 and stores nothing', async () => {
    const before = countPatients(t);
    const res = await send(JSON.stringify({ ...patientBody, legalFirstName: 'x'.repeat(300 * 1024) }));
    expect(res.status).toBe(413);
    const body = (await res.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('too_large');
    expect(body.error.message).toMatch(/too large/);
    expect(countPatients(t)).toBe(before);
  });

  it('answers malformed JSON with 400 and a clear message, and stores nothing', async () => {
    const before = countPatients(t);
    for (const bad of [
      '{"legalFirstName": "Ann", ',
      "{'legalFirstName': 'Ann'}",
      'not json at all',
      'null',
    ]) {
      const res = await send(bad);
      expect(res.status, bad).toBe(400);
      const body = (await res.json()) as { error: { code: string; message: string } };
      expect(body.error.code).toBe('bad_json');
      expect(body.error.message).toBe('The request was not valid JSON.');
    }
    expect(countPatients(t)).toBe(before);
  });

  it('answers invalid input with 400, a message per field, and leaves stored data unchanged', async () => {
    const before = countPatients(t);
    const res = await admin.call('createPatient', {
      body: { legalFirstName: '   ', legalLastName: 'Valid', dateOfBirth: '1980-13-45' },
    });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('invalid_input');
    expect(res.body.error.fields).toEqual({
      legalFirstName: 'Enter the legal first name.',
      dateOfBirth: 'Enter the complete date of birth.',
    });
    expect(res.body.error.message).toBe('Some fields need attention: Legal first name, Date of birth.');
    expect(countPatients(t)).toBe(before);

    const one = await admin.call('createPatient', { body: { ...patientBody, legalLastName: '' } });
    expect(one.status).toBe(400);
    expect(one.body.error.message).toBe('Legal last name: Enter the legal last name.');

    const settingsBefore = (await admin.call('getSecuritySettings')).body;
    const settings = await admin.call('updateSecuritySettings', {
      body: { lockoutThreshold: 1, idleTimeoutMinutes: 60 },
    });
    expect(settings.status).toBe(400);
    expect(settings.body.error.fields).toEqual({ lockoutThreshold: 'At least 3 attempts.' });
    // All or nothing: the valid idle time-out in the same request was not applied either.
    expect((await admin.call('getSecuritySettings')).body).toEqual(settingsBefore);

    const { user } = await addStaff(t, admin, 'ivan.input', ['clinician']);
    const update = await admin.call('updateUser', {
      params: { id: user.id },
      body: { roles: [], fullName: 'Changed Name' },
    });
    expect(update.status).toBe(400);
    expect(update.body.error.fields.roles).toBe('Give the user at least one role.');
    const after = (await admin.call('listUsers')).body.users.find((u: { id: string }) => u.id === user.id);
    expect(after.roles).toEqual(['clinician']);
    expect(after.fullName).toBe('Staff ivan.input');

    const notUuid = await admin.call('getPatient', { params: { id: 'not-a-uuid' } });
    expect(notUuid.status).toBe(400);
    expect(Object.keys(notUuid.body.error.fields)).toEqual(['id']);
  });

  it('answers an unknown /api path with a 404 JSON error, signed in or not', async () => {
    for (const c of [admin, t.client()]) {
      for (const [method, path] of [
        ['GET', '/api/no-such-thing'],
        ['GET', '/api/patients/search/everything'],
        ['POST', '/api/admin/users/everyone/delete'],
        ['DELETE', '/api/patients'],
      ] as const) {
        const res = await c.raw(method, path, {
          body: method === 'GET' ? undefined : '{}',
          headers: { 'content-type': 'application/json' },
        });
        expect(res.status, `${method} ${path}`).toBe(404);
        expect(res.headers.get('content-type')).toMatch(/^application\/json/);
        expect(((await res.json()) as { error: { code: string } }).error.code).toBe('not_found');
      }
    }
  });
});

describe('OpenAPI document', () => {
  it('is an OpenAPI 3 document with every catalogue path and method, and nothing else', async () => {
    const res = await t.client().raw('GET', '/api/openapi.json');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    const doc = (await res.json()) as {
      openapi: string;
      info: { title: string; version: string };
      paths: Record<string, Record<string, Record<string, any>>>;
    };
    expect(doc.openapi).toMatch(/^3\.\d+\.\d+$/);
    expect(doc.info.title).toBeTruthy();
    expect(doc.info.version).toBe('test');

    const expected = new Set<string>();
    for (const [name, e] of Object.entries(api) as [string, Endpoint][]) {
      const path = e.path.replace(/:(\w+)/g, '{$1}');
      const method = e.method.toLowerCase();
      expected.add(`${method} ${path}`);
      const op = doc.paths[path]?.[method];
      expect(op, `${e.method} ${e.path} missing from openapi.json`).toBeDefined();
      expect(op!.operationId).toBe(name);
      expect(op!['x-access']).toBe(e.access);
      expect(op!.responses?.['200']).toBeDefined();
      expect(Boolean(op!.requestBody), `${name} requestBody`).toBe(Boolean(e.body));
      expect(Boolean(op!.security), `${name} security`).toBe(e.access !== 'public');
      for (const param of e.path.match(/:(\w+)/g) ?? []) {
        const declared = (op!.parameters ?? []) as { name: string; in: string; required: boolean }[];
        expect(declared).toContainEqual(
          expect.objectContaining({ name: param.slice(1), in: 'path', required: true }),
        );
      }
    }
    const documented = Object.entries(doc.paths).flatMap(([p, ops]) =>
      Object.keys(ops).map((m) => `${m} ${p}`),
    );
    expect(documented.sort()).toEqual([...expected].sort());
  });
});
