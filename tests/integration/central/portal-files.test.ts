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
 * Files in the portal and withdrawing shared documents: the patient uploads a photo (type read from its
 * first bytes, refused otherwise; at most 10 MB), kept encrypted at central; its description replicates to
 * the workstation, whose staff open it (bytes fetched from central, audited) and mark it reviewed (replicated
 * back); patient B never reaches A's file; a session from an e-mailed link steps up before downloading; a
 * shared statement withdrawn from the workstation leaves the portal at once.
 */

let stack: PortalStack;
let a: PortalBrowser;
let b: PortalBrowser;
let aSecret = '';

/** A tiny but real JPEG header, then bytes a photo might hold (the patient's name must not leak). */
const jpeg = Buffer.concat([
  Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10]),
  Buffer.from('JFIF photo bytes'),
]);
const heic = Buffer.concat([Buffer.from([0, 0, 0, 0x18]), Buffer.from('ftypheic'), Buffer.alloc(16, 1)]);
let fileId = '';

beforeAll(async () => {
  stack = await startPortalStack({ publicUrl: true });
  const sa = await setUpPatient(stack, 'files.a@example.org', 'a');
  a = sa.browser;
  aSecret = sa.secret;
  b = (await setUpPatient(stack, 'files.b@example.org', 'b')).browser;
}, 180_000);

afterAll(async () => {
  await stack?.stop();
});

const workstationDb = () => stack.workstation.t.server.store.db;

