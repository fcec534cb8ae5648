import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TelehealthSettings } from '../../../server/central/services/telehealth/config';
import { JOIN_OPENS_KEY } from '../../../server/contracts/telehealth';
import { systemActor } from '../../../server/workstation/db/store';
import { centralQuery } from '../../support/sync';
import {
  PortalBrowser,
  setUpPatient,
  setUpProxy,
  startPortalStack,
  type PortalStack,
} from '../../support/portal';

/**
 * "Join video visit" from the portal: the signed-in patient's own video visit, from the clinic's join window
 * before the start until its end, answers the telehealth join page with the patient's own link — issued by
 * the portal (no staff author; it opens the visit if no clinician has) or reused while it works until the
 * end — and that token enters the waiting room, where the clinician admits as usual. A staff link that
 * stops before the end (closes 20 minutes after the start here, the visit lasts 45) is replaced, so a long
 * visit never says "expired". An in-person, cancelled, too early or past visit, or a proxy without
 * appointments, is refused with a sentence; another patient's visit is "not found"; a patient the clinician
 * removed gets the revoked link back (the join page says why), never a new one, and a visit the clinician
 * ended is not opened again. Every attempt is in the
 * patient's activity history; the issued link is also in the visit's record on the workstation.
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
let b: PortalBrowser;
let soon: string; // A's video visit in 10 minutes
let later: string; // A's video visit in three days
let running: string; // A's video visit that started 30 minutes ago (45 minutes long)
let cancelled: string; // A's video visit in 15 minutes, cancelled by the clinic
let bVideo: string; // B's video visit in 10 minutes

const join = (who: PortalBrowser, id: string) => who.call('POST', `/v1/portal/appointments/${id}/video`);
const tokenOf = (url: string) => new URL(url).hash.replace(/^#t=/, '');
const check = (token: string) =>
  new PortalBrowser(stack.central.url).call('POST', '/v1/telehealth/links/check', { token });

async function appointment(id: string): Promise<{ startsAt: string; endsAt: string }> {
  const r = await stack.client.call('getAppointment', { params: { id } });
  expect(r.status, r.text).toBe(200);
  return r.body.appointment ?? r.body;
}

async function patientLinks(appointmentId: string) {
  return centralQuery(
    stack.central,
    `SELECT l.created_via, l.created_by, l.opens_at, l.expires_at, l.revoked_reason, s.host_user_id
       FROM tessera.telehealth_links l JOIN tessera.telehealth_sessions s ON s.clinic_id = l.clinic_id AND s.id = l.session_id
      WHERE s.appointment_id = $1 AND l.role = 'patient' ORDER BY l.created_at, l.id`,
    [appointmentId],
  );
}

beforeAll(async () => {
  stack = await startPortalStack({ central: { telehealth } });
  soon = await stack.bookVideo(stack.patients.a, 10);
  later = await stack.bookVideo(stack.patients.a, 72 * 60);
  running = await stack.bookVideo(stack.patients.a, -30);
  cancelled = await stack.bookVideo(stack.patients.a, 15);
  bVideo = await stack.bookVideo(stack.patients.b, 10);
  const off = await stack.client.call('cancelAppointment', {
    params: { id: cancelled },
    body: { reason: 'Clinician unwell' },
  });
  expect(off.status, off.text).toBe(200);
  await stack.workstation.sync.syncNow();
  a = (await setUpPatient(stack, 'jordan@example.org', 'a')).browser;
  b = (await setUpPatient(stack, 'sam@example.org', 'b')).browser;
}, 180_000);
afterAll(async () => {
  await stack?.stop();
});

describe('join video visit from the portal', () => {
  it("shows the button from the clinic's join window (default 30 minutes, then the clinic's 15)", async () => {
    const joinFrom = async (id: string) => {
      const r = await a.call('GET', '/v1/portal/appointments');
      expect(r.status, r.text).toBe(200);
      return [...r.body.upcoming, ...r.body.past].find((x: { id: string }) => x.id === id) as {
        startsAt: string;
        videoJoinFrom: string | null;
      };
    };
    const before = await joinFrom(soon);
    expect(Date.parse(before.startsAt) - Date.parse(before.videoJoinFrom!)).toBe(30 * 60_000);
    expect((await joinFrom(stack.appointments.aLater)).videoJoinFrom).toBeNull();
    expect((await joinFrom(cancelled)).videoJoinFrom).toBeNull();
    // The clinic sets 15 minutes on a workstation; it replicates.
    stack.workstation.t.server.store.write(systemActor, (w) => w.setClinicSetting(JOIN_OPENS_KEY, 15));
    await stack.workstation.sync.syncNow();
    const after = await joinFrom(soon);
    expect(Date.parse(after.startsAt) - Date.parse(after.videoJoinFrom!)).toBe(15 * 60_000);
  });

  it('refuses with a sentence: in person, too early, cancelled, over, a proxy without appointments', async () => {
    const past = await stack.bookVideo(stack.patients.a, -60);
    await stack.workstation.sync.syncNow();
    const cases: [string, string, RegExp][] = [
      [stack.appointments.aLater, 'not_video', /in-person appointment/],
      [later, 'video_not_yet', /from 15 minutes before the visit starts/],
      [cancelled, 'video_cancelled', /was cancelled, so there is no video visit/],
      [past, 'video_over', /This visit has ended/],
    ];
    for (const [id, code, sentence] of cases) {
      const r = await join(a, id);
      expect(r.status, code).toBe(409);
      expect(r.body.error.code).toBe(code);
      expect(r.body.error.message).toMatch(sentence);
    }
    const proxy = (await setUpProxy(stack, 'chris@example.org', 'a', ['messages'])).browser;
    const noScope = await join(proxy, soon);
    expect(noScope.status).toBe(409);
    expect(noScope.body.error.code).toBe('video_not_allowed');
    // Nothing was opened for any of them.
    const sessions = await centralQuery(
      stack.central,
      'SELECT appointment_id FROM tessera.telehealth_sessions WHERE appointment_id = ANY($1::uuid[])',
      [[stack.appointments.aLater, later, cancelled, past, soon]],
    );
    expect(sessions).toEqual([]);
  });

  it("never reaches another patient's visit; without a session 401", async () => {
    const own = await join(b, bVideo);
    expect(own.status, own.text).toBe(200);
    const cross = await join(a, bVideo);
    expect(cross.status).toBe(404);
    expect(cross.text).not.toContain(tokenOf(own.body.url));
    expect(cross.text).not.toContain(bVideo);
    expect((await join(new PortalBrowser(stack.central.url), bVideo)).status).toBe(401);
    // B's link is B's: one patient link on B's visit, none on A's.
    expect(await patientLinks(bVideo)).toHaveLength(1);
    expect(await patientLinks(soon)).toEqual([]);
  });

  it('issues a portal link until the end, reuses it, and the clinician admits from the waiting room', async () => {
    const first = await join(a, soon);
    expect(first.status, first.text).toBe(200);
    const url = new URL(first.body.url);
    expect(url.pathname).toBe('/telehealth/join');
    expect(url.search).toBe('');
    expect(url.hash).toMatch(/^#t=v1\./);
    for (const phi of [stack.patients.a, soon, 'Jordan', 'Rivera']) expect(first.body.url).not.toContain(phi);
    const again = await join(a, soon);
    expect(again.body.url).toBe(first.body.url);

    const appt = await appointment(soon);
    const links = await patientLinks(soon);
    expect(links).toHaveLength(1);
    expect(links[0]).toMatchObject({ created_via: 'portal', created_by: null, revoked_reason: null });
    expect(links[0].host_user_id).toBe(stack.adminUserId);
    expect(new Date(links[0].expires_at).toISOString()).toBe(new Date(appt.endsAt).toISOString());
    expect(Date.parse(appt.startsAt) - new Date(links[0].opens_at).getTime()).toBe(15 * 60_000);

    const token = tokenOf(first.body.url);
    const page = new PortalBrowser(stack.central.url);
    const entered = await page.call('POST', '/v1/telehealth/join', { token, displayName: 'Jordan' });
    expect(entered.status, entered.text).toBe(200);
    const me = entered.body.snapshot.you as string;
    expect(entered.body.snapshot.participants.find((p: { id: string }) => p.id === me)).toMatchObject({
      role: 'patient',
      state: 'waiting',
    });
    // The clinician's start finds the visit the portal opened; they admit as usual.
    const started = await stack.client.call('telehealthStart', { body: { appointmentId: soon } });
    expect(started.status, started.text).toBe(200);
    const sessionId = started.body.session.id as string;
    expect(started.body.session.id).toBe(entered.body.snapshot.session.id);
    const located = await stack.client.call('telehealthLocation', {
      params: { sessionId },
      body: { location: '12 Elm St, Springfield', atHome: true },
    });
    expect(located.status, located.text).toBe(200);
    const admitted = await stack.client.call('telehealthAdmit', { params: { sessionId, participantId: me } });
    expect(admitted.status, admitted.text).toBe(200);
    expect(admitted.body.state).toBe('admitted');

    // Removed by the clinician: the portal gives back the revoked link, which says why; nothing new.
    const removed = await stack.client.call('telehealthRemove', { params: { sessionId, participantId: me } });
    expect(removed.status, removed.text).toBe(200);
    const afterRemoval = await join(a, soon);
    expect(afterRemoval.body.url).toBe(first.body.url);
    const refused = await check(token);
    expect(refused.status).toBe(410);
    expect(refused.body.error.code).toBe('link_revoked');
    expect(await patientLinks(soon)).toHaveLength(1);
  });

  it("replaces a staff link that stops before the visit's end, so a running visit can still be joined", async () => {
    const started = await stack.client.call('telehealthStart', { body: { appointmentId: running } });
    expect(started.status, started.text).toBe(200);
    const staff = await stack.client.call('telehealthLink', {
      params: { sessionId: started.body.session.id },
      body: { role: 'patient' },
    });
    expect(staff.status, staff.text).toBe(200);
    // Started 30 minutes ago, staff links close 20 minutes after the start: this one says "expired".
    expect((await check(staff.body.token)).body.error.code).toBe('link_expired');
    const r = await join(a, running);
    expect(r.status, r.text).toBe(200);
    expect(r.body.url).not.toBe(staff.body.url);
    const ok = await check(tokenOf(r.body.url));
    expect(ok.status, ok.text).toBe(200);
    expect(ok.body.role).toBe('patient');
    const appt = await appointment(running);
    expect(ok.body.expiresAt).toBe(new Date(appt.endsAt).toISOString());
    const links = await patientLinks(running);
    expect(links.map((l) => [l.created_via, l.revoked_reason])).toEqual([
      ['staff', 'replaced'],
      ['portal', null],
    ]);
    expect(links[0].created_by).toBe(stack.adminUserId);
    // The clinician ends the visit: the patient does not open it again from the portal.
    const ended = await stack.client.call('telehealthEnd', {
      params: { sessionId: started.body.session.id },
    });
    expect(ended.status, ended.text).toBe(200);
    const after = await join(a, running);
    expect(after.status).toBe(409);
    expect(after.body.error.code).toBe('visit_ended');
    expect(after.body.error.message).toMatch(/has ended this video visit/);
  });

  it("keeps every attempt in the patient's activity and the issued link in the visit's record", async () => {
    const mine = await a.call('GET', '/v1/portal/activity');
    const outcomes = (action: string) =>
      mine.body.entries
        .filter((e: { action: string }) => e.action === action)
        .map((e: { outcome: string }) => e.outcome);
    expect(outcomes('appointment.video_link')).toEqual(['ok', 'ok']); // soon, running
    expect(outcomes('appointment.video_join').filter((o: string) => o === 'ok')).toHaveLength(4);
    expect(outcomes('appointment.video_join').filter((o: string) => o === 'refused')).toHaveLength(5);
    await stack.workstation.sync.syncNow();
    const record = await stack.client.call('telehealthRecord', { params: { appointmentId: soon } });
    expect(record.status, record.text).toBe(200);
    const byPortal = record.body.events
      .filter((e: { detail: string }) => e.detail === 'by the patient from the portal')
      .map((e: { kind: string }) => e.kind);
    expect(byPortal).toEqual(['session_opened', 'link_issued']);
  });
});
