import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pdfText } from '../clinical/pdf-text';
import { soapContent, templateId } from '../clinical/support';
import {
  setUpPatient,
  setUpProxy,
  startPortalStack,
  type PortalBrowser,
  type PortalStack,
} from '../../support/portal';
import { centralQuery } from '../../support/sync';

/**
 * Signed-note summaries in the portal (issue 11): a clinician previews a signed note's visit summary (its
 * patient-facing fields only), shares it — drawn on the clinic's letterhead, kept encrypted at central
 * with the shared billing documents — and withdraws it; the patient lists and downloads it; internal
 * parts of the note never reach the PDF; drafts and psychotherapy notes are refused; a proxy needs the
 * `visit_summaries` scope; both sides audited.
 */

let stack: PortalStack;
let a: PortalBrowser;
let b: PortalBrowser;
let noteId = '';

async function note(template: string, content: object) {
  const created = await stack.client.call('createNote', {
    body: {
      patientId: stack.patients.a,
      templateId: await templateId(stack.client, template),
      encounterId: null,
    },
  });
  expect(created.status, created.text).toBe(201);
  const saved = await stack.client.call('saveNoteDraft', {
    params: { id: created.body.id },
    body: { baseVersion: created.body.version, title: 'Anxiety follow-up', content },
  });
  expect(saved.status, saved.text).toBe(200);
  return { id: created.body.id as string, version: saved.body.version as number };
}

const sign = async (n: { id: string; version: number }) => {
  const r = await stack.client.call('signNote', { params: { id: n.id }, body: { baseVersion: n.version } });
  expect(r.status, r.text).toBe(200);
};

const workstationAudit = (action: string) =>
  stack.workstation.t.server.store.db
    .prepare(`SELECT patient_id AS p, detail FROM audit_log WHERE action = ?`)
    .all(action) as { p: string; detail: string }[];

beforeAll(async () => {
  stack = await startPortalStack();
  a = (await setUpPatient(stack, 'summary.a@example.org', 'a')).browser;
  b = (await setUpPatient(stack, 'summary.b@example.org', 'b')).browser;
}, 180_000);

afterAll(async () => {
  await stack?.stop();
});

