import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pdfText } from './pdf-text';
import { auditEntries, clinicalWorld, ok, soapDraft, type ClinicalWorld } from './support';

let w: ClinicalWorld;
beforeAll(async () => {
  w = await clinicalWorld();
});
afterAll(async () => {
  await w?.t.stop();
});

async function download(id: string) {
  const res = await w.lee.client.raw('GET', `/api/notes/${id}/pdf`);
  return { res, body: Buffer.from(await res.arrayBuffer()) };
}

describe('PDF export of a signed note', () => {
  it('refuses drafts; exports signed notes with the clinic header, signature and addenda, audited, no patient data in the file name', async () => {
    const { id, version } = await soapDraft(w, w.lee.client);
    expect((await download(id)).res.status).toBe(409);
    ok(await w.lee.client.call('signNote', { params: { id }, body: { baseVersion: version } }));
    ok(
      await w.lee.client.call('createAddendum', { params: { id }, body: { text: 'Called the pharmacy.' } }),
      201,
    );

    const { res, body } = await download(id);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/pdf');
    const disposition = res.headers.get('content-disposition')!;
    expect(disposition).toMatch(/^attachment; filename="tessera-note-\d{8}-\d{6}-[0-9a-f]{4}\.pdf"$/);
    expect(disposition).not.toMatch(/Quill|Nora|1988/);
    expect(body.subarray(0, 5).toString()).toBe('%PDF-');

    const text = pdfText(body);
    expect(text).toContain('Riverside Family Practice');
    expect(text).toContain('Clinical note');
    expect(text).toContain('Quill, Nora');
    expect(text).toContain('Generalized anxiety disorder');
    expect(text).toMatch(/Electronically signed by Staff lee\.md/);
    expect(text).toContain('Called the pharmacy.');
    expect(text).toMatch(/Page 1 of 1/);
    // One page, and no blank page left over from the footer.
    expect(body.toString('latin1').match(/\/Type \/Page\b/g)).toHaveLength(1);

    const exports = await auditEntries(w.admin, { action: 'record.export', patientId: w.patientId });
    expect(exports).toHaveLength(1);
    expect(exports[0]).toMatchObject({
      userId: w.lee.id,
      detail: { what: 'note', noteId: id, format: 'pdf' },
    });

    // The clinic's clock and date style, as on screen (contracts/time-format.ts).
    expect(text).toMatch(/signed by Staff lee\.md on [A-Z][a-z]{2} \d{1,2}, \d{4}, \d{2}:\d{2} [A-Z]/);
    expect(text).toContain('Apr 12, 1988');
    ok(await w.admin.call('updateClinicSettings', { body: { timeFormat: '12h' } }));
    const twelve = pdfText((await download(id)).body);
    expect(twelve).toMatch(/signed by Staff lee\.md on [A-Z][a-z]{2} \d{1,2}, \d{4}, \d{1,2}:\d{2} (AM|PM) [A-Z]/);
  });
});
