/**
 * Claims transport end to end (docs/claims-inbound.md, "Transport"): real central (two nodes on one
 * PostgreSQL), two real workstations replicating with it, and a real OpenSSH SFTP server on loopback as the
 * clearinghouse. A batch built offline reaches the SFTP server exactly once after reconnecting (also with
 * two central nodes racing, a failed first attempt and a restart); its status comes back to the
 * workstations. A 999 and an 835 dropped into the inbound folders are handed over once and imported on
 * exactly one workstation, posting once; the claim's history names the clearinghouse as their origin. A
 * 271 goes to the eligibility import the same way, and its answer shows on both workstations.
 * The clearinghouse credentials never reach a workstation.
 */
import fs from 'node:fs';
import path from 'node:path';
import { v7 as uuidv7 } from 'uuid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClearinghouseJobSettings } from '../../../server/central/services/clearinghouse/config';
import type { SendOutcome } from '../../../server/central/services/clearinghouse/transmit';
import { startCentral, type RunningCentral } from '../../../server/central/start';
import { createLogger } from '../../../server/platform/logging';
import { buildBatch } from '../../../server/workstation/services/claims/batch';
import { getClaim } from '../../../server/workstation/services/claims/board';
import { createClaimsFromVisit } from '../../../server/workstation/services/claims/create';
import { buildEligibilityRequest, patientEligibility } from '../../../server/workstation/services/claims/eligibility';
import { clearinghouseConnectionStatus, OFFLINE } from '../../../server/workstation/services/claims/central-connection';
import { TelehealthGateway } from '../../../server/workstation/services/telehealth/gateway';
import { systemActor } from '../../../server/workstation/db/store';
import { readSyncState } from '../../../server/workstation/sync/state';
import {
  createOrgAndClinic,
  signedInAdmin,
  startTestCentral,
  type CentralAdmin,
  type TestCentral,
  type TestClinic,
} from '../../support/central';
import { startSftpServer, type SftpServer } from '../../support/sftp';
import {
  centralQuery,
  count,
  FaultyNetwork,
  joinClinic,
  settle,
  setUpAndEnroll,
  type SyncedWorkstation,
} from '../../support/sync';
import { startClearinghouseDouble } from '../../support/clearinghouse-double';
import { ack277, ack999, claimsWorldOn, era835 } from './claims-world';

let sftp: SftpServer;
let central: TestCentral;
let node2: RunningCentral | null;
let operator: CentralAdmin;
let clinic: TestClinic;
let a: SyncedWorkstation;
let b: SyncedWorkstation;
const network = new FaultyNetwork();

const dirs = ['outbound', 'inbound/999', 'inbound/277ca', 'inbound/835', 'inbound/271', 'archive'];
const at = (rel: string) => path.join(sftp.root, rel);
const ls = (rel: string) => (fs.existsSync(at(rel)) ? fs.readdirSync(at(rel)).filter((f) => !f.startsWith('.')).sort() : []);

function clearinghouseSettings(clinicId: string): ClearinghouseJobSettings {
  return {
    clinicId,
    // The test drives the runs (runNow); the timers stay out of the way.
    sendEveryMs: 3_600_000,
    pollEveryMs: 3_600_000,
    backoffMs: [8_000],
    connection: {
      transport: 'sftp',
      sftp: {
        host: sftp.host,
        port: sftp.port,
        username: sftp.username,
        privateKey: sftp.privateKey,
        hostKeySha256: sftp.hostKeySha256,
        uploadDir: at('outbound'),
        inboundDirs: { '999': at('inbound/999'), '277CA': at('inbound/277ca'), '835': at('inbound/835'), '271': at('inbound/271') },
        archiveDir: at('archive'),
      },
    },
  };
}

/** Both central nodes run their clearinghouse job at the same moment. */
async function bothNodesRun(): Promise<{ sent: SendOutcome[]; received: number }> {
  const [x, y] = await Promise.all([central.running.clearinghouse!.runNow(), node2!.clearinghouse!.runNow()]);
  return { sent: [...x.sent, ...y.sent], received: x.received + y.received };
}

const fixture271 = fs.readFileSync(path.resolve(__dirname, '../../fixtures/claims/eligibility-active.271'), 'utf8');

const q = <T>(w: SyncedWorkstation, sql: string, ...args: unknown[]) => w.t.server.store.db.prepare(sql).all(...args) as T[];

