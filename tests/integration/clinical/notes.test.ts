import { createHash } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { canonicalJson } from '../../../server/domain/clinical/canonical-json';
import {
  auditEntries,
  clinicalWorld,
  ok,
  soapContent,
  soapDraft,
  templateId,
  type ClinicalWorld,
} from './support';

let w: ClinicalWorld | undefined;
afterEach(async () => {
  await w?.t.stop();
  w = undefined;
});

describe('drafts', () => {
  it('saves drafts as new versions, refuses a stale base version, and lets only the author edit', async () => {
    w = await clinicalWorld();
    const created = ok(
      await w.lee.client.call('createNote', {
        body: { patientId: w.patientId, templateId: await templateId(w.lee.client, 'soap') },
      }),
      201,
    );
    expect(created).toMatchObject({
      status: 'draft',
      version: 1,
      restricted: false,
      author: { id: w.lee.id },
    });
    expect(created.title).toMatch(/^SOAP note — 2026-03-02$/);
    expect(created.permissions).toMatchObject({ edit: true, sign: true, discard: true, addAddendum: false });

    const first = ok(
      await w.lee.client.call('saveNoteDraft', {
        params: { id: created.id },
        body: { baseVersion: 1, title: '', content: { fields: { chief_complaint: 'Worr' } } },
      }),
    );
    expect(first.version).toBe(2);
    const second = ok(
      await w.lee.client.call('saveNoteDraft', {
        params: { id: created.id },
        body: { baseVersion: 2, title: '', content: { fields: { chief_complaint: 'Worry' } } },
      }),
    );
    expect(second.version).toBe(3);

    // A window still on version 2 is told, and nothing is overwritten.
    const stale = await w.lee.client.call('saveNoteDraft', {
      params: { id: created.id },
      body: { baseVersion: 2, title: '', content: { fields: { chief_complaint: 'Older text' } } },
    });
    expect(stale.status).toBe(409);
    expect(stale.body.error.code).toBe('draft_conflict');
    const note = ok(await w.lee.client.call('getNote', { params: { id: created.id } }));
    expect(note.content.fields.chief_complaint).toBe('Worry');
    expect(note.version).toBe(3);

    // Another clinician may read the draft but not edit, sign or discard it.
    const other = w.okafor.client;
    const asOther = ok(await other.call('getNote', { params: { id: created.id } }));
    expect(asOther.permissions).toMatchObject({ edit: false, sign: false, discard: false });
    for (const [name, opts] of [
      [
        'saveNoteDraft',
        { params: { id: created.id }, body: { baseVersion: 3, title: '', content: { fields: {} } } },
      ],
      ['signNote', { params: { id: created.id }, body: { baseVersion: 3 } }],
      ['discardNote', { params: { id: created.id } }],
    ] as const) {
      const res = await other.call(name, opts);
      expect(res.status, name).toBe(403);
      expect(res.body.error.code).toBe('not_author');
    }
    // The administrator (notes.edit_any) may take over the draft, but not sign on the author's behalf.
    const taken = ok(
      await w.admin.call('saveNoteDraft', {
        params: { id: created.id },
        body: {
          baseVersion: 3,
          title: '',
          content: { fields: { chief_complaint: 'Worry (edited by records)' } },
        },
      }),
    );
    expect(taken.version).toBe(4);
    expect(
      (await w.admin.call('signNote', { params: { id: created.id }, body: { baseVersion: 4 } })).status,
    ).toBe(403);
    const saves = await auditEntries(w.admin, { action: 'note.draft_save', patientId: w.patientId });
    expect(saves.map((e) => [e.userId, e.detail.version])).toEqual([
      [w.lee.id, 2],
      [w.lee.id, 3],
      [expect.any(String), 4],
    ]);
  });

  it('keeps field errors next to fields: unknown fields, pick-list values and codes outside the code set', async () => {
    w = await clinicalWorld();
    const { id, version } = await soapDraft(w, w.lee.client);
    const bad = await w.lee.client.call('saveNoteDraft', {
      params: { id },
      body: {
        baseVersion: version,
        title: '',
        content: {
          fields: {
            follow_up: 'Next Tuesday',
            nonsense: 'x',
            diagnoses: [{ code: 'Z99.9', description: 'x' }],
          },
        },
      },
    });
    expect(bad.status).toBe(400);
    expect(Object.keys(bad.body.error.fields).sort()).toEqual([
      'content.fields.diagnoses',
      'content.fields.follow_up',
      'content.fields.nonsense',
    ]);
    expect(bad.body.error.fields['content.fields.diagnoses']).toMatch(
      /not in the installed ICD-10-CM code set/,
    );
    // Descriptions come from the code set, whatever the client sent.
    const note = ok(await w.lee.client.call('getNote', { params: { id } }));
    expect(note.content.fields.diagnoses).toEqual([
      { code: 'F41.1', description: 'Generalized anxiety disorder' },
    ]);
  });
});

