import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { claimBillingProviders, claimPayers, eraPayments } from '../../../server/workstation/db/schema';
import { clinicalWorld, ok, type ClinicalWorld } from '../clinical/support';

/**
 * The claims API refuses bad input with a sentence next to the field and stores nothing; the biller works
 * claims, the front desk cannot.
 */
let w: ClinicalWorld;
beforeAll(async () => {
  w = await clinicalWorld({ codeSet: false });
});
afterAll(async () => {
  await w?.t.stop();
});

const db = () => w.t.server.store.orm;
const payer = {
  name: 'Acme Health Plan',
  clearinghouseIds: [{ clearinghouse: 'Office Ally', payerId: '60054' }],
  claimFilingIndicator: 'CI',
  claimEnrollment: 'enrolled',
  eraEnrollment: 'enrolled',
  timelyFilingDays: 365,
};

describe('claims API', () => {
  it('adds a payer; a duplicate name or a bad payer id is refused with a sentence and nothing stored', async () => {
    const created = ok(await w.biller.client.call('createClaimPayer', { body: payer }), 201);
    expect(created).toMatchObject({ name: 'Acme Health Plan', claimEnrollment: 'enrolled' });
    const dup = await w.biller.client.call('createClaimPayer', { body: payer });
    expect(dup.status).toBe(409);
    expect(dup.body.error.fields.name).toMatch(/already set up/);
    const bad = await w.biller.client.call('createClaimPayer', { body: { ...payer, name: 'Other', clearinghouseIds: [{ clearinghouse: 'Office Ally', payerId: 'no spaces!' }] } });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body.error)).toMatch(/letters and digits/);
    expect(db().select().from(claimPayers).all()).toHaveLength(1);
  });

  it('refuses a billing provider whose NPI check digit is wrong, naming the field', async () => {
    const res = await w.biller.client.call('saveBillingProvider', {
      body: { organizationName: 'Harbor', npi: '1234567890', taxId: '12-3456789', taxonomy: '101YM0800X', address: { line1: '1 Main St', city: 'Springfield', state: 'IL', postalCode: '627011234' }, payToAddress: null, contactName: 'Office', contactPhone: '5550102000' },
    });
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.body.error)).toMatch(/check digit/);
    expect(db().select().from(claimBillingProviders).all()).toHaveLength(0);
  });

  it('refuses a file that is not an 835, and a 999/277CA import of something else', async () => {
    const era = await w.biller.client.call('importEra', { body: { name: 'x.835', content: 'this is not an X12 file at all' } });
    expect(era.status).toBe(400);
    expect(era.body.error.message).toMatch(/835/);
    const ack = await w.biller.client.call('importClaimAck', { body: { name: 'x.999', content: 'this is not an X12 file at all' } });
    expect(ack.status).toBe(400);
    expect(ack.body.error.message).toMatch(/999 nor a 277CA/);
    expect(db().select().from(eraPayments).all()).toHaveLength(0);
  });

  it('asks for a closed visit before making claims, and keeps the front desk out', async () => {
    const board = ok(await w.biller.client.call('listClaims', { query: {} }), 200);
    expect(board.claims).toEqual([]);
    const desk = await w.deskClient.call('listClaims', { query: {} });
    expect(desk.status).toBe(403);
    const missing = await w.biller.client.call('createClaims', { body: { encounterId: '0190c0de-0000-7000-8000-000000000000' } });
    expect(missing.status).toBe(404);
  });
});