let world: ReturnType<typeof claimsWorldOn>;
let claimId: string;
let batch: ReturnType<typeof buildBatch>;

beforeAll(async () => {
  sftp = await startSftpServer();
  for (const d of dirs) if (d !== 'outbound') fs.mkdirSync(at(d), { recursive: true });
  central = await startTestCentral();
  operator = await signedInAdmin(central);
  clinic = await createOrgAndClinic(operator);
  a = await setUpAndEnroll(central, operator, clinic, { name: 'Front desk 1', fetch: network.fetch });
  b = await joinClinic(central, operator, clinic, { name: 'Billing office' });
  // The clinic's id is the first workstation's (enrollment); the connection is configured for it.
  await central.restart({ clearinghouse: clearinghouseSettings(clinic.clinicId) });
  node2 = await startCentral(
    { ...central.config, port: 0, migrateOnStart: false },
    { logger: createLogger('tessera-central', undefined, 'error') },
  );

  const store = a.t.server.store;
  const adminId = (store.db.prepare('SELECT id FROM users LIMIT 1').get() as { id: string }).id;
  let n = 0;
  world = claimsWorldOn(
    {
      store,
      clinicId: store.requireClinicId(),
      actor: { userId: adminId, username: 'admin' },
      patient: () => {
        const id = uuidv7();
        n++;
        store.write(systemActor, (w) =>
          w.insert('patients', {
            id,
            clinicId: store.requireClinicId(),
            mrn: String(200000000 + n),
            legalFirstName: `Pat${n}`,
            legalLastName: 'Transport',
            dateOfBirth: '1980-02-29',
            restricted: false,
            createdAt: store.nowIso(),
            updatedAt: store.nowIso(),
          }),
        );
        return id;
      },
    },
    { clinicianId: adminId },
  );
  await settle(a, b);
}, 120_000);

afterAll(async () => {
  for (const w of [a, b]) await w?.t.stop();
  await node2?.close();
  await central?.destroy();
  await sftp?.stop();
});

describe('a batch queued offline', () => {
  it('waits on the workstation while it is offline; central sends nothing', async () => {
    network.offline = true;
    const visit = world.closedVisit(world.insuredPatient(), [{ code: '90837', cents: 18000 }]);
    claimId = createClaimsFromVisit(world.store, world.actor, visit.encounterId)[0]!.id;
    batch = buildBatch(world.store, world.actor);
    expect(batch.claimIds).toEqual([claimId]);
    await a.sync.syncNow();
    expect(a.sync.status().pending).toBeGreaterThan(0);
    expect((await bothNodesRun()).sent).toEqual([]);
    expect(getClaim(world.store, world.actor, claimId).claim.batch).toMatchObject({
      status: 'queued',
      sentAt: null,
      transmission: expect.stringMatching(/^Queued: the central server sends it/),
    });
  });

  it('after reconnecting, a failed attempt is recorded with its reason and shown on the workstations', async () => {
    network.offline = false;
    await settle(a, b);
    // The clearinghouse's upload folder is missing: the upload fails.
    const run = await bothNodesRun();
    expect(run.sent).toHaveLength(1);
    expect(run.sent[0]).toMatchObject({ batchId: batch.batchId, status: 'failed' });
    // Not due again before the backoff has passed, even with the folder back.
    fs.mkdirSync(at('outbound'));
    expect((await bothNodesRun()).sent).toEqual([]);
    await settle(a, b);
    for (const w of [a, b]) {
      const [row] = q<{ status: string; send_error: string; send_attempts: number; next_send_at: string }>(
        w,
        'SELECT status, send_error, send_attempts, next_send_at FROM claim_batches WHERE id = ?',
        batch.batchId,
      );
      expect(row).toMatchObject({ status: 'queued', send_attempts: 1 });
      expect(row!.send_error).toMatch(/clearinghouse/i);
      expect(row!.next_send_at).toBeTruthy();
    }
    expect(getClaim(world.store, world.actor, claimId).claim.batch!.transmission).toMatch(
      /^Not sent yet: The clearinghouse upload failed: .* Central tries again on /,
    );
  });

  it('is sent exactly once, by one of two central nodes, and the status comes back', async () => {
    const due = q<{ next_send_at: string }>(a, 'SELECT next_send_at FROM claim_batches WHERE id = ?', batch.batchId)[0]!.next_send_at;
    await new Promise((r) => setTimeout(r, Math.max(0, Date.parse(due) - Date.now() + 100)));
    const run = await bothNodesRun();
    expect(run.sent).toEqual([{ batchId: batch.batchId, status: 'sent', upload: 'uploaded' }]);
    expect(ls('outbound')).toEqual([batch.fileName]);
    const [file] = q<{ content: string }>(a, 'SELECT content FROM claim_files WHERE id = ?', batch.fileId);
    expect(fs.readFileSync(at(`outbound/${batch.fileName}`), 'utf8')).toBe(file!.content);

    // The clearinghouse takes the file away; neither node, nor a restarted one, sends it again.
    fs.renameSync(at(`outbound/${batch.fileName}`), at(`archive/${batch.fileName}`));
    expect((await bothNodesRun()).sent).toEqual([]);
    await central.restart();
    expect((await bothNodesRun()).sent).toEqual([]);
    expect(ls('outbound')).toEqual([]);
    const [t] = await centralQuery(central, 'SELECT status, attempts FROM tessera.claim_transmissions WHERE batch_id = $1', [
      batch.batchId,
    ]);
    expect(t).toEqual({ status: 'sent', attempts: 2 });

    await settle(a, b);
    const shown = getClaim(world.store, world.actor, claimId).claim.batch!;
    expect(shown).toMatchObject({
      status: 'sent',
      sendError: null,
      nextSendAt: null,
      transmission: expect.stringMatching(/^Sent to the clearinghouse on \w{3} \d{1,2} at /),
    });
    expect(Date.parse(shown.sentAt!)).toBeGreaterThan(0);
    expect(q(b, 'SELECT status FROM claim_batches WHERE id = ?', batch.batchId)).toEqual([{ status: 'sent' }]);
  });
});

