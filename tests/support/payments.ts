import crypto from 'node:crypto';
import {
  CentralClient,
  createOrgAndClinic,
  enrollmentCode,
  signedInAdmin,
  startTestCentral,
  type CentralAdmin,
  type TestCentral,
  type TestClinic,
} from './central';
import { startStripeDouble, type StripeDouble, type StripeDoubleOptions } from './stripe-double';

/** Central with Stripe pointed at the recorded-contract double, one clinic and one enrolled workstation. */
export interface PaymentsRig {
  stripe: StripeDouble;
  central: TestCentral;
  operator: CentralAdmin;
  clinic: TestClinic;
  /** Calls central's catalogue with the enrolled workstation's credential. */
  device: CentralClient;
  deviceId: string;
  epoch: string;
  stop(): Promise<void>;
}

export const deviceHeaders = () => ({
  'x-tessera-protocol': '1',
  'x-tessera-schema': '5',
  'x-tessera-clock': new Date().toISOString(),
});

export async function startPaymentsRig(opts: { double?: StripeDoubleOptions } = {}): Promise<PaymentsRig> {
  const stripe = await startStripeDouble(opts.double);
  const central = await startTestCentral({
    config: {
      stripe: {
        secretKey: stripe.secretKey,
        webhookSecret: stripe.webhookSecret,
        apiUrl: stripe.url,
        currency: 'usd',
        returnUrl: null,
      },
    },
  });
  stripe.webhookUrl = `${central.url}/v1/payments/stripe/webhook`;
  const operator = await signedInAdmin(central);
  const clinic = await createOrgAndClinic(operator);
  const staff = await operator.client.call('createStaff', {
    params: { clinicId: clinic.clinicId },
    body: {
      username: 'front.desk',
      fullName: 'Front Desk',
      password: 'quiet harbor lantern 42',
      roles: ['front_desk', 'biller'],
    },
  });
  if (staff.status !== 201) throw new Error(`createStaff: ${staff.status} ${staff.text}`);
  const code = await enrollmentCode(operator, clinic.clinicId);
  const res = await new CentralClient(central.url).call('enroll', {
    body: { code, workstationId: crypto.randomUUID(), name: 'Front desk', schemaVersion: 5, clinicId: null },
  });
  if (res.status !== 200) throw new Error(`enroll: ${res.status} ${res.text}`);
  return {
    stripe,
    central,
    operator,
    clinic,
    device: new CentralClient(central.url, res.body.credential, deviceHeaders()),
    deviceId: res.body.deviceId,
    epoch: res.body.epoch,
    stop: async () => {
      await stripe.stop();
      await central.destroy();
    },
  };
}

/** The rows of a table a workstation would pull from central (all pages). */
export async function pulledRows(device: CentralClient, table: string): Promise<Record<string, any>[]> {
  const out = new Map<string, Record<string, any>>();
  let cursor = 0;
  for (;;) {
    const page = await device.call('syncPull', { query: { cursor, limit: 5000 } });
    if (page.status !== 200) throw new Error(`pull: ${page.status} ${page.text}`);
    for (const c of page.body.changes) if (c.table === table) out.set(c.rowId, c.row);
    cursor = page.body.cursor;
    if (!page.body.hasMore) break;
  }
  return [...out.values()];
}
