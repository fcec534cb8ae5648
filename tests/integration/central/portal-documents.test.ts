import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  linkSession,
  portalCode,
  setUpPatient,
  startPortalStack,
  type PortalBrowser,
  type PortalStack,
} from '../../support/portal';
import { centralQuery } from '../../support/sync';

/**
 * Documents shared in the portal: staff share a kept statement from the workstation (drawn as a PDF there,
 * sent to central, kept encrypted), the patient lists and downloads it (second factor required; a session
 * from an e-mailed link must step up first), every download counted and in the patient's activity, the
 * sharing in the workstation's audit log; patient B never sees A's.
 */

let stack: PortalStack;
let a: PortalBrowser;
let b: PortalBrowser;
let aSecret = '';
let statementId = '';

beforeAll(async () => {
  stack = await startPortalStack({ publicUrl: true });
  const charge = await stack.client.call('postCharge', {
    params: { patientId: stack.patients.a },
    body: { amountCents: 8_000, serviceDate: new Date().toISOString().slice(0, 10), memo: 'Office visit' },
  });
  expect(charge.status, charge.text).toBe(200);
  const today = new Date().toISOString().slice(0, 10);
  const kept = await stack.client.call('createBillingDocument', {
    params: { patientId: stack.patients.a },
    body: { kind: 'statement', from: today, to: today },
  });
  expect(kept.status, kept.text).toBe(201);
  statementId = kept.body.id;
  await stack.workstation.sync.syncNow();
  const sa = await setUpPatient(stack, 'docs.a@example.org', 'a');
  a = sa.browser;
  aSecret = sa.secret;
  b = (await setUpPatient(stack, 'docs.b@example.org', 'b')).browser;
}, 180_000);

afterAll(async () => {
  await stack?.stop();
});

describe('documents shared in the portal', () => {
  it('shares a kept statement from the workstation, kept encrypted at central and audited', async () => {
    const shared = await stack.client.call('portalShareDocument', {
      params: { patientId: stack.patients.a },
      body: { documentId: statementId },
    });
    expect(shared.status, shared.text).toBe(200);
    expect(shared.body).toMatchObject({ sourceId: statementId, kind: 'statement', downloads: 0 });
    // Sharing again replaces the content; it is still one document.
    const again = await stack.client.call('portalShareDocument', {
      params: { patientId: stack.patients.a },
      body: { documentId: statementId },
    });
    expect(again.body.id).toBe(shared.body.id);
    const rows = await centralQuery(stack.central, 'SELECT title, content FROM tessera.portal_documents');
    expect(rows).toHaveLength(1);
    // Neither the PDF (base64 of "%PDF-" is "JVBERi0") nor the title is stored in the clear.
    expect(rows[0].content).not.toMatch(/JVBERi0/);
    expect(rows[0].title).not.toMatch(/Statement/);
    const audit = stack.workstation.t.server.store.db
      .prepare(
        `SELECT action, patient_id AS p, detail FROM audit_log WHERE action IN ('portal.share', 'record.export')`,
      )
      .all() as { action: string; p: string }[];
    expect(audit.filter((x) => x.action === 'portal.share')).toHaveLength(2);
    expect(audit.every((x) => x.p === stack.patients.a)).toBe(true);

    const unknown = await stack.client.call('portalShareDocument', {
      params: { patientId: stack.patients.a },
      body: { documentId: crypto.randomUUID() },
    });
    expect(unknown.status).toBe(404);
    // Central takes PDFs only.
    const notPdf = await stack.staff.call('portalCentralShareDocument', {
      body: {
        patientId: stack.patients.a,
        sourceId: crypto.randomUUID(),
        kind: 'receipt',
        title: 'Receipt',
        pdfBase64: Buffer.from('<html>not a pdf</html>').toString('base64'),
      },
    });
    expect(notPdf.status).toBe(400);
    expect(notPdf.body.error.fields.pdfBase64).toMatch(/PDF/);
  });

  it('the patient lists and downloads it; patient B sees nothing of A’s', async () => {
    const list = await a.call('GET', '/v1/portal/documents');
    expect(list.status, list.text).toBe(200);
    expect(list.body.documents).toHaveLength(1);
    const doc = list.body.documents[0];
    expect(doc).toMatchObject({ kind: 'statement' });
    expect(doc.title).toMatch(/^Statement/);
    const file = await a.call('GET', `/v1/portal/documents/${doc.id}`);
    expect(file.status, file.text).toBe(200);
    expect(file.body.contentType).toBe('application/pdf');
    expect(file.body.fileName).toMatch(/^statement-\d{4}-\d{2}-\d{2}\.pdf$/);
    expect(Buffer.from(file.body.contentBase64, 'base64').subarray(0, 5).toString()).toBe('%PDF-');

    expect((await b.call('GET', '/v1/portal/documents')).body.documents).toEqual([]);
    const peek = await b.call('GET', `/v1/portal/documents/${doc.id}`);
    const none = await b.call('GET', `/v1/portal/documents/${crypto.randomUUID()}`);
    expect(peek.status).toBe(404);
    expect(peek.body).toEqual(none.body);
  });

  it('a session from an e-mailed link steps up before downloading; staff see the downloads', async () => {
    const linked = await linkSession(stack, 'docs.a@example.org');
    const doc = (await linked.call('GET', '/v1/portal/documents')).body.documents[0];
    const blocked = await linked.call('GET', `/v1/portal/documents/${doc.id}`);
    expect(blocked.status).toBe(403);
    expect(blocked.body.error.code).toBe('step_up_required');
    expect((await linked.call('POST', '/v1/portal/step-up', { code: portalCode(aSecret, 1) })).status).toBe(
      200,
    );
    expect((await linked.call('GET', `/v1/portal/documents/${doc.id}`)).status).toBe(200);

    const seen = await stack.client.call('portalSharedDocuments', {
      params: { patientId: stack.patients.a },
    });
    expect(seen.status, seen.text).toBe(200);
    expect(seen.body.documents[0]).toMatchObject({ sourceId: statementId, downloads: 2 });
    expect(seen.body.documents[0].lastDownloadedAt).not.toBeNull();
    const access = await stack.client.call('portalAccess', { params: { patientId: stack.patients.a } });
    const actions = access.body.activity.map((x: { action: string }) => x.action);
    expect(actions.filter((x: string) => x === 'documents.download')).toHaveLength(2);
    expect(actions).toContain('documents.list');
  });
});
