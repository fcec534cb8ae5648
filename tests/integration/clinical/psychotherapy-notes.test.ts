import { afterEach, describe, expect, it } from 'vitest';
import { auditEntries, clinicalWorld, ok, templateId, type ClinicalWorld } from './support';

let w: ClinicalWorld | undefined;
afterEach(async () => {
  await w?.t.stop();
  w = undefined;
});

/** A signed psychotherapy note by Dr Lee about the world's patient. */
async function processNote(world: ClinicalWorld) {
  const created = ok(
    await world.lee.client.call('createNote', {
      body: { patientId: world.patientId, templateId: await templateId(world.lee.client, 'psychotherapy') },
    }),
    201,
  );
  expect(created.restricted).toBe(true);
  const saved = ok(
    await world.lee.client.call('saveNoteDraft', {
      params: { id: created.id },
      body: {
        baseVersion: 1,
        title: 'Process notes',
        content: { fields: { process: 'Transference themes around the father.' } },
      },
    }),
  );
  ok(
    await world.lee.client.call('signNote', {
      params: { id: created.id },
      body: { baseVersion: saved.version },
    }),
  );
  return created.id as string;
}

describe('restricted psychotherapy notes', () => {
  it('are kept apart from the chart: not in the timeline or counts, listed only for their author', async () => {
    w = await clinicalWorld();
    const id = await processNote(w);
    const progress = ok(
      await w.lee.client.call('createNote', {
        body: { patientId: w.patientId, templateId: await templateId(w.lee.client, 'freeform') },
      }),
      201,
    );

    for (const client of [w.lee.client, w.okafor.client]) {
      const chart = ok(await client.call('getChart', { params: { id: w.patientId } }));
      const ids = chart.timeline.items.map((i: { kind: string; note?: { id: string } }) => i.note?.id);
      expect(ids).toContain(progress.id);
      expect(ids).not.toContain(id);
      expect(chart.counts.notes).toBe(1);
      expect(JSON.stringify(chart)).not.toMatch(/Transference/);
    }
    const mine = ok(await w.lee.client.call('listPsychotherapyNotes', { params: { id: w.patientId } }));
    expect(mine).toMatchObject({ emergencyAccess: false });
    expect(mine.notes.map((n: { id: string }) => n.id)).toEqual([id]);
    const theirs = ok(await w.okafor.client.call('listPsychotherapyNotes', { params: { id: w.patientId } }));
    expect(theirs).toEqual({ notes: [], emergencyAccess: false });
  });

  it('refuse everyone but the author (audited as denied), and open with emergency access (audited with the grant)', async () => {
    w = await clinicalWorld();
    const id = await processNote(w);

    for (const [name, opts] of [
      ['getNote', { params: { id } }],
      ['exportNotePdf', { params: { id } }],
      ['createAddendum', { params: { id }, body: { text: 'Peeking.' } }],
    ] as const) {
      const res = await w.okafor.client.call(name, opts);
      expect(res.status, name).toBe(403);
      expect(res.body.error.code).toBe('restricted_note');
      expect(res.text).not.toMatch(/Transference/);
    }
    const denied = (await auditEntries(w.admin, { action: 'access.denied', patientId: w.patientId })).filter(
      (e) => e.detail.reason === 'restricted_note',
    );
    expect(denied).toHaveLength(3);
    expect(
      denied.every((e) => e.userId === w!.okafor.id && e.outcome === 'denied' && e.detail.noteId === id),
    ).toBe(true);

    // The author reads it; the read is audited as restricted.
    expect(ok(await w.lee.client.call('getNote', { params: { id } })).content.fields.process).toMatch(
      /Transference/,
    );

    // Break-glass on the patient (the same mechanism as restricted records) opens it, for 60 minutes.
    const reason = 'Crisis call tonight; covering for Dr Lee, need the process notes';
    ok(await w.okafor.client.call('emergencyAccess', { body: { patientId: w.patientId, reason } }));
    const list = ok(await w.okafor.client.call('listPsychotherapyNotes', { params: { id: w.patientId } }));
    expect(list.emergencyAccess).toBe(true);
    expect(list.notes.map((n: { id: string }) => n.id)).toEqual([id]);
    const read = ok(await w.okafor.client.call('getNote', { params: { id } }));
    expect(read.content.fields.process).toMatch(/Transference/);
    const pdf = await w.okafor.client.call('exportNotePdf', { params: { id } });
    expect(pdf.status).toBe(200);

    const glass = await auditEntries(w.admin, { action: 'emergency.access', patientId: w.patientId });
    expect(glass).toHaveLength(1);
    expect(glass[0]!.detail.reason).toBe(reason);
    const reads = (await auditEntries(w.admin, { action: 'note.read', patientId: w.patientId })).filter(
      (e) => e.userId === w!.okafor.id,
    );
    expect(reads).toHaveLength(1);
    expect(reads[0]!.detail).toEqual({
      noteId: id,
      restricted: true,
      emergencyGrantId: glass[0]!.detail.grantId,
    });
    const exported = (
      await auditEntries(w.admin, { action: 'record.export', patientId: w.patientId })
    ).filter((e) => e.userId === w!.okafor.id);
    expect(exported[0]!.detail).toMatchObject({
      what: 'note',
      noteId: id,
      emergencyGrantId: glass[0]!.detail.grantId,
    });

    // The grant lapses; the note closes again.
    w.t.clock.advance(61 * 60_000);
    expect((await w.okafor.client.call('getNote', { params: { id } })).status).toBe(403);
  });

  it('the supervisor who co-signs a supervised psychotherapy note can read it; colleagues still cannot', async () => {
    w = await clinicalWorld();
    ok(
      await w.admin.call('setSupervisor', {
        params: { clinicianId: w.intern.id },
        body: { supervisorId: w.lee.id },
      }),
    );
    const created = ok(
      await w.intern.client.call('createNote', {
        body: { patientId: w.patientId, templateId: await templateId(w.intern.client, 'psychotherapy') },
      }),
      201,
    );
    const saved = ok(
      await w.intern.client.call('saveNoteDraft', {
        params: { id: created.id },
        body: { baseVersion: 1, title: '', content: { fields: { process: 'Supervision material.' } } },
      }),
    );
    ok(
      await w.intern.client.call('signNote', {
        params: { id: created.id },
        body: { baseVersion: saved.version },
      }),
    );
    expect(ok(await w.lee.client.call('getNote', { params: { id: created.id } })).status).toBe(
      'pending_cosign',
    );
    expect(ok(await w.lee.client.call('cosignNote', { params: { id: created.id } })).status).toBe('signed');
    expect((await w.okafor.client.call('getNote', { params: { id: created.id } })).status).toBe(403);
  });
});
