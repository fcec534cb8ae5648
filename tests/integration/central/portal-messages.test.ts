import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { centralQuery, waitFor } from '../../support/sync';
import {
  linkIn,
  portalCode,
  PortalBrowser,
  setUpPatient,
  startPortalStack,
  tokenOf,
  type PortalStack,
} from '../../support/portal';

/**
 * Secure messages and questionnaires through the real APIs: the patient writes in the portal (central),
 * the workstation pulls the conversation into the clinic inbox, staff read it (a read receipt the patient
 * sees), assign and reply; the reply reaches the portal through replication. Questionnaires: staff send a
 * PHQ-9 from the record, the patient cannot send it blank or incomplete, a positive item 9 raises the urgent
 * flag in the inbox after replication, the score lands on the record, and the clinician reviews the flag.
 * Patient B can never read or write in A's conversations or questionnaires; every access is audited.
 */

let stack: PortalStack;

let a: PortalBrowser;
let b: PortalBrowser;
let threadId: string;

const sync = async () => {
  await stack.workstation.sync.syncNow();
};

beforeAll(async () => {
  stack = await startPortalStack();
  a = (await setUpPatient(stack, 'jordan@example.org', 'a')).browser;
  b = (await setUpPatient(stack, 'sam@example.org', 'b')).browser;
}, 180_000);
afterAll(async () => {
  await stack?.stop();
});

