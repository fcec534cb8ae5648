import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setUpPatient, startPortalStack, type PortalBrowser, type PortalStack } from '../../support/portal';
import { centralQuery } from '../../support/sync';

/**
 * Attachments on secure messages, both ways (docs/portal.md "Secure messages"): the patient attaches a
 * photo and a PDF (first bytes checked; a refused file stores neither the message nor any file); the
 * workstation's inbox lists them after replication and staff download one from central (audited); staff
 * reply with a photo (checked on the workstation first, stored at central) and the patient sees and
 * downloads it. Patient B never lists or fetches A's attachments (the same 404 as a missing file).
 */

let stack: PortalStack;
let a: PortalBrowser;
let b: PortalBrowser;

const jpeg = Buffer.concat([
  Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10]),
  Buffer.from('JFIF rash photo'),
]);
const pdf = Buffer.from('%PDF-1.4\nreferral letter\n%%EOF');
const png = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  Buffer.from('care plan'),
]);
let threadId = '';
let patientFiles: string[] = [];
let staffFileId = '';

beforeAll(async () => {
  stack = await startPortalStack({ publicUrl: true });
  a = (await setUpPatient(stack, 'attach.a@example.org', 'a')).browser;
  b = (await setUpPatient(stack, 'attach.b@example.org', 'b')).browser;
}, 180_000);

afterAll(async () => {
  await stack?.stop();
});

const countFiles = async () =>
  (await centralQuery(stack.central, 'SELECT count(*)::int AS n FROM tessera.portal_file_contents'))[0].n;

describe('patient attachments', () => {
  it('refuses a file that is not a photo or a PDF, storing neither the message nor any file', async () => {
    const before = await countFiles();
    const res = await a.call('POST', '/v1/portal/messages', {
      subject: 'Rash',
      body: 'See attached',
      attachments: [
        { contentBase64: jpeg.toString('base64') },
        { contentBase64: Buffer.from('MZ program').toString('base64') },
      ],
    });
    expect(res.status).toBe(400);
    expect(res.body.error.fields['attachments.1']).toBe(
      'Only photos (JPEG, PNG, HEIC) and PDF documents can be sent.',
    );
    expect(await countFiles()).toBe(before);
    expect((await a.call('GET', '/v1/portal/messages')).body.threads).toEqual([]);
    const four = await a.call('POST', '/v1/portal/messages', {
      subject: 'Rash',
      body: 'x',
      attachments: Array.from({ length: 4 }, () => ({ contentBase64: jpeg.toString('base64') })),
    });
    expect(four.status).toBe(400);
  });

  it('sends a photo and a PDF with a new message and lists them on the conversation', async () => {
    const res = await a.call('POST', '/v1/portal/messages', {
      subject: 'Rash on my arm',
      body: 'Photo and the referral attached.',
      attachments: [{ contentBase64: jpeg.toString('base64') }, { contentBase64: pdf.toString('base64') }],
    });
    expect(res.status, res.text).toBe(200);
    threadId = res.body.id;
    const thread = await a.call('GET', `/v1/portal/messages/${threadId}`);
    const files = thread.body.messages[0].attachments;
    expect(files.map((f: { contentType: string }) => f.contentType)).toEqual([
      'image/jpeg',
      'application/pdf',
    ]);
    expect(
      files.every(
        (f: { purpose: string; sender: string }) => f.purpose === 'attachment' && f.sender === 'patient',
      ),
    ).toBe(true);
    patientFiles = files.map((f: { id: string }) => f.id);
    const got = await a.call('GET', `/v1/portal/files/${patientFiles[1]}`);
    expect(got.status).toBe(200);
    expect(Buffer.from(got.body.contentBase64, 'base64').equals(pdf)).toBe(true);
    expect(got.body.fileName).toMatch(/^attachment-\d{4}-\d{2}-\d{2}\.pdf$/);
    // Attachments belong to the conversation, not to the documents the patient sent.
    expect((await a.call('GET', '/v1/portal/uploads')).body.files).toEqual([]);
  });

  it('patient B can neither see nor fetch A’s attachments (the same 404 as a missing file)', async () => {
    expect((await b.call('GET', '/v1/portal/messages')).body.threads).toEqual([]);
    expect((await b.call('GET', `/v1/portal/messages/${threadId}`)).status).toBe(404);
    const peek = await b.call('GET', `/v1/portal/files/${patientFiles[0]}`);
    const none = await b.call('GET', `/v1/portal/files/${crypto.randomUUID()}`);
    expect(peek.status).toBe(404);
    expect(peek.body).toEqual(none.body);
    // B cannot attach into A's conversation either.
    const into = await b.call('POST', `/v1/portal/messages/${threadId}/replies`, {
      body: 'hi',
      attachments: [{ contentBase64: jpeg.toString('base64') }],
    });
    expect(into.status).toBe(404);
  });
});

