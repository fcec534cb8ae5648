import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TelehealthSettings } from '../../../server/central/services/telehealth/config';
import { centralQuery } from '../../support/sync';
import { PortalBrowser, setUpPatient, startPortalStack, type PortalStack } from '../../support/portal';

/**
 * "Join video visit" from the portal: the signed-in patient's own video visit, from the join link's window
 * until it ends, answers the telehealth join page carrying the link the clinic issued (the token only, in
 * the fragment); that token enters the waiting room. Before the clinic opens the visit, for an in-person
 * visit, too early, or after the end the answer is a sentence; another patient's visit is "not found".
 * Nothing is issued by the portal: the clinician's link stays the one valid link. Every attempt is in the
 * patient's activity history.
 */

const telehealth: TelehealthSettings = {
  provider: 'direct',
  twilio: null,
  iceServers: [],
  publicUrl: null,
  opensMinutesBefore: 30,
  closesMinutesAfter: 60,
  pageDir: 'dist/telehealth',
};

let stack: PortalStack;
let a: PortalBrowser;
let b: PortalBrowser;
let soon: string; // A's video visit in 10 minutes
let later: string; // A's video visit in three days
let bVideo: string; // B's video visit in 10 minutes

const join = (who: PortalBrowser, id: string) => who.call('POST', `/v1/portal/appointments/${id}/video`);

beforeAll(async () => {
  stack = await startPortalStack({ central: { telehealth } });
  soon = await stack.bookVideo(stack.patients.a, 10);
  later = await stack.bookVideo(stack.patients.a, 72 * 60);
  bVideo = await stack.bookVideo(stack.patients.b, 10);
  await stack.workstation.sync.syncNow();
  a = (await setUpPatient(stack, 'jordan@example.org', 'a')).browser;
  b = (await setUpPatient(stack, 'sam@example.org', 'b')).browser;
}, 180_000);
afterAll(async () => {
  await stack?.stop();
});

describe('join video visit from the portal', () => {
  it('lists when the button shows: video visits only, from 30 minutes before the start', async () => {
    const r = await a.call('GET', '/v1/portal/appointments');
    expect(r.status, r.text).toBe(200);
    const byId = new Map(r.body.upcoming.map((x: { id: string }) => [x.id, x]));
    const s = byId.get(soon) as { startsAt: string; videoJoinFrom: string; modality: string };
    expect(s.modality).toBe('telehealth');
    expect(Date.parse(s.startsAt) - Date.parse(s.videoJoinFrom)).toBe(30 * 60_000);
    expect((byId.get(stack.appointments.aLater) as { videoJoinFrom: unknown }).videoJoinFrom).toBeNull();
  });

  it('says the clinic has not opened the visit before a clinician sends a link', async () => {
    const r = await join(a, soon);
    expect(r.status).toBe(409);
    expect(r.body.error.code).toBe('visit_not_open');
    expect(r.body.error.message).toMatch(/has not opened this video visit yet/);
  });

  it("refuses an in-person visit, one too early, and never reaches another patient's visit", async () => {
    const inPerson = await join(a, stack.appointments.aLater);
    expect(inPerson.status).toBe(409);
    expect(inPerson.body.error.code).toBe('not_video');
    const early = await join(a, later);
    expect(early.status).toBe(409);
    expect(early.body.error.message).toMatch(/30 minutes before the visit starts/);
    // B's visit open with a link: A still gets "not found", and nothing of B's.
    const bStart = await stack.client.call('telehealthStart', { body: { appointmentId: bVideo } });
    expect(bStart.status, bStart.text).toBe(200);
    const bLink = await stack.client.call('telehealthLink', {
      params: { sessionId: bStart.body.session.id },
      body: { role: 'patient' },
    });
    expect(bLink.status, bLink.text).toBe(200);
    const cross = await join(a, bVideo);
    expect(cross.status).toBe(404);
    expect(cross.text).not.toContain(bLink.body.token);
    expect(cross.text).not.toContain(bVideo);
    // Without a session: 401, like every portal API.
    const anonymous = await join(new PortalBrowser(stack.central.url), bVideo);
    expect(anonymous.status).toBe(401);
    // B reaches B's own.
    const own = await join(b, bVideo);
    expect(own.status, own.text).toBe(200);
    expect(own.body.url).toBe(bLink.body.url);
  });

  it('once the clinician sent a link: the same link, no patient data in it, and it enters the waiting room', async () => {
    const started = await stack.client.call('telehealthStart', { body: { appointmentId: soon } });
    expect(started.status, started.text).toBe(200);
    const sessionId = started.body.session.id as string;
    const staffLink = await stack.client.call('telehealthLink', {
      params: { sessionId },
      body: { role: 'patient' },
    });
    expect(staffLink.status, staffLink.text).toBe(200);
    const r = await join(a, soon);
    expect(r.status, r.text).toBe(200);
    expect(r.body.url).toBe(staffLink.body.url);
    const url = new URL(r.body.url);
    expect(url.pathname).toBe('/telehealth/join');
    expect(url.search).toBe('');
    expect(url.hash).toMatch(/^#t=v1\./);
    for (const phi of [stack.patients.a, soon, 'Jordan', 'Rivera']) expect(r.body.url).not.toContain(phi);
    // The portal issued nothing: one patient link, still valid.
    const links = await centralQuery(
      stack.central,
      `SELECT revoked_at FROM tessera.telehealth_links WHERE session_id = $1 AND role = 'patient'`,
      [sessionId],
    );
    expect(links).toEqual([{ revoked_at: null }]);
    const token = url.hash.replace(/^#t=/, '');
    const page = new PortalBrowser(stack.central.url);
    const check = await page.call('POST', '/v1/telehealth/links/check', { token });
    expect(check.status, check.text).toBe(200);
    expect(check.body.role).toBe('patient');
    const entered = await page.call('POST', '/v1/telehealth/join', { token, displayName: 'Jordan' });
    expect(entered.status, entered.text).toBe(200);
    const me = entered.body.snapshot.participants.find(
      (p: { id: string }) => p.id === entered.body.snapshot.you,
    );
    expect(me).toMatchObject({ role: 'patient', state: 'waiting' });
  });

  it('says the visit has ended once the appointment is over', async () => {
    const past = await stack.bookVideo(stack.patients.a, -60);
    await stack.workstation.sync.syncNow();
    const r = await join(a, past);
    expect(r.status).toBe(409);
    expect(r.body.error.code).toBe('video_over');
  });

  it('keeps every attempt in the activity history, refusals marked', async () => {
    const mine = await a.call('GET', '/v1/portal/activity');
    const joins = mine.body.entries.filter((e: { action: string }) => e.action === 'appointment.video_join');
    expect(joins.some((e: { outcome: string }) => e.outcome === 'ok')).toBe(true);
    expect(joins.some((e: { outcome: string }) => e.outcome === 'refused')).toBe(true);
  });
});
