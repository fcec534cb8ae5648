import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newPatient } from '../scheduling/support';
import { auditEntries, clinicalWorld, ok, templateId, type ClinicalWorld } from './support';

let w: ClinicalWorld;
beforeAll(async () => {
  w = await clinicalWorld();
});
afterAll(async () => {
  await w?.t.stop();
});

const structure = () => ({
  problems: [
    {
      id: 'p-anxiety',
      text: 'Persistent worry interfering with work and sleep',
      diagnosis: { code: 'F41.1', description: 'client text ignored' },
      goals: [
        {
          id: 'g-calm',
          text: 'Reduce anxiety to a manageable level',
          targetDate: '2026-06-30',
          objectives: [
            {
              id: 'o-gad7',
              text: 'GAD-7 score below 10',
              measure: 'GAD-7 at every fourth session',
              targetDate: '2026-05-31',
              interventions: [{ id: 'i-cbt', text: 'Weekly CBT sessions', frequency: 'weekly' }],
            },
            {
              id: 'o-sleep',
              text: 'Sleep 7 hours on 5 nights a week',
              measure: 'Sleep diary',
              targetDate: null,
              interventions: [],
            },
          ],
        },
      ],
    },
  ],
});

describe('treatment plans', () => {
  it('validates the structure across items, then versions it: sign locks, client signs that version, revise starts the next', async () => {
    const patientId = await newPatient(w.desk);
    const dupe = structure();
    dupe.problems[0]!.goals[0]!.objectives[1]!.id = 'o-gad7';
    dupe.problems[0]!.goals[0]!.objectives[0]!.targetDate = '2026-07-31';
    const bad = await w.lee.client.call('createTreatmentPlan', {
      params: { id: patientId },
      body: { title: 'Anxiety plan', effectiveDate: '2026-03-02', reviewDate: '2026-06-01', structure: dupe },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.fields).toMatchObject({
      'structure.problems.0.goals.0.objectives.1.id': 'Each plan item needs its own id.',
      'structure.problems.0.goals.0.objectives.0.targetDate':
        "An objective's target date cannot be after its goal's.",
    });
    const noObjective = structure();
    noObjective.problems[0]!.goals[0]!.objectives = [];
    expect(
      (
        await w.lee.client.call('createTreatmentPlan', {
          params: { id: patientId },
          body: { title: 'x', effectiveDate: '2026-03-02', structure: noObjective },
        })
      ).status,
    ).toBe(400);

    const draft = ok(
      await w.lee.client.call('createTreatmentPlan', {
        params: { id: patientId },
        body: {
          title: 'Anxiety plan',
          effectiveDate: '2026-03-02',
          reviewDate: '2026-06-01',
          structure: structure(),
        },
      }),
      201,
    );
    expect(draft).toMatchObject({
      version: 1,
      status: 'draft',
      rowVersion: 1,
      canEdit: true,
      clinicianSignature: null,
    });
    expect(draft.structure.problems[0].diagnosis).toEqual({
      code: 'F41.1',
      description: 'Generalized anxiety disorder',
    });

    // The client cannot sign before the clinician.
    const early = await w.lee.client.call('signTreatmentPlan', {
      params: { id: draft.id },
      body: { signer: 'client', clientName: 'Nora Quill', signedOn: '2026-03-02', method: 'in_person' },
    });
    expect(early.status).toBe(409);

    const saved = ok(
      await w.lee.client.call('saveTreatmentPlan', {
        params: { id: draft.id },
        body: {
          baseRowVersion: 1,
          title: 'Anxiety treatment plan',
          effectiveDate: '2026-03-02',
          reviewDate: '2026-06-01',
          structure: structure(),
        },
      }),
    );
    expect(saved.rowVersion).toBe(2);
    const stale = await w.lee.client.call('signTreatmentPlan', {
      params: { id: draft.id },
      body: { signer: 'clinician', baseRowVersion: 1 },
    });
    expect(stale.status).toBe(409);
    const signed = ok(
      await w.lee.client.call('signTreatmentPlan', {
        params: { id: draft.id },
        body: { signer: 'clinician', baseRowVersion: 2 },
      }),
    );
    expect(signed).toMatchObject({
      status: 'active',
      canEdit: false,
      clinicianSignature: { by: { id: w.lee.id } },
    });
    expect(signed.clinicianSignature.digest).toMatch(/^[0-9a-f]{64}$/);
    const locked = await w.lee.client.call('saveTreatmentPlan', {
      params: { id: draft.id },
      body: { baseRowVersion: 2, title: 'Changed', effectiveDate: '2026-03-02', structure: structure() },
    });
    expect(locked.status).toBe(409);
    expect(locked.body.error.message).toMatch(/Start a new version/);

    const future = await w.lee.client.call('signTreatmentPlan', {
      params: { id: draft.id },
      body: { signer: 'client', clientName: 'Nora Quill', signedOn: '2026-03-09', method: 'in_person' },
    });
    expect(future.status).toBe(400);
    const client = ok(
      await w.lee.client.call('signTreatmentPlan', {
        params: { id: draft.id },
        body: { signer: 'client', clientName: 'Nora Quill', signedOn: '2026-03-02', method: 'in_person' },
      }),
    );
    expect(client.clientSignature).toMatchObject({
      name: 'Nora Quill',
      signedOn: '2026-03-02',
      method: 'in_person',
      recordedBy: { id: w.lee.id },
    });
    expect(
      (
        await w.lee.client.call('signTreatmentPlan', {
          params: { id: draft.id },
          body: { signer: 'client', clientName: 'Someone else', signedOn: '2026-03-02', method: 'paper' },
        })
      ).status,
    ).toBe(409);

    // Revising starts version 2 as a draft copy; signing it supersedes version 1.
    const v2 = ok(await w.lee.client.call('reviseTreatmentPlan', { params: { id: draft.id } }));
    expect(v2).toMatchObject({ version: 2, status: 'draft', planGroupId: draft.id, clientSignature: null });
    expect(ok(await w.lee.client.call('reviseTreatmentPlan', { params: { id: draft.id } })).id).toBe(v2.id);
    const revised = structure();
    (revised.problems[0]!.goals[0]!.objectives[0] as Record<string, unknown>).status = 'in_progress';
    ok(
      await w.lee.client.call('saveTreatmentPlan', {
        params: { id: v2.id },
        body: {
          baseRowVersion: 1,
          title: 'Anxiety treatment plan',
          effectiveDate: '2026-03-02',
          reviewDate: '2026-09-01',
          structure: revised,
        },
      }),
    );
    const v2signed = ok(
      await w.lee.client.call('signTreatmentPlan', {
        params: { id: v2.id },
        body: { signer: 'clinician', baseRowVersion: 2 },
      }),
    );
    expect(v2signed.versions.map((v: { version: number; status: string }) => [v.version, v.status])).toEqual([
      [2, 'active'],
      [1, 'superseded'],
    ]);
    const v1 = ok(await w.lee.client.call('getTreatmentPlan', { params: { id: draft.id } }));
    expect(v1).toMatchObject({
      status: 'superseded',
      title: 'Anxiety treatment plan',
      reviewDate: '2026-06-01',
    });
    expect(v1.clientSignature.name).toBe('Nora Quill');

    const list = ok(await w.lee.client.call('listTreatmentPlans', { params: { id: patientId } }));
    expect(list.plans.map((p: { id: string }) => p.id)).toEqual([v2.id]);
    const db = w.t.server.store.db;
    expect(() =>
      db.prepare(`UPDATE treatment_plans SET structure = '{"problems":[]}' WHERE id = ?`).run(draft.id),
    ).toThrow(/immutable/);
    expect(
      (await auditEntries(w.admin, { action: 'plan.sign', patientId })).map((e) => e.detail.signer),
    ).toEqual(['clinician', 'client', 'clinician']);
  });

  it('records progress from signed notes against the active version, and only valid objectives', async () => {
    const patientId = await newPatient(w.desk);
    const plan = ok(
      await w.lee.client.call('createTreatmentPlan', {
        params: { id: patientId },
        body: { title: 'Plan', effectiveDate: '2026-03-02', structure: structure() },
      }),
      201,
    );
    const dap = await templateId(w.lee.client, 'progress_dap');
    const note = ok(await w.lee.client.call('createNote', { body: { patientId, templateId: dap } }), 201);
    const content = (planProgress: unknown[]) => ({
      fields: {
        modality: 'Individual',
        duration_minutes: 50,
        data: 'Reports fewer worry episodes.',
        assessment: 'Improving.',
        risk: 'None identified',
        plan: 'Continue weekly CBT.',
      },
      planProgress,
    });
    const progress = [
      {
        planId: plan.id,
        objectiveId: 'o-gad7',
        rating: 'some_progress',
        comment: 'GAD-7 down from 15 to 12',
      },
    ];
    const saved = ok(
      await w.lee.client.call('saveNoteDraft', {
        params: { id: note.id },
        body: { baseVersion: 1, title: '', content: content(progress) },
      }),
    );
    // The plan is still a draft: progress is recorded against signed plans only.
    const unsigned = await w.lee.client.call('signNote', {
      params: { id: note.id },
      body: { baseVersion: saved.version },
    });
    expect(unsigned.status).toBe(400);
    expect(unsigned.body.error.fields['content.planProgress.0']).toMatch(/active \(signed\) plan/);
    ok(
      await w.lee.client.call('signTreatmentPlan', {
        params: { id: plan.id },
        body: { signer: 'clinician', baseRowVersion: 1 },
      }),
    );

    const wrong = ok(
      await w.lee.client.call('saveNoteDraft', {
        params: { id: note.id },
        body: {
          baseVersion: saved.version,
          title: '',
          content: content([{ ...progress[0], objectiveId: 'o-nope' }]),
        },
      }),
    );
    const refused = await w.lee.client.call('signNote', {
      params: { id: note.id },
      body: { baseVersion: wrong.version },
    });
    expect(refused.body.error.fields['content.planProgress.0']).toBe(
      'That objective is not part of the plan.',
    );
    const right = ok(
      await w.lee.client.call('saveNoteDraft', {
        params: { id: note.id },
        body: { baseVersion: wrong.version, title: '', content: content(progress) },
      }),
    );
    ok(
      await w.lee.client.call('signNote', { params: { id: note.id }, body: { baseVersion: right.version } }),
    );
    const after = ok(await w.lee.client.call('getTreatmentPlan', { params: { id: plan.id } }));
    expect(after.progress).toEqual([
      expect.objectContaining({
        objectiveId: 'o-gad7',
        rating: 'some_progress',
        comment: 'GAD-7 down from 15 to 12',
        noteId: note.id,
      }),
    ]);
    // Progress entries are signed with the note: the database refuses to change them.
    expect(() => w.t.server.store.db.prepare(`UPDATE plan_progress SET rating = 'achieved'`).run()).toThrow(
      /immutable/,
    );
    // Closing the plan.
    const closed = ok(
      await w.lee.client.call('closeTreatmentPlan', {
        params: { id: plan.id },
        body: { outcome: 'completed', reason: 'Goals met' },
      }),
    );
    expect(closed).toMatchObject({ status: 'closed', closed: { outcome: 'completed', reason: 'Goals met' } });
  });
});