describe('patient uploads', () => {
  it('takes a photo, keeps it encrypted, and lists it', async () => {
    const up = await a.call('POST', '/v1/portal/uploads', {
      title: 'Lab results from Dr. Grey',
      contentBase64: jpeg.toString('base64'),
    });
    expect(up.status, up.text).toBe(200);
    expect(up.body).toMatchObject({
      purpose: 'upload',
      sender: 'patient',
      contentType: 'image/jpeg',
      sizeBytes: jpeg.length,
      reviewed: false,
    });
    fileId = up.body.id;
    const list = await a.call('GET', '/v1/portal/uploads');
    expect(list.body.files.map((f: { id: string }) => f.id)).toEqual([fileId]);
    expect(list.body.files[0].title).toBe('Lab results from Dr. Grey');

    // Neither the bytes nor the title are stored in the clear at central.
    const stored = await centralQuery(stack.central, 'SELECT content FROM tessera.portal_file_contents');
    expect(stored).toHaveLength(1);
    expect(stored[0].content).not.toContain(jpeg.toString('base64').slice(0, 12));
    const replica = await centralQuery(
      stack.central,
      `SELECT data::text AS d FROM tessera.replica_rows WHERE table_name = 'portal_files'`,
    );
    expect(replica[0].d).not.toContain('Dr. Grey');

    // HEIC (an iPhone's photo) is a photo too.
    const h = await a.call('POST', '/v1/portal/uploads', {
      title: 'Prescription label',
      contentBase64: heic.toString('base64'),
    });
    expect(h.status, h.text).toBe(200);
    expect(h.body.contentType).toBe('image/heic');
  });

  it('refuses what is not a photo or a PDF, an empty file and one over 10 MB, storing nothing', async () => {
    const before = (await centralQuery(stack.central, 'SELECT id FROM tessera.portal_file_contents')).length;
    // A page renamed to .jpg is still a page: the first bytes decide.
    const html = await a.call('POST', '/v1/portal/uploads', {
      title: 'photo.jpg',
      contentBase64: Buffer.from('<html><script>x</script></html>').toString('base64'),
    });
    expect(html.status).toBe(400);
    expect(html.body.error.fields.contentBase64).toMatch(/JPEG, PNG, HEIC\) and PDF/);
    const empty = await a.call('POST', '/v1/portal/uploads', { title: 'Nothing', contentBase64: '' });
    expect(empty.status).toBe(400);
    expect(empty.body.error.fields.contentBase64).toMatch(/Choose a file/);
    const untitled = await a.call('POST', '/v1/portal/uploads', {
      title: ' ',
      contentBase64: jpeg.toString('base64'),
    });
    expect(untitled.body.error.fields.title).toMatch(/what this document is/);
    const big = Buffer.concat([jpeg, Buffer.alloc(10 * 1024 * 1024)]);
    const tooBig = await a.call('POST', '/v1/portal/uploads', {
      title: 'Scan',
      contentBase64: big.toString('base64'),
    });
    expect(tooBig.status).toBe(400);
    expect(tooBig.body.error.fields.contentBase64).toMatch(/larger than 10 MB/);
    const after = (await centralQuery(stack.central, 'SELECT id FROM tessera.portal_file_contents')).length;
    expect(after).toBe(before);
  });

  it('patient A downloads it; patient B sees nothing of A’s and gets the same 404 as a missing file', async () => {
    const file = await a.call('GET', `/v1/portal/files/${fileId}`);
    expect(file.status, file.text).toBe(200);
    expect(file.body.contentType).toBe('image/jpeg');
    expect(file.body.fileName).toMatch(/^document-\d{4}-\d{2}-\d{2}\.jpg$/);
    expect(Buffer.from(file.body.contentBase64, 'base64').equals(jpeg)).toBe(true);

    expect((await b.call('GET', '/v1/portal/uploads')).body.files).toEqual([]);
    const peek = await b.call('GET', `/v1/portal/files/${fileId}`);
    const none = await b.call('GET', `/v1/portal/files/${crypto.randomUUID()}`);
    expect(peek.status).toBe(404);
    expect(peek.body).toEqual(none.body);
  });

  it('a session from an e-mailed link steps up before downloading', async () => {
    const linked = await linkSession(stack, 'files.a@example.org');
    const blocked = await linked.call('GET', `/v1/portal/files/${fileId}`);
    expect(blocked.status).toBe(403);
    expect(blocked.body.error.code).toBe('step_up_required');
    expect((await linked.call('POST', '/v1/portal/step-up', { code: portalCode(aSecret, 1) })).status).toBe(
      200,
    );
    expect((await linked.call('GET', `/v1/portal/files/${fileId}`)).status).toBe(200);
  });

  it('reaches the record on the workstation: listed offline, opened from central (audited), reviewed', async () => {
    await stack.workstation.sync.syncNow();
    const list = await stack.client.call('portalRecordFiles', { params: { patientId: stack.patients.a } });
    expect(list.status, list.text).toBe(200);
    const mine = list.body.files.find((f: { id: string }) => f.id === fileId);
    expect(mine).toMatchObject({
      purpose: 'upload',
      sender: 'patient',
      title: 'Lab results from Dr. Grey',
      contentType: 'image/jpeg',
      reviewedAt: null,
    });
    // B's record has none of A's files, and A's file is not found through B's record.
    const bList = await stack.client.call('portalRecordFiles', { params: { patientId: stack.patients.b } });
    expect(bList.body.files).toEqual([]);
    const cross = await stack.client.call('portalRecordFileContent', {
      params: { patientId: stack.patients.b, fileId },
    });
    expect(cross.status).toBe(404);

    const opened = await stack.client.call('portalRecordFileContent', {
      params: { patientId: stack.patients.a, fileId },
    });
    expect(opened.status, opened.text).toBe(200);
    expect(Buffer.from(opened.body.contentBase64, 'base64').equals(jpeg)).toBe(true);

    const reviewed = await stack.client.call('portalRecordFileReview', {
      params: { patientId: stack.patients.a, fileId },
    });
    expect(reviewed.status, reviewed.text).toBe(200);
    expect(reviewed.body.reviewedAt).not.toBeNull();
    expect(reviewed.body.reviewedByName).toBeTruthy();
    const twice = await stack.client.call('portalRecordFileReview', {
      params: { patientId: stack.patients.a, fileId },
    });
    expect(twice.status).toBe(409);

    const audit = workstationDb()
      .prepare(`SELECT action, patient_id AS p FROM audit_log WHERE action LIKE 'portal.file_%'`)
      .all() as { action: string; p: string }[];
    expect(audit).toEqual(
      expect.arrayContaining([
        { action: 'portal.file_list', p: stack.patients.a },
        { action: 'portal.file_read', p: stack.patients.a },
        { action: 'portal.file_review', p: stack.patients.a },
      ]),
    );

    // The review replicates: the patient's list says the clinic looked at it.
    await stack.workstation.sync.syncNow();
    const after = await a.call('GET', '/v1/portal/uploads');
    expect(after.body.files.find((f: { id: string }) => f.id === fileId).reviewed).toBe(true);
    const acts = (await stack.client.call('portalAccess', { params: { patientId: stack.patients.a } })).body
      .activity as { action: string }[];
    expect(acts.map((x) => x.action)).toEqual(expect.arrayContaining(['files.upload', 'files.download']));
  });

  it('refuses a workstation’s own file row into the conflict inbox', async () => {
    const forged = crypto.randomUUID();
    const at = new Date().toISOString();
    const store = stack.workstation.t.server.store;
    store.write({ userId: stack.adminUserId, username: 'ada.admin' }, (w) =>
      w.insert('portal_files', {
        id: forged,
        clinicId: store.requireClinicId(),
        patientId: stack.patients.a,
        purpose: 'upload',
        sender: 'patient',
        senderUserId: null,
        senderName: 'Forged',
        title: 'Forged',
        contentType: 'image/jpeg',
        sizeBytes: 10,
        sha256: 'x',
        messageId: null,
        submissionId: null,
        uploadedAt: at,
        reviewedAt: null,
        reviewedBy: null,
        createdAt: at,
        updatedAt: at,
        deletedAt: null,
      }),
    );
    await stack.workstation.sync.syncNow();
    const there = await centralQuery(
      stack.central,
      `SELECT 1 FROM tessera.replica_rows WHERE table_name = 'portal_files' AND row_id = $1`,
      [forged],
    );
    expect(there).toHaveLength(0);
    const conflicts = await centralQuery<{ message: string }>(
      stack.central,
      `SELECT data->>'message' AS message FROM tessera.replica_rows
        WHERE table_name = 'sync_conflicts' AND data->>'rowId' = $1`,
      [forged],
    );
    expect(conflicts[0]?.message).toMatch(/stored by the central server only/);
  });
});

