import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../../../server/workstation/db/store';
import {
  FULL_CODE_SET_MINIMUM,
  installCodeSet,
} from '../../../server/workstation/services/clinical/icd10/code-set';
import {
  installSampleCodeSet,
  sampleCodeSetFile,
  sampleCodeSetRelease,
  syntheticCodeSetText,
} from '../../fixtures/icd10cm';
import { auditEntries, clinicalWorld, ok, soapContent, templateId, type ClinicalWorld } from './support';

// A fresh workstation: no code set installed (Tessera ships none).
let w: ClinicalWorld;
beforeAll(async () => {
  w = await clinicalWorld({ codeSet: false });
});
afterAll(async () => {
  await w?.t.stop();
});

const oneField = (label: string) => ({
  sections: [
    { id: 'note', title: 'Note', fields: [{ id: 'body', label, type: 'textarea', required: true }] },
  ],
});

describe('note templates', () => {
  it('starts every clinic with SOAP, DAP, BIRP, intake, free-form and psychotherapy templates', async () => {
    const list = ok(await w.lee.client.call('listNoteTemplates')).templates as {
      key: string;
      kind: string;
      version: number;
      restrictedDefault: boolean;
    }[];
    expect(list.map((t) => t.key).sort()).toEqual([
      'freeform',
      'intake',
      'progress_birp',
      'progress_dap',
      'psychotherapy',
      'soap',
    ]);
    expect(list.every((t) => t.version === 1)).toBe(true);
    expect(list.find((t) => t.key === 'psychotherapy')!.restrictedDefault).toBe(true);
    const soap = ok(
      await w.lee.client.call('getNoteTemplate', { params: { id: await templateId(w.lee.client, 'soap') } }),
    );
    expect(soap.definition.sections.map((s: { title: string }) => s.title)).toEqual([
      'Subjective',
      'Objective',
      'Assessment',
      'Plan',
    ]);
  });

  it('lets admins (only) create and revise templates; notes keep the version they were written with', async () => {
    const definition = {
      sections: [
        {
          id: 'check',
          title: 'Check-in',
          fields: [
            { id: 'mood', label: 'Mood', type: 'choice', options: ['Good', 'Okay', 'Low'], required: true },
            { id: 'notes', label: 'Notes', type: 'textarea' },
          ],
        },
      ],
    };
    expect(
      (await w.lee.client.call('createNoteTemplate', { body: { name: 'Group check-in', definition } }))
        .status,
    ).toBe(403);
    const bad = await w.admin.call('createNoteTemplate', {
      body: {
        name: 'Broken',
        definition: {
          sections: [
            { id: 's', title: 'S', fields: [{ id: 'p', label: 'P', type: 'choice', options: ['Only'] }] },
          ],
        },
      },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.fields['definition.sections.0.fields.0.options']).toBe(
      'A pick list needs two or more options.',
    );

    const v1 = ok(
      await w.admin.call('createNoteTemplate', { body: { name: 'Group check-in', definition } }),
      201,
    );
    const note = ok(
      await w.lee.client.call('createNote', { body: { patientId: w.patientId, templateId: v1.id } }),
      201,
    );
    const v2 = ok(
      await w.admin.call('reviseNoteTemplate', {
        params: { id: v1.id },
        body: {
          baseVersion: 1,
          name: 'Group check-in',
          restrictedDefault: false,
          definition: oneField('Session summary'),
        },
      }),
    );
    expect(v2).toMatchObject({ key: v1.key, version: 2, status: 'active' });
    expect(ok(await w.admin.call('getNoteTemplate', { params: { id: v1.id } })).status).toBe('superseded');
    expect(
      (
        await w.admin.call('reviseNoteTemplate', {
          params: { id: v1.id },
          body: { baseVersion: 1, name: 'x', restrictedDefault: false, definition },
        })
      ).status,
    ).toBe(409);

    // The draft written with version 1 still has version 1's pick list.
    const draft = ok(await w.lee.client.call('getNote', { params: { id: note.id } }));
    expect(draft.template.version).toBe(1);
    expect(draft.template.definition.sections[0].fields[0].options).toEqual(['Good', 'Okay', 'Low']);
    // New notes from the old version are refused: pick the current one.
    expect(
      (await w.lee.client.call('createNote', { body: { patientId: w.patientId, templateId: v1.id } })).status,
    ).toBe(409);
    ok(await w.admin.call('retireNoteTemplate', { params: { id: v2.id } }));
    const listed = ok(await w.lee.client.call('listNoteTemplates')).templates.map(
      (t: { key: string }) => t.key,
    );
    expect(listed).not.toContain(v1.key);
    expect((await auditEntries(w.admin, { action: 'template' })).map((e) => e.action)).toEqual([
      'template.create',
      'template.revise',
      'template.retire',
    ]);
  });
});

describe('ICD-10-CM code set', () => {
  it('is not installed on a fresh workstation: status says so, search is empty, codes are refused with what to do', async () => {
    const status = ok(await w.lee.client.call('getIcd10Status'));
    expect(status).toEqual({
      name: 'ICD-10-CM',
      coverage: 'none',
      release: null,
      source: null,
      codeCount: 0,
      coverageNote: expect.stringMatching(
        /Tessera ships no codes\. An administrator imports the CDC\/NCHS ICD-10-CM codes file .*under Admin > Code sets/,
      ),
      installedAt: null,
      digest: null,
      origin: null,
      retiredCount: 0,
    });
    expect(ok(await w.lee.client.call('getChart', { params: { id: w.patientId } })).codeSet).toEqual(status);
    expect(ok(await w.lee.client.call('searchIcd10', { query: { q: 'anxiety' } }))).toEqual({
      matches: [],
      more: false,
    });
    expect(ok(await w.lee.client.call('searchIcd10', { query: { q: 'F41.1' } })).matches).toEqual([]);

    const problem = await w.lee.client.call('createProblem', {
      params: { id: w.patientId },
      body: { code: 'F41.1' },
    });
    expect(problem.status).toBe(400);
    expect(problem.body.error.code).toBe('no_code_set');
    expect(problem.body.error.message).toMatch(
      /^No ICD-10-CM code set is installed on this workstation.*Record the diagnosis as text \(uncoded\).*Admin > Code sets/,
    );
    expect(problem.body.error.fields.code).toBe(problem.body.error.message);

    // A note's coded diagnosis is refused the same way, next to the field.
    const note = ok(
      await w.lee.client.call('createNote', {
        body: { patientId: w.patientId, templateId: await templateId(w.lee.client, 'soap') },
      }),
      201,
    );
    const draft = await w.lee.client.call('saveNoteDraft', {
      params: { id: note.id },
      body: { baseVersion: note.version, title: 'Intake', content: soapContent() },
    });
    expect(draft.status).toBe(400);
    expect(draft.body.error.fields['content.fields.diagnoses']).toMatch(
      /No ICD-10-CM code set is installed.*Record the diagnosis as text \(uncoded\)/,
    );
    expect(await auditEntries(w.admin, { action: 'codeset.install' })).toEqual([]);
  });

  it('refuses a file that does not parse, and a small file unless it is installed as partial', async () => {
    const store = w.t.server.store;
    expect(() =>
      installCodeSet(store, systemActor, { text: 'not a code set\n', release: 'x', source: 'x' }),
    ).toThrow(/not an ICD-10-CM codes or order file/);
    const sample = fs.readFileSync(sampleCodeSetFile, 'utf8');
    expect(() => installCodeSet(store, systemActor, { text: sample, release: 'x', source: 'x' })).toThrow(
      /holds 35 codes; the complete ICD-10-CM code set has over 70,000.*--allow-partial/,
    );
    // One code short of the minimum is still a partial file.
    const almost = syntheticCodeSetText(FULL_CODE_SET_MINIMUM - 1);
    expect(() => installCodeSet(store, systemActor, { text: almost, release: 'x', source: 'x' })).toThrow(
      /holds 9,999 codes/,
    );
    expect(ok(await w.lee.client.call('getIcd10Status')).coverage).toBe('none');

    // At the minimum it installs as a full code set, no flag needed.
    const full = installCodeSet(store, systemActor, {
      text: syntheticCodeSetText(FULL_CODE_SET_MINIMUM),
      release: 'Synthetic',
      source: 'generated',
    });
    expect(full).toMatchObject({ coverage: 'full', codeCount: 10_000, release: 'Synthetic' });
    expect(ok(await w.lee.client.call('getIcd10Status')).coverage).toBe('full');
  });

  it('installs the sample as a partial code set (codes or order layout) and searches it', async () => {
    const partial = installSampleCodeSet(w.t.server.store);
    expect(partial).toMatchObject({ coverage: 'partial', codeCount: 35, release: sampleCodeSetRelease });
    expect(partial.coverageNote).toMatch(/^A partial ICD-10-CM code set is installed: 35 codes/);
    expect(ok(await w.lee.client.call('getIcd10Status'))).toEqual(partial);
    // The synthetic set it replaced is gone from the search.
    expect(ok(await w.lee.client.call('searchIcd10', { query: { q: 'Z9Z' } })).matches).toEqual([]);
    const outside = await w.lee.client.call('createProblem', {
      params: { id: w.patientId },
      body: { code: 'F99' },
    });
    expect(outside.status).toBe(400);
    expect(outside.body.error.fields.code).toMatch(/not among the 35 ICD-10-CM codes installed.*partial/);

    // The same codes in the order-file layout (order number, code, valid flag, short and long titles).
    const order = fs
      .readFileSync(sampleCodeSetFile, 'utf8')
      .split('\n')
      .filter((line) => line.trim() && !line.startsWith('#'))
      .map((line, i) => {
        const code = line.slice(0, 8).trim();
        const title = line.slice(8).trim();
        return `${String(i + 1).padStart(5, '0')} ${code.padEnd(7)} 1 ${title.slice(0, 60).padEnd(60)} ${title}`;
      })
      .join('\n');
    const installed = installCodeSet(
      w.t.server.store,
      systemActor,
      { text: order, release: 'Order layout', source: 'order-file layout of the sample' },
      { allowPartial: true },
    );
    expect(installed).toMatchObject({ coverage: 'partial', codeCount: 35, release: 'Order layout' });
    expect(ok(await w.lee.client.call('getIcd10Status')).release).toBe('Order layout');
    const search = ok(await w.lee.client.call('searchIcd10', { query: { q: 'ptsd chronic' } }));
    expect(search.matches).toEqual([]);
    const ptsd = ok(await w.lee.client.call('searchIcd10', { query: { q: 'post-traumatic chronic' } }));
    expect(ptsd.matches[0]).toEqual({
      code: 'F43.12',
      description: 'Post-traumatic stress disorder, chronic',
      billable: true,
    });
    const problem = ok(
      await w.lee.client.call('createProblem', { params: { id: w.patientId }, body: { code: 'F43.12' } }),
      201,
    );
    expect(problem.codeSetRelease).toBe('Order layout');
    expect((await auditEntries(w.admin, { action: 'codeset.install' })).map((e) => e.detail)).toMatchObject([
      { codes: 10_000, format: 'codes', coverage: 'full' },
      { codes: 35, format: 'codes', coverage: 'partial' },
      { codes: 35, format: 'order', coverage: 'partial' },
    ]);
  });
});
