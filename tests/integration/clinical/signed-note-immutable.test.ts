import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, type EndpointName } from '../../../server/contracts/api';
import type { CallOptions, TestClient } from '../../support/workstation';
import { newPatient } from '../scheduling/support';
import { clinicalWorld, ok, soapContent, soapDraft, templateId, type ClinicalWorld } from './support';

/**
 * "Any later change is refused by the server, not only hidden by the UI." Every endpoint that can reach a
 * note — the note routes, amendment decisions, templates, encounters, patient merges — is called against
 * a signed note (and one waiting for co-signature) with a request that would change it if it could. Then
 * the stored note must be exactly what was signed, and its digest must still verify. The database refuses
 * direct changes too.
 */

let w: ClinicalWorld;
let encounterId: string;
let signed: { id: string; version: number };
let pending: { id: string; version: number };
let signedRow: Record<string, unknown>;
let pendingRow: Record<string, unknown>;

const row = (id: string) =>
  w.t.server.store.db.prepare('SELECT * FROM notes WHERE id = ?').get(id) as Record<string, unknown>;
const without = (r: Record<string, unknown>, ...keys: string[]) =>
  Object.fromEntries(Object.entries(r).filter(([k]) => !keys.includes(k)));

beforeAll(async () => {
  w = await clinicalWorld();
  ok(
    await w.admin.call('setSupervisor', {
      params: { clinicianId: w.intern.id },
      body: { supervisorId: w.lee.id },
    }),
  );
  encounterId = ok(
    await w.lee.client.call('createEncounter', {
      body: { patientId: w.patientId, providerId: w.lee.id, dateOfService: '2026-03-02' },
    }),
    201,
  ).id;
  const s = await soapDraft(w, w.lee.client, { encounterId });
  const signedNote = ok(
    await w.lee.client.call('signNote', { params: { id: s.id }, body: { baseVersion: s.version } }),
  );
  signed = { id: s.id, version: signedNote.version };
  const p = await soapDraft(w, w.intern.client, { encounterId });
  const pendingNote = ok(
    await w.intern.client.call('signNote', { params: { id: p.id }, body: { baseVersion: p.version } }),
  );
  expect(pendingNote.status).toBe('pending_cosign');
  pending = { id: p.id, version: pendingNote.version };
  signedRow = row(signed.id);
  pendingRow = row(pending.id);
});

afterAll(async () => {
  await w?.t.stop();
});

/**
 * Endpoints that touch notes, found in the catalogue by path, so a new one cannot be forgotten here. A visit's
 * billing (charge lines, modality, closing it, its superbill) reads and writes the encounter's charges only,
 * never a note: those routes are covered by tests/integration/billing.
 */
const touchesNotes = (name: EndpointName) =>
  /^\/api\/(notes|amendments|note-templates|encounters)\b|^\/api\/appointments\/:id\/encounter$|^\/api\/patients\/merge$/.test(
    api[name].path,
  ) && !/^\/api\/encounters\/:id\/(charges|modality|close|superbill)\b/.test(api[name].path);

type Attempt = (target: {
  id: string;
  version: number;
}) => Promise<{ who: TestClient; opts: CallOptions; expect: number[] }>;

