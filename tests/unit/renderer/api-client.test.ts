import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  ApiError,
  call,
  endpointUrl,
  fillPath,
  setSessionLostHandler,
  toQueryString,
} from '../../../renderer/api/client';

function answer(status: number, body: unknown) {
  return vi.fn(
    async () =>
      new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } }),
  );
}

afterEach(() => {
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
  setSessionLostHandler(null);
});

describe('URL building', () => {
  it('fills :params, encoded', () => {
    expect(fillPath('/api/admin/users/:id/unlock', { id: 'a b/c' })).toBe(
      '/api/admin/users/a%20b%2Fc/unlock',
    );
    expect(() => fillPath('/api/patients/:id', {})).toThrow(/Missing path parameter "id"/);
  });

  it('drops empty query values', () => {
    expect(toQueryString({ from: '2025-01-01', to: '', userId: undefined, limit: 50 })).toBe(
      '?from=2025-01-01&limit=50',
    );
    expect(toQueryString({})).toBe('');
  });

  it('builds the CSV export link with the same filters', () => {
    expect(endpointUrl('auditExport', { query: { action: 'auth.lockout', sort: 'at', dir: 'asc' } })).toBe(
      '/api/audit/export.csv?action=auth.lockout&sort=at&dir=asc',
    );
  });
});

describe('call', () => {
  it('sends JSON with the right method and parses the answer with the contract', async () => {
    const fetch = answer(200, { step: 'mfa' });
    vi.stubGlobal('fetch', fetch);
    await expect(call('login', { body: { username: 'ada', password: 'secret' } })).resolves.toEqual({
      step: 'mfa',
    });
    const [url, init] = fetch.mock.calls[0] as unknown as [string, RequestInit];
    expect(url).toBe('/api/auth/login');
    expect(init.method).toBe('POST');
    expect(init.credentials).toBe('same-origin');
    expect(JSON.parse(init.body as string)).toEqual({ username: 'ada', password: 'secret' });
  });

  it('rejects an answer that does not match the contract', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => undefined);
    vi.stubGlobal('fetch', answer(200, { step: 'nonsense' }));
    await expect(call('login', { body: { username: 'ada', password: 'x' } })).rejects.toMatchObject({
      code: 'bad_response',
    });
  });

  it('turns the error body into an ApiError with field errors', async () => {
    vi.stubGlobal(
      'fetch',
      answer(400, {
        error: { code: 'invalid_input', message: 'That username is taken.', fields: { username: 'Taken.' } },
      }),
    );
    const err = await call('createUser', {
      body: { username: 'ada', fullName: 'Ada', password: 'long-enough-password', roles: ['admin'] },
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err).toMatchObject({ status: 400, code: 'invalid_input', message: 'That username is taken.' });
    expect((err as ApiError).fields).toEqual({ username: 'Taken.' });
  });

  it('reports a lost session on 401 from session endpoints only', async () => {
    const lost = vi.fn();
    setSessionLostHandler(lost);
    vi.stubGlobal('fetch', answer(401, { error: { code: 'sign_in_failed', message: 'Wrong.' } }));
    await expect(call('login', { body: { username: 'ada', password: 'x' } })).rejects.toBeInstanceOf(
      ApiError,
    );
    expect(lost).not.toHaveBeenCalled();

    vi.stubGlobal('fetch', answer(401, { error: { code: 'no_session', message: 'Sign in.' } }));
    await expect(call('listUsers')).rejects.toMatchObject({ status: 401 });
    expect(lost).toHaveBeenCalledTimes(1);
  });

  it('explains a dead server', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(async () => {
        throw new TypeError('Failed to fetch');
      }),
    );
    await expect(call('health')).rejects.toMatchObject({ status: 0, code: 'network' });
  });
});
