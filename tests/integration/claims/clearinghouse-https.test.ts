/**
 * The HTTPS clearinghouse adapter against its recorded-contract double: token, submission, idempotent
 * re-upload, mailbox poll with the same poll loop as SFTP, archive by DELETE, re-authentication after the
 * token goes stale, refused credentials.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpsClearinghouse } from '../../../server/central/services/clearinghouse/https';
import { pollInbound } from '../../../server/central/services/clearinghouse/poll';
import { ClearinghouseError } from '../../../server/central/services/clearinghouse/port';
import { type ClearinghouseDouble, startClearinghouseDouble } from '../../support/clearinghouse-double';

const shared = path.resolve(__dirname, '../../../../shared/data/x12');
const fixtures = path.resolve(__dirname, '../../fixtures/claims');
let double: ClearinghouseDouble;

beforeAll(async () => {
  double = await startClearinghouseDouble();
});
afterAll(async () => {
  await double?.close();
});

const batch = (icn: string, extra = '') =>
  Buffer.from(
    `ISA*00*          *00*          *ZZ*TESSERA01      *ZZ*CLEARINGHSE    *261115*0930*^*00501*${icn}*0*T*:~GS*HC*…~${extra}`,
  );

describe('HTTPS clearinghouse API (recorded-contract double)', () => {
  it('sends a batch once, takes a re-send as done, and refuses other bytes under a sent name', async () => {
    const ch = new HttpsClearinghouse({
      baseUrl: double.url,
      clientId: double.clientId,
      clientSecret: double.clientSecret,
    });
    expect(await ch.upload('B000000201.837', batch('000000201'))).toEqual({
      name: 'B000000201.837',
      status: 'uploaded',
    });
    expect(await ch.upload('B000000201.837', batch('000000201'))).toEqual({
      name: 'B000000201.837',
      status: 'already_uploaded',
    });
    await expect(ch.upload('B000000201.837', batch('000000201', 'x'))).rejects.toThrow(
      'A different file named B000000201.837 was already sent',
    );
    expect(double.submissions).toHaveLength(1);
    // The clearinghouse's own duplicate check answers with its sentence.
    const other = new HttpsClearinghouse({
      baseUrl: double.url,
      clientId: double.clientId,
      clientSecret: double.clientSecret,
    });
    await expect(other.upload('B000000201-again.837', batch('000000201', 'changed'))).rejects.toThrow(
      'The clearinghouse did not take B000000201-again.837 (HTTP 400): Duplicate interchange control number.',
    );
    const token = double.requests.filter((r) => r.path === '/apip/auth/v2/token');
    expect(token).toHaveLength(2);
  });

  it('polls the mailbox (kinds by prefix or by content), handles each once and deletes it', async () => {
    double.deliver(
      'X3000001.AB',
      fs.readFileSync(path.join(shared, '277ca/imsweb-x12-parser/x12_277CA_accepted.txt')),
    );
    double.deliver('R5000001.CD', fs.readFileSync(path.join(fixtures, 'denial.835')));
    double.deliver(
      'FA000001.EF',
      fs.readFileSync(path.join(shared, '999/imsweb-x12-parser/x12_999_rejected.txt')),
    );
    double.deliver('EB000001.GH', fs.readFileSync(path.join(fixtures, 'eligibility-rejected.271')));
    const ch = new HttpsClearinghouse({
      baseUrl: double.url,
      clientId: double.clientId,
      clientSecret: double.clientSecret,
    });
    const seen = new Set<string>();
    const kinds: string[] = [];
    expect((await ch.listInbound()).map((f) => f.kind).sort()).toEqual(['271', '277CA', '835', '999']);
    double.expireTokens(); // the adapter's cached token is now stale: it must fetch another once
    const out = await pollInbound(ch, {
      isProcessed: (d) => seen.has(d),
      handle: async (f) => {
        seen.add(f.sha256);
        kinds.push(`${f.file.name}:${f.kind}`);
      },
    });
    expect(out.failed).toEqual([]);
    expect(kinds.sort()).toEqual([
      'EB000001.GH:271',
      'FA000001.EF:999',
      'R5000001.CD:835',
      'X3000001.AB:277CA',
    ]);
    expect(double.mailbox()).toEqual([]);
    expect(double.requests.filter((r) => r.status === 401)).toHaveLength(1);
    expect(
      (await pollInbound(ch, { isProcessed: (d) => seen.has(d), handle: async () => undefined })).handled,
    ).toEqual([]);
  });

  it('refuses bad credentials and a plain-HTTP address off loopback, with sentences', async () => {
    const ch = new HttpsClearinghouse({
      baseUrl: double.url,
      clientId: double.clientId,
      clientSecret: 'wrong',
    });
    await expect(ch.listInbound()).rejects.toThrow(
      'The clearinghouse refused the API credentials (HTTP 401).',
    );
    expect(
      () =>
        new HttpsClearinghouse({ baseUrl: 'http://clearinghouse.example', clientId: 'a', clientSecret: 'b' }),
    ).toThrow(ClearinghouseError);
  });
});
