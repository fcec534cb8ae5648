import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, secretProblem } from '../../../server/central/config';

const strong = 'q3P9sVbK2mXw7LzR4tYh8NcJ6dFg1aE5uZx0oWiQvBn=';
const base = { DATABASE_URL: 'postgres://tessera_api:pw@db:5432/tessera' };

describe('central configuration', () => {
  it('refuses to start in production without a secret, and says how to make one', () => {
    expect(() =>
      loadConfig({ ...base, TESSERA_CENTRAL_ENV: 'production', TESSERA_CENTRAL_TRUST_PROXY: '1' }),
    ).toThrow(ConfigError);
    expect(() => loadConfig({ ...base, NODE_ENV: 'production', TESSERA_CENTRAL_TRUST_PROXY: '1' })).toThrow(
      /not set.*openssl rand/s,
    );
  });

  it.each([
    ['short', 'abc123'],
    ['placeholder', 'changeme-changeme-changeme-changeme-changeme-1234'],
    ['repetitive', 'a'.repeat(64)],
  ])('refuses a weak secret in production (%s)', (_label, secret) => {
    expect(secretProblem(secret)).not.toBeNull();
    expect(() =>
      loadConfig({
        ...base,
        TESSERA_CENTRAL_ENV: 'production',
        TESSERA_CENTRAL_SECRET: secret,
        TESSERA_CENTRAL_TRUST_PROXY: '1',
      }),
    ).toThrow(/TESSERA_CENTRAL_SECRET/);
  });

  it('accepts a strong secret (base64 or hex)', () => {
    expect(secretProblem(strong)).toBeNull();
    expect(secretProblem('9f'.repeat(4) + '0123456789abcdef'.repeat(4) + 'a1b2c3d4e5f60718')).toBeNull();
    const { config } = loadConfig({
      ...base,
      TESSERA_CENTRAL_ENV: 'production',
      TESSERA_CENTRAL_SECRET: strong,
      TESSERA_CENTRAL_TRUST_PROXY: '1',
    });
    expect(config.production).toBe(true);
    expect(config.secret.length).toBeGreaterThanOrEqual(32);
  });

  it('in production, refuses plain HTTP unless a TLS proxy is declared', () => {
    expect(() =>
      loadConfig({ ...base, TESSERA_CENTRAL_ENV: 'production', TESSERA_CENTRAL_SECRET: strong }),
    ).toThrow(/HTTPS/);
  });

  it('in development, warns instead of refusing', () => {
    const { config, warnings } = loadConfig({ ...base });
    expect(config.production).toBe(false);
    expect(warnings.join(' ')).toMatch(/development secret/);
  });

  it('requires DATABASE_URL and checks numbers', () => {
    expect(() => loadConfig({})).toThrow(/DATABASE_URL is not set/);
    expect(() => loadConfig({ ...base, TESSERA_CENTRAL_PORT: 'eighty' })).toThrow(/TESSERA_CENTRAL_PORT/);
    expect(() => loadConfig({ ...base, TESSERA_CENTRAL_MIGRATE_ON_START: '1' })).toThrow(
      /OWNER_DATABASE_URL/,
    );
  });
});
