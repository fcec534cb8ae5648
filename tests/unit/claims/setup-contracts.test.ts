import { describe, expect, it } from 'vitest';
import {
  billingProviderInputSchema,
  payerInputSchema,
  renderingProviderInputSchema,
} from '../../../server/contracts/claims/setup';

const messages = (r: { success: boolean; error?: { issues: { path: PropertyKey[]; message: string }[] } }) =>
  r.success ? [] : r.error!.issues.map((i) => `${i.path.join('.')}: ${i.message}`);

const provider = {
  organizationName: 'Harbor Counseling Group',
  npi: '1234567893',
  taxId: '12-3456789',
  taxonomy: '101ym0800x',
  address: { line1: '100 Main St', city: 'Springfield', state: 'il', postalCode: '62701-1234' },
  payToAddress: null,
  contactName: 'Billing Office',
  contactPhone: '(555) 010-2000',
};

describe('claims set-up contracts', () => {
  it('normalises a valid billing provider', () => {
    const r = billingProviderInputSchema.parse(provider);
    expect([r.taxId, r.taxonomy, r.address.state, r.address.postalCode, r.contactPhone]).toEqual([
      '123456789',
      '101YM0800X',
      'IL',
      '627011234',
      '5550102000',
    ]);
  });

  it('explains a wrong NPI check digit, a short ZIP and a bad tax id next to the field', () => {
    const r = billingProviderInputSchema.safeParse({
      ...provider,
      npi: '1234567890',
      taxId: '12-345',
      address: { ...provider.address, postalCode: '62701' },
    });
    expect(messages(r)).toEqual([
      'npi: This NPI’s check digit is wrong; compare it with the NPPES record.',
      'taxId: Enter the 9-digit tax id (EIN), like 12-3456789.',
      'address.postalCode: The billing provider’s ZIP code needs all 9 digits (ZIP+4).',
    ]);
  });

  it('checks rendering providers and payers', () => {
    expect(messages(renderingProviderInputSchema.safeParse({ npi: '98765', taxonomy: '103T' }))).toEqual([
      'npi: An NPI is 10 digits.',
      'taxonomy: A taxonomy code is 10 characters ending in X, like 101YM0800X.',
    ]);
    const payer = {
      name: 'Acme Health Plan',
      clearinghouseIds: [{ clearinghouse: 'Office Ally', payerId: '60054' }],
      claimFilingIndicator: 'CI',
      claimEnrollment: 'enrolled',
      eraEnrollment: 'pending',
      timelyFilingDays: 90,
    };
    expect(payerInputSchema.safeParse(payer).success).toBe(true);
    expect(
      messages(
        payerInputSchema.safeParse({
          ...payer,
          clearinghouseIds: [payer.clearinghouseIds[0], { clearinghouse: 'office ally', payerId: 'X*1' }],
          timelyFilingDays: 0,
        }),
      ),
    ).toEqual([
      'clearinghouseIds.1.payerId: A payer id is letters and digits, as the clearinghouse lists it.',
      'clearinghouseIds: One payer id per clearinghouse.',
      'timelyFilingDays: At least 1 day.',
    ]);
  });
});
