import crypto from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_PARTICIPANTS } from '../../../server/contracts/telehealth';
import { CentralClient } from '../../support/central';
import { startTelehealthStack, type TelehealthStack } from '../../support/telehealth';

/**
 * Twilio's room status callbacks into central, a group of twelve, and the visit's modality:
 * - callbacks are verified with the official library's validateRequest; the signatures here are computed
 *   independently (Twilio's documented rule: HMAC-SHA1 with the Auth Token over the URL followed by each
 *   field name and value in name order, base64), so a wrong verification would fail these tests;
 * - a group visit with the maximum of 12 (the host and 11) through the Twilio double: admitted, connected by
 *   Twilio's own account, the 13th refused;
 * - the place of service follows the patient's confirmed location (home 10 / elsewhere 02) and the audio-only
 *   switch, both ways, on the visit's encounter.
 */

const PUBLIC_URL = 'https://visit.example.org';

let stack: TelehealthStack;
beforeAll(async () => {
  stack = await startTelehealthStack({ provider: 'twilio', settings: { publicUrl: PUBLIC_URL } });
}, 120_000);
afterAll(async () => {
  await stack?.stop();
});

const ok = <T extends { status: number; text: string; body: any }>(r: T) => {
  if (r.status >= 300) throw new Error(`${r.status} ${r.text}`);
  return r.body;
};

function twilioSignature(authToken: string, url: string, fields: Record<string, string>): string {
  const data = Object.keys(fields)
    .sort()
    .reduce((acc, k) => acc + k + fields[k], url);
  return crypto.createHmac('sha1', authToken).update(Buffer.from(data, 'utf8')).digest('base64');
}

let sequence = 0;
function callback(
  kind: string,
  roomName: string,
  extra: Record<string, string> = {},
): Record<string, string> {
  const settings = stack.central.config.telehealth!.twilio!;
  return {
    AccountSid: settings.accountSid,
    RoomName: roomName,
    RoomSid: `RM${crypto.createHash('md5').update(roomName).digest('hex')}`,
    RoomStatus: kind === 'room-ended' ? 'completed' : 'in-progress',
    RoomType: 'group',
    StatusCallbackEvent: kind,
    Timestamp: new Date().toISOString(),
    SequenceNumber: String(sequence++),
    ...extra,
  };
}

