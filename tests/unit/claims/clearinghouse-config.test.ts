/** The clearinghouse settings are read from central's environment and refused with a sentence when incomplete. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadClearinghouseConfig, loadClearinghouseJob } from '../../../server/central/services/clearinghouse/config';
import { kindOfContent } from '../../../server/central/services/clearinghouse/port';

const sftpEnv = (extra: Record<string, string> = {}) => {
  const key = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'ch-')), 'id');
  fs.writeFileSync(key, 'PRIVATE KEY');
  return {
    TESSERA_CLEARINGHOUSE_TRANSPORT: 'sftp',
    TESSERA_CLEARINGHOUSE_SFTP_HOST: 'sftp.clearinghouse.example',
    TESSERA_CLEARINGHOUSE_SFTP_USER: 'practice01',
    TESSERA_CLEARINGHOUSE_SFTP_KEY_FILE: key,
    TESSERA_CLEARINGHOUSE_SFTP_HOST_KEY: 'SHA256:' + 'A'.repeat(43),
    TESSERA_CLEARINGHOUSE_SFTP_UPLOAD_DIR: '/outbound',
    TESSERA_CLEARINGHOUSE_SFTP_INBOUND_999: '/inbound/999',
    TESSERA_CLEARINGHOUSE_SFTP_INBOUND_277CA: '/inbound/277',
    TESSERA_CLEARINGHOUSE_SFTP_INBOUND_835: '/inbound/835',
    TESSERA_CLEARINGHOUSE_SFTP_INBOUND_271: '/inbound/271',
    TESSERA_CLEARINGHOUSE_SFTP_ARCHIVE_DIR: '/archive',
    ...extra,
  };
};

describe('clearinghouse configuration', () => {
  it('names the clinic the connection serves, and how often central sends and polls', () => {
    expect(loadClearinghouseJob({})).toBeNull();
    expect(() => loadClearinghouseJob(sftpEnv())).toThrow(/TESSERA_CLEARINGHOUSE_CLINIC_ID must be set/);
    expect(() => loadClearinghouseJob(sftpEnv({ TESSERA_CLEARINGHOUSE_CLINIC_ID: 'clinic-1' }))).toThrow(/a UUID/);
    const clinicId = '01a24554-e3c8-762a-a62f-470ca4a3be9a';
    expect(loadClearinghouseJob(sftpEnv({ TESSERA_CLEARINGHOUSE_CLINIC_ID: clinicId }))).toMatchObject({
      clinicId,
      sendEveryMs: 60_000,
      pollEveryMs: 300_000,
      connection: { transport: 'sftp' },
    });
    expect(
      loadClearinghouseJob(sftpEnv({ TESSERA_CLEARINGHOUSE_CLINIC_ID: clinicId, TESSERA_CLEARINGHOUSE_POLL_SECONDS: '30' })),
    ).toMatchObject({ pollEveryMs: 30_000 });
    expect(() =>
      loadClearinghouseJob(sftpEnv({ TESSERA_CLEARINGHOUSE_CLINIC_ID: clinicId, TESSERA_CLEARINGHOUSE_SEND_SECONDS: '0.5' })),
    ).toThrow(/whole number of seconds/);
  });

  it('is off when no transport is set', () => {
    expect(loadClearinghouseConfig({})).toBeNull();
  });
  it('reads an SFTP connection with its key file and pinned host key', () => {
    const c = loadClearinghouseConfig(sftpEnv());
    expect(c?.transport).toBe('sftp');
    if (c?.transport === 'sftp')
      expect(c.sftp).toMatchObject({ port: 22, privateKey: 'PRIVATE KEY', password: undefined });
  });
  it('refuses a missing folder, a bad fingerprint, plain HTTP and an unknown transport', () => {
    expect(() => loadClearinghouseConfig(sftpEnv({ TESSERA_CLEARINGHOUSE_SFTP_ARCHIVE_DIR: '' }))).toThrow(
      'TESSERA_CLEARINGHOUSE_SFTP_ARCHIVE_DIR must be set for the clearinghouse connection.',
    );
    expect(() => loadClearinghouseConfig(sftpEnv({ TESSERA_CLEARINGHOUSE_SFTP_HOST_KEY: 'md5:ab' }))).toThrow(
      'SHA256:',
    );
    expect(() =>
      loadClearinghouseConfig({
        TESSERA_CLEARINGHOUSE_TRANSPORT: 'https',
        TESSERA_CLEARINGHOUSE_API_URL: 'http://x.example',
        TESSERA_CLEARINGHOUSE_CLIENT_ID: 'a',
        TESSERA_CLEARINGHOUSE_CLIENT_SECRET: 'b',
      }),
    ).toThrow('must start with https://');
    expect(() => loadClearinghouseConfig({ TESSERA_CLEARINGHOUSE_TRANSPORT: 'ftp' })).toThrow(
      'must be sftp or https',
    );
  });
});

describe('kind of an inbound file by content', () => {
  it('reads ST01 with any element separator, and refuses what is not X12', () => {
    expect(
      kindOfContent(
        Buffer.from(
          'ISA|00|          |00|          |ZZ|A              |ZZ|B              |261115|0930|{|00501|000000105|0|T|>~GS|HP~ST|835|0001~',
        ),
      ),
    ).toBe('835');
    expect(kindOfContent(Buffer.from('ST*277*0001*005010X214~'))).toBe('277CA');
    expect(kindOfContent(Buffer.from('ST*837*0001~'))).toBeNull();
    expect(kindOfContent(Buffer.from('hello'))).toBeNull();
  });
});