describe('insurance card photos with the intake', () => {
  const intake = {
    demographics: {
      firstNameToUse: '',
      addressLine1: '',
      addressLine2: '',
      city: '',
      state: '',
      postalCode: '',
      phoneMobile: '',
      phoneHome: '',
      email: '',
    },
    emergencyContact: { name: 'Ana Rivera', relationship: 'sibling', phone: '512 555 0199' },
    history: {
      reason: 'Trouble sleeping',
      takesMedicines: 'no',
      medicines: '',
      hasAllergies: 'no',
      allergies: '',
      priorCounseling: 'no',
      otherHistory: '',
    },
  };
  const png = Buffer.from(
    'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
    'base64',
  );

  it('stores both sides with the submission; a PDF is not a photo of a card', async () => {
    const sent = await stack.client.call('formSend', {
      params: { patientId: stack.patients.a },
      body: { kind: 'intake' },
    });
    expect(sent.status, sent.text).toBe(200);
    await stack.workstation.sync.syncNow();
    const forms = await a.call('GET', '/v1/portal/forms');
    const formId = forms.body.due[0].id as string;
    const pdf = await a.call('POST', `/v1/portal/forms/${formId}/intake`, {
      ...intake,
      insuranceCard: { front: Buffer.from('%PDF-1.4 scan').toString('base64'), back: null },
    });
    expect(pdf.status).toBe(400);
    expect(pdf.body.error.fields['insuranceCard.front']).toMatch(/photo of the card/);

    const ok = await a.call('POST', `/v1/portal/forms/${formId}/intake`, {
      ...intake,
      insuranceCard: { front: jpeg.toString('base64'), back: png.toString('base64') },
    });
    expect(ok.status, ok.text).toBe(200);
    const mine = (await a.call('GET', '/v1/portal/uploads')).body.files as { purpose: string }[];
    expect(mine.map((f) => f.purpose)).toEqual(expect.arrayContaining(['insurance_front', 'insurance_back']));

    await stack.workstation.sync.syncNow();
    const rows = workstationDb()
      .prepare(
        `SELECT purpose, submission_id AS s, content_type AS t FROM portal_files WHERE purpose LIKE 'insurance_%'`,
      )
      .all() as { purpose: string; s: string; t: string }[];
    expect(rows).toHaveLength(2);
    expect(rows.every((r) => r.s === ok.body.id)).toBe(true);
    expect(rows.find((r) => r.purpose === 'insurance_back')?.t).toBe('image/png');
    const list = await stack.client.call('portalRecordFiles', { params: { patientId: stack.patients.a } });
    expect(
      list.body.files.filter((f: { purpose: string }) => f.purpose.startsWith('insurance_')),
    ).toHaveLength(2);
  });
});

