import crypto from 'node:crypto';
import { parseUpdateInfo, resolveFiles } from 'electron-updater/out/providers/Provider';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { centralApi } from '../../../server/contracts/central/endpoints';
import {
  CentralClient,
  createOrgAndClinic,
  enrollmentCode,
  signedInAdmin,
  startTestCentral,
  type CentralAdmin,
  type TestCentral,
  type TestClinic,
} from '../../support/central';
import { joinClinic } from '../../support/sync';
import { startTestServer } from '../../support/workstation';
import { updateFeedOf } from '../../../server/workstation/sync/update-feed';

/**
 * Central's update feed end to end, as IT publishes a release and as electron-updater's generic provider
 * reads it: upload, publish with electron-builder's manifests, channels, staged rollout, withdrawal by a
 * higher version, byte ranges for differential downloads, and the organization boundary.
 */

let central: TestCentral;
let operator: CentralAdmin;
let orgAdmin: CentralAdmin;
let clinic: TestClinic;
let other: TestClinic;
let device: CentralClient;
let otherDevice: CentralClient;

const deviceHeaders = { 'x-tessera-protocol': '1', 'x-tessera-schema': '5' };
const sha512 = (b: Buffer) => crypto.createHash('sha512').update(b).digest('base64');

/** An installer and its blockmap as electron-builder would write them (random bytes; 2.5 chunks long). */
function buildArtifacts(version: string) {
  const installer = crypto.randomBytes(2.5 * 1024 * 1024);
  const blockmap = crypto.randomBytes(4096);
  const name = `Tessera-Setup-${version}.exe`;
  const manifest = [
    `version: ${version}`,
    'files:',
    `  - url: ${name}`,
    `    sha512: ${sha512(installer)}`,
    `    size: ${installer.length}`,
    `path: ${name}`,
    `sha512: ${sha512(installer)}`,
    `releaseDate: '2026-12-04T10:00:00.000Z'`,
    '',
  ].join('\n');
  return { installer, blockmap, name, manifest };
}

async function upload(admin: CentralAdmin, orgId: string, name: string, bytes: Buffer) {
  const res = await fetch(`${central.url}/v1/admin/orgs/${orgId}/updates/files/${name}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${admin.client.token}`, 'content-type': 'application/octet-stream' },
    body: new Uint8Array(bytes),
  });
  return { status: res.status, body: (await res.json()) as { name: string; sha512: string; size: number } };
}

async function publishBuild(version: string, opts: { stagingPercentage?: number; manifestNames?: string[] } = {}) {
  const a = buildArtifacts(version);
  expect((await upload(orgAdmin, clinic.orgId, a.name, a.installer)).status).toBe(200);
  expect((await upload(orgAdmin, clinic.orgId, `${a.name}.blockmap`, a.blockmap)).status).toBe(200);
  const manifests = Object.fromEntries((opts.manifestNames ?? ['latest.yml', 'beta.yml']).map((n) => [n, a.manifest]));
  const res = await orgAdmin.client.call('createRelease', {
    params: { orgId: clinic.orgId },
    body: { version, manifests, ...(opts.stagingPercentage && { stagingPercentage: opts.stagingPercentage }) },
  });
  return { ...a, res };
}

const feed = (client: CentralClient, name: string, headers: Record<string, string> = {}) =>
  fetch(`${central.url}/v1/updates/${name}`, {
    headers: { authorization: `Bearer ${client.token}`, ...client.headers, ...headers },
  });

async function enrolledDevice(admin: CentralAdmin, c: TestClinic): Promise<CentralClient> {
  // A clinic is enrolled into once it has a first staff account.
  await admin.client.call('createStaff', {
    params: { clinicId: c.clinicId },
    body: { username: `first.${c.clinicId.slice(0, 8)}`, fullName: 'First Staff', password: 'quiet harbor lantern 42', roles: ['admin'] },
  });
  const code = await enrollmentCode(admin, c.clinicId);
  const res = await new CentralClient(central.url).call('enroll', {
    body: { code, workstationId: crypto.randomUUID(), name: 'Desk', schemaVersion: 5, clinicId: null },
  });
  expect(res.status, res.text).toBe(200);
  return new CentralClient(central.url, res.body.credential, deviceHeaders);
}

beforeAll(async () => {
  central = await startTestCentral();
  operator = await signedInAdmin(central);
  clinic = await createOrgAndClinic(operator);
  other = await createOrgAndClinic(operator, 'Lakeside Counseling');
  orgAdmin = await signedInAdmin(central, clinic.orgId);
  device = await enrolledDevice(operator, clinic);
  otherDevice = await enrolledDevice(operator, other);
}, 120_000);

afterAll(async () => {
  await central?.destroy();
});