describe('signing', () => {
  it('refuses to sign with required fields empty, then signs: read-only, signer, time, SHA-256 digest', async () => {
    w = await clinicalWorld();
    const created = ok(
      await w.lee.client.call('createNote', {
        body: { patientId: w.patientId, templateId: await templateId(w.lee.client, 'soap') },
      }),
      201,
    );
    const partial = ok(
      await w.lee.client.call('saveNoteDraft', {
        params: { id: created.id },
        body: { baseVersion: 1, title: 'Follow-up', content: { fields: { chief_complaint: 'Worry' } } },
      }),
    );
    const refused = await w.lee.client.call('signNote', {
      params: { id: created.id },
      body: { baseVersion: partial.version },
    });
    expect(refused.status).toBe(400);
    expect(Object.keys(refused.body.error.fields).sort()).toEqual([
      'content.fields.assessment',
      'content.fields.diagnoses',
      'content.fields.plan',
    ]);
    expect(refused.body.error.fields['content.fields.plan']).toBe('Plan is required before signing.');

    const full = ok(
      await w.lee.client.call('saveNoteDraft', {
        params: { id: created.id },
        body: { baseVersion: partial.version, title: 'Follow-up', content: soapContent() },
      }),
    );
    w.t.clock.advance(60_000);
    const signed = ok(
      await w.lee.client.call('signNote', {
        params: { id: created.id },
        body: { baseVersion: full.version },
      }),
    );
    expect(signed.status).toBe('signed');
    expect(signed.signature).toMatchObject({
      by: { id: w.lee.id },
      at: new Date(w.t.clock.ms).toISOString(),
    });
    expect(signed.signature.digest).toMatch(/^[0-9a-f]{64}$/);
    expect(signed.digestValid).toBe(true);
    expect(signed.permissions).toMatchObject({ edit: false, sign: false, discard: false, addAddendum: true });

    // The digest is SHA-256 over the documented canonical JSON: anyone can re-compute it.
    const expected = createHash('sha256')
      .update(
        canonicalJson({
          v: 1,
          type: 'note',
          noteId: signed.id,
          patientId: w.patientId,
          encounterId: null,
          templateId: signed.template.id,
          templateVersion: 1,
          title: 'Follow-up',
          restricted: false,
          authorId: w.lee.id,
          content: signed.content,
          signedBy: w.lee.id,
          signedAt: signed.signature.at,
        }),
      )
      .digest('hex');
    expect(signed.signature.digest).toBe(expected);

    const audit = await auditEntries(w.admin, { action: 'note.sign' });
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({
      userId: w.lee.id,
      patientId: w.patientId,
      detail: { noteId: signed.id, digest: expected },
    });
  });

  it("adds the note's diagnoses to its encounter when signed", async () => {
    w = await clinicalWorld();
    const encounter = ok(
      await w.lee.client.call('createEncounter', {
        body: {
          patientId: w.patientId,
          providerId: w.lee.id,
          dateOfService: '2026-03-02',
          locationName: 'Main clinic',
        },
      }),
      201,
    );
    ok(
      await w.lee.client.call('setEncounterDiagnoses', {
        params: { id: encounter.id },
        body: { codes: ['F32.A'] },
      }),
    );
    const { id, version } = await soapDraft(w, w.lee.client, { encounterId: encounter.id });
    ok(await w.lee.client.call('signNote', { params: { id }, body: { baseVersion: version } }));
    const after = ok(await w.lee.client.call('getEncounter', { params: { id: encounter.id } }));
    expect(after.diagnoses).toEqual([
      { code: 'F32.A', description: 'Depression, unspecified' },
      { code: 'F41.1', description: 'Generalized anxiety disorder' },
    ]);
    expect(after.notes.map((n: { id: string; status: string }) => [n.id, n.status])).toEqual([
      [id, 'signed'],
    ]);
  });
});