describe('withdrawing a shared document', () => {
  it('leaves the portal at once, is audited, and staff still see it as withdrawn', async () => {
    const today = new Date().toISOString().slice(0, 10);
    await stack.client.call('postCharge', {
      params: { patientId: stack.patients.a },
      body: { amountCents: 5_000, serviceDate: today, memo: 'Office visit' },
    });
    const kept = await stack.client.call('createBillingDocument', {
      params: { patientId: stack.patients.a },
      body: { kind: 'statement', from: today, to: today },
    });
    expect(kept.status, kept.text).toBe(201);
    await stack.workstation.sync.syncNow();
    const shared = await stack.client.call('portalShareDocument', {
      params: { patientId: stack.patients.a },
      body: { documentId: kept.body.id },
    });
    expect(shared.status, shared.text).toBe(200);
    const docId = shared.body.id;
    expect((await a.call('GET', '/v1/portal/documents')).body.documents).toHaveLength(1);

    // Through another patient's record it is not found, and nothing changes.
    const wrong = await stack.client.call('portalWithdrawDocument', {
      params: { patientId: stack.patients.b, documentId: docId },
    });
    expect(wrong.status).toBe(404);
    expect((await a.call('GET', '/v1/portal/documents')).body.documents).toHaveLength(1);

    const gone = await stack.client.call('portalWithdrawDocument', {
      params: { patientId: stack.patients.a, documentId: docId },
    });
    expect(gone.status, gone.text).toBe(200);
    expect(gone.body.withdrawnAt).not.toBeNull();
    expect((await a.call('GET', '/v1/portal/documents')).body.documents).toEqual([]);
    const dl = await a.call('GET', `/v1/portal/documents/${docId}`);
    expect(dl.status).toBe(404);

    const seen = await stack.client.call('portalSharedDocuments', {
      params: { patientId: stack.patients.a },
    });
    expect(seen.body.documents[0]).toMatchObject({ id: docId });
    expect(seen.body.documents[0].withdrawnAt).not.toBeNull();
    const audit = workstationDb()
      .prepare(`SELECT patient_id AS p FROM audit_log WHERE action = 'portal.withdraw'`)
      .all() as { p: string }[];
    expect(audit).toEqual([{ p: stack.patients.a }]);

    // Sharing it again puts it back.
    await stack.client.call('portalShareDocument', {
      params: { patientId: stack.patients.a },
      body: { documentId: kept.body.id },
    });
    expect((await a.call('GET', '/v1/portal/documents')).body.documents).toHaveLength(1);
  });
});
