import { expect } from 'vitest';
import type { EndpointName } from '../../../server/contracts/api';
import { installSampleCodeSet } from '../../fixtures/icd10cm';
import { addStaff, type CallOptions, type TestClient } from '../../support/workstation';
import { newPatient, schedulingWorld, type SchedulingWorld } from '../scheduling/support';

/**
 * A clinic with scheduling set up (see ../scheduling/support.ts: Dr Lee is `clinician`, Monday 2 March
 * 2026 08:00 Chicago), a second clinician, a supervised clinician, a biller and one patient. The
 * hand-written sample code set (tests/fixtures/icd10cm-sample.txt) is installed as a partial code set,
 * as an administrator would install CDC's file, unless `codeSet: false` (a workstation with none).
 */
export interface ClinicalWorld extends SchedulingWorld {
  lee: { client: TestClient; id: string };
  okafor: { client: TestClient; id: string };
  intern: { client: TestClient; id: string };
  biller: { client: TestClient; id: string };
  deskClient: TestClient;
  patientId: string;
}

export async function clinicalWorld(opts: { codeSet?: boolean } = {}): Promise<ClinicalWorld> {
  const w = await schedulingWorld();
  if (opts.codeSet !== false) installSampleCodeSet(w.t.server.store);
  const users = (await w.admin.call('listUsers')).body.users as { id: string; username: string }[];
  const idOf = (username: string) => users.find((u) => u.username === username)!.id;
  const okafor = await relogin(w, 'okafor.np');
  const intern = await addStaff(w.t, w.admin, 'ivy.intern', ['clinician']);
  const biller = await addStaff(w.t, w.admin, 'bo.biller', ['biller']);
  // A longer idle time-out: some tests walk the clock through grants and co-signatures.
  ok(await w.admin.call('updateSecuritySettings', { body: { idleTimeoutMinutes: 240 } }), 200);
  const patientId = await newPatient(w.desk, {
    legalFirstName: 'Nora',
    legalLastName: 'Quill',
    dateOfBirth: '1988-04-12',
  });
  return {
    ...w,
    lee: { client: w.clinician, id: w.clinicianUserId },
    okafor: { client: okafor, id: idOf('okafor.np') },
    intern: { client: intern.client, id: intern.user.id },
    biller: { client: biller.client, id: biller.user.id },
    deskClient: w.desk,
    patientId,
  };
}

/** schedulingWorld() creates okafor.np with addStaff's password; sign in a fresh window as them. */
async function relogin(w: SchedulingWorld, username: string): Promise<TestClient> {
  const client = await w.t.client().launch();
  const res = await client.call('login', {
    body: { username, password: `quiet harbor lantern ${username.length}` },
  });
  expect(res.status, res.text).toBe(200);
  return client;
}

export function ok<T = any>(res: { status: number; body: T; text: string }, status = 200): any {
  expect(res.status, res.text).toBe(status);
  return res.body;
}

export async function call(client: TestClient, name: EndpointName, opts: CallOptions = {}) {
  return client.call(name, opts);
}

export async function templateId(client: TestClient, key: string): Promise<string> {
  const list = ok(await client.call('listNoteTemplates')).templates as { id: string; key: string }[];
  const t = list.find((x) => x.key === key);
  expect(t, `template ${key}`).toBeTruthy();
  return t!.id;
}

export const soapContent = (overrides: Record<string, unknown> = {}) => ({
  fields: {
    chief_complaint: 'Worry and poor sleep for three months',
    hpi: 'Reports constant worry about work, trouble falling asleep.',
    findings: 'Alert, anxious affect, no distress.',
    diagnoses: [{ code: 'F41.1', description: 'anything the client says' }],
    assessment: 'Generalized anxiety, moderate.',
    plan: 'Start CBT; sleep hygiene handout; follow up in two weeks.',
    follow_up: '2 weeks',
    ...overrides,
  },
  planProgress: [],
});

/** A SOAP draft by `client`, saved once with full content; returns the note and its current version. */
export async function soapDraft(
  w: ClinicalWorld,
  client: TestClient,
  opts: { encounterId?: string; patientId?: string } = {},
) {
  const created = ok(
    await client.call('createNote', {
      body: {
        patientId: opts.patientId ?? w.patientId,
        templateId: await templateId(client, 'soap'),
        encounterId: opts.encounterId ?? null,
      },
    }),
    201,
  );
  const saved = ok(
    await client.call('saveNoteDraft', {
      params: { id: created.id },
      body: { baseVersion: created.version, title: 'Anxiety follow-up', content: soapContent() },
    }),
  );
  return { id: created.id as string, version: saved.version as number };
}

export async function auditEntries(admin: TestClient, query: Record<string, string | number>) {
  return ok(await admin.call('auditReport', { query: { sort: 'at', dir: 'asc', limit: 1000, ...query } }))
    .entries as {
    seq: number;
    userId: string;
    action: string;
    outcome: string;
    patientId: string | null;
    detail: Record<string, unknown>;
  }[];
}
