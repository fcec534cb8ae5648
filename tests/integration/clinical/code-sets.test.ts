import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../../../server/workstation/db/store';
import { installCodeSet } from '../../../server/workstation/services/clinical/icd10/code-set';
import { CDC_FY2026_CODE_COUNT, cdcCodesFile, sampleCodeSetFile } from '../../fixtures/icd10cm';
import { auditEntries, clinicalWorld, ok, soapContent, templateId, type ClinicalWorld } from './support';

/**
 * Code sets on CDC's real FY2026 file (read from ../shared/data, never copied here), releases replacing
 * each other without losing codes already used, and diagnoses recorded as text until a code set exists.
 */

const cdcText = fs.readFileSync(cdcCodesFile, 'utf8');

let w: ClinicalWorld;
beforeAll(async () => {
  w = await clinicalWorld({ codeSet: false });
});
afterAll(async () => {
  await w?.t.stop();
});

/**
 * A 75,000-code install holds this process's event loop for seconds, so the in-process server may close a
 * kept-alive socket the client would reuse: let it do so before the next request.
 */
const settleServer = () => new Promise((r) => setTimeout(r, 100));

const problemsOf = async () =>
  ok(await w.lee.client.call('getChart', { params: { id: w.patientId } })).problems as {
    id: string;
    code: string;
    description: string;
    uncoded: boolean;
    recordedAs: string | null;
    sourceNoteId: string | null;
    codeSetRelease: string;
    codeRetiredIn: string | null;
  }[];

describe('a fresh install: diagnoses recorded as text (uncoded), coded later', () => {
  it('signs a SOAP note whose diagnosis is uncoded text; the problem list gets it, coding it is one call', async () => {
    expect(ok(await w.lee.client.call('getIcd10Status')).coverage).toBe('none');
    const note = ok(
      await w.lee.client.call('createNote', {
        body: { patientId: w.patientId, templateId: await templateId(w.lee.client, 'soap') },
      }),
      201,
    );
    const content = soapContent({
      diagnoses: [{ uncoded: true, description: '  Generalized anxiety, worse at night ' }],
    });
    const saved = ok(
      await w.lee.client.call('saveNoteDraft', {
        params: { id: note.id },
        body: { baseVersion: note.version, title: 'Anxiety', content },
      }),
    );
    const signed = ok(
      await w.lee.client.call('signNote', { params: { id: note.id }, body: { baseVersion: saved.version } }),
    );
    expect(signed.status).toBe('signed');
    expect(signed.content.fields.diagnoses).toEqual([
      { uncoded: true, description: 'Generalized anxiety, worse at night' },
    ]);

    const [problem] = await problemsOf();
    expect(problem).toMatchObject({
      code: '',
      uncoded: true,
      description: 'Generalized anxiety, worse at night',
      recordedAs: 'Generalized anxiety, worse at night',
      sourceNoteId: note.id,
      codeSetRelease: '',
    });

    // Coding needs a code set; until then the refusal says what to do.
    const early = await w.lee.client.call('updateProblem', {
      params: { id: problem!.id },
      body: { code: 'F41.1' },
    });
    expect(early.status).toBe(400);
    expect(early.body.error.code).toBe('no_code_set');

    installCodeSet(w.t.server.store, systemActor, {
      text: cdcText,
      release: 'FY2026',
      source: 'CDC codes file',
    });
    const coded = ok(
      await w.lee.client.call('updateProblem', { params: { id: problem!.id }, body: { code: 'f411' } }),
    );
    expect(coded).toMatchObject({
      code: 'F41.1',
      uncoded: false,
      description: 'Generalized anxiety disorder',
      codeSetRelease: 'FY2026',
      recordedAs: 'Generalized anxiety, worse at night',
    });
    const audit = await auditEntries(w.admin, { action: 'chart.update', patientId: w.patientId });
    expect(audit.at(-1)!.detail).toMatchObject({ item: 'problem', id: problem!.id, change: 'changed' });
    expect(audit.at(-1)!.detail.fields).toEqual(expect.arrayContaining(['code', 'description']));
    // A coded problem keeps its code: another diagnosis is another problem.
    const recode = await w.lee.client.call('updateProblem', {
      params: { id: problem!.id },
      body: { code: 'F41.9' },
    });
    expect(recode.status).toBe(400);
    expect(recode.body.error.fields.code).toMatch(/already coded/);
  });

  it('records an uncoded problem directly, and refuses one with neither code nor text', async () => {
    const added = ok(
      await w.lee.client.call('createProblem', {
        params: { id: w.patientId },
        body: { uncodedText: 'Chronic knee pain after fall' },
      }),
      201,
    );
    expect(added).toMatchObject({ code: '', uncoded: true, description: 'Chronic knee pain after fall' });
    const twice = await w.lee.client.call('createProblem', {
      params: { id: w.patientId },
      body: { uncodedText: 'chronic knee pain after fall' },
    });
    expect(twice.status).toBe(409);
    const neither = await w.lee.client.call('createProblem', { params: { id: w.patientId }, body: {} });
    expect(neither.status).toBe(400);
    expect(neither.body.error.fields.code).toMatch(/Pick a diagnosis from the search, or record it as text/);
  });
});

