/**
 * One central, two clinics, each with its own clearinghouse connection (docs/claims-inbound.md,
 * "Connections per clinic"): clinic A through central's environment (the bootstrap), clinic B set by an
 * administrator through the API and stored encrypted. A real OpenSSH SFTP server on loopback holds a folder
 * tree per clinic. Each clinic's batch reaches only its own folder; files dropped in a clinic's inbound folder
 * come back only to that clinic's workstation; the last poll is kept per clinic across a restart and shown on
 * the workstation's set-up tab and the console's health page. The secret is never answered.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClearinghouseJobSettings } from '../../../server/central/services/clearinghouse/config';
import { buildBatch } from '../../../server/workstation/services/claims/batch';
import { createClaimsFromVisit } from '../../../server/workstation/services/claims/create';
import { clearinghouseConnectionStatus } from '../../../server/workstation/services/claims/central-connection';
import { TelehealthGateway } from '../../../server/workstation/services/telehealth/gateway';
import { createOrgAndClinic, signedInAdmin, startTestCentral, type CentralAdmin, type TestCentral, type TestClinic } from '../../support/central';
import { startSftpServer, type SftpServer } from '../../support/sftp';
import { centralQuery, settle, setUpAndEnroll, type SyncedWorkstation } from '../../support/sync';
import { ack999, claimsWorldOnWorkstation } from './claims-world';

let sftp: SftpServer;
let central: TestCentral;
let operator: CentralAdmin;
const clinics: { clinic: TestClinic; w: SyncedWorkstation; world: ReturnType<typeof claimsWorldOnWorkstation>; dir: string }[] = [];

const kinds = ['outbound', 'inbound/999', 'inbound/277ca', 'inbound/835', 'inbound/271', 'archive'];
const at = (dir: string, rel: string) => path.join(sftp.root, dir, rel);
const ls = (dir: string, rel: string) => fs.readdirSync(at(dir, rel)).filter((f) => !f.startsWith('.')).sort();

function sftpFolders(dir: string) {
  return {
    uploadDir: at(dir, 'outbound'),
    inbound999: at(dir, 'inbound/999'),
    inbound277ca: at(dir, 'inbound/277ca'),
    inbound835: at(dir, 'inbound/835'),
    inbound271: at(dir, 'inbound/271'),
    archiveDir: at(dir, 'archive'),
  };
}

function envSettings(clinicId: string, dir: string): ClearinghouseJobSettings {
  const f = sftpFolders(dir);
  return {
    clinicId,
    sendEveryMs: 3_600_000,
    pollEveryMs: 3_600_000,
    connection: {
      transport: 'sftp',
      sftp: {
        host: sftp.host,
        port: sftp.port,
        username: sftp.username,
        privateKey: sftp.privateKey,
        hostKeySha256: sftp.hostKeySha256,
        uploadDir: f.uploadDir,
        inboundDirs: { '999': f.inbound999, '277CA': f.inbound277ca, '835': f.inbound835, '271': f.inbound271 },
        archiveDir: f.archiveDir,
      },
    },
  };
}

const status = (i: number) =>
  clearinghouseConnectionStatus(new TelehealthGateway(clinics[i]!.w.t.server.store), clinics[i]!.world.actor.userId!);

beforeAll(async () => {
  sftp = await startSftpServer();
  for (const dir of ['alpha', 'beta']) for (const k of kinds) fs.mkdirSync(at(dir, k), { recursive: true });
  central = await startTestCentral();
  operator = await signedInAdmin(central);
  for (const [name, dir] of [['Alpha Counseling', 'alpha'], ['Beta Family Practice', 'beta']] as const) {
    const clinic = await createOrgAndClinic(operator, name);
    const w = await setUpAndEnroll(central, operator, clinic, { name: `${name} desk` });
    clinics.push({ clinic, w, world: claimsWorldOnWorkstation(w.t.server.store, name.split(' ')[0]!), dir });
  }
  // Clinic A: central's environment connection (the bootstrap); clinic B: none yet.
  await central.restart({ clearinghouse: envSettings(clinics[0]!.clinic.clinicId, 'alpha') });
}, 120_000);

afterAll(async () => {
  for (const c of clinics) await c.w.t.stop();
  await central?.destroy();
  await sftp?.stop();
});

describe('a clearinghouse connection per clinic', () => {
  it('is set by a central administrator; bad input is refused with sentences; the secret is never answered', async () => {
    const clinicId = clinics[1]!.clinic.clinicId;
    const before = await operator.client.call('getClinicClearinghouse', { params: { clinicId } });
    expect(before.status).toBe(200);
    expect(before.body).toMatchObject({ configured: false, source: null });
    expect(await status(1)).toMatchObject({ reachable: true, configured: false });

    const bad = await operator.client.call('setClinicClearinghouse', {
      params: { clinicId },
      body: { transport: 'sftp', host: sftp.host, port: sftp.port, username: sftp.username, hostKeySha256: 'ab:cd', ...sftpFolders('beta'), uploadDir: 'outbound' },
    });
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('Give the upload folder as an absolute path (starting with /).');
    expect(bad.text).toContain('host key fingerprint as ssh-keygen -lf prints it');
    const noKey = await operator.client.call('setClinicClearinghouse', {
      params: { clinicId },
      body: { transport: 'sftp', host: sftp.host, port: sftp.port, username: sftp.username, hostKeySha256: sftp.hostKeySha256, ...sftpFolders('beta') },
    });
    expect(noKey.status).toBe(400);
    expect(noKey.text).toContain('Give the private key (preferred) or the password for the SFTP user.');

    const set = await operator.client.call('setClinicClearinghouse', {
      params: { clinicId },
      body: { transport: 'sftp', host: sftp.host, port: sftp.port, username: sftp.username, hostKeySha256: sftp.hostKeySha256, privateKey: sftp.privateKey, ...sftpFolders('beta') },
    });
    expect(set.status).toBe(200);
    expect(set.body).toMatchObject({
      configured: true,
      source: 'central',
      transport: 'sftp',
      host: sftp.host,
      user: sftp.username,
      folders: { upload: at('beta', 'outbound'), x835: at('beta', 'inbound/835') },
      lastTest: null,
    });
    const keyBody = sftp.privateKey.split('\n')[1]!;
    expect(set.text).not.toContain(keyBody);
    // Stored encrypted, bound to the clinic: no trace of the key in the row.
    const rows = await centralQuery(central, 'SELECT clinic_id, secret, settings::text AS settings FROM tessera.clearinghouse_connections');
    expect(rows).toHaveLength(1);
    expect(rows[0].secret).toMatch(/^enc:v1:/);
    expect(rows[0].secret + rows[0].settings).not.toContain(keyBody);

    // Changing a folder without the key keeps the stored key.
    const moved = await operator.client.call('setClinicClearinghouse', {
      params: { clinicId },
      body: { transport: 'sftp', host: sftp.host, port: sftp.port, username: sftp.username, hostKeySha256: sftp.hostKeySha256, ...sftpFolders('beta') },
    });
    expect(moved.status).toBe(200);

    const tested = await operator.client.call('testClinicClearinghouse', { params: { clinicId } });
    expect(tested.status).toBe(200);
    expect(tested.body.lastTest).toMatchObject({ ok: true, message: 'Connected; 0 files are waiting in the inbound folders.' });
    expect((await operator.client.call('getClinicClearinghouse', { params: { clinicId } })).body.lastTest).toMatchObject({ ok: true });
    // The environment's clinic reports its connection too (not stored, not editable from here).
    expect((await operator.client.call('getClinicClearinghouse', { params: { clinicId: clinics[0]!.clinic.clinicId } })).body).toMatchObject({
      configured: true,
      source: 'environment',
      folders: { upload: at('alpha', 'outbound') },
    });
    // An administrator of another organization does not see the clinic.
    const other = await signedInAdmin(central, clinics[0]!.clinic.orgId);
    expect((await other.client.call('getClinicClearinghouse', { params: { clinicId } })).status).toBe(404);
    // Every change and test is in the administration audit (refusals too), by ids only.
    const audit = await centralQuery(central, `SELECT action, target, outcome FROM tessera.admin_audit WHERE action LIKE '%Clearinghouse' ORDER BY seq`);
    expect(audit.map((a) => a.action)).toEqual([...Array(4).fill('setClinicClearinghouse'), 'testClinicClearinghouse']);
    expect(audit.filter((a) => /^(2|ok)/.test(a.outcome))).toHaveLength(3);
    expect(JSON.stringify(audit)).not.toContain(keyBody);
  });

  it("sends each clinic's batch to its own server and hands inbound files only to that clinic", async () => {
    const batches = clinics.map(({ world }) => {
      const visit = world.closedVisit(world.insuredPatient(), [{ code: '90837', cents: 18000 }]);
      createClaimsFromVisit(world.store, world.actor, visit.encounterId);
      return buildBatch(world.store, world.actor);
    });
    for (const c of clinics) await c.w.sync.syncNow();
    const run = await central.running.clearinghouse.runNow();
    expect(run.sent.map((s) => [s.batchId, s.status]).sort()).toEqual(batches.map((b) => [b.batchId, 'sent']).sort());
    for (const [i, c] of clinics.entries()) {
      const files = ls(c.dir, 'outbound');
      expect(files).toHaveLength(1);
      expect(fs.readFileSync(path.join(at(c.dir, 'outbound'), files[0]!), 'utf8')).toContain(
        `*${String(batches[i]!.interchangeControlNumber).padStart(9, '0')}*`,
      );
    }

    // Each clinic's clearinghouse returns a 999 for its batch.
    for (const [i, c] of clinics.entries())
      fs.writeFileSync(at(c.dir, `inbound/999/ack-${c.dir}.999`), ack999({ control: 9100 + i, group: batches[i]!.interchangeControlNumber, accepted: true }));
    expect((await central.running.clearinghouse.runNow()).received).toBe(2);
    const handed = await centralQuery(central, 'SELECT clinic_id, name FROM tessera.clearinghouse_inbound ORDER BY name');
    expect(handed).toEqual([
      { clinic_id: clinics[0]!.clinic.clinicId, name: 'ack-alpha.999' },
      { clinic_id: clinics[1]!.clinic.clinicId, name: 'ack-beta.999' },
    ]);
    for (const c of clinics) {
      expect(ls(c.dir, 'inbound/999')).toEqual([]);
      await c.w.sync.syncNow();
      await settle(c.w);
    }
    for (const [i, c] of clinics.entries()) {
      const q = c.w.t.server.store.db.prepare('SELECT name, imported_at IS NOT NULL AS done, import_error FROM claim_inbound_files').all();
      expect(q).toEqual([{ name: `ack-${c.dir}.999`, done: 1, import_error: null }]);
      const b = c.w.t.server.store.db.prepare('SELECT status FROM claim_batches WHERE id = ?').get(batches[i]!.batchId);
      expect(b).toEqual({ status: 'accepted' });
    }
  });

  it('keeps the last poll per clinic across a restart: set-up tab and health page', async () => {
    const polls = await centralQuery(central, 'SELECT clinic_id, last_poll_at FROM tessera.clearinghouse_polls ORDER BY clinic_id');
    expect(polls.map((p) => p.clinic_id).sort()).toEqual(clinics.map((c) => c.clinic.clinicId).sort());
    await central.restart({ clearinghouse: envSettings(clinics[0]!.clinic.clinicId, 'alpha') });
    for (const [i, c] of clinics.entries()) {
      const s = await status(i);
      const poll = polls.find((p) => p.clinic_id === c.clinic.clinicId)!;
      expect(s).toMatchObject({ reachable: true, configured: true, transport: 'sftp', lastPollAt: new Date(poll.last_poll_at).toISOString() });
    }
    const health = await operator.client.call('centralHealthReport');
    for (const c of clinics)
      expect(health.body.clinics.find((h: { clinicId: string }) => h.clinicId === c.clinic.clinicId).clearinghouseLastPollAt).toMatch(/^\d{4}-/);

    // Removing clinic B's stored connection stops its traffic; clinic A's environment one keeps going.
    const removed = await operator.client.call('removeClinicClearinghouse', { params: { clinicId: clinics[1]!.clinic.clinicId } });
    expect(removed.body).toMatchObject({ configured: false });
    fs.writeFileSync(at('beta', 'inbound/999/late.999'), ack999({ control: 9200, group: 1, accepted: true }));
    await central.running.clearinghouse.runNow();
    expect(ls('beta', 'inbound/999')).toEqual(['late.999']);
    expect(await status(1)).toMatchObject({ configured: false });
  });
});