async function post(
  fields: Record<string, string>,
  opts: { clinicId?: string; signature?: string; signedUrl?: string } = {},
) {
  const clinicId = opts.clinicId ?? stack.clinic.clinicId;
  const path = `/v1/telehealth/twilio/status/${clinicId}`;
  const authToken = stack.central.config.telehealth!.twilio!.authToken!;
  const signature = opts.signature ?? twilioSignature(authToken, opts.signedUrl ?? `${PUBLIC_URL}${path}`, fields);
  const res = await fetch(`${stack.central.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signature },
    body: new URLSearchParams(fields).toString(),
  });
  return { status: res.status, body: (await res.json()) as any };
}

const staffSnapshot = async (sessionId: string) =>
  ok(await stack.client.call('telehealthSession', { params: { sessionId } }));
const stateOf = async (sessionId: string, participantId: string) =>
  (await staffSnapshot(sessionId)).participants.find((p: { id: string }) => p.id === participantId)?.state;

describe('Twilio room status callbacks', () => {
  it('asks Twilio for callbacks when it makes the room, and refuses unsigned, forged or misaddressed ones', async () => {
    const link = await stack.patientLink();
    const patient = new CentralClient(stack.central.url);
    ok(await patient.call('telehealthJoin', { body: { token: link.token, displayName: 'Jordan' } }));
    ok(
      await stack.client.call('telehealthAdmit', {
        params: { sessionId: link.sessionId, participantId: link.participantId },
      }),
    );
    const create = stack.twilio!.calls.find(
      (c) => c.method === 'POST' && c.path === '/v1/Rooms' && c.form.UniqueName === link.sessionId,
    );
    expect(create?.form).toMatchObject({
      StatusCallback: `${PUBLIC_URL}/v1/telehealth/twilio/status/${stack.clinic.clinicId}`,
      StatusCallbackMethod: 'POST',
    });

    const fields = callback('participant-connected', link.sessionId, {
      ParticipantSid: 'PA' + 'b'.repeat(32),
      ParticipantIdentity: link.participantId,
      ParticipantStatus: 'connected',
    });
    // No signature at all: refused before the body is read.
    const unsigned = await fetch(`${stack.central.url}/v1/telehealth/twilio/status/${stack.clinic.clinicId}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(fields).toString(),
    });
    expect(unsigned.status).toBe(401);
    // Signed with another token, or a field changed after signing, or signed for another clinic's address.
    const wrongToken = twilioSignature(crypto.randomBytes(16).toString('hex'), `${PUBLIC_URL}/v1/telehealth/twilio/status/${stack.clinic.clinicId}`, fields);
    expect((await post(fields, { signature: wrongToken })).status).toBe(401);
    const good = twilioSignature(
      stack.central.config.telehealth!.twilio!.authToken!,
      `${PUBLIC_URL}/v1/telehealth/twilio/status/${stack.clinic.clinicId}`,
      fields,
    );
    expect((await post({ ...fields, ParticipantStatus: 'disconnected' }, { signature: good })).status).toBe(401);
    const otherClinic = crypto.randomUUID();
    expect(
      (
        await post(fields, {
          clinicId: otherClinic,
          signedUrl: `${PUBLIC_URL}/v1/telehealth/twilio/status/${stack.clinic.clinicId}`,
        })
      ).status,
    ).toBe(401);
    expect(await stateOf(link.sessionId, link.participantId)).toBe('admitted');

    // Correctly signed: applied once; Twilio's retry of the same event changes nothing.
    const first = await post(fields);
    expect(first).toEqual({ status: 200, body: { received: true, duplicate: false } });
    expect(await stateOf(link.sessionId, link.participantId)).toBe('connected');
    const retry = await post(fields);
    expect(retry).toEqual({ status: 200, body: { received: true, duplicate: true } });

    // Disconnected after 7 minutes: `left`, the time counted once even when Twilio delivers it twice.
    const gone = callback('participant-disconnected', link.sessionId, {
      ParticipantSid: 'PA' + 'b'.repeat(32),
      ParticipantIdentity: link.participantId,
      ParticipantStatus: 'disconnected',
      ParticipantDuration: '420',
    });
    expect((await post(gone)).body.duplicate).toBe(false);
    expect((await post(gone)).body.duplicate).toBe(true);
    expect(await stateOf(link.sessionId, link.participantId)).toBe('left');
    const owner = new pg.Client({ connectionString: stack.central.db.ownerUrl });
    await owner.connect();
    try {
      const r = await owner.query(
        'SELECT connected_seconds FROM tessera.telehealth_participants WHERE id = $1',
        [link.participantId],
      );
      expect(r.rows[0].connected_seconds).toBe(420);
    } finally {
      await owner.end();
    }

    // The room ended after 9 minutes: its length reaches the workstation's record with the events.
    expect((await post(callback('room-ended', link.sessionId, { RoomDuration: '540' }))).status).toBe(200);
    await stack.workstation.sync.syncNow();
    const record = ok(
      await stack.client.call('telehealthRecord', { params: { appointmentId: stack.appointmentId } }),
    );
    const session = record.sessions.find((s: { id: string }) => s.id === link.sessionId);
    expect(session.roomDurationSeconds).toBe(540);
    const kinds = record.events
      .filter((e: { sessionId: string }) => e.sessionId === link.sessionId)
      .map((e: { kind: string; detail: string }) => `${e.kind}:${e.detail}`);
    expect(kinds).toContain('connected:reported by the video service');
    expect(kinds).toContain('left:7 min (reported by the video service)');
    expect(kinds).toContain('room_ended:9 min (reported by the video service)');
    expect(kinds.filter((k: string) => k.startsWith('left:'))).toHaveLength(1);
    // Per person on the workstation: the patient's one stretch in the room, from its connect to its leave.
    const at = (kind: string) =>
      record.events.find(
        (e: { sessionId: string; kind: string; participantName: string | null }) =>
          e.sessionId === link.sessionId && e.kind === kind && e.participantName === 'Jordan',
      )?.occurredAt;
    const patientTime = record.participants.find(
      (p: { sessionId: string; participantId: string }) => p.sessionId === link.sessionId && p.participantId === link.participantId,
    );
    expect(patientTime.intervals).toEqual([
      { joinedAt: at('connected'), leftAt: at('left'), seconds: Math.round((Date.parse(at('left')) - Date.parse(at('connected'))) / 1000) },
    ]);
    expect(patientTime.connectedSeconds).toBe(patientTime.intervals[0].seconds);

    // An event for a room central never made (another deployment, a pre-flight room): acknowledged, ignored.
    const stray = await post(callback('room-created', `preflight-${crypto.randomUUID()}`));
    expect(stray).toEqual({ status: 200, body: { received: true, duplicate: false } });
    ok(await stack.client.call('telehealthEnd', { params: { sessionId: link.sessionId } }));
  });

  it('applies events in their room sequence: a late older event never overwrites a newer state', async () => {
    const link = await stack.patientLink();
    const patient = new CentralClient(stack.central.url);
    const admit = async () => {
      ok(await patient.call('telehealthJoin', { body: { token: link.token, displayName: 'Jordan' } }));
      ok(await stack.client.call('telehealthAdmit', { params: { sessionId: link.sessionId, participantId: link.participantId } }));
    };
    const who = { ParticipantSid: 'PA' + 'e'.repeat(32), ParticipantIdentity: link.participantId };
    const connected = () => callback('participant-connected', link.sessionId, { ...who, ParticipantStatus: 'connected' });
    const disconnected = (sec: number) =>
      callback('participant-disconnected', link.sessionId, { ...who, ParticipantStatus: 'disconnected', ParticipantDuration: String(sec) });
    const seconds = async () => {
      const owner = new pg.Client({ connectionString: stack.central.db.ownerUrl });
      await owner.connect();
      try {
        return (await owner.query('SELECT connected_seconds FROM tessera.telehealth_participants WHERE id = $1', [link.participantId])).rows[0].connected_seconds;
      } finally {
        await owner.end();
      }
    };
    await admit();
    // The disconnect is delivered before its connect: they left, and the late connect does not bring them back.
    const conn1 = connected();
    const disc1 = disconnected(300);
    expect((await post(disc1)).status).toBe(200);
    expect(await stateOf(link.sessionId, link.participantId)).toBe('left');
    expect((await post(conn1)).body).toEqual({ received: true, duplicate: false });
    expect(await stateOf(link.sessionId, link.participantId)).toBe('left');
    expect(await seconds()).toBe(300);

    // Back in (waiting room, admitted), connected, dropped, reconnected; the drop's callback comes last: still in.
    await admit();
    const conn2 = connected();
    const disc2 = disconnected(60);
    const conn3 = connected();
    expect((await post(conn2)).status).toBe(200);
    expect((await post(conn3)).status).toBe(200);
    expect(await stateOf(link.sessionId, link.participantId)).toBe('connected');
    expect((await post(disc2)).body).toEqual({ received: true, duplicate: false });
    expect(await stateOf(link.sessionId, link.participantId)).toBe('connected');
    // The dropped connection's minute still counts.
    expect(await seconds()).toBe(360);
    ok(await stack.client.call('telehealthEnd', { params: { sessionId: link.sessionId } }));
  });

  it('takes someone out of the room at once when Twilio says they connected from the waiting room', async () => {
    const link = await stack.patientLink();
    const patient = new CentralClient(stack.central.url);
    ok(await patient.call('telehealthJoin', { body: { token: link.token, displayName: 'Jordan' } }));
    ok(
      await stack.client.call('telehealthAdmit', {
        params: { sessionId: link.sessionId, participantId: link.participantId },
      }),
    );
    // The page reloads: back in the waiting room. Its old room token is still within its hour, and it uses it.
    ok(await patient.call('telehealthJoin', { body: { token: link.token, displayName: 'Jordan' } }));
    expect(await stateOf(link.sessionId, link.participantId)).toBe('waiting');
    stack.twilio!.connect(link.sessionId, link.participantId);
    const res = await post(
      callback('participant-connected', link.sessionId, {
        ParticipantSid: 'PA' + 'c'.repeat(32),
        ParticipantIdentity: link.participantId,
        ParticipantStatus: 'connected',
      }),
    );
    expect(res.status).toBe(200);
    expect(stack.twilio!.connected(link.sessionId)).not.toContain(link.participantId);
    expect(await stateOf(link.sessionId, link.participantId)).toBe('waiting');
    ok(await stack.client.call('telehealthEnd', { params: { sessionId: link.sessionId } }));
  });
});