describe('update feed', () => {
  let first: Awaited<ReturnType<typeof publishBuild>>;

  it('publishes a release whose manifests name uploaded files, and serves what electron-updater reads', async () => {
    first = await publishBuild('1.2.0');
    expect(first.res.status, first.res.text).toBe(201);
    expect(first.res.body).toMatchObject({ version: '1.2.0', channel: 'stable', stagingPercentage: 100 });

    const res = await feed(device, 'latest.yml');
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('private, no-store');
    const text = await res.text();
    // electron-updater's own parser reads it, and resolves the installer next to the manifest.
    const info = parseUpdateInfo(text, 'latest.yml', new URL(`${central.url}/v1/updates/latest.yml`));
    expect(info.version).toBe('1.2.0');
    expect(info.stagingPercentage).toBeUndefined();
    const [file] = resolveFiles(info, new URL(`${central.url}/v1/updates/`));
    expect(file!.url.pathname).toBe(`/v1/updates/${first.name}`);
    expect(file!.info.sha512).toBe(sha512(first.installer));

    const whole = await feed(device, first.name);
    expect(whole.status).toBe(200);
    const bytes = Buffer.from(await whole.arrayBuffer());
    expect(bytes.length).toBe(first.installer.length);
    expect(sha512(bytes)).toBe(info.files[0]!.sha512);
    const blockmap = Buffer.from(await (await feed(device, `${first.name}.blockmap`)).arrayBuffer());
    expect(blockmap.equals(first.blockmap)).toBe(true);
  });

  it('answers byte ranges across chunk boundaries: one range, and several as multipart/byteranges', async () => {
    const mib = 1024 * 1024;
    const one = await feed(device, first.name, { range: `bytes=${mib - 10}-${mib + 9}` });
    expect(one.status).toBe(206);
    expect(one.headers.get('content-range')).toBe(`bytes ${mib - 10}-${mib + 9}/${first.installer.length}`);
    expect(Buffer.from(await one.arrayBuffer()).equals(first.installer.subarray(mib - 10, mib + 10))).toBe(true);

    const ranges: [number, number][] = [
      [0, 99],
      [2 * mib - 5, 2 * mib + 4],
      [first.installer.length - 7, first.installer.length - 1],
    ];
    const multi = await feed(device, first.name, { range: `bytes=${ranges.map(([a, b]) => `${a}-${b}`).join(',')}` });
    expect(multi.status).toBe(206);
    const type = multi.headers.get('content-type')!;
    const boundary = /^multipart\/byteranges; boundary=([^\s";]+)$/.exec(type)?.[1];
    expect(boundary, type).toBeDefined();
    const body = Buffer.from(await multi.arrayBuffer());
    const parts = body
      .toString('latin1')
      .split(`--${boundary}`)
      .slice(1, -1)
      .map((p) => {
        const [head, data] = p.split('\r\n\r\n');
        return { range: /Content-Range: bytes (\d+)-(\d+)\/(\d+)/.exec(head!)!, data: Buffer.from(data!.slice(0, -2), 'latin1') };
      });
    expect(parts).toHaveLength(3);
    parts.forEach((p, i) => {
      const [a, b] = ranges[i]!;
      expect([Number(p.range[1]), Number(p.range[2]), Number(p.range[3])]).toEqual([a, b, first.installer.length]);
      expect(p.data.equals(first.installer.subarray(a, b + 1))).toBe(true);
    });

    const outside = await feed(device, first.name, { range: `bytes=${first.installer.length + 10}-` });
    expect(outside.status).toBe(416);
    expect(outside.headers.get('content-range')).toBe(`bytes */${first.installer.length}`);
  });

  it('refuses a manifest that does not match the uploaded bytes, and keeps nothing of it', async () => {
    const a = buildArtifacts('1.3.0');
    await upload(orgAdmin, clinic.orgId, a.name, a.installer);
    const tampered = a.manifest.replace(String(a.installer.length), String(a.installer.length + 1));
    const res = await orgAdmin.client.call('createRelease', {
      params: { orgId: clinic.orgId },
      body: { version: '1.3.0', manifests: { 'latest.yml': tampered } },
    });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(/differs from what latest\.yml says/);
    const missing = await orgAdmin.client.call('createRelease', {
      params: { orgId: clinic.orgId },
      body: { version: '1.3.0', manifests: { 'latest.yml': a.manifest.replaceAll(a.name, 'Other.exe') } },
    });
    expect(missing.body.error.message).toMatch(/names Other\.exe, which has not been uploaded/);
    expect(parseUpdateInfo(await (await feed(device, 'latest.yml')).text(), 'latest.yml', new URL(central.url)).version).toBe('1.2.0');
  });

  it('never lets a file change under its name', async () => {
    const same = await upload(orgAdmin, clinic.orgId, first.name, first.installer);
    expect(same.status).toBe(200);
    const changed = await upload(orgAdmin, clinic.orgId, first.name, crypto.randomBytes(100));
    expect(changed.status).toBe(409);
    const bytes = Buffer.from(await (await feed(device, first.name)).arrayBuffer());
    expect(bytes.equals(first.installer)).toBe(true);
  });

  it('keeps beta releases to beta machines, and stable releases reach both', async () => {
    const beta = await publishBuild('1.4.0-beta.1', { manifestNames: ['beta.yml'] });
    expect(beta.res.status, beta.res.text).toBe(201);
    expect(beta.res.body.channel).toBe('beta');
    const betaInfo = parseUpdateInfo(await (await feed(device, 'beta.yml')).text(), 'beta.yml', new URL(central.url));
    expect(betaInfo.version).toBe('1.4.0-beta.1');
    const stableInfo = parseUpdateInfo(await (await feed(device, 'latest.yml')).text(), 'latest.yml', new URL(central.url));
    expect(stableInfo.version).toBe('1.2.0');

    const wrong = await publishBuild('1.5.0-beta.1', { manifestNames: ['latest.yml'] });
    expect(wrong.res.status).toBe(400);
    expect(wrong.res.body.error.message).toMatch(/carries beta manifests only/);
  });

  it('rolls out in stages, and withdraws a bad release only by a higher version', async () => {
    const bad = await publishBuild('1.4.0', { stagingPercentage: 10 });
    expect(bad.res.status, bad.res.text).toBe(201);
    const staged = parseUpdateInfo(await (await feed(device, 'latest.yml')).text(), 'latest.yml', new URL(central.url));
    expect(staged).toMatchObject({ version: '1.4.0', stagingPercentage: 10 });
    // Stable 1.4.0 is newer than 1.4.0-beta.1, so beta machines are offered it too.
    expect(parseUpdateInfo(await (await feed(device, 'beta.yml')).text(), 'beta.yml', new URL(central.url)).version).toBe('1.4.0');

    const widened = await orgAdmin.client.call('setReleaseRollout', {
      params: { orgId: clinic.orgId, version: '1.4.0' },
      body: { stagingPercentage: 100 },
    });
    expect(widened.status).toBe(200);
    const all = parseUpdateInfo(await (await feed(device, 'latest.yml')).text(), 'latest.yml', new URL(central.url));
    expect(all.stagingPercentage).toBeUndefined();

    const older = await publishBuild('1.3.5');
    expect(older.res.status).toBe(409);
    expect(older.res.body.error.message).toMatch(/publish a higher version to replace a release/);
    const fix = await publishBuild('1.4.1');
    expect(fix.res.status).toBe(201);
    expect(parseUpdateInfo(await (await feed(device, 'latest.yml')).text(), 'latest.yml', new URL(central.url)).version).toBe('1.4.1');

    const list = await orgAdmin.client.call('listReleases', { params: { orgId: clinic.orgId } });
    expect(list.body.releases.map((r: { version: string }) => r.version)).toEqual(['1.4.1', '1.4.0', '1.4.0-beta.1', '1.2.0']);
  });

  it('is private to the organization: another organization’s workstation and administrator see nothing', async () => {
    expect((await feed(otherDevice, 'latest.yml')).status).toBe(404);
    expect((await feed(otherDevice, first.name)).status).toBe(404);
    const otherAdmin = await signedInAdmin(central, other.orgId);
    expect((await upload(otherAdmin, clinic.orgId, 'x.exe', Buffer.from('x'))).status).toBe(403);
    expect((await otherAdmin.client.call('listReleases', { params: { orgId: clinic.orgId } })).status).toBe(403);
    expect((await fetch(`${central.url}${centralApi.updateFeed.path.replace(':name', 'latest.yml')}`)).status).toBe(400);
    expect((await feed(new CentralClient(central.url, 'not-a-credential', deviceHeaders), 'latest.yml')).status).toBe(401);
  });

  it('refuses names with folders and uploads without a length', async () => {
    expect((await feed(device, '..%2Fetc%2Fpasswd')).status).toBe(400);
    const chunked = await fetch(`${central.url}/v1/admin/orgs/${clinic.orgId}/updates/files/y.exe`, {
      method: 'POST',
      headers: { authorization: `Bearer ${orgAdmin.client.token}` },
      body: new ReadableStream({
        start(c) {
          c.enqueue(new Uint8Array([1, 2, 3]));
          c.close();
        },
      }),
      duplex: 'half',
    } as RequestInit);
    expect(chunked.status).toBe(411);
  });

  it('is what a workstation reports to its desktop updater once enrolled: the feed URL and its credential', async () => {
    const fresh = await startTestServer();
    try {
      expect(updateFeedOf(fresh.server.store)).toBeNull();
    } finally {
      await fresh.stop();
    }
    const ws = await joinClinic(central, operator, clinic);
    try {
      const feedOf = updateFeedOf(ws.t.server.store)!;
      expect(feedOf.url).toBe(`${central.url}/v1/updates`);
      const res = await fetch(`${feedOf.url}/latest.yml`, { headers: feedOf.headers });
      expect(res.status).toBe(200);
      expect(parseUpdateInfo(await res.text(), 'latest.yml', new URL(feedOf.url)).version).toBe('1.4.1');
    } finally {
      await ws.t.stop();
    }
  });
});