describe('visit summaries shared in the portal', () => {
  it('a draft has no summary; a signed note previews its patient-facing parts only', async () => {
    const draft = await note(
      'soap',
      soapContent({ diagnoses: [{ uncoded: true, description: 'Generalized anxiety disorder' }] }),
    );
    noteId = draft.id;
    const early = await stack.client.call('noteSummaryPreview', { params: { id: noteId } });
    expect(early.status).toBe(409);
    expect(early.body.error.message).toMatch(/Sign the note/);
    await sign(draft);

    const preview = await stack.client.call('noteSummaryPreview', { params: { id: noteId } });
    expect(preview.status, preview.text).toBe(200);
    expect(preview.body.title).toMatch(/^Visit summary — \d{1,2} [A-Z][a-z]{2} \d{4}$/);
    expect(Object.fromEntries(preview.body.header)).toMatchObject({
      Patient: 'Jordan Rivera',
      Provider: expect.any(String),
    });
    expect(preview.body.sections).toEqual([
      { heading: 'Assessment', items: [{ label: 'Assessment', text: 'Generalized anxiety, moderate.' }] },
      {
        heading: 'Plan',
        items: [
          { label: 'Plan', text: 'Start CBT; sleep hygiene handout; follow up in two weeks.' },
          { label: 'Follow-up', text: '2 weeks' },
        ],
      },
    ]);
    const text = JSON.stringify(preview.body);
    for (const internal of ['constant worry', 'anxious affect', 'anxiety disorder', 'Worry and poor sleep'])
      expect(text).not.toContain(internal);
  });

  it('shares the PDF on the letterhead; central keeps it encrypted; the patient downloads it', async () => {
    const none = await stack.client.call('noteSummaryStatus', { params: { id: noteId } });
    expect(none.status, none.text).toBe(200);
    expect(none.body.shared).toBeNull();

    const shared = await stack.client.call('shareNoteSummary', { params: { id: noteId } });
    expect(shared.status, shared.text).toBe(200);
    expect(shared.body).toMatchObject({
      sourceId: noteId,
      kind: 'visit_summary',
      downloads: 0,
      withdrawnAt: null,
    });
    const rows = await centralQuery(stack.central, `SELECT title, content FROM tessera.portal_documents`);
    expect(rows).toHaveLength(1);
    expect(rows[0].content).not.toMatch(/JVBERi0/);
    expect(rows[0].title).not.toMatch(/Visit summary/);
    const audit = workstationAudit('portal.share');
    expect(audit).toHaveLength(1);
    expect(audit[0]!.p).toBe(stack.patients.a);
    expect(JSON.parse(audit[0]!.detail)).toMatchObject({ noteId, kind: 'visit_summary' });

    const list = await a.call('GET', '/v1/portal/documents');
    expect(list.status, list.text).toBe(200);
    expect(list.body.documents).toEqual([
      expect.objectContaining({ id: shared.body.id, kind: 'visit_summary', title: shared.body.title }),
    ]);
    const file = await a.call('GET', `/v1/portal/documents/${shared.body.id}`);
    expect(file.status, file.text).toBe(200);
    expect(file.body.fileName).toMatch(/^visit-summary-\d{4}-\d{2}-\d{2}\.pdf$/);
    const pdf = Buffer.from(file.body.contentBase64, 'base64');
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    const words = pdfText(pdf);
    expect(words).toContain('Riverside Family Practice');
    expect(words).toMatch(/Visit summary\W+\d{1,2} [A-Z][a-z]{2} \d{4}/);
    expect(words).toContain('Jordan Rivera');
    expect(words).toContain('Generalized anxiety, moderate.');
    expect(words).toContain('Start CBT; sleep hygiene handout; follow up in two weeks.');
    expect(words).toContain('Follow-up: 2 weeks');
    for (const internal of [
      'constant worry',
      'anxious affect',
      'anxiety disorder',
      'Worry and poor sleep',
      'SHA-256',
    ])
      expect(words).not.toContain(internal);

    // Patient B sees nothing of A's.
    expect((await b.call('GET', '/v1/portal/documents')).body.documents).toEqual([]);
    expect((await b.call('GET', `/v1/portal/documents/${shared.body.id}`)).status).toBe(404);

    const seen = await stack.client.call('noteSummaryStatus', { params: { id: noteId } });
    expect(seen.body.shared).toMatchObject({ id: shared.body.id, downloads: 1 });
    const access = await stack.client.call('portalAccess', { params: { patientId: stack.patients.a } });
    expect(access.body.activity.map((x: { action: string }) => x.action)).toContain('documents.download');
  });

  it('a proxy sees visit summaries only with the visit_summaries scope', async () => {
    const billingOnly = (await setUpProxy(stack, 'parent.billing@example.org', 'a', ['billing'])).browser;
    expect((await billingOnly.call('GET', '/v1/portal/documents')).body.documents).toEqual([]);
    const docId = (await a.call('GET', '/v1/portal/documents')).body.documents[0].id;
    expect((await billingOnly.call('GET', `/v1/portal/documents/${docId}`)).status).toBe(404);
    const withScope = (await setUpProxy(stack, 'parent.visits@example.org', 'a', ['visit_summaries']))
      .browser;
    expect((await withScope.call('GET', '/v1/portal/documents')).body.documents).toHaveLength(1);
    const neither = (await setUpProxy(stack, 'parent.appts@example.org', 'a', ['appointments'])).browser;
    const refused = await neither.call('GET', '/v1/portal/documents');
    expect(refused.status).toBe(403);
  });

  it('withdraws it at once; sharing again puts it back', async () => {
    const docId = (await a.call('GET', '/v1/portal/documents')).body.documents[0].id;
    const out = await stack.client.call('withdrawNoteSummary', { params: { id: noteId } });
    expect(out.status, out.text).toBe(200);
    expect(out.body.withdrawnAt).not.toBeNull();
    expect((await a.call('GET', '/v1/portal/documents')).body.documents).toEqual([]);
    expect((await a.call('GET', `/v1/portal/documents/${docId}`)).status).toBe(404);
    expect(workstationAudit('portal.withdraw').map((x) => x.p)).toEqual([stack.patients.a]);
    const status = await stack.client.call('noteSummaryStatus', { params: { id: noteId } });
    expect(status.body.shared.withdrawnAt).not.toBeNull();

    const again = await stack.client.call('shareNoteSummary', { params: { id: noteId } });
    expect(again.body.id).toBe(docId);
    expect((await a.call('GET', '/v1/portal/documents')).body.documents).toHaveLength(1);
  });

  it('refuses psychotherapy notes and notes with nothing written for the patient', async () => {
    const restricted = await note('psychotherapy', {
      fields: { process: 'Transference themes.' },
      planProgress: [],
    });
    await sign(restricted);
    const r = await stack.client.call('shareNoteSummary', { params: { id: restricted.id } });
    expect(r.status).toBe(409);
    expect(r.body.error.message).toMatch(/Psychotherapy notes/);

    const freeform = await note('freeform', {
      fields: { body: 'Phone call about scheduling.' },
      planProgress: [],
    });
    await sign(freeform);
    const empty = await stack.client.call('noteSummaryPreview', { params: { id: freeform.id } });
    expect(empty.status).toBe(409);
    expect(empty.body.error.code).toBe('summary_empty');
    expect(
      (await centralQuery(stack.central, `SELECT source_id FROM tessera.portal_documents`)).map(
        (x) => x.source_id,
      ),
    ).toEqual([noteId]);
  });
});
