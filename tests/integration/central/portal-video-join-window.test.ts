import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TelehealthSettings } from '../../../server/central/services/telehealth/config';
import { JOIN_OPENS_KEY } from '../../../server/contracts/telehealth';
import { setUpPatient, startPortalStack, type PortalBrowser, type PortalStack } from '../../support/portal';

/**
 * Admin > Portal scheduling > Video visits: the clinic sets how many minutes before the start patients may
 * join their video visit from the portal (`telehealth.join_opens_minutes`, whole minutes 0–1440). Bad values
 * are refused with a sentence and store nothing; a good one is audited, replicates, and central's portal
 * list moves `videoJoinFrom` to follow it; clearing it brings back central's default (30 minutes here).
 */

const telehealth: TelehealthSettings = {
  provider: 'direct',
  twilio: null,
  iceServers: [],
  publicUrl: null,
  opensMinutesBefore: 30,
  closesMinutesAfter: 20,
  pageDir: 'dist/telehealth',
};

let stack: PortalStack;
let a: PortalBrowser;
let visit: string; // A's video visit in three hours

const stored = () =>
  stack.workstation.t.server.store.db
    .prepare(`SELECT value FROM clinic_settings WHERE key = ?`)
    .all(JOIN_OPENS_KEY) as { value: string }[];
const audited = () =>
  (
    stack.workstation.t.server.store.db
      .prepare(`SELECT detail FROM audit_log WHERE action = 'settings.video_join_window_update' ORDER BY seq`)
      .all() as { detail: string }[]
  ).map((r) => JSON.parse(r.detail) as unknown);

/** Minutes between "Join video visit" showing and the start, as the portal lists the visit. */
async function windowInPortal(): Promise<number> {
  const r = await a.call('GET', '/v1/portal/appointments');
  expect(r.status, r.text).toBe(200);
  const v = r.body.upcoming.find((x: { id: string }) => x.id === visit);
  return (Date.parse(v.startsAt) - Date.parse(v.videoJoinFrom)) / 60_000;
}

beforeAll(async () => {
  stack = await startPortalStack({ central: { telehealth } });
  visit = await stack.bookVideo(stack.patients.a, 180);
  await stack.workstation.sync.syncNow();
  a = (await setUpPatient(stack, 'jordan@example.org', 'a')).browser;
}, 180_000);
afterAll(async () => {
  await stack?.stop();
});

describe('the video visit join window setting', () => {
  it('starts unset: the screen says so and the portal uses central’s default', async () => {
    const s = await stack.client.call('portalSchedulingSettings');
    expect(s.status, s.text).toBe(200);
    expect(s.body.videoJoinOpensMinutes).toBeNull();
    expect(await windowInPortal()).toBe(30);
  });

  it('refuses minutes outside 0–1440, fractions and text with a sentence, and stores nothing', async () => {
    const cases: [unknown, RegExp][] = [
      [-1, /0 or more minutes/],
      [1441, /At most 1440 minutes/],
      [12.5, /whole minutes/],
      ['15', /number of minutes/],
      [undefined, /number of minutes/],
    ];
    for (const [minutes, message] of cases) {
      const r = await stack.client.call('updateVideoJoinWindow', { body: { minutes } });
      expect(r.status, `${String(minutes)}: ${r.text}`).toBe(400);
      expect(r.body.error.fields.minutes, String(minutes)).toMatch(message);
    }
    expect(stored()).toEqual([]);
    expect(audited()).toEqual([]);
    expect((await stack.client.call('portalSchedulingSettings')).body.videoJoinOpensMinutes).toBeNull();
  });

  it('saves a good value (audited), which replicates and moves the portal’s join time', async () => {
    const set = await stack.client.call('updateVideoJoinWindow', { body: { minutes: 240 } });
    expect(set.status, set.text).toBe(200);
    expect(set.body.videoJoinOpensMinutes).toBe(240);
    expect(audited()).toEqual([{ before: null, after: 240 }]);
    await stack.workstation.sync.syncNow();
    expect(await windowInPortal()).toBe(240);

    const edge = await stack.client.call('updateVideoJoinWindow', { body: { minutes: 1440 } });
    expect(edge.status, edge.text).toBe(200);
    await stack.workstation.sync.syncNow();
    expect(await windowInPortal()).toBe(1440);
  });

  it('cleared, brings back central’s default', async () => {
    const clear = await stack.client.call('updateVideoJoinWindow', { body: { minutes: null } });
    expect(clear.status, clear.text).toBe(200);
    expect(clear.body.videoJoinOpensMinutes).toBeNull();
    expect(audited().at(-1)).toEqual({ before: 1440, after: null });
    await stack.workstation.sync.syncNow();
    expect(await windowInPortal()).toBe(30);
  });
});