describe("CDC's FY2026 codes file", () => {
  it('installs whole: every code CDC publishes, the new QA00 chapter too, counted and searchable', async () => {
    const status = installCodeSet(w.t.server.store, systemActor, {
      text: cdcText,
      release: 'FY2026 (October 1, 2025)',
      source: 'CDC codes file',
    });
    expect(status).toMatchObject({ coverage: 'full', codeCount: CDC_FY2026_CODE_COUNT, origin: 'file' });
    expect(status.digest).toBe('a7e2a77e4627ed55c8afe2b8a7ae22efcbab6b6b162d96cf145213772c1246ba');
    // Printed like every code: the first three characters, a dot, the rest (QA00101 is QA0.0101); typed
    // with or without a dot anywhere, it is found.
    const qa = ok(await w.lee.client.call('searchIcd10', { query: { q: 'QA00.10' } }));
    expect(qa.matches.map((m: { code: string }) => m.code)).toEqual(['QA0.0101', 'QA0.0102', 'QA0.0109']);
    const scn = ok(await w.lee.client.call('searchIcd10', { query: { q: 'SCN2A neurodevelopmental' } }));
    expect(scn.matches[0]).toEqual({
      code: 'QA0.0101',
      description: 'SCN2A-related neurodevelopmental disorder',
      billable: true,
    });
    const problem = ok(
      await w.lee.client.call('createProblem', { params: { id: w.patientId }, body: { code: 'qa00.101' } }),
      201,
    );
    expect(problem.code).toBe('QA0.0101');
    const installs = await auditEntries(w.admin, { action: 'codeset.install' });
    expect(installs.at(-1)!.detail).toMatchObject({
      release: 'FY2026 (October 1, 2025)',
      codes: CDC_FY2026_CODE_COUNT,
      coverage: 'full',
    });
  });

  it('refuses a file that is not a code set with a sentence saying so, and keeps the installed one', async () => {
    const before = ok(await w.lee.client.call('getIcd10Status'));
    const garbage = 'Code,Description\nF41.1,"Generalized anxiety disorder"\n' + cdcText.slice(0, 2000);
    expect(() =>
      installCodeSet(w.t.server.store, systemActor, { text: garbage, release: 'Bad', source: 'x' }),
    ).toThrow(
      /^That file is not an ICD-10-CM codes or order file \(2 lines did not parse; line 1: not an ICD-10-CM codes-file line; line 2: .*Use the codes file/,
    );
    expect(ok(await w.lee.client.call('getIcd10Status'))).toEqual(before);
  });
});

describe('a new release replaces the old one', () => {
  it('keeps codes already used resolvable (retired, with their release) and refuses them for new use', async () => {
    installCodeSet(w.t.server.store, systemActor, { text: cdcText, release: 'FY2026', source: 'CDC' });
    await settleServer();
    const used = ok(
      await w.lee.client.call('createProblem', { params: { id: w.patientId }, body: { code: 'F43.81' } }),
      201,
    );
    expect(used.description).toBe('Prolonged grief disorder');
    // A later release that drops F43.81 and F43.89 (made from the real file at test time).
    const next = cdcText
      .split('\r\n')
      .filter((line) => !line.startsWith('F4381 ') && !line.startsWith('F4389 '))
      .join('\r\n');
    const status = installCodeSet(w.t.server.store, systemActor, {
      text: next,
      release: 'Next release',
      source: 'CDC',
    });
    expect(status).toMatchObject({
      codeCount: CDC_FY2026_CODE_COUNT - 2,
      retiredCount: 2,
      release: 'Next release',
    });

    const kept = (await problemsOf()).find((p) => p.id === used.id)!;
    expect(kept).toMatchObject({
      code: 'F43.81',
      description: 'Prolonged grief disorder',
      codeSetRelease: 'FY2026',
      codeRetiredIn: 'Next release',
    });
    const again = await w.okafor.client.call('createProblem', {
      params: { id: w.patientId },
      body: { code: 'F43.81' },
    });
    expect(again.status).toBe(400);
    expect(again.body.error.fields.code).toMatch(
      /^F43\.81 is no longer a valid code: release Next release dropped it \(it was in FY2026\)/,
    );
    expect(ok(await w.lee.client.call('searchIcd10', { query: { q: 'prolonged grief' } })).matches).toEqual(
      [],
    );
    const audit = await auditEntries(w.admin, { action: 'codeset.install' });
    expect(audit.at(-1)!.detail).toMatchObject({ release: 'Next release', retired: 2, replaced: 'FY2026' });

    // A release that has the code again makes it valid again.
    const back = installCodeSet(w.t.server.store, systemActor, {
      text: cdcText,
      release: 'Back',
      source: 'CDC',
    });
    expect(back.retiredCount).toBe(0);
    await settleServer();
    expect((await problemsOf()).find((p) => p.id === used.id)!.codeRetiredIn).toBeNull();
  });
});

describe('importing from the screen (Admin > Code sets)', () => {
  const upload = (client: ClinicalWorld['admin'], body: string, query: string, type = 'text/plain') =>
    client.raw('POST', `/api/clinical/code-sets/imports?${query}`, {
      body,
      headers: { 'content-type': type },
    });
  const follow = async (id: string) => {
    for (;;) {
      const job = ok(await w.admin.call('getCodeSetImport', { params: { id } }));
      if (job.state === 'done' || job.state === 'failed') return job;
      await new Promise((r) => setTimeout(r, 50));
    }
  };

  it('streams the file up, reports progress to the end, records the release and audits it', async () => {
    const res = await upload(w.admin, cdcText, 'release=FY2026%20upload');
    expect(res.status).toBe(201);
    const started = await res.json();
    expect(started).toMatchObject({ state: 'reading', release: 'FY2026 upload', bytes: 6_413_824 });
    expect(started.lineCount).toBe(CDC_FY2026_CODE_COUNT + 1); // the last line ends with CRLF too
    const done = await follow(started.id);
    expect(done).toMatchObject({ state: 'done', linesRead: done.lineCount, message: null });
    expect(done.installed).toMatchObject({
      release: 'FY2026 upload',
      codeCount: CDC_FY2026_CODE_COUNT,
      coverage: 'full',
    });
    expect(ok(await w.lee.client.call('getIcd10Status')).release).toBe('FY2026 upload');
    const audit = await auditEntries(w.admin, { action: 'codeset.install' });
    expect(audit.at(-1)).toMatchObject({ outcome: 'success', userId: expect.any(String) });
    expect(audit.at(-1)!.detail).toMatchObject({ release: 'FY2026 upload', codes: CDC_FY2026_CODE_COUNT });
  });

  it('refuses garbage with a sentence, JSON bodies, oversize files and non-admins; nothing changes', async () => {
    const before = ok(await w.lee.client.call('getIcd10Status'));
    const bad = await upload(w.admin, 'Code,Description\nF41.1,Anxiety\n', 'release=Bad');
    const failed = await follow((await bad.json()).id);
    expect(failed.state).toBe('failed');
    expect(failed.message).toMatch(/^That file is not an ICD-10-CM codes or order file/);
    const audit = await auditEntries(w.admin, { action: 'codeset.install' });
    expect(audit.at(-1)).toMatchObject({ outcome: 'failure' });

    const small = await upload(w.admin, fs.readFileSync(sampleCodeSetFile, 'utf8'), 'release=Small');
    expect((await follow((await small.json()).id)).message).toMatch(
      /holds 35 codes.*by ticking "This is a partial code set"/,
    );

    const json = await upload(w.admin, JSON.stringify({ text: 'x' }), 'release=J', 'application/json');
    expect(json.status).toBe(415);
    const huge = await upload(w.admin, 'A'.repeat(33 * 1024 * 1024), 'release=Huge');
    expect(huge.status).toBe(413);
    expect((await huge.json()).error.message).toMatch(/larger than 32 MB/);
    const noRelease = await upload(w.admin, cdcText.slice(0, 100), 'release=');
    expect(noRelease.status).toBe(400);
    const clinician = await upload(w.lee.client, cdcText, 'release=Nope');
    expect(clinician.status).toBe(403);
    expect(ok(await w.lee.client.call('getIcd10Status'))).toEqual(before);
  });
});