const attempts: Partial<Record<EndpointName, Attempt>> = {
  createNote: async () => ({
    who: w.lee.client,
    opts: {
      body: { patientId: w.patientId, templateId: await templateId(w.lee.client, 'soap'), encounterId },
    },
    expect: [201],
  }),
  getNote: async (n) => ({ who: w.lee.client, opts: { params: { id: n.id } }, expect: [200] }),
  // The visit summary for the portal reads the note and never writes it; without a central server the share
  // and withdraw cannot go through (and a note waiting for co-signature has no summary at all).
  noteSummaryPreview: async (n) => ({ who: w.lee.client, opts: { params: { id: n.id } }, expect: [200, 409] }),
  noteSummaryPdf: async (n) => ({ who: w.lee.client, opts: { params: { id: n.id } }, expect: [200, 409] }),
  noteSummaryStatus: async (n) => ({ who: w.lee.client, opts: { params: { id: n.id } }, expect: [200, 409, 503] }),
  shareNoteSummary: async (n) => ({ who: w.lee.client, opts: { params: { id: n.id } }, expect: [409, 503] }),
  withdrawNoteSummary: async (n) => ({ who: w.lee.client, opts: { params: { id: n.id } }, expect: [404, 409, 503] }),
  saveNoteDraft: async (n) => ({
    who: w.admin, // notes.edit_any: the broadest editor there is
    opts: {
      params: { id: n.id },
      body: { baseVersion: n.version, title: 'Rewritten', content: soapContent({ plan: 'Changed' }) },
    },
    expect: [409],
  }),
  noteEditorPresence: async (n) => ({
    who: w.lee.client,
    opts: { params: { id: n.id }, body: { windowId: 'attackwindow01' } },
    expect: [200],
  }),
  signNote: async (n) => ({
    who: w.lee.client,
    opts: { params: { id: n.id }, body: { baseVersion: n.version } },
    expect: [403, 409],
  }),
  cosignNote: async (n) => ({ who: w.okafor.client, opts: { params: { id: n.id } }, expect: [403, 409] }),
  discardNote: async (n) => ({ who: w.admin, opts: { params: { id: n.id } }, expect: [409] }),
  createAddendum: async (n) => ({
    who: w.lee.client,
    opts: { params: { id: n.id }, body: { text: 'Addendum, not an edit.' } },
    expect: [201],
  }),
  createAmendmentRequest: async (n) => ({
    who: w.lee.client,
    opts: {
      params: { id: n.id },
      body: { requestedBy: 'Patient', receivedOn: '2026-03-02', requestText: 'Change the plan.' },
    },
    expect: [201],
  }),
  decideAmendment: async (n) => {
    const note = ok(await w.lee.client.call('getNote', { params: { id: n.id } }));
    const pendingRequest = note.amendments.find((a: { status: string }) => a.status === 'pending');
    return {
      who: w.admin,
      opts: {
        params: { id: pendingRequest.id },
        body: {
          decision: 'accepted',
          reason: 'Accepted.',
          amendmentText: 'Plan changed per patient request.',
        },
      },
      expect: [200],
    };
  },
  exportNotePdf: async (n) => ({ who: w.lee.client, opts: { params: { id: n.id } }, expect: [200] }),
  listNoteTemplates: async () => ({ who: w.admin, opts: {}, expect: [200] }),
  getNoteTemplate: async () => ({
    who: w.admin,
    opts: { params: { id: String(signedRow.template_id) } },
    expect: [200],
  }),
  createNoteTemplate: async () => ({
    who: w.admin,
    opts: {
      body: {
        name: 'Other',
        definition: { sections: [{ id: 's', title: 'S', fields: [{ id: 'f', label: 'F', type: 'text' }] }] },
      },
    },
    expect: [201],
  }),
  reviseNoteTemplate: async () => {
    const current = ok(await w.admin.call('listNoteTemplates')).templates.find(
      (t: { key: string }) => t.key === 'soap',
    );
    return {
      who: w.admin,
      opts: {
        params: { id: current.id },
        body: {
          baseVersion: current.version,
          name: 'SOAP note',
          restrictedDefault: false,
          definition: {
            sections: [
              { id: 'plan', title: 'Plan only', fields: [{ id: 'plan', label: 'Plan', type: 'textarea' }] },
            ],
          },
        },
      },
      expect: [201, 200],
    };
  },
  retireNoteTemplate: async () => {
    const t = ok(
      await w.admin.call('createNoteTemplate', {
        body: {
          name: 'To retire',
          definition: {
            sections: [{ id: 's', title: 'S', fields: [{ id: 'f', label: 'F', type: 'text' }] }],
          },
        },
      }),
      201,
    );
    return { who: w.admin, opts: { params: { id: t.id } }, expect: [200] };
  },
  createEncounter: async () => ({
    who: w.lee.client,
    opts: { body: { patientId: w.patientId, providerId: w.lee.id, dateOfService: '2026-03-02' } },
    expect: [201],
  }),
  createEncounterFromAppointment: async () => ({
    who: w.lee.client,
    opts: { params: { id: crypto.randomUUID() } },
    expect: [404],
  }),
  getEncounter: async () => ({ who: w.lee.client, opts: { params: { id: encounterId } }, expect: [200] }),
  updateEncounter: async () => ({
    who: w.lee.client,
    opts: { params: { id: encounterId }, body: { reason: 'Changed after signing', type: 'telehealth' } },
    expect: [200],
  }),
  setEncounterDiagnoses: async () => ({
    who: w.lee.client,
    opts: { params: { id: encounterId }, body: { codes: ['F32.A'] } },
    expect: [200],
  }),
  mergePatients: async () => {
    // The note's patient is merged into a duplicate registration: the note is re-filed, not rewritten.
    const survivor = await newPatient(w.desk, {
      legalFirstName: 'Nora',
      legalLastName: 'Quill-Other',
      dateOfBirth: '1988-04-12',
    });
    return {
      who: w.admin,
      opts: {
        body: { survivorId: survivor, mergedId: w.patientId, reason: 'Registered twice at the front desk' },
      },
      expect: [200],
    };
  },
};

