import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../../server/central/config';

/** Stripe's keys come from central's environment only: both or neither, never a publishable key. */

const base = { DATABASE_URL: 'postgres://tessera_api:pw@db:5432/tessera' };
const keys = {
  TESSERA_CENTRAL_STRIPE_SECRET_KEY: 'sk_test_51AbCdEfGhIjKlMnOp',
  TESSERA_CENTRAL_STRIPE_WEBHOOK_SECRET: 'whsec_0123456789abcdefABCDEF',
};

describe('central’s Stripe settings', () => {
  it('are off without keys', () => {
    expect(loadConfig(base).config.stripe).toBeNull();
  });

  it('take the secret key, the signing secret, the currency and another API host', () => {
    const { config } = loadConfig({
      ...base,
      ...keys,
      TESSERA_CENTRAL_STRIPE_CURRENCY: 'CAD',
      TESSERA_CENTRAL_STRIPE_API_URL: 'http://127.0.0.1:12111/ignored',
    });
    expect(config.stripe).toEqual({
      secretKey: keys.TESSERA_CENTRAL_STRIPE_SECRET_KEY,
      webhookSecret: keys.TESSERA_CENTRAL_STRIPE_WEBHOOK_SECRET,
      apiUrl: 'http://127.0.0.1:12111',
      currency: 'cad',
      returnUrl: null,
      publishableKey: null,
    });
  });

  it('take the publishable key for the portal’s Payment Element, of the same mode as the secret key', () => {
    const pk = 'pk_test_51AbCdEfGhIjKlMnOp';
    expect(
      loadConfig({ ...base, ...keys, TESSERA_CENTRAL_STRIPE_PUBLISHABLE_KEY: pk }).config.stripe
        ?.publishableKey,
    ).toBe(pk);
    expect(() =>
      loadConfig({ ...base, ...keys, TESSERA_CENTRAL_STRIPE_PUBLISHABLE_KEY: 'sk_test_51AbCdEf' }),
    ).toThrow(/publishable key/);
    expect(() =>
      loadConfig({ ...base, ...keys, TESSERA_CENTRAL_STRIPE_PUBLISHABLE_KEY: 'pk_live_51AbCdEf' }),
    ).toThrow(/both be test keys or both live keys/);
  });

  it('refuse one key without the other, a publishable key, and a bad signing secret', () => {
    expect(() =>
      loadConfig({ ...base, TESSERA_CENTRAL_STRIPE_SECRET_KEY: keys.TESSERA_CENTRAL_STRIPE_SECRET_KEY }),
    ).toThrow(/both/);
    expect(() =>
      loadConfig({ ...base, ...keys, TESSERA_CENTRAL_STRIPE_SECRET_KEY: 'pk_test_51AbCdEf' }),
    ).toThrow(/not a publishable key/);
    expect(() => loadConfig({ ...base, ...keys, TESSERA_CENTRAL_STRIPE_WEBHOOK_SECRET: 'secret' })).toThrow(
      ConfigError,
    );
  });

  it('warn about a test key in production and a live key outside it; refuse plain HTTP for the API host in production', () => {
    const prod = {
      ...base,
      ...keys,
      TESSERA_CENTRAL_ENV: 'production',
      TESSERA_CENTRAL_TRUST_PROXY: '1',
      TESSERA_CENTRAL_SECRET: 'q3P9sVbK2mXw7LzR4tYh8NcJ6dFg1aE5uZx0oWiQvBn=',
    };
    expect(loadConfig(prod).warnings.join(' ')).toMatch(/test mode/);
    expect(() => loadConfig({ ...prod, TESSERA_CENTRAL_STRIPE_API_URL: 'http://stripe.internal' })).toThrow(
      /https/,
    );
    expect(
      loadConfig({ ...base, ...keys, TESSERA_CENTRAL_STRIPE_SECRET_KEY: 'sk_live_51AbCdEf' }).warnings.join(
        ' ',
      ),
    ).toMatch(/really be charged/);
  });
});
