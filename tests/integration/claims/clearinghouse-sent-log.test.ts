/**
 * The HTTPS clearinghouse's sent log in central's database, and what the console's clearinghouse screen
 * reads (docs/claims-inbound.md, "Sent log"): a file the API took is recorded with its digest and the API's
 * answer the moment it was taken, so a fresh adapter (another node, or after a restart) answers
 * `already_uploaded` instead of submitting the claims again, and refuses other bytes under that name; the
 * administrator's view lists the clinic's transmissions with that answer, and a failed poll with its reason
 * beside the last completed one.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClearinghouseJobSettings } from '../../../server/central/services/clearinghouse/config';
import { openClearinghouse } from '../../../server/central/services/clearinghouse/config';
import { databaseSentLog } from '../../../server/central/services/clearinghouse/sent-log';
import { createOrgAndClinic, signedInAdmin, startTestCentral, type CentralAdmin, type TestCentral, type TestClinic } from '../../support/central';
import { startClearinghouseDouble, type ClearinghouseDouble } from '../../support/clearinghouse-double';
import { centralQuery } from '../../support/sync';

let central: TestCentral;
let double: ClearinghouseDouble;
let operator: CentralAdmin;
let clinic: TestClinic;

/** An interchange the double takes (it reads ISA13 as the control number). */
const interchange = (icn: string, body = 'ST*837*0001~SE*2*0001~') =>
  `ISA*00*          *00*          *ZZ*SUBMITTER      *ZZ*RECEIVER       *261205*1010*^*00501*${icn}*0*T*:~${body}`;

function jobSettings(clientSecret: string): ClearinghouseJobSettings {
  return {
    clinicId: clinic.clinicId,
    sendEveryMs: 3_600_000,
    pollEveryMs: 3_600_000,
    connection: { transport: 'https', https: { baseUrl: double.url, clientId: double.clientId, clientSecret } },
  };
}

beforeAll(async () => {
  double = await startClearinghouseDouble();
  central = await startTestCentral();
  operator = await signedInAdmin(central);
  clinic = await createOrgAndClinic(operator, 'Harbor Counseling');
}, 60_000);

afterAll(async () => {
  await central?.destroy();
  await double?.close();
});

describe('the HTTPS sent log', () => {
  const https = () => ({ transport: 'https' as const, https: { baseUrl: double.url, clientId: double.clientId, clientSecret: double.clientSecret } });

  it('survives the adapter: a fresh one does not submit a sent file again, and refuses other bytes under its name', async () => {
    const first = openClearinghouse(https(), databaseSentLog(central.running.db, clinic.clinicId));
    const file = Buffer.from(interchange('000000101'));
    expect(await first.upload('claims-101.837', file)).toEqual({ name: 'claims-101.837', status: 'uploaded' });
    await first.close();
    expect(double.submissions).toHaveLength(1);

    // As after a restart, or on another node: nothing in memory, the database remembers.
    const again = openClearinghouse(https(), databaseSentLog(central.running.db, clinic.clinicId));
    expect(await again.upload('claims-101.837', file)).toEqual({ name: 'claims-101.837', status: 'already_uploaded' });
    await expect(again.upload('claims-101.837', Buffer.from(interchange('000000102')))).rejects.toThrow(
      'A different file named claims-101.837 was already sent; it was not sent again.',
    );
    await again.close();
    expect(double.submissions).toHaveLength(1);

    const rows = await centralQuery(central, 'SELECT clinic_id, file_name, sha256, answer FROM tessera.clearinghouse_sent');
    expect(rows).toEqual([
      {
        clinic_id: clinic.clinicId,
        file_name: 'claims-101.837',
        sha256: expect.stringMatching(/^[0-9a-f]{64}$/),
        answer: 'Taken by the clearinghouse API (HTTP 200, SUCCESS, control number 000000101).',
      },
    ]);
  });

  it('is per clinic: another clinic may send a file of the same name', async () => {
    const other = await createOrgAndClinic(operator, 'Lakeside Therapy');
    const port = openClearinghouse(https(), databaseSentLog(central.running.db, other.clinicId));
    expect((await port.upload('claims-101.837', Buffer.from(interchange('000000201')))).status).toBe('uploaded');
    await port.close();
  });
});

describe('the administrator’s view of the clinic', () => {
  it('lists the transmissions with the API’s answer, and a failed poll beside the last completed one', async () => {
    // The transmission row for the file sent above, as transmit.ts leaves it, and a batch still waiting.
    await centralQuery(
      central,
      `INSERT INTO tessera.claim_transmissions (clinic_id, batch_id, file_name, status, attempts, sent_at, upload_result, next_attempt_at)
       VALUES ($1, 'b1', 'claims-101.837', 'sent', 1, now(), 'uploaded', now()),
              ($1, 'b2', 'claims-102.837', 'failed', 2, NULL, NULL, now() + interval '5 minutes')`,
      [clinic.clinicId],
    );
    await centralQuery(
      central,
      `UPDATE tessera.claim_transmissions SET last_error = 'The batch file has not reached central yet.', updated_at = now() + interval '1 second'
        WHERE batch_id = 'b2'`,
    );

    // Wrong credentials: the poll fails and says why; then the right ones: it completes and the reason goes.
    await central.restart({ clearinghouse: jobSettings('not-the-secret') });
    await central.running.clearinghouse.runNow();
    const failed = await operator.client.call('getClinicClearinghouse', { params: { clinicId: clinic.clinicId } });
    expect(failed.status).toBe(200);
    expect(failed.body.lastPoll).toEqual({
      at: null,
      files: 0,
      attemptAt: expect.any(String),
      error: 'The clearinghouse refused the API credentials (HTTP 401).',
    });

    double.deliver('X3-0001.277', interchange('000000301', 'ST*277*0001~SE*2*0001~'));
    await central.restart({ clearinghouse: jobSettings(double.clientSecret) });
    await central.running.clearinghouse.runNow();
    const view = await operator.client.call('getClinicClearinghouse', { params: { clinicId: clinic.clinicId } });
    expect(view.body).toMatchObject({ configured: true, source: 'environment', transport: 'https' });
    expect(view.body.lastPoll).toMatchObject({ files: 1, error: null });
    expect(view.body.lastPoll.at).toBe(view.body.lastPoll.attemptAt);
    expect(view.body.lastPollAt).toBe(view.body.lastPoll.at);
    expect(view.body.transmissions).toEqual([
      {
        fileName: 'claims-102.837',
        status: 'failed',
        attempts: 2,
        sentAt: null,
        nextAttemptAt: expect.any(String),
        error: 'The batch file has not reached central yet.',
        answer: null,
      },
      {
        fileName: 'claims-101.837',
        status: 'sent',
        attempts: 1,
        sentAt: expect.any(String),
        nextAttemptAt: null,
        error: null,
        answer: 'Taken by the clearinghouse API (HTTP 200, SUCCESS, control number 000000101).',
      },
    ]);
    // Nothing secret in the answer.
    expect(view.text).not.toContain(double.clientSecret);
  }, 60_000);
});