describe('a signed note cannot be changed through any route', () => {
  it('has an attempt for every endpoint that can reach a note', () => {
    const routes = (Object.keys(api) as EndpointName[]).filter(touchesNotes);
    expect(routes.length).toBeGreaterThan(15);
    for (const name of routes) expect(attempts, `no attempt for ${name}`).toHaveProperty(name);
  });

  it('refuses or leaves the note untouched on every such route, for a signed and a pending co-sign note', async () => {
    for (const target of [signed, pending]) {
      for (const [name, attempt] of Object.entries(attempts) as [EndpointName, Attempt][]) {
        if (name === 'mergePatients') continue; // last, below: it moves the patient for good
        const { who, opts, expect: statuses } = await attempt(target);
        const res = await who.call(name, opts);
        expect(
          statuses,
          `${name} on ${target === signed ? 'signed' : 'pending'} note: ${res.status} ${res.text.slice(0, 200)}`,
        ).toContain(res.status);
      }
    }
    expect(row(signed.id)).toEqual(signedRow);
    expect(row(pending.id)).toEqual(pendingRow);

    const { who, opts } = await attempts.mergePatients!(signed);
    ok(await who.call('mergePatients', opts));
    // Only the patient column moved; what was signed (and signed_patient_id) is as it was.
    expect(without(row(signed.id), 'patient_id')).toEqual(without(signedRow, 'patient_id'));
    expect(row(signed.id).patient_id).not.toBe(signedRow.patient_id);
    expect(row(signed.id).signed_patient_id).toBe(signedRow.patient_id);
    expect(without(row(pending.id), 'patient_id')).toEqual(without(pendingRow, 'patient_id'));

    for (const id of [signed.id, pending.id]) {
      const note = ok(await w.lee.client.call('getNote', { params: { id } }));
      expect(note.digestValid, id).toBe(true);
      expect(note.template.version).toBe(1); // the revised SOAP template does not re-shape a signed note
      expect(note.content.fields.plan).toBe(soapContent().fields.plan);
      expect(note.addenda.length).toBeGreaterThanOrEqual(2);
    }
  });

  it('is protected by the database as well: direct updates and deletes are refused', () => {
    const db = w.t.server.store.db;
    for (const sql of [
      `UPDATE notes SET content = '{"fields":{},"planProgress":[]}' WHERE id = '${signed.id}'`,
      `UPDATE notes SET status = 'draft' WHERE id = '${signed.id}'`,
      `UPDATE notes SET digest = 'x' WHERE id = '${pending.id}'`,
      `UPDATE notes SET deleted_at = '2026-03-03T00:00:00Z' WHERE id = '${signed.id}'`,
      `DELETE FROM notes WHERE id = '${signed.id}'`,
      `UPDATE note_addenda SET text = 'changed' WHERE note_id = '${signed.id}'`,
      `DELETE FROM note_addenda WHERE note_id = '${signed.id}'`,
      `UPDATE note_amendments SET decision_reason = 'changed' WHERE note_id = '${signed.id}' AND status <> 'pending'`,
    ]) {
      expect(() => db.prepare(sql).run(), sql).toThrow(/immutable|locked|never deleted|kept/);
    }
  });

  it('reports a digest that no longer matches if a row is changed behind the triggers', async () => {
    const db = w.t.server.store.db;
    db.exec('DROP TRIGGER notes_signed_immutable');
    try {
      db.prepare(`UPDATE notes SET content = replace(content, 'Start CBT', 'Stop CBT') WHERE id = ?`).run(
        signed.id,
      );
      const note = ok(await w.lee.client.call('getNote', { params: { id: signed.id } }));
      expect(note.digestValid).toBe(false);
    } finally {
      db.prepare(`UPDATE notes SET content = ? WHERE id = ?`).run(signedRow.content, signed.id);
    }
  });
});
