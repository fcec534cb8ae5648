import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../../server/platform/logging';
import { latestSchemaVersion } from '../../../server/workstation/db/migrations';
import { CentralClient as WorkstationCentralClient } from '../../../server/workstation/sync/central-client';
import { readSyncState } from '../../../server/workstation/sync/state';
import { receiveCodeSet } from '../../../server/workstation/sync/code-set';
import { CDC_FY2026_CODE_COUNT, cdcCodesFile } from '../../fixtures/icd10cm';
import {
  createOrgAndClinic,
  signedInAdmin,
  startTestCentral,
  type CentralAdmin,
  type TestCentral,
  type TestClinic,
} from '../../support/central';
import { joinClinic, setUpAndEnroll, settle, waitFor, type SyncedWorkstation } from '../../support/sync';

/**
 * The code set of enrolled workstations comes from central: imported once for the organization, every
 * workstation of it downloads the release (checked against its SHA-256) instead of importing the file
 * itself; a newer release replaces it and the codes it dropped stay resolvable as retired.
 */

const cdcText = fs.readFileSync(cdcCodesFile, 'utf8');

let central: TestCentral;
let operator: CentralAdmin;
let orgAdmin: CentralAdmin;
let clinic: TestClinic;
let a: SyncedWorkstation & { admin: NonNullable<SyncedWorkstation['admin']> };
let b: SyncedWorkstation;

beforeAll(async () => {
  central = await startTestCentral();
  operator = await signedInAdmin(central);
  clinic = await createOrgAndClinic(operator);
  orgAdmin = await signedInAdmin(central, clinic.orgId);
  a = await setUpAndEnroll(central, operator, clinic, { name: 'Front desk 1' });
  b = await joinClinic(central, operator, clinic, { name: 'Exam room 2' });
});

afterAll(async () => {
  for (const w of [a, b]) await w?.t.stop();
  await central?.destroy();
});

const status = (w: SyncedWorkstation) =>
  w.t.server.store.db.prepare('SELECT release, origin, code_count AS codes FROM reference_code_sets').all();

describe('code sets from central', () => {
  it('an organization administrator imports a release once; every workstation receives it, digest checked', async () => {
    expect(status(a)).toEqual([]);
    const garbage = await orgAdmin.client.call('publishCodeSet', {
      params: { orgId: clinic.orgId },
      body: { release: 'Bad', content: 'Code,Description\nF41.1,Anxiety\n' },
    });
    expect(garbage.status).toBe(400);
    expect(garbage.body.error.message).toMatch(/^That file is not an ICD-10-CM codes or order file/);

    const other = await createOrgAndClinic(operator, 'Elsewhere Clinic');
    const stranger = await signedInAdmin(central, other.orgId);
    const foreign = await stranger.client.call('publishCodeSet', {
      params: { orgId: clinic.orgId },
      body: { release: 'FY2026', content: cdcText },
    });
    expect(foreign.status).toBe(403);

    const published = await orgAdmin.client.call('publishCodeSet', {
      params: { orgId: clinic.orgId },
      body: { release: 'FY2026', content: cdcText },
    });
    expect(published.status, published.text).toBe(200);
    expect(published.body).toMatchObject({
      release: 'FY2026',
      codeCount: CDC_FY2026_CODE_COUNT,
      digest: 'a7e2a77e4627ed55c8afe2b8a7ae22efcbab6b6b162d96cf145213772c1246ba',
    });

    await a.sync.checkCodeSetNow();
    await b.sync.checkCodeSetNow();
    for (const w of [a, b])
      expect(status(w)).toEqual([{ release: 'FY2026', origin: 'central', codes: CDC_FY2026_CODE_COUNT }]);
    const seen = (await a.client.call('getIcd10Status')).body;
    expect(seen).toMatchObject({ release: 'FY2026', origin: 'central', coverage: 'full' });
    // Nothing is fetched again while the release is unchanged.
    expect(
      await receiveCodeSet(
        a.t.server.store,
        clientOf(a),
        createLogger('tessera-workstation', undefined, 'silent'),
      ),
    ).toBe('current');

    // An enrolled workstation does not import files of its own.
    const local = await a.client.raw('POST', '/api/clinical/code-sets/imports?release=Local', {
      body: cdcText,
      headers: { 'content-type': 'text/plain' },
    });
    expect(local.status).toBe(409);
    expect((await local.json()).error.message).toMatch(/receives the code set from central/);
  });

  it('a newer release replaces it everywhere; a code used on a problem stays resolvable, retired', async () => {
    const problem = await a.client.call('createPatient', {
      body: { legalFirstName: 'Nora', legalLastName: 'Quill', dateOfBirth: '1988-04-12' },
    });
    expect(problem.status, problem.text).toBe(201);
    const patientId = problem.body.id as string;
    const used = await a.client.call('createProblem', {
      params: { id: patientId },
      body: { code: 'F43.81' },
    });
    expect(used.status, used.text).toBe(201);
    await settle(a, b);

    const next = cdcText
      .split('\r\n')
      .filter((line) => !line.startsWith('F4381 '))
      .join('\r\n');
    const published = await operator.client.call('publishCodeSet', {
      params: { orgId: clinic.orgId },
      body: { release: 'Next release', content: next },
    });
    expect(published.status, published.text).toBe(200);
    await a.sync.checkCodeSetNow();
    await b.sync.checkCodeSetNow();
    expect(status(b)).toEqual([
      { release: 'Next release', origin: 'central', codes: CDC_FY2026_CODE_COUNT - 1 },
    ]);

    // b has the problem (replicated) and resolves its code as retired.
    const onB = await waitFor('the problem on b', () => {
      const row = b.t.server.store.db.prepare('SELECT id FROM problems WHERE code = ?').get('F43.81');
      return row ? (row as { id: string }).id : null;
    });
    expect(onB).toBe(used.body.id);
    const retired = b.t.server.store.db
      .prepare('SELECT release, retired_in AS retiredIn FROM reference_retired_codes WHERE code = ?')
      .get('F43.81');
    expect(retired).toEqual({ release: 'FY2026', retiredIn: 'Next release' });
  });

  it('refuses a download whose content does not match the advertised digest', async () => {
    const before = status(a);
    const real = clientOf(a);
    const tampered = {
      currentCodeSet: async () => {
        const { current } = await real.currentCodeSet();
        return { current: current && { ...current, digest: '0'.repeat(64) } };
      },
      downloadCodeSet: (id: string) => real.downloadCodeSet(id),
    } as unknown as WorkstationCentralClient;
    expect(
      await receiveCodeSet(
        a.t.server.store,
        tampered,
        createLogger('tessera-workstation', undefined, 'silent'),
      ),
    ).toBe('rejected');
    expect(status(a)).toEqual(before);
  });
});

/** The workstation's own client to central, with its credential (as the sync engine builds it). */
function clientOf(w: SyncedWorkstation): WorkstationCentralClient {
  const state = readSyncState(w.t.server.store);
  return new WorkstationCentralClient({
    baseUrl: state.centralUrl!,
    credential: state.credential,
    schemaVersion: latestSchemaVersion,
    now: w.t.server.store.now,
  });
}