describe('the inbox', () => {
  it('lists the patient’s files after replication and staff download one (audited)', async () => {
    await stack.workstation.sync.syncNow();
    const thread = await stack.client.call('inboxThread', { params: { threadId } });
    expect(thread.status).toBe(200);
    const files = thread.body.messages[0].attachments;
    expect(files.map((f: { id: string }) => f.id)).toEqual(patientFiles);
    const got = await stack.client.call('portalRecordFileContent', {
      params: { patientId: stack.patients.a, fileId: patientFiles[0]! },
    });
    expect(got.status).toBe(200);
    expect(Buffer.from(got.body.contentBase64, 'base64').equals(jpeg)).toBe(true);
    // Through B's record the same file is not found.
    const cross = await stack.client.call('portalRecordFileContent', {
      params: { patientId: stack.patients.b, fileId: patientFiles[0]! },
    });
    expect(cross.status).toBe(404);
    const audit = stack.workstation.t.server.store.db
      .prepare(`SELECT patient_id AS patientId FROM audit_log WHERE action = 'portal.file_read'`)
      .all() as { patientId: string }[];
    expect(audit).toEqual([{ patientId: stack.patients.a }]);
  });

  it('refuses a staff file that is not a photo or a PDF before anything is stored or written', async () => {
    const before = await countFiles();
    const res = await stack.client.call('inboxReply', {
      params: { threadId },
      body: { body: 'Here', attachments: [{ contentBase64: Buffer.from('<html>').toString('base64') }] },
    });
    expect(res.status).toBe(400);
    expect(res.body.error.fields['attachments.0']).toBe(
      'Only photos (JPEG, PNG, HEIC) and PDF documents can be sent.',
    );
    expect(await countFiles()).toBe(before);
    const thread = await stack.client.call('inboxThread', { params: { threadId } });
    expect(thread.body.messages).toHaveLength(1);
  });

  it('staff reply with a photo; the patient sees it on the reply and downloads it', async () => {
    const res = await stack.client.call('inboxReply', {
      params: { threadId },
      body: { body: 'Your care plan is attached.', attachments: [{ contentBase64: png.toString('base64') }] },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.attachments).toHaveLength(1);
    staffFileId = res.body.attachments[0].id;
    await stack.workstation.sync.syncNow();
    const thread = await a.call('GET', `/v1/portal/messages/${threadId}`);
    const reply = thread.body.messages.find((m: { sender: string }) => m.sender === 'staff');
    expect(reply.body).toBe('Your care plan is attached.');
    expect(reply.attachments).toMatchObject([{ id: staffFileId, sender: 'staff', contentType: 'image/png' }]);
    const got = await a.call('GET', `/v1/portal/files/${staffFileId}`);
    expect(Buffer.from(got.body.contentBase64, 'base64').equals(png)).toBe(true);
    expect((await b.call('GET', `/v1/portal/files/${staffFileId}`)).status).toBe(404);
    // The workstation lists it too once its row came back, and the reply's audit names the file.
    const ws = await stack.client.call('inboxThread', { params: { threadId } });
    const wsReply = ws.body.messages.find((m: { sender: string }) => m.sender === 'staff');
    expect(wsReply.attachments.map((f: { id: string }) => f.id)).toEqual([staffFileId]);
    const audit = stack.workstation.t.server.store.db
      .prepare(`SELECT detail FROM audit_log WHERE action = 'inbox.reply'`)
      .all() as { detail: string }[];
    expect(JSON.parse(audit.at(-1)!.detail).attachments).toEqual([staffFileId]);
  });
});