describe('co-signature for supervised clinicians', () => {
  it('holds a supervised note as pending co-sign until the supervisor co-signs it', async () => {
    w = await clinicalWorld();
    ok(
      await w.admin.call('setSupervisor', {
        params: { clinicianId: w.intern.id },
        body: { supervisorId: w.lee.id },
      }),
    );
    const { id, version } = await soapDraft(w, w.intern.client);
    const draft = ok(await w.intern.client.call('getNote', { params: { id } }));
    expect(draft.cosign).toEqual({ supervisor: { id: w.lee.id, name: 'Staff lee.md' }, signature: null });

    const signed = ok(
      await w.intern.client.call('signNote', { params: { id }, body: { baseVersion: version } }),
    );
    expect(signed.status).toBe('pending_cosign');
    expect(signed.cosign.signature).toBeNull();
    // Locked for the author from now on, even before the co-signature.
    const edit = await w.intern.client.call('saveNoteDraft', {
      params: { id },
      body: { baseVersion: signed.version, title: '', content: soapContent() },
    });
    expect(edit.status).toBe(409);
    expect(edit.body.error.code).toBe('note_signed');

    // Only the designated supervisor co-signs.
    for (const c of [w.intern.client, w.okafor.client, w.admin]) {
      expect((await c.call('cosignNote', { params: { id } })).status).toBe(403);
    }
    const myDay = ok(await w.lee.client.call('getMyClinicalDay'));
    expect(myDay.awaitingCosign.map((x: { note: { id: string } }) => x.note.id)).toEqual([id]);
    w.t.clock.advance(3_600_000);
    const cosigned = ok(await w.lee.client.call('cosignNote', { params: { id } }));
    expect(cosigned.status).toBe('signed');
    expect(cosigned.cosign.signature).toMatchObject({
      by: { id: w.lee.id },
      digest: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    expect(cosigned.signature.digest).toBe(signed.signature.digest);
    expect(cosigned.digestValid).toBe(true);
    expect((await w.lee.client.call('cosignNote', { params: { id } })).status).toBe(409);
  });
});

describe('addenda and amendment requests', () => {
  it('appends signed addenda, and keeps accepted and denied amendment requests linked to the note', async () => {
    w = await clinicalWorld();
    const { id, version } = await soapDraft(w, w.lee.client);
    expect(
      (await w.lee.client.call('createAddendum', { params: { id }, body: { text: 'Too early' } })).status,
    ).toBe(409);
    const signed = ok(
      await w.lee.client.call('signNote', { params: { id }, body: { baseVersion: version } }),
    );

    const withAddendum = ok(
      await w.okafor.client.call('createAddendum', {
        params: { id },
        body: { text: 'Late entry: pharmacy confirmed the refill.' },
      }),
      201,
    );
    expect(withAddendum.addenda).toHaveLength(1);
    expect(withAddendum.addenda[0]).toMatchObject({ author: { id: w.okafor.id }, amendmentId: null });
    expect(withAddendum.content).toEqual(signed.content);
    expect(withAddendum.signature).toEqual(signed.signature);

    // Two requests from the patient: one accepted, one denied. Front desk (no chart access) cannot record them.
    const request = (requestText: string) => ({
      params: { id },
      body: { requestedBy: 'Nora Quill (patient)', receivedOn: '2026-03-02', requestText },
    });
    expect(
      (await w.deskClient.call('createAmendmentRequest', request('Sleep trouble started in January.')))
        .status,
    ).toBe(403);
    const req1 = ok(
      await w.lee.client.call('createAmendmentRequest', request('Sleep trouble started in January.')),
      201,
    ).amendments[0];
    expect(req1).toMatchObject({
      status: 'pending',
      recordedBy: { id: w.lee.id },
      requestedBy: 'Nora Quill (patient)',
    });
    const afterSecond = ok(
      await w.lee.client.call('createAmendmentRequest', request('Remove the anxiety diagnosis.')),
      201,
    );
    const req2 = afterSecond.amendments[1];

    // Only the author (or records) decides.
    expect(
      (
        await w.okafor.client.call('decideAmendment', {
          params: { id: req1.id },
          body: { decision: 'denied', reason: 'No.' },
        })
      ).status,
    ).toBe(403);
    const accepted = ok(
      await w.lee.client.call('decideAmendment', {
        params: { id: req1.id },
        body: {
          decision: 'accepted',
          reason: 'Patient clarified onset.',
          amendmentText: 'Onset of sleep trouble: January 2026.',
        },
      }),
    );
    const denied = ok(
      await w.lee.client.call('decideAmendment', {
        params: { id: req2.id },
        body: {
          decision: 'denied',
          reason: 'Diagnosis supported by assessment; patient informed of right to file a statement.',
        },
      }),
    );
    const a1 = denied.amendments.find((a: { id: string }) => a.id === req1.id);
    const a2 = denied.amendments.find((a: { id: string }) => a.id === req2.id);
    expect(a1).toMatchObject({
      status: 'accepted',
      decidedBy: { id: w.lee.id },
      addendumId: expect.any(String),
    });
    expect(a2).toMatchObject({
      status: 'denied',
      addendumId: null,
      decisionReason: expect.stringMatching(/supported/),
    });
    const linked = denied.addenda.find((a: { id: string }) => a.id === a1.addendumId);
    expect(linked).toMatchObject({ amendmentId: req1.id, text: 'Onset of sleep trouble: January 2026.' });
    expect(accepted.addenda).toHaveLength(2);
    expect(denied.content).toEqual(signed.content);
    expect(denied.digestValid).toBe(true);
    // A decision is final.
    expect(
      (
        await w.lee.client.call('decideAmendment', {
          params: { id: req2.id },
          body: { decision: 'denied', reason: 'Again' },
        })
      ).status,
    ).toBe(409);
  });
});

describe('discarding a draft', () => {
  it('tombstones a draft (audited), never a signed note', async () => {
    w = await clinicalWorld();
    const draft = await soapDraft(w, w.lee.client);
    ok(await w.lee.client.call('discardNote', { params: { id: draft.id } }));
    expect((await w.lee.client.call('getNote', { params: { id: draft.id } })).status).toBe(404);
    const row = w.t.server.store.db.prepare('SELECT deleted_at FROM notes WHERE id = ?').get(draft.id) as {
      deleted_at: string;
    };
    expect(row.deleted_at).toBeTruthy();
    const signed = await soapDraft(w, w.lee.client);
    ok(
      await w.lee.client.call('signNote', {
        params: { id: signed.id },
        body: { baseVersion: signed.version },
      }),
    );
    const refused = await w.lee.client.call('discardNote', { params: { id: signed.id } });
    expect(refused.status).toBe(409);
    expect((await auditEntries(w.admin, { action: 'note.discard' })).map((e) => e.detail.noteId)).toEqual([
      draft.id,
    ]);
  });
});