describe('a group visit of twelve', () => {
  it('admits the host and eleven others, all connected by Twilio’s account; the thirteenth is refused', async () => {
    const snap = await stack.startSession();
    const sessionId = snap.session.id as string;
    const links = [
      ok(await stack.client.call('telehealthLink', { params: { sessionId }, body: { role: 'patient' } })),
    ];
    for (let i = 1; i < MAX_PARTICIPANTS - 1; i++)
      links.push(
        ok(
          await stack.client.call('telehealthLink', {
            params: { sessionId },
            body: { role: 'guest', displayName: `Member ${i}` },
          }),
        ),
      );
    expect(links).toHaveLength(11);
    ok(
      await stack.client.call('telehealthLocation', {
        params: { sessionId },
        body: { location: '12 Elm St, Springfield', atHome: true },
      }),
    );
    const full = await stack.client.call('telehealthLink', {
      params: { sessionId },
      body: { role: 'guest', displayName: 'One too many' },
    });
    expect(full.status).toBe(409);
    expect(full.body.error.code).toBe('visit_full');

    const members = await Promise.all(
      links.map(async (l, i) => {
        const joined = ok(
          await new CentralClient(stack.central.url).call('telehealthJoin', {
            body: { token: l.token, displayName: i === 0 ? 'Jordan' : `Member ${i}` },
          }),
        );
        return { id: l.participantId as string, client: new CentralClient(stack.central.url, joined.credential) };
      }),
    );
    const waiting = await staffSnapshot(sessionId);
    expect(waiting.participants.filter((p: { state: string }) => p.state === 'waiting')).toHaveLength(11);
    // A member in the waiting room sees only the host and themselves, never the other ten waiting.
    const seen = ok(await members[3]!.client.call('telehealthParticipantState'));
    expect(seen.participants).toHaveLength(2);

    ok(await stack.client.call('telehealthAdmitAll', { params: { sessionId } }));
    const host = ok(await stack.client.call('telehealthRoomAccess', { params: { sessionId } }));
    const identities = [host.identity as string, ...members.map((m) => m.id)];
    for (const m of members) expect((await m.client.call('telehealthParticipantRoomAccess')).status).toBe(200);
    for (const identity of identities) {
      stack.twilio!.connect(sessionId, identity);
      const res = await post(
        callback('participant-connected', sessionId, {
          ParticipantSid: `PA${crypto.randomBytes(16).toString('hex')}`,
          ParticipantIdentity: identity,
          ParticipantStatus: 'connected',
        }),
      );
      expect(res.status).toBe(200);
    }
    const inRoom = await staffSnapshot(sessionId);
    expect(inRoom.participants).toHaveLength(MAX_PARTICIPANTS);
    expect(inRoom.participants.every((p: { state: string }) => p.state === 'connected')).toBe(true);
    expect(stack.twilio!.connected(sessionId)).toHaveLength(MAX_PARTICIPANTS);
    // Once in, each member sees all twelve.
    expect(ok(await members[3]!.client.call('telehealthParticipantState')).participants).toHaveLength(12);
    const room = [...stack.twilio!.rooms.values()].find((r) => r.uniqueName === sessionId);
    expect(room?.maxParticipants).toBe(MAX_PARTICIPANTS);
    ok(await stack.client.call('telehealthEnd', { params: { sessionId } }));
  }, 60_000);
});

