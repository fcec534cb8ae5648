import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CentralClient } from '../../support/central';
import { startTelehealthStack, type TelehealthStack } from '../../support/telehealth';

/**
 * The Twilio path to its contract: central mints access tokens with the official `twilio` package (decoded
 * and verified here: issuer = API key, subject = account, identity, one room, expiry) only for admitted
 * participants, and manages rooms and participants through the REST API — here the real client talking to
 * a recorded-contract double on loopback (tests/support/twilio-double.ts).
 */

let stack: TelehealthStack;
beforeAll(async () => {
  stack = await startTelehealthStack({ provider: 'twilio' });
}, 120_000);
afterAll(async () => {
  await stack?.stop();
});

function decodeJwt(token: string, secret: string) {
  const [h, p, sig] = token.split('.') as [string, string, string];
  const expected = crypto.createHmac('sha256', secret).update(`${h}.${p}`).digest('base64url');
  return {
    header: JSON.parse(Buffer.from(h, 'base64url').toString('utf8')),
    payload: JSON.parse(Buffer.from(p, 'base64url').toString('utf8')),
    signatureValid: expected === sig,
  };
}

describe('telehealth with Twilio', () => {
  it('mints a room token only after admission, for that room and identity, signed with the API key', async () => {
    const link = await stack.patientLink();
    const settings = stack.central.config.telehealth!.twilio!;
    const patient = new CentralClient(stack.central.url);
    const joined = await patient.call('telehealthJoin', {
      body: { token: link.token, displayName: 'Jordan R.' },
    });
    expect(joined.status, joined.text).toBe(200);
    const me = new CentralClient(stack.central.url, joined.body.credential);

    const before = await me.call('telehealthParticipantRoomAccess');
    expect(before.status).toBe(403);
    expect(before.body.error.code).toBe('not_admitted');
    // The network test works in the waiting room, for a throw-away room only.
    const preflight = await me.call('telehealthParticipantPreflight');
    expect(preflight.status, preflight.text).toBe(200);
    const pre = decodeJwt(preflight.body.token, settings.apiKeySecret);
    expect(pre.payload.grants.video.room).not.toBe(link.sessionId);
    expect(pre.payload.grants.video.room).toMatch(/^preflight-/);

    const admit = await stack.client.call('telehealthAdmit', {
      params: { sessionId: link.sessionId, participantId: link.participantId },
    });
    expect(admit.status, admit.text).toBe(200);
    const t0 = Math.floor(Date.now() / 1000);
    const access = await me.call('telehealthParticipantRoomAccess');
    expect(access.status, access.text).toBe(200);
    expect(access.body).toMatchObject({
      provider: 'twilio',
      roomName: link.sessionId,
      identity: link.participantId,
    });
    const jwt = decodeJwt(access.body.token, settings.apiKeySecret);
    expect(jwt.signatureValid).toBe(true);
    expect(jwt.header).toMatchObject({ alg: 'HS256', typ: 'JWT', cty: 'twilio-fpa;v=1' });
    expect(jwt.payload.iss).toBe(settings.apiKeySid);
    expect(jwt.payload.sub).toBe(settings.accountSid);
    expect(jwt.payload.grants).toEqual({ identity: link.participantId, video: { room: link.sessionId } });
    expect(jwt.payload.exp - jwt.payload.iat).toBe(3600);
    expect(Math.abs(jwt.payload.iat - t0)).toBeLessThan(10);
    expect(jwt.payload.jti).toMatch(new RegExp(`^${settings.apiKeySid}-`));
    // No name of the patient anywhere in what Twilio sees.
    expect(JSON.stringify(jwt.payload)).not.toContain('Jordan');

    // The room was made through the REST API: a group room, recording off, named by the session id.
    const create = stack.twilio!.calls.find((c) => c.method === 'POST' && c.path === '/v1/Rooms');
    expect(create).toBeDefined();
    expect(create!.authenticated).toBe(true);
    expect(create!.user).toBe(settings.apiKeySid);
    expect(create!.form).toMatchObject({
      UniqueName: link.sessionId,
      Type: 'group',
      RecordParticipantsOnConnect: 'false',
      MaxParticipants: '12',
    });

    // The host's token is for the same room.
    const host = await stack.client.call('telehealthRoomAccess', { params: { sessionId: link.sessionId } });
    expect(host.status, host.text).toBe(200);
    const hostJwt = decodeJwt(host.body.token, settings.apiKeySecret);
    expect(hostJwt.payload.grants.video.room).toBe(link.sessionId);
    expect(hostJwt.payload.grants.identity).not.toBe(link.participantId);

    // Both connect (as twilio-video would); removal takes the patient out of the room through the API.
    stack.twilio!.connect(link.sessionId, link.participantId);
    stack.twilio!.connect(link.sessionId, hostJwt.payload.grants.identity);
    const removed = await stack.client.call('telehealthRemove', {
      params: { sessionId: link.sessionId, participantId: link.participantId },
    });
    expect(removed.status, removed.text).toBe(200);
    const kick = stack.twilio!.calls.find(
      (c) =>
        c.method === 'POST' && c.path === `/v1/Rooms/${link.sessionId}/Participants/${link.participantId}`,
    );
    expect(kick?.form).toEqual({ Status: 'disconnected' });
    expect(stack.twilio!.connected(link.sessionId)).toEqual([hostJwt.payload.grants.identity]);
    const after = await me.call('telehealthParticipantRoomAccess');
    expect(after.status).toBe(401);

    // Ending completes the room for everyone.
    const ended = await stack.client.call('telehealthEnd', { params: { sessionId: link.sessionId } });
    expect(ended.status, ended.text).toBe(200);
    const complete = stack.twilio!.calls.find(
      (c) => c.method === 'POST' && c.path === `/v1/Rooms/${link.sessionId}` && c.form.Status === 'completed',
    );
    expect(complete).toBeDefined();
    expect(stack.twilio!.connected(link.sessionId)).toEqual([]);
    expect(stack.twilio!.calls.every((c) => c.authenticated)).toBe(true);
  });

  it('says so when the video service does not answer, instead of failing silently', async () => {
    const snap = await stack.startSession();
    await stack.twilio!.stop();
    try {
      const res = await stack.client.call('telehealthRoomAccess', { params: { sessionId: snap.session.id } });
      expect(res.status).toBe(503);
      expect(res.body.error.message).toMatch(/video service did not answer.*audio only/);
    } finally {
      await stack.twilio!.start();
    }
  });
});
