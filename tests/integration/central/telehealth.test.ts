import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { v7 as uuidv7 } from 'uuid';
import { LATEST_WORKSTATION_SCHEMA } from '../../../server/contracts/sync';
import { systemActor } from '../../../server/workstation/db/store';
import { readSyncState } from '../../../server/workstation/sync/state';
import { CentralClient } from '../../support/central';
import { centralQuery, waitFor } from '../../support/sync';
import { startTelehealthStack, type TelehealthStack } from '../../support/telehealth';
import { openStream } from '../../support/telehealth-stream';

/**
 * Telehealth end to end over HTTP, with the direct provider: central (PostgreSQL) and an enrolled
 * workstation whose administrator hosts the visit; the patient's side calls central as the join page does.
 * The waiting room is enforced (no room access before admission; a re-opened page is back in waiting);
 * chat survives a reconnect; events reach both sides; a removed participant's old token is refused; the
 * visit record reaches the workstation; links explain what is wrong with them.
 */

let stack: TelehealthStack;

beforeAll(async () => {
  stack = await startTelehealthStack({ provider: 'direct' });
}, 120_000);
afterAll(async () => {
  await stack?.stop();
});

const patient = (token: string | null = null) => new CentralClient(stack.central.url, token);

describe('telehealth over the direct provider', () => {
  let sessionId = '';
  let patientId = '';
  let token = '';
  let credential = '';

  it('opens the session from the workstation and issues an opaque patient link', async () => {
    const snap = await stack.startSession();
    sessionId = snap.session.id;
    expect(snap.participants).toHaveLength(1);
    const res = await stack.client.call('telehealthLink', {
      params: { sessionId },
      body: { role: 'patient' },
    });
    expect(res.status, res.text).toBe(200);
    token = res.body.token;
    patientId = res.body.participantId;
    // PHI never in URLs: the link carries the token in the fragment, and the token only ids and times.
    const url = new URL(res.body.url);
    expect(url.pathname).toBe('/telehealth/join');
    expect(url.search).toBe('');
    expect(url.hash).toBe(`#t=${token}`);
    const payload = Buffer.from(token.split('.')[1]!, 'base64url').toString('utf8');
    expect(Object.keys(JSON.parse(payload)).sort()).toEqual(['c', 'exp', 'l', 'nb']);
    for (const phi of ['Jordan', 'Rivera', '1988', stack.patientId, stack.appointmentId])
      expect(res.body.url).not.toContain(phi);
  });

  it('checks a link before the device check, and explains a wrong one', async () => {
    const info = await patient().call('telehealthCheckLink', { body: { token } });
    expect(info.status, info.text).toBe(200);
    expect(info.body).toMatchObject({
      clinicName: 'Riverside Family Practice',
      hostName: 'Ada Admin',
      role: 'patient',
    });

    const altered = token.slice(0, -2) + (token.endsWith('A') ? 'BB' : 'AA');
    const wrong = await patient().call('telehealthCheckLink', { body: { token: altered } });
    expect(wrong.status).toBe(400);
    expect(wrong.body.error.code).toBe('link_invalid');
    expect(wrong.body.error.message).toMatch(/Open the whole link/);
    const garbage = await patient().call('telehealthJoin', {
      body: { token: 'hello', displayName: 'Jordan' },
    });
    expect(garbage.status).toBe(400);
    expect(garbage.body.error.code).toBe('link_invalid');
  });

  it('puts the patient in the waiting room; no room access before admission; both sides hear it', async () => {
    const host = openStream(
      `${stack.workstation.t.server.origin}/api/telehealth/sessions/${sessionId}/events`,
      {
        cookie: [...stack.client.cookies].map(([k, v]) => `${k}=${v}`).join('; '),
      },
    );
    await host.waitFor('host snapshot', (e) => e.type === 'snapshot');

    const joined = await patient().call('telehealthJoin', { body: { token, displayName: 'Jordan R.' } });
    expect(joined.status, joined.text).toBe(200);
    credential = joined.body.credential;
    expect(joined.body.snapshot.you).toBe(patientId);
    const me = joined.body.snapshot.participants.find((p: { id: string }) => p.id === patientId);
    expect(me.state).toBe('waiting');
    // The patient's view of the session never carries the location field's value.
    expect(joined.body.snapshot.session.patientLocation).toBeNull();

    const refused = await patient(credential).call('telehealthParticipantRoomAccess');
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe('not_admitted');
    expect(refused.body.error.message).toMatch(/waiting room/);
    const signal = await patient(credential).call('telehealthParticipantSignal', {
      body: {
        to: joined.body.snapshot.participants.find((p: { role: string }) => p.role === 'host').id,
        kind: 'offer',
        sdp: 'v=0',
      },
    });
    expect(signal.status).toBe(403);

    await host.waitFor(
      'the host sees the patient waiting',
      (e) => e.type === 'participant' && e.participant.id === patientId && e.participant.state === 'waiting',
    );
    const list = await stack.client.call('telehealthOpenSessions');
    expect(list.body.sessions[0]).toMatchObject({ waiting: 1 });

    const patientStream = openStream(`${stack.central.url}/v1/telehealth/participant/events`, {
      authorization: `Bearer ${credential}`,
    });
    await patientStream.waitFor('patient snapshot', (e) => e.type === 'snapshot');
    // Not before the patient's location is confirmed: refused with a sentence (admit one or all), nobody moves.
    for (const refused of [
      await stack.client.call('telehealthAdmit', { params: { sessionId, participantId: patientId } }),
      await stack.client.call('telehealthAdmitAll', { params: { sessionId } }),
    ]) {
      expect(refused.status).toBe(409);
      expect(refused.body.error.code).toBe('location_unconfirmed');
      expect(refused.body.error.message).toMatch(/^Confirm where the patient is .* before you admit them\./);
    }
    expect((await stack.client.call('telehealthOpenSessions')).body.sessions[0]).toMatchObject({ waiting: 1 });
    const confirmed = await stack.client.call('telehealthLocation', {
      params: { sessionId },
      body: { location: '12 Elm St, Springfield', atHome: true },
    });
    expect(confirmed.status, confirmed.text).toBe(200);
    const admitted = await stack.client.call('telehealthAdmit', {
      params: { sessionId, participantId: patientId },
    });
    expect(admitted.status, admitted.text).toBe(200);
    expect(admitted.body.state).toBe('admitted');
    await patientStream.waitFor(
      'the patient hears the admission',
      (e) => e.type === 'participant' && e.participant.id === patientId && e.participant.state === 'admitted',
    );
    const access = await patient(credential).call('telehealthParticipantRoomAccess');
    expect(access.status, access.text).toBe(200);
    expect(access.body).toMatchObject({ provider: 'direct', roomName: sessionId, identity: patientId });

    // Signaling is relayed to the other side once both are in the room.
    const hostId = joined.body.snapshot.participants.find((p: { role: string }) => p.role === 'host').id;
    const offer = await patient(credential).call('telehealthParticipantSignal', {
      body: { to: hostId, kind: 'offer', sdp: 'v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\n' },
    });
    expect(offer.status, offer.text).toBe(200);
    const relayed = await host.waitFor('the offer reaches the host', (e) => e.type === 'signal');
    expect(relayed).toMatchObject({ signal: { from: patientId, to: hostId, kind: 'offer' } });
    const answer = await stack.client.call('telehealthSignal', {
      params: { sessionId },
      body: { to: patientId, kind: 'answer', sdp: 'v=0\r\n' },
    });
    expect(answer.status, answer.text).toBe(200);
    await patientStream.waitFor('the answer reaches the patient', (e) => e.type === 'signal');

    // Chat both ways, seen on both streams.
    const fromPatient = await patient(credential).call('telehealthParticipantChat', {
      body: { text: 'Can you hear me?' },
    });
    expect(fromPatient.status, fromPatient.text).toBe(200);
    const fromHost = await stack.client.call('telehealthChat', {
      params: { sessionId },
      body: { text: 'Yes, clearly.' },
    });
    expect(fromHost.status, fromHost.text).toBe(200);
    await host.waitFor(
      'patient chat at the host',
      (e) => e.type === 'chat' && e.message.text === 'Can you hear me?',
    );
    await patientStream.waitFor(
      'host chat at the patient',
      (e) => e.type === 'chat' && e.message.text === 'Yes, clearly.',
    );

    const connected = await patient(credential).call('telehealthParticipantConnection', {
      body: { state: 'connected' },
    });
    expect(connected.body.state).toBe('connected');

    // A reload: the same link again lands in the waiting room, with the chat history; the old page retires.
    const again = await patient().call('telehealthJoin', { body: { token, displayName: 'Jordan R.' } });
    expect(again.status, again.text).toBe(200);
    const meAgain = again.body.snapshot.participants.find((p: { id: string }) => p.id === patientId);
    expect(meAgain.state).toBe('waiting');
    expect(again.body.snapshot.chat.map((m: { text: string }) => m.text)).toEqual([
      'Can you hear me?',
      'Yes, clearly.',
    ]);
    const retired = await patientStream.waitFor('the old page is retired', (e) => e.type === 'retired');
    expect(retired).toMatchObject({ code: 'participant_retired' });
    const old = await patient(credential).call('telehealthParticipantState');
    expect(old.status).toBe(401);
    credential = again.body.credential;
    const notYet = await patient(credential).call('telehealthParticipantRoomAccess');
    expect(notYet.status).toBe(403);
    host.close();
    patientStream.close();
  });

  it('records the patient location and an audio-only switch, staff only', async () => {
    const loc = await stack.client.call('telehealthLocation', {
      params: { sessionId },
      body: { location: '12 Elm St, Springfield', atHome: true },
    });
    expect(loc.status, loc.text).toBe(200);
    expect(loc.body.patientLocation).toBe('12 Elm St, Springfield');
    expect(loc.body.patientAtHome).toBe(true);
    const seen = await patient(credential).call('telehealthParticipantState');
    expect(seen.body.session.patientLocation).toBeNull();
    expect(seen.body.session.patientAtHome).toBeNull();
    const audio = await stack.client.call('telehealthAudioOnly', {
      params: { sessionId },
      body: { reason: 'Video froze' },
    });
    expect(audio.body.mode).toBe('audio_only');
  });

  it('refuses bad input with a sentence on the field, storing nothing', async () => {
    const empty = await patient(credential).call('telehealthParticipantChat', { body: { text: '   ' } });
    expect(empty.status).toBe(400);
    expect(empty.body.error.fields.text).toBe('Type a message.');
    const long = await stack.client.call('telehealthChat', {
      params: { sessionId },
      body: { text: 'x'.repeat(2001) },
    });
    expect(long.status).toBe(400);
    expect(long.body.error.fields.text).toMatch(/2,000 characters/);
    const noName = await patient().call('telehealthJoin', { body: { token, displayName: '' } });
    expect(noName.status).toBe(400);
    expect(noName.body.error.fields.displayName).toMatch(/Enter your name/);
    const rows = await centralQuery(stack.central, 'SELECT count(*)::int AS n FROM tessera.telehealth_chat');
    expect(rows[0].n).toBe(2);
  });

  it('removes a participant at once: the old token is refused and the link explains why', async () => {
    const removed = await stack.client.call('telehealthRemove', {
      params: { sessionId, participantId: patientId },
    });
    expect(removed.status, removed.text).toBe(200);
    expect(removed.body.state).toBe('removed');
    const old = await patient(credential).call('telehealthParticipantRoomAccess');
    expect(old.status).toBe(401);
    expect(old.body.error.code).toBe('link_revoked');
    const rejoin = await patient().call('telehealthJoin', { body: { token, displayName: 'Jordan R.' } });
    expect(rejoin.status).toBe(410);
    expect(rejoin.body.error.code).toBe('link_revoked');
    expect(rejoin.body.error.message).toMatch(/removed from this visit/);
  });

  it('explains expired, not-yet-open and replaced links', async () => {
    const fresh = await stack.client.call('telehealthLink', {
      params: { sessionId },
      body: { role: 'patient' },
    });
    expect(fresh.status, fresh.text).toBe(200);
    const newer = await stack.client.call('telehealthLink', {
      params: { sessionId },
      body: { role: 'patient' },
    });
    const replaced = await patient().call('telehealthCheckLink', { body: { token: fresh.body.token } });
    expect(replaced.status).toBe(410);
    expect(replaced.body.error).toMatchObject({ code: 'link_replaced' });
    expect(replaced.body.error.message).toMatch(/most recent link/);

    const linkId = JSON.parse(Buffer.from(newer.body.token.split('.')[1], 'base64url').toString()).l;
    await centralQuery(
      stack.central,
      `UPDATE tessera.telehealth_links SET opens_at = now() + interval '2 hours', expires_at = now() + interval '4 hours' WHERE id = $1`,
      [linkId],
    );
    const early = await patient().call('telehealthCheckLink', { body: { token: newer.body.token } });
    expect(early.status).toBe(403);
    expect(early.body.error.code).toBe('link_not_yet');
    expect(early.body.error.message).toMatch(/This visit opens at .* Come back to this link then\./);
    await centralQuery(
      stack.central,
      `UPDATE tessera.telehealth_links SET opens_at = now() - interval '4 hours', expires_at = now() - interval '1 minute' WHERE id = $1`,
      [linkId],
    );
    const late = await patient().call('telehealthJoin', {
      body: { token: newer.body.token, displayName: 'Jordan' },
    });
    expect(late.status).toBe(410);
    expect(late.body.error.code).toBe('link_expired');
    expect(late.body.error.message).toMatch(/Contact the clinic/);
  });

  it('a guest link admits one more person through the same waiting room', async () => {
    const guest = await stack.client.call('telehealthLink', {
      params: { sessionId },
      body: { role: 'guest', displayName: 'Interpreter (Spanish)' },
    });
    expect(guest.status, guest.text).toBe(200);
    const info = await patient().call('telehealthCheckLink', { body: { token: guest.body.token } });
    expect(info.body).toMatchObject({ role: 'guest', suggestedName: 'Interpreter (Spanish)' });
    const joined = await patient().call('telehealthJoin', {
      body: { token: guest.body.token, displayName: 'Ana (interpreter)' },
    });
    expect(joined.status, joined.text).toBe(200);
    const denied = await stack.client.call('telehealthDeny', {
      params: { sessionId, participantId: guest.body.participantId },
      body: { message: 'We no longer need an interpreter today.' },
    });
    expect(denied.body).toMatchObject({
      state: 'denied',
      deniedMessage: 'We no longer need an interpreter today.',
    });
    const state = await patient(joined.body.credential).call('telehealthParticipantState');
    const me = state.body.participants.find((p: { id: string }) => p.id === guest.body.participantId);
    expect(me).toMatchObject({ state: 'denied', deniedMessage: 'We no longer need an interpreter today.' });
    const back = await patient().call('telehealthJoin', {
      body: { token: guest.body.token, displayName: 'Ana' },
    });
    expect(back.status).toBe(403);
    expect(back.body.error.code).toBe('link_denied');
  });

  it('ends the visit for everyone; the record (session, events, chat) reaches the workstation', async () => {
    const ended = await stack.client.call('telehealthEnd', { params: { sessionId } });
    expect(ended.status, ended.text).toBe(200);
    expect(ended.body.status).toBe('ended');
    await stack.workstation.sync.syncNow();
    const record = await stack.client.call('telehealthRecord', {
      params: { appointmentId: stack.appointmentId },
    });
    expect(record.status, record.text).toBe(200);
    expect(record.body.sessions).toHaveLength(1);
    expect(record.body.sessions[0]).toMatchObject({
      status: 'ended',
      mode: 'audio_only',
      patientLocation: '12 Elm St, Springfield',
    });
    expect(record.body.chat.map((m: { text: string }) => m.text)).toEqual([
      'Can you hear me?',
      'Yes, clearly.',
    ]);
    const kinds = record.body.events.map((e: { kind: string }) => e.kind);
    for (const k of [
      'session_opened',
      'link_issued',
      'joined_waiting',
      'admitted',
      'connected',
      'removed',
      'denied',
      'audio_only',
      'location_confirmed',
      'ended',
    ])
      expect(kinds).toContain(k);
    // The visit's telehealth actions are in the workstation's audit log with the patient.
    const audited = stack.workstation.t.server.store.db
      .prepare(`SELECT count(*) AS n FROM audit_log WHERE action LIKE 'telehealth.%' AND patient_id = ?`)
      .get(stack.patientId) as { n: number };
    expect(audited.n).toBeGreaterThan(5);
    const after = await patient().call('telehealthJoin', { body: { token, displayName: 'Jordan' } });
    expect(after.status).toBe(410);
  });

  it('refuses a workstation’s own write to the visit record (central writes it), into the conflict inbox', async () => {
    const store = stack.workstation.t.server.store;
    const now = store.nowIso();
    store.write(systemActor, (w) =>
      w.insert('telehealth_chat_messages', {
        id: uuidv7(),
        clinicId: store.clinicId!,
        sessionId,
        appointmentId: stack.appointmentId,
        participantId: patientId,
        senderRole: 'patient',
        senderName: 'Forged',
        body: 'A message the patient never sent',
        sentAt: now,
        createdAt: now,
        updatedAt: now,
        deletedAt: null,
      }),
    );
    await stack.workstation.sync.syncNow();
    const rows = await centralQuery(
      stack.central,
      `SELECT count(*)::int AS n FROM tessera.telehealth_chat WHERE body = 'A message the patient never sent'`,
    );
    expect(rows[0].n).toBe(0);
    const conflicts = await waitFor('a rejection in the inbox', () =>
      store.db
        .prepare(
          `SELECT reason FROM sync_conflicts WHERE table_name = 'telehealth_chat_messages' AND kind = 'rejected'`,
        )
        .all(),
    );
    expect(conflicts).toHaveLength(1);
  });

  it('checks the staff member’s permission again at central, whatever the workstation says', async () => {
    const created = await stack.client.call('createUser', {
      body: {
        username: 'bill.biller',
        fullName: 'Bill Biller',
        password: 'quiet harbor lantern 77',
        roles: ['biller'],
      },
    });
    expect(created.status, created.text).toBe(201);
    await stack.workstation.sync.syncNow();
    const state = readSyncState(stack.workstation.t.server.store);
    const asStaff = (userId: string) =>
      new CentralClient(stack.central.url, state.credential, {
        'x-tessera-protocol': '1',
        'x-tessera-schema': String(LATEST_WORKSTATION_SCHEMA),
        'x-tessera-staff-user': userId,
      });
    const biller = await asStaff(created.body.id).call('telehealthCentralStart', {
      body: { appointmentId: stack.appointmentId },
    });
    expect(biller.status).toBe(403);
    expect(biller.body.error.message).toMatch(/role does not allow/);
    const host = await asStaff(stack.adminUserId).call('telehealthCentralOpenSessions');
    expect(host.status, host.text).toBe(200);
  });

  it('keeps tokens and names out of central’s logs', () => {
    const logs = stack.central.logs.join('\n');
    expect(logs).not.toContain(token);
    expect(logs).not.toContain('Jordan');
    expect(logs).not.toContain('Can you hear me');
  });

  it('says plainly that telehealth needs central when it cannot be reached', async () => {
    await stack.central.stop();
    try {
      const status = await stack.client.call('telehealthStatus');
      expect(status.status).toBe(200);
      expect(status.body).toMatchObject({ available: false, code: 'telehealth_offline' });
      expect(status.body.message).toMatch(/^Telehealth needs the central server/);
      const start = await stack.client.call('telehealthStart', {
        body: { appointmentId: stack.appointmentId },
      });
      expect(start.status).toBe(503);
      expect(start.body.error.message).toMatch(/^Telehealth needs the central server/);
      // Everything else keeps working.
      expect((await stack.client.call('session')).status).toBe(200);
      // The record is local.
      expect(
        (await stack.client.call('telehealthRecord', { params: { appointmentId: stack.appointmentId } }))
          .status,
      ).toBe(200);
    } finally {
      await stack.central.restart();
    }
  });
});
