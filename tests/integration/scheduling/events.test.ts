import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../../../server/workstation/db/store';
import { addStaff, type TestClient } from '../../support/workstation';
import { book, chicago, newPatient, schedulingWorld, type SchedulingWorld } from './support';

let w: SchedulingWorld;
beforeAll(async () => {
  w = await schedulingWorld();
});
afterAll(async () => {
  await w?.t.stop();
});

/** Open /api/events as a client and read it as text, waiting for patterns. */
async function openStream(client: TestClient) {
  const controller = new AbortController();
  const res = await fetch(`${client.server.origin}/api/events`, {
    headers: {
      cookie: [...client.cookies].map(([k, v]) => `${k}=${v}`).join('; '),
      accept: 'text/event-stream',
    },
    signal: controller.signal,
  });
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let text = '';
  let ended = false;
  const pump = (async () => {
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        text += decoder.decode(value, { stream: true });
      }
    } catch {
      // aborted
    }
    ended = true;
  })();
  return {
    res,
    text: () => text,
    ended: () => ended,
    async waitFor(pattern: RegExp, ms = 5000) {
      const until = Date.now() + ms;
      while (!pattern.test(text)) {
        if (Date.now() > until) throw new Error(`stream did not show ${pattern}; got:\n${text}`);
        await new Promise((r) => setTimeout(r, 20));
      }
    },
    async waitForEnd(ms = 5000) {
      const until = Date.now() + ms;
      while (!ended) {
        if (Date.now() > until) throw new Error(`stream did not end; got:\n${text}`);
        await new Promise((r) => setTimeout(r, 20));
      }
    },
    close() {
      controller.abort();
      return pump;
    },
  };
}

const lastActivity = (username: string) =>
  (
    w.t.server.store.db
      .prepare(
        `SELECT s.last_activity_at AS at FROM sessions s JOIN users u ON u.id = s.user_id
         WHERE u.username = ? AND s.ended_at IS NULL ORDER BY s.created_at DESC LIMIT 1`,
      )
      .get(username) as { at: string } | undefined
  )?.at;

describe('live updates over server-sent events', () => {
  it('tells a signed-in screen which tables another user changed, and never carries row data', async () => {
    const stream = await openStream(w.desk);
    expect(stream.res.status).toBe(200);
    expect(stream.res.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    await stream.waitFor(/retry: 5000/);
    const patientId = await newPatient(w.admin);
    const res = await book(w, w.admin, {
      patientId,
      startsAt: chicago('2026-03-03', '09:00'),
      note: 'SecretNoteText',
    });
    expect(res.status).toBe(201);
    await stream.waitFor(/event: change\ndata: \{"topics":\[[^\]]*"appointments"/);
    const events = stream
      .text()
      .split('\n\n')
      .filter((e) => e.startsWith('event: change'))
      .map((e) => JSON.parse(e.split('data: ')[1]!) as { topics: string[] });
    for (const e of events) expect(e.topics).not.toContain('audit_log');
    expect(stream.text()).not.toContain('SecretNoteText');
    expect(stream.text()).not.toContain(patientId);
    await stream.close();
  });

  it('does not keep the session alive, and ends when the session is signed out', async () => {
    const staff = await addStaff(w.t, w.admin, 'sam.desk', ['front_desk']);
    const before = lastActivity('sam.desk');
    w.t.clock.advance(30_000);
    const stream = await openStream(staff.client);
    await stream.waitFor(/retry/);
    // Opening the stream and receiving events do not count as activity.
    await book(w, w.admin, {
      patientId: await newPatient(w.admin),
      startsAt: chicago('2026-03-03', '10:00'),
    });
    await stream.waitFor(/event: change/);
    expect(lastActivity('sam.desk')).toBe(before);

    expect((await staff.client.call('logout')).status).toBe(200);
    await stream.waitFor(/event: end\ndata: \{"reason":"session_ended"\}/);
    await stream.waitForEnd();
  });

  it('ends when the session times out while idle, on the next change', async () => {
    const staff = await addStaff(w.t, w.admin, 'kim.desk', ['front_desk']);
    const stream = await openStream(staff.client);
    await stream.waitFor(/retry/);
    w.t.clock.advance(16 * 60_000);
    w.t.server.store.audit(systemActor, { action: 'backup.create', detail: { bytes: 1 } });
    // The audit log alone is not a topic, but any commit makes the stream re-check its session.
    await stream.waitFor(/event: end/);
    await stream.waitForEnd();
    expect(stream.text()).not.toMatch(/event: change/);
  });

  it('refuses a caller without a session', async () => {
    const anon = await w.t.client().launch();
    const res = await anon.call('events');
    expect(res.status).toBe(401);
  });
});