describe('secure messages', () => {
  it('refuses an empty message with a sentence, storing nothing', async () => {
    const r = await a.call('POST', '/v1/portal/messages', { subject: 'Refill', body: '   ' });
    expect(r.status).toBe(400);
    expect(r.text).toMatch(/Write your message before sending/);
    const list = await a.call('GET', '/v1/portal/messages');
    expect(list.body.threads).toEqual([]);
  });

  it('the patient starts a conversation; it is kept encrypted at central', async () => {
    const r = await a.call('POST', '/v1/portal/messages', {
      subject: 'Question about my dose',
      body: 'Should I take the sertraline with food?',
    });
    expect(r.status, r.text).toBe(200);
    threadId = r.body.id;
    expect(r.body.messages).toHaveLength(1);
    expect(r.body.messages[0]).toMatchObject({ sender: 'patient', senderName: 'Jordan', readAt: null });
    const stored = await centralQuery<{ data: Record<string, unknown> }>(
      stack.central,
      `SELECT data FROM tessera.replica_rows WHERE table_name = 'portal_messages' AND data->>'threadId' = $1`,
      [threadId],
    );
    expect(JSON.stringify(stored[0]!.data)).not.toContain('sertraline');
  });

  it('staff see it in the inbox after replication, unread, and reading it sends a receipt', async () => {
    await sync();
    const inbox = await waitFor('the conversation in the inbox', async () => {
      const r = await stack.client.call('inbox', { query: { filter: 'unread' } });
      return r.body?.threads?.find((t: { id: string }) => t.id === threadId) ? r.body : null;
    });
    expect(inbox.unreadTotal).toBe(1);
    expect(inbox.threads[0]).toMatchObject({
      patientId: stack.patients.a,
      patientName: 'Jordan Rivera',
      subject: 'Question about my dose',
      unread: 1,
      assignedUserId: null,
    });
    const open = await stack.client.call('inboxThread', { params: { threadId } });
    expect(open.status, open.text).toBe(200);
    expect(open.body.messages[0]).toMatchObject({
      sender: 'patient',
      body: 'Should I take the sertraline with food?',
    });
    const after = await stack.client.call('inbox', { query: { filter: 'unread' } });
    expect(after.body.threads).toEqual([]);
    expect(after.body.unreadTotal).toBe(0);
    await sync();
    const seen = await waitFor('the read receipt in the portal', async () => {
      const r = await a.call('GET', `/v1/portal/messages/${threadId}`);
      return r.body?.messages?.[0]?.readAt ? r.body : null;
    });
    expect(seen.messages[0].readAt).toEqual(expect.any(String));
  });

  it('assigns the conversation to a staff member who can answer, and refuses anyone else', async () => {
    const bad = await stack.client.call('inboxAssign', {
      params: { threadId },
      body: { userId: stack.patients.b },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/active staff member/);
    const ok = await stack.client.call('inboxAssign', {
      params: { threadId },
      body: { userId: stack.adminUserId },
    });
    expect(ok.status, ok.text).toBe(200);
    expect(ok.body.assignedUserId).toBe(stack.adminUserId);
    const mine = await stack.client.call('inbox', { query: { filter: 'mine' } });
    expect(mine.body.threads.map((t: { id: string }) => t.id)).toEqual([threadId]);
  });

  it('the staff reply reaches the portal through replication, unread until the patient opens it', async () => {
    const r = await stack.client.call('inboxReply', {
      params: { threadId },
      body: { body: 'Yes, with breakfast is best.' },
    });
    expect(r.status, r.text).toBe(200);
    await sync();
    const list = await waitFor('the reply in the portal', async () => {
      const x = await a.call('GET', '/v1/portal/messages');
      return x.body?.threads?.[0]?.unread === 1 ? x.body : null;
    });
    expect(list.threads[0]).toMatchObject({ id: threadId, subject: 'Question about my dose' });
    // The badge every page shows (read by `me` in the same query as the names).
    expect((await a.call('GET', '/v1/portal/me')).body.unreadMessages).toBe(1);
    const thread = await a.call('GET', `/v1/portal/messages/${threadId}`);
    expect(thread.body.messages.map((m: { sender: string; body: string }) => [m.sender, m.body])).toEqual([
      ['patient', 'Should I take the sertraline with food?'],
      ['staff', 'Yes, with breakfast is best.'],
    ]);
    const again = await a.call('GET', '/v1/portal/messages');
    expect(again.body.threads[0].unread).toBe(0);
    expect((await a.call('GET', '/v1/portal/me')).body.unreadMessages).toBe(0);
    // The patient's receipt travels back to the workstation.
    await sync();
    await waitFor('the patient read receipt on the workstation', async () => {
      const x = await stack.client.call('inboxThread', { params: { threadId } });
      return x.body?.messages?.[1]?.readByPatientAt ? true : null;
    });
    const reply = await a.call('POST', `/v1/portal/messages/${threadId}/replies`, { body: 'Thanks!' });
    expect(reply.status, reply.text).toBe(200);
  });

  it('patient B can neither list, read nor write in A’s conversation', async () => {
    const list = await b.call('GET', '/v1/portal/messages');
    expect(list.body.threads).toEqual([]);
    const read = await b.call('GET', `/v1/portal/messages/${threadId}`);
    expect(read.status).toBe(404);
    expect(read.text).not.toContain('sertraline');
    const write = await b.call('POST', `/v1/portal/messages/${threadId}/replies`, { body: 'Hi' });
    expect(write.status).toBe(404);
    const thread = await a.call('GET', `/v1/portal/messages/${threadId}`);
    expect(thread.body.messages.map((m: { body: string }) => m.body)).not.toContain('Hi');
    // No session at all: 401.
    const anon = await new PortalBrowser(stack.central.url).call('GET', `/v1/portal/messages/${threadId}`);
    expect(anon.status).toBe(401);
  });

  it('a workstation cannot write a message in the patient’s name', async () => {
    const store = stack.workstation.t.server.store;
    const forged = '0190f000-0000-7000-8000-00000000f0f0';
    const at = new Date().toISOString();
    store.write({ userId: stack.adminUserId, username: 'ada.admin' }, (w) =>
      w.insert('portal_messages', {
        id: forged,
        clinicId: store.requireClinicId(),
        threadId,
        patientId: stack.patients.a,
        sender: 'patient',
        senderUserId: null,
        senderName: 'Jordan',
        body: 'Please cancel everything',
        sentAt: at,
        readByPatientAt: null,
        readByStaffAt: null,
        readByStaffUserId: null,
        createdAt: at,
        updatedAt: at,
        deletedAt: null,
      }),
    );
    await sync();
    const rows = await centralQuery(
      stack.central,
      `SELECT 1 FROM tessera.replica_rows WHERE table_name = 'portal_messages' AND row_id = $1`,
      [forged],
    );
    expect(rows).toEqual([]);
    const conflicts = await centralQuery<{ message: string }>(
      stack.central,
      `SELECT data->>'message' AS message FROM tessera.replica_rows
        WHERE table_name = 'sync_conflicts' AND data->>'rowId' = $1`,
      [forged],
    );
    expect(conflicts[0]?.message).toMatch(/come from the portal only/);
    const thread = await a.call('GET', `/v1/portal/messages/${threadId}`);
    expect(thread.text).not.toContain('Please cancel everything');
  });
});

describe('questionnaires', () => {
  let assignmentId: string;

  it('staff send a PHQ-9 from the record; the patient sees it due after replication', async () => {
    const none = await a.call('GET', '/v1/portal/questionnaires');
    expect(none.body).toEqual({ due: [], done: [] });
    const sent = await stack.client.call('questionnaireSend', {
      params: { patientId: stack.patients.a },
      body: { instrument: 'phq9', schedule: 'once' },
    });
    expect(sent.status, sent.text).toBe(200);
    const twice = await stack.client.call('questionnaireSend', {
      params: { patientId: stack.patients.a },
      body: { instrument: 'phq9', schedule: 'once' },
    });
    expect(twice.status).toBe(409);
    await sync();
    const due = await waitFor('the questionnaire in the portal', async () => {
      const r = await a.call('GET', '/v1/portal/questionnaires');
      return r.body?.due?.length ? r.body : null;
    });
    expect(due.due[0]).toMatchObject({ instrument: 'phq9', schedule: 'once' });
    assignmentId = due.due[0].id;
    const other = await b.call('GET', '/v1/portal/questionnaires');
    expect(other.body.due).toEqual([]);
  });

  it('refuses a blank or incomplete questionnaire, naming the question', async () => {
    const blank = await a.call('POST', `/v1/portal/questionnaires/${assignmentId}`, { answers: [] });
    expect(blank.status).toBe(400);
    expect(blank.body.error.message).toBe('Answer question 1 before sending.');
    const partial = await a.call('POST', `/v1/portal/questionnaires/${assignmentId}`, {
      answers: [1, 1, 1, 1, null, 1, 1, 1, 1],
    });
    expect(partial.status).toBe(400);
    expect(partial.body.error.fields).toEqual({ 'answers.4': 'Answer question 5 before sending.' });
    const still = await a.call('GET', '/v1/portal/questionnaires');
    expect(still.body.due).toHaveLength(1);
  });

  it('patient B cannot answer A’s questionnaire', async () => {
    const r = await b.call('POST', `/v1/portal/questionnaires/${assignmentId}`, {
      answers: [0, 0, 0, 0, 0, 0, 0, 0, 0],
    });
    expect(r.status).toBe(404);
  });

  it('scores the answers; item 9 positive flags the clinician’s inbox after replication', async () => {
    const r = await a.call('POST', `/v1/portal/questionnaires/${assignmentId}`, {
      answers: [2, 2, 1, 2, 1, 1, 1, 0, 1],
    });
    expect(r.status, r.text).toBe(200);
    const after = await a.call('GET', '/v1/portal/questionnaires');
    expect(after.body.due).toEqual([]);
    expect(after.body.done).toHaveLength(1);
    const again = await a.call('POST', `/v1/portal/questionnaires/${assignmentId}`, {
      answers: [0, 0, 0, 0, 0, 0, 0, 0, 0],
    });
    expect(again.status).toBe(409);

    await sync();
    const inbox = await waitFor('the urgent flag on the workstation', async () => {
      const x = await stack.client.call('inbox', { query: { filter: 'all' } });
      return x.body?.flags?.length ? x.body : null;
    });
    expect(inbox.flags[0]).toMatchObject({
      patientId: stack.patients.a,
      patientName: 'Jordan Rivera',
      instrument: 'phq9',
      totalScore: 11,
      severity: 'moderate',
    });
    const record = await stack.client.call('patientQuestionnaires', {
      params: { patientId: stack.patients.a },
    });
    expect(record.status, record.text).toBe(200);
    expect(record.body.assignments[0]).toMatchObject({ instrument: 'phq9', status: 'completed' });
    expect(record.body.responses[0]).toMatchObject({
      totalScore: 11,
      severity: 'moderate',
      urgent: true,
      answers: [2, 2, 1, 2, 1, 1, 1, 0, 1],
      reviewedAt: null,
    });

    const reviewed = await stack.client.call('questionnaireReview', {
      params: { patientId: stack.patients.a, id: record.body.responses[0].id },
    });
    expect(reviewed.status, reviewed.text).toBe(200);
    const cleared = await stack.client.call('inbox', { query: { filter: 'all' } });
    expect(cleared.body.flags).toEqual([]);
    await sync();
    const atCentral = await centralQuery<{ data: Record<string, unknown> }>(
      stack.central,
      `SELECT data FROM tessera.replica_rows WHERE table_name = 'questionnaire_responses'`,
      [],
    );
    await waitFor('the review at central', async () => {
      const rows = await centralQuery<{ reviewed: string | null }>(
        stack.central,
        `SELECT data->>'reviewedAt' AS reviewed FROM tessera.replica_rows WHERE table_name = 'questionnaire_responses'`,
        [],
      );
      return rows[0]?.reviewed ? true : null;
    });
    // The answers are kept encrypted at central.
    expect(JSON.stringify(atCentral[0]!.data.answers)).not.toContain('[2,2,1');
  });

  it('before each visit: due again for the next visit only', async () => {
    const sent = await stack.client.call('questionnaireSend', {
      params: { patientId: stack.patients.a },
      body: { instrument: 'gad7', schedule: 'before_each_visit' },
    });
    expect(sent.status, sent.text).toBe(200);
    await sync();
    const due = await waitFor('the GAD-7 in the portal', async () => {
      const r = await a.call('GET', '/v1/portal/questionnaires');
      return r.body?.due?.length ? r.body : null;
    });
    const id = due.due[0].id;
    const r = await a.call('POST', `/v1/portal/questionnaires/${id}`, { answers: [0, 1, 0, 1, 0, 1, 0] });
    expect(r.status, r.text).toBe(200);
    const after = await a.call('GET', '/v1/portal/questionnaires');
    expect(after.body.due).toEqual([]);
    await sync();
    const record = await waitFor('the GAD-7 score on the record', async () => {
      const x = await stack.client.call('patientQuestionnaires', { params: { patientId: stack.patients.a } });
      return x.body?.responses?.length === 2 ? x.body : null;
    });
    expect(record.responses[1]).toMatchObject({
      instrument: 'gad7',
      totalScore: 3,
      severity: 'minimal',
      urgent: false,
    });
    expect(record.assignments.find((x: { instrument: string }) => x.instrument === 'gad7').status).toBe(
      'active',
    );
  });

  it('a request staff stopped is no longer due and cannot be answered', async () => {
    const sent = await stack.client.call('questionnaireSend', {
      params: { patientId: stack.patients.b },
      body: { instrument: 'phq9', schedule: 'once' },
    });
    expect(sent.status, sent.text).toBe(200);
    await sync();
    const due = await waitFor('the PHQ-9 in B’s portal', async () => {
      const r = await b.call('GET', '/v1/portal/questionnaires');
      return r.body?.due?.length ? r.body : null;
    });
    const record = await stack.client.call('patientQuestionnaires', {
      params: { patientId: stack.patients.b },
    });
    const stop = await stack.client.call('questionnaireStop', {
      params: { patientId: stack.patients.b, id: record.body.assignments[0].id },
    });
    expect(stop.status, stop.text).toBe(200);
    await sync();
    await waitFor('the stop at central', async () => {
      const r = await b.call('GET', '/v1/portal/questionnaires');
      return r.body?.due?.length === 0 ? true : null;
    });
    const late = await b.call('POST', `/v1/portal/questionnaires/${due.due[0].id}`, {
      answers: [0, 0, 0, 0, 0, 0, 0, 0, 0],
    });
    expect(late.status).toBe(409);
    expect(late.body.error.code).toBe('not_requested');
  });

  it('on a schedule: due once per period of N weeks from the sending, each answer recording its period', async () => {
    const noInterval = await stack.client.call('questionnaireSend', {
      params: { patientId: stack.patients.b },
      body: { instrument: 'gad7', schedule: 'every_weeks' },
    });
    expect(noInterval.status).toBe(400);
    expect(noInterval.text).toMatch(/Choose how often to ask/);
    const sent = await stack.client.call('questionnaireSend', {
      params: { patientId: stack.patients.b },
      body: { instrument: 'gad7', schedule: 'every_weeks', repeatWeeks: 2 },
    });
    expect(sent.status, sent.text).toBe(200);
    await sync();
    const due = await waitFor('the scheduled GAD-7 in B’s portal', async () => {
      const r = await b.call('GET', '/v1/portal/questionnaires');
      return r.body?.due?.length ? r.body : null;
    });
    const first = due.due[0];
    expect(first).toMatchObject({ instrument: 'gad7', schedule: 'every_weeks', repeatWeeks: 2 });
    expect(Date.parse(first.dueUntil) - Date.parse(first.sentAt)).toBe(14 * 24 * 3600 * 1000);
    const answers = [1, 1, 1, 1, 1, 1, 1];
    const r1 = await b.call('POST', `/v1/portal/questionnaires/${first.id}`, { answers });
    expect(r1.status, r1.text).toBe(200);
    expect((await b.call('GET', '/v1/portal/questionnaires')).body.due).toEqual([]);
    const again = await b.call('POST', `/v1/portal/questionnaires/${first.id}`, { answers });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('already_answered');

    // Two weeks later: central's stack has no movable clock, so the sending is moved back two weeks (and a
    // minute) in central's copy instead; the next period is then current and has no answer.
    await centralQuery(
      stack.central,
      `UPDATE tessera.replica_rows
          SET data = jsonb_set(data, '{createdAt}', to_jsonb(to_char(
                ((data->>'createdAt')::timestamptz - interval '14 days 1 minute') AT TIME ZONE 'UTC',
                'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')))
        WHERE table_name = 'questionnaire_assignments' AND row_id = $1`,
      [first.id],
    );
    const next = await b.call('GET', '/v1/portal/questionnaires');
    expect(next.body.due.map((d: { id: string }) => d.id)).toEqual([first.id]);
    const r2 = await b.call('POST', `/v1/portal/questionnaires/${first.id}`, { answers });
    expect(r2.status, r2.text).toBe(200);
    expect((await b.call('GET', '/v1/portal/questionnaires')).body.due).toEqual([]);

    await sync();
    const record = await waitFor('both periods on B’s record', async () => {
      const x = await stack.client.call('patientQuestionnaires', { params: { patientId: stack.patients.b } });
      return x.body?.responses?.filter((y: { instrument: string }) => y.instrument === 'gad7').length === 2
        ? x.body
        : null;
    });
    const gad7 = record.responses.filter((y: { instrument: string }) => y.instrument === 'gad7');
    expect(gad7.map((y: { period: number | null }) => y.period)).toEqual([0, 1]);
    expect(record.assignments.find((x: { id: string }) => x.id === first.id)).toMatchObject({
      schedule: 'every_weeks',
      repeatWeeks: 2,
      status: 'active',
    });
  });

  it('a proxy reaches messages and questionnaires only within the scope staff granted', async () => {
    const invite = await stack.staff.call('portalCentralInvite', {
      body: {
        kind: 'proxy',
        patientId: stack.patients.b,
        email: 'chris@example.org',
        proxyName: 'Chris Okafor',
        relationship: 'parent',
        scope: ['appointments', 'questionnaires'],
      },
    });
    expect(invite.status, invite.text).toBe(200);
    const link = linkIn(await stack.smtp.waitFor('chris@example.org'));
    const proxy = new PortalBrowser(stack.central.url);
    const begin = await proxy.call('POST', '/v1/portal/setup/begin', { token: tokenOf(link) });
    const done = await proxy.call('POST', '/v1/portal/setup/complete', {
      token: tokenOf(link),
      password: 'a long portal passphrase',
      code: portalCode(begin.body.totpSecret),
    });
    expect(done.status, done.text).toBe(200);
    const msgs = await proxy.call('GET', '/v1/portal/messages');
    expect(msgs.status).toBe(403);
    expect(msgs.body.error.message).toMatch(/does not include messages/);
    const write = await proxy.call('POST', '/v1/portal/messages', { subject: 'Hi', body: 'Hello' });
    expect(write.status).toBe(403);
    const me = await proxy.call('GET', '/v1/portal/me');
    expect(me.body, me.text).toMatchObject({ kind: 'proxy', unreadMessages: 0 });
    const qs = await proxy.call('GET', '/v1/portal/questionnaires');
    expect(qs.status, qs.text).toBe(200);
  });

  it('audits every access with the patient, and the patient’s activity lists theirs', async () => {
    const audit = stack.workstation.t.server.store.db
      .prepare(
        `SELECT action FROM audit_log WHERE patient_id = ? AND (action LIKE 'inbox.%' OR action LIKE 'questionnaire.%')`,
      )
      .all(stack.patients.a) as { action: string }[];
    const actions = new Set(audit.map((x) => x.action));
    for (const x of [
      'inbox.read',
      'inbox.reply',
      'inbox.assign',
      'questionnaire.send',
      'questionnaire.read',
      'questionnaire.review',
    ])
      expect(actions.has(x), x).toBe(true);
    const mine = await a.call('GET', '/v1/portal/activity');
    const acts = mine.body.entries.map((e: { action: string }) => e.action);
    expect(acts).toEqual(
      expect.arrayContaining([
        'messages.list',
        'messages.read',
        'messages.send',
        'questionnaires.list',
        'questionnaire.submit',
      ]),
    );
  });
});
