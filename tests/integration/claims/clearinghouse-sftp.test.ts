/**
 * The SFTP clearinghouse adapter against a real OpenSSH server on loopback (tests/support/sftp.ts): upload
 * (atomic, idempotent, never overwriting), polling the inbound folders for 999/277CA/835/271 with the
 * parsers as handler, archiving, re-delivery after a crash, a failing handler, and a host key that does not
 * match the pinned fingerprint.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pollInbound, type HandledFile } from '../../../server/central/services/clearinghouse/poll';
import { ClearinghouseError, sha256 } from '../../../server/central/services/clearinghouse/port';
import { SftpClearinghouse, type SftpSettings } from '../../../server/central/services/clearinghouse/sftp';
import { parse277CA } from '../../../server/domain/claims/inbound/ack277ca';
import { parse999 } from '../../../server/domain/claims/inbound/ack999';
import { parse271 } from '../../../server/domain/claims/inbound/eligibility271';
import { parse835 } from '../../../server/domain/claims/inbound/era835';
import { startSftpServer, type SftpServer } from '../../support/sftp';

const shared = path.resolve(__dirname, '../../../../shared/data/x12');
const fixtures = path.resolve(__dirname, '../../fixtures/claims');

let server: SftpServer;
let settings: SftpSettings;

beforeAll(async () => {
  server = await startSftpServer();
  for (const d of ['outbound', 'inbound/999', 'inbound/277ca', 'inbound/835', 'inbound/271', 'archive'])
    fs.mkdirSync(path.join(server.root, d), { recursive: true });
  settings = {
    host: server.host,
    port: server.port,
    username: server.username,
    privateKey: server.privateKey,
    hostKeySha256: server.hostKeySha256,
    uploadDir: path.join(server.root, 'outbound'),
    inboundDirs: {
      '999': path.join(server.root, 'inbound/999'),
      '277CA': path.join(server.root, 'inbound/277ca'),
      '835': path.join(server.root, 'inbound/835'),
      '271': path.join(server.root, 'inbound/271'),
    },
    archiveDir: path.join(server.root, 'archive'),
  };
});

afterAll(async () => {
  await server?.stop();
});

const drop = (folder: string, name: string, content: Buffer | string) =>
  fs.writeFileSync(path.join(server.root, 'inbound', folder, name), content);
const ls = (rel: string) => fs.readdirSync(path.join(server.root, rel)).sort();

describe('SFTP clearinghouse on a real OpenSSH server', () => {
  it('uploads a batch atomically and idempotently, and never overwrites a different file', async () => {
    const ch = new SftpClearinghouse(settings);
    try {
      const batch = Buffer.from('ISA*00*…837P batch bytes…~');
      expect(await ch.upload('B000000123.837', batch)).toEqual({
        name: 'B000000123.837',
        status: 'uploaded',
      });
      expect(ls('outbound')).toEqual(['B000000123.837']);
      expect(fs.readFileSync(path.join(server.root, 'outbound/B000000123.837')).equals(batch)).toBe(true);
      expect(await ch.upload('B000000123.837', batch)).toEqual({
        name: 'B000000123.837',
        status: 'already_uploaded',
      });
      await expect(ch.upload('B000000123.837', Buffer.from('other'))).rejects.toThrow(
        'A different file named B000000123.837 is already on the clearinghouse; it was not overwritten.',
      );
      await expect(ch.upload('../escape', batch)).rejects.toThrow(ClearinghouseError);
      expect(ls('outbound')).toEqual(['B000000123.837']);
    } finally {
      await ch.close();
    }
  });

  it('polls 999, 277CA, 835 and 271, parses each, archives them, and handles nothing twice', async () => {
    const ack999 = fs.readFileSync(path.join(shared, '999/imsweb-x12-parser/x12_999_rejected.txt'));
    drop('999', 'ack-28.999', ack999);
    drop(
      '277ca',
      'ack.277',
      fs.readFileSync(path.join(shared, '277ca/imsweb-x12-parser/x12_277CA_rejected.txt')),
    );
    drop('835', 'era-103.835', fs.readFileSync(path.join(fixtures, 'plb-interest-forward-balance.835')));
    drop(
      '835',
      'misfiled.txt',
      fs.readFileSync(path.join(shared, '999/imsweb-x12-parser/x12_999_accepted.txt')),
    );
    drop('835', 'notes.txt', 'not an X12 file');
    drop('271', 'elig.271', fs.readFileSync(path.join(fixtures, 'eligibility-active.271')));
    fs.writeFileSync(path.join(server.root, 'inbound/835/.partial'), 'still uploading');

    const processed = new Set<string>();
    const results: string[] = [];
    const handle = async (f: HandledFile) => {
      const text = f.content.toString('utf8');
      if (f.kind === '999')
        results.push(
          `999 ${parse999(text)
            .groups.map((g) => g.status)
            .join()}`,
        );
      if (f.kind === '277CA')
        results.push(
          `277CA ${parse277CA(text)
            .claims.map((c) => c.outcome)
            .join()}`,
        );
      if (f.kind === '835')
        results.push(
          `835 ${parse835(text)
            .remittances.map((r) => r.trace.number)
            .join()}`,
        );
      if (f.kind === '271')
        results.push(
          `271 ${parse271(text)
            .summaries.map((s) => s.status)
            .join()}`,
        );
      processed.add(f.sha256);
    };
    const ch = new SftpClearinghouse(settings);
    try {
      const first = await pollInbound(ch, { isProcessed: (d) => processed.has(d), handle });
      expect(results.sort()).toEqual([
        '271 active,inactive',
        '277CA rejected',
        '835 EFT0000103',
        '999 A',
        '999 R',
      ]);
      expect(first.handled.map((h) => [h.name, h.kind]).sort()).toEqual([
        ['ack-28.999', '999'],
        ['ack.277', '277CA'],
        ['elig.271', '271'],
        ['era-103.835', '835'],
        ['misfiled.txt', '999'],
      ]);
      expect(first.failed).toEqual([
        { name: 'notes.txt', error: 'The file is not an X12 999, 277CA, 835 or 271; left in place.' },
      ]);
      expect(ls('inbound/835')).toEqual(['.partial', 'notes.txt']);
      expect(ls('inbound/999')).toEqual([]);
      expect(ls('archive/835')).toEqual(['era-103.835', 'misfiled.txt']);
      expect(ls('archive/999')).toEqual(['ack-28.999']);
      expect(fs.readFileSync(path.join(server.root, 'archive/999/ack-28.999')).equals(ack999)).toBe(true);

      const again = await pollInbound(ch, { isProcessed: (d) => processed.has(d), handle });
      expect(again.handled).toEqual([]);

      // The clearinghouse drops the same ERA again (or we crashed before archiving): not handled twice.
      drop('835', 'era-103.835', fs.readFileSync(path.join(fixtures, 'plb-interest-forward-balance.835')));
      const redelivered = await pollInbound(ch, { isProcessed: (d) => processed.has(d), handle });
      expect(redelivered.handled).toEqual([]);
      expect(redelivered.skippedAsProcessed.map((s) => s.name)).toEqual(['era-103.835']);
      expect(ls('inbound/835')).toEqual(['.partial', 'notes.txt']);
      expect(ls('archive/835')).toEqual(['era-103.835', 'misfiled.txt']);
      expect(results).toHaveLength(5);

      // A different file under an archived name is archived beside it, not over it.
      const other = fs.readFileSync(path.join(fixtures, 'denial.835'));
      drop('835', 'era-103.835', other);
      await pollInbound(ch, { isProcessed: (d) => processed.has(d), handle });
      expect(ls('archive/835')).toEqual([
        'era-103.835',
        `era-103.835.${sha256(other).slice(0, 12)}`,
        'misfiled.txt',
      ]);
    } finally {
      await ch.close();
    }
  });

  it('a handler failure leaves the file for the next poll', async () => {
    drop('835', 'era-104.835', fs.readFileSync(path.join(fixtures, 'dropped-modifier.835')));
    const ch = new SftpClearinghouse(settings);
    try {
      const out = await pollInbound(ch, {
        isProcessed: () => false,
        handle: async (f) => {
          if (f.file.name === 'era-104.835') throw new Error('The database is not reachable.');
        },
      });
      expect(out.failed).toContainEqual({ name: 'era-104.835', error: 'The database is not reachable.' });
      expect(ls('inbound/835')).toContain('era-104.835');
    } finally {
      await ch.close();
    }
  });

  it('refuses a server whose host key is not the pinned one, before sending anything', async () => {
    const ch = new SftpClearinghouse({
      ...settings,
      hostKeySha256: 'SHA256:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
    });
    await expect(ch.upload('B000000124.837', Buffer.from('x'))).rejects.toThrow(
      'The clearinghouse server’s host key does not match the configured fingerprint; nothing was sent.',
    );
    await ch.close();
    expect(ls('outbound')).toEqual(['B000000123.837']);
  });
});