describe('files the clearinghouse returns', () => {
  it('are handed over once and imported on exactly one of two workstations, posting once', async () => {
    const claim = q<{ patient_control_number: string }>(a, 'SELECT patient_control_number FROM claims WHERE id = ?', claimId)[0]!;
    fs.writeFileSync(at('inbound/999/ack-0001.999'), ack999({ control: 9001, group: batch.interchangeControlNumber, accepted: true }));
    const era = era835({
      control: 9002,
      trace: 'EFT-TRANSPORT-1',
      claims: [
        {
          pcn: claim.patient_control_number,
          status: '1',
          chargeCents: 18000,
          paidCents: 12000,
          lines: [{ code: '90837', chargeCents: 18000, paidCents: 12000, cas: [['CO', '45', 6000]] }],
        },
      ],
    });
    fs.writeFileSync(at('inbound/835/era-0001.835'), era);

    expect((await bothNodesRun()).received).toBe(2);
    expect(ls('inbound/999')).toEqual([]);
    expect(ls('inbound/835')).toEqual([]);
    // Dropped again: recognised by its digest, archived, not handed over a second time.
    fs.writeFileSync(at('inbound/835/era-0001-again.835'), era);
    expect((await bothNodesRun()).received).toBe(0);
    expect(ls('inbound/835')).toEqual([]);
    const rows = await centralQuery(central, `SELECT data->>'kind' AS kind FROM tessera.replica_rows WHERE table_name = 'claim_inbound_files' ORDER BY 1`);
    expect(rows.map((r) => r.kind)).toEqual(['x835', 'x999']);

    // Both workstations pull the files and race for them.
    await Promise.all([a.sync.syncNow(), b.sync.syncNow()]);
    await settle(a, b);
    await settle(a, b);
    for (const w of [a, b]) {
      expect(q(w, `SELECT kind, imported_at IS NOT NULL AS done, import_error FROM claim_inbound_files ORDER BY kind`)).toEqual([
        { kind: 'x835', done: 1, import_error: null },
        { kind: 'x999', done: 1, import_error: null },
      ]);
      expect(count(w.t, `SELECT count(*) AS n FROM claim_files WHERE direction = 'inbound'`)).toBe(2);
      expect(count(w.t, 'SELECT count(*) AS n FROM era_payments')).toBe(1);
      expect(count(w.t, `SELECT count(*) AS n FROM ledger_entries WHERE kind = 'payment' AND responsibility = 'insurance'`)).toBe(1);
      expect(q(w, 'SELECT status, paid_cents FROM claims WHERE id = ?', claimId)).toEqual([{ status: 'paid', paid_cents: 12000 }]);
    }
    // Each file was granted to the workstation that imported it; the other is refused it, that one not.
    const grants = await centralQuery(central, 'SELECT inbound_file_id, import_device_id FROM tessera.clearinghouse_inbound');
    expect(grants).toHaveLength(2);
    for (const g of grants) {
      const [importer] = q<{ imported_by_device: string }>(a, 'SELECT imported_by_device FROM claim_inbound_files WHERE id = ?', g.inbound_file_id);
      expect(importer!.imported_by_device).toBe(g.import_device_id);
      for (const w of [a, b]) {
        const mine = readSyncState(w.t.server.store).deviceId === g.import_device_id;
        expect(await w.sync.centralClient()!.grantInboundImport(g.inbound_file_id)).toEqual({ granted: mine });
      }
    }

    // (Each workstation's test clock stands still, so the two imports' times do not order them.)
    const history = getClaim(world.store, world.actor, claimId).history.filter((h) => h.file?.direction === 'inbound');
    expect(history.map((h) => [h.kind, h.file!.name, h.file!.origin?.via, h.file!.origin?.transport]).sort()).toEqual([
      ['ack_999', 'ack-0001.999', 'clearinghouse', 'sftp'],
      ['era', 'era-0001.835', 'clearinghouse', 'sftp'],
    ]);
  });

  it('a 271 from the clearinghouse reaches the eligibility import on one workstation; both show the answer', async () => {
    const patientId = world.insuredPatient();
    const now = world.store.nowIso();
    world.store.write(systemActor, (w) =>
      w.insert('appointments', {
        id: uuidv7(),
        clinicId: world.clinicId,
        patientId,
        providerId: world.clinicianId,
        appointmentTypeId: uuidv7(),
        locationId: uuidv7(),
        startsAt: '2026-03-12T15:00:00.000Z',
        endsAt: '2026-03-12T16:00:00.000Z',
        timeZone: 'America/Chicago',
        modality: 'in_person',
        status: 'scheduled',
        statusChangedAt: now,
        note: '',
        detached: false,
        lateCancel: false,
        createdAt: now,
        updatedAt: now,
      }),
    );
    buildEligibilityRequest(world.store, world.actor, '2026-03-12');
    const [check] = q<{ id: string }>(a, `SELECT id FROM eligibility_checks WHERE patient_id = ?`, patientId);
    await settle(a, b);
    // The 271 echoes our check id (upper case, as X12 writes it); its second answer is nobody's.
    const answer = fixture271.replace('APPT-0001', check!.id.toUpperCase()).replace('APPT-0002', uuidv7());
    fs.writeFileSync(at('inbound/271/eligibility-0001.271'), answer);
    expect((await bothNodesRun()).received).toBe(1);
    expect(ls('inbound/271')).toEqual([]);

    await Promise.all([a.sync.syncNow(), b.sync.syncNow()]);
    await settle(a, b);
    await settle(a, b);
    for (const w of [a, b]) {
      const [row] = q<{ done: number; import_error: string | null; file_id: string }>(
        w,
        `SELECT imported_at IS NOT NULL AS done, import_error, file_id FROM claim_inbound_files WHERE kind = 'x271'`,
      );
      expect(row).toMatchObject({ done: 1, import_error: null });
      // Stored once, as an eligibility file with its origin; never as a claims file.
      const files = q<{ id: string; summary: string }>(w, `SELECT id, summary FROM eligibility_files WHERE kind = 'x271'`);
      expect(files.map((f) => f.id)).toEqual([row!.file_id]);
      expect(JSON.parse(files[0]!.summary)).toMatchObject({ answers: 2, origin: { via: 'clearinghouse', transport: 'sftp' } });
      expect(count(w.t, `SELECT count(*) AS n FROM claim_files WHERE name = 'eligibility-0001.271'`)).toBe(0);
      expect(q(w, 'SELECT status FROM eligibility_checks WHERE id = ?', check!.id)).toEqual([{ status: 'active' }]);
    }
    const shown = patientEligibility(b.t.server.store, world.actor as { userId: string; username: string }, patientId).checks;
    expect(shown).toEqual([expect.objectContaining({ id: check!.id, status: 'active', summary: expect.objectContaining({ planName: 'GOLD PPO 1500' }) })]);
  });

  it('central tells the biller whether it holds the connection (kind, last send, file and poll), never its credentials', async () => {
    const userId = world.actor.userId!;
    const answer = await clearinghouseConnectionStatus(new TelehealthGateway(b.t.server.store), userId);
    expect(answer).toMatchObject({ reachable: true, configured: true, transport: 'sftp' });
    if (!answer.reachable) throw new Error('unreachable');
    for (const t of [answer.lastSendAt, answer.lastFileAt, answer.lastPollAt]) expect(Date.parse(t!)).toBeGreaterThan(0);
    const text = JSON.stringify(answer);
    for (const secret of [sftp.host + ':', sftp.username, sftp.hostKeySha256, at('outbound'), String(sftp.port)]) expect(text.includes(secret)).toBe(false);
    // Through the workstation's own route, as the signed-in biller would see it on the set-up tab.
    // A staff member central does not know is refused there; no answer at all is the offline sentence.
    expect(await clearinghouseConnectionStatus(new TelehealthGateway(b.t.server.store), uuidv7())).toMatchObject({ reachable: false, reason: 'refused' });
    const down = new TelehealthGateway(b.t.server.store, { fetch: () => Promise.reject(new Error('ECONNREFUSED')) });
    expect(await clearinghouseConnectionStatus(down, userId)).toEqual({ reachable: false, reason: 'offline', message: OFFLINE });
  });

  it('go the same way through the HTTPS clearinghouse API (recorded-contract double)', async () => {
    const double = await startClearinghouseDouble();
    try {
      await node2!.close();
      node2 = null;
      const https = { baseUrl: double.url, clientId: double.clientId, clientSecret: double.clientSecret };
      await central.restart({
        clearinghouse: { ...clearinghouseSettings(clinic.clinicId), connection: { transport: 'https', https } },
      });
      const job = central.running.clearinghouse!;
      const visit = world.closedVisit(world.insuredPatient(), [{ code: '90834', cents: 14000 }]);
      const second = createClaimsFromVisit(world.store, world.actor, visit.encounterId)[0]!;
      const built = buildBatch(world.store, world.actor);
      await settle(a, b);
      expect((await job.runNow()).sent).toEqual([{ batchId: built.batchId, status: 'sent', upload: 'uploaded' }]);
      expect((await job.runNow()).sent).toEqual([]);
      const [file] = q<{ content: string }>(a, 'SELECT content FROM claim_files WHERE id = ?', built.fileId);
      expect(double.submissions).toEqual([file!.content]);

      const pcn = q<{ patient_control_number: string }>(a, 'SELECT patient_control_number FROM claims WHERE id = ?', second.id)[0]!;
      double.deliver('X3-0001.277', ack277({ control: 9003, claims: [{ pcn: pcn.patient_control_number, accepted: true, payerClaimNumber: 'PAYER777' }] }));
      expect((await job.runNow()).received).toBe(1);
      expect(double.mailbox()).toEqual([]);
      await settle(a, b);
      await settle(a, b);
      for (const w of [a, b])
        expect(q(w, 'SELECT status, payer_claim_number FROM claims WHERE id = ?', second.id)).toEqual([
          { status: 'accepted', payer_claim_number: 'PAYER777' },
        ]);
      const ack = getClaim(world.store, world.actor, second.id).history.find((h) => h.kind === 'ack_277ca')!;
      expect(ack.file).toMatchObject({ name: 'X3-0001.277', origin: { via: 'clearinghouse', transport: 'https' } });
      expect(await clearinghouseConnectionStatus(new TelehealthGateway(a.t.server.store), world.actor.userId!)).toMatchObject({
        reachable: true,
        configured: true,
        transport: 'https',
      });
    } finally {
      await double.close();
    }
  });

  it('the clearinghouse credentials never reach a workstation', () => {
    const secrets = [sftp.privateKey.split('\n')[1]!, sftp.hostKeySha256, at('outbound')];
    for (const w of [a, b]) {
      const db = w.t.server.store.db;
      const tables = db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table'`).all() as { name: string }[];
      const text = tables.map((t) => JSON.stringify(db.prepare(`SELECT * FROM "${t.name}"`).all())).join('\n');
      for (const s of secrets) expect(text.includes(s)).toBe(false);
    }
  });
});