describe('the visit’s modality and place of service', () => {
  it('follows the confirmed location (home 10, elsewhere 02) and audio only both ways, from either side', async () => {
    const client = stack.client;
    const checkIn = { demographicsConfirmed: true, insuranceReviewed: true, copayDueCents: 0 };
    for (const body of [{ to: 'arrived' }, { to: 'checked_in', checkIn }])
      ok(await client.call('changeVisitStatus', { params: { id: stack.appointmentId }, body }));
    const encounter = ok(
      await client.call('createEncounterFromAppointment', { params: { id: stack.appointmentId } }),
    );
    const charges = async () =>
      ok(await client.call('getVisitCharges', { params: { id: encounter.id } })) as {
        modality: string;
        placeOfService: string;
      };

    const link = await stack.patientLink();
    const sessionId = link.sessionId;
    // Nothing confirmed: refused without the home/elsewhere answer, in a sentence about that field.
    const missing = await client.call('telehealthLocation', {
      params: { sessionId },
      body: { location: '12 Elm St, Springfield' },
    });
    expect(missing.status).toBe(400);
    expect(JSON.stringify(missing.body.error)).toMatch(/at home or somewhere else/);

    ok(
      await client.call('telehealthLocation', {
        params: { sessionId },
        body: { location: 'Springfield Library, 2 Main St', atHome: false },
      }),
    );
    expect(await charges()).toMatchObject({ modality: 'telehealth_other', placeOfService: '02' });
    const home = ok(
      await client.call('telehealthLocation', {
        params: { sessionId },
        body: { location: '12 Elm St, Springfield', atHome: true },
      }),
    );
    expect(home.patientAtHome).toBe(true);
    expect(await charges()).toMatchObject({ modality: 'telehealth_home', placeOfService: '10' });

    // The patient switches to audio only from their control bar (once in the visit), the clinician back.
    const patient = new CentralClient(stack.central.url);
    const joined = ok(await patient.call('telehealthJoin', { body: { token: link.token, displayName: 'Jordan' } }));
    const me = new CentralClient(stack.central.url, joined.credential);
    const early = await me.call('telehealthParticipantMode', { body: { mode: 'audio_only' } });
    expect(early.status).toBe(403);
    ok(await client.call('telehealthAdmit', { params: { sessionId, participantId: link.participantId } }));
    const audio = ok(await me.call('telehealthParticipantMode', { body: { mode: 'audio_only', reason: 'Video froze' } }));
    expect(audio).toMatchObject({ mode: 'audio_only', patientLocation: null, patientAtHome: null });
    // The workstation learns it from the next change it makes or sees: the clinician's own switch back.
    const video = ok(await client.call('telehealthMode', { params: { sessionId }, body: { mode: 'video' } }));
    expect(video.mode).toBe('video');
    const again = ok(await client.call('telehealthMode', { params: { sessionId }, body: { mode: 'audio_only' } }));
    expect(again.mode).toBe('audio_only');
    expect(await charges()).toMatchObject({ modality: 'audio_only' });
    // Pressing it twice records one change.
    ok(await client.call('telehealthMode', { params: { sessionId }, body: { mode: 'audio_only' } }));
    ok(await client.call('telehealthMode', { params: { sessionId }, body: { mode: 'video' } }));
    expect(await charges()).toMatchObject({ modality: 'telehealth_home', placeOfService: '10' });

    await stack.workstation.sync.syncNow();
    const record = ok(await client.call('telehealthRecord', { params: { appointmentId: stack.appointmentId } }));
    const modes = record.events
      .filter((e: { sessionId: string; kind: string }) => e.sessionId === sessionId && ['audio_only', 'video_resumed'].includes(e.kind))
      .map((e: { kind: string; participantRole: string | null }) => `${e.kind}:${e.participantRole ?? 'staff'}`);
    expect(modes).toEqual(['audio_only:patient', 'video_resumed:staff', 'audio_only:staff', 'video_resumed:staff']);
    const s = record.sessions.find((x: { id: string }) => x.id === sessionId);
    expect(s).toMatchObject({ mode: 'video', patientAtHome: true, audioOnlyAt: expect.any(String) });
    ok(await client.call('telehealthEnd', { params: { sessionId } }));
  }, 60_000);
});

describe('the network test before joining', () => {
  it('gives pre-flight access for a usable link only, for a throw-away room', async () => {
    const link = await stack.patientLink();
    const anyone = new CentralClient(stack.central.url);
    const pre = ok(await anyone.call('telehealthLinkPreflight', { body: { token: link.token } }));
    expect(pre.provider).toBe('twilio');
    const payload = JSON.parse(Buffer.from(pre.token.split('.')[1], 'base64url').toString('utf8'));
    expect(payload.grants.video.room).toMatch(/^preflight-/);
    expect(payload.grants.video.room).not.toBe(link.sessionId);
    const bad = await anyone.call('telehealthLinkPreflight', { body: { token: `${link.token}x` } });
    expect(bad.status).toBe(400);
    ok(await stack.client.call('telehealthEnd', { params: { sessionId: link.sessionId } }));
    const ended = await anyone.call('telehealthLinkPreflight', { body: { token: link.token } });
    expect(ended.status).toBeGreaterThanOrEqual(400);
  });
});
