import type { z } from 'zod';
import type { enrollSchema, SyncStatus } from '../../../contracts/sync';
import { latestSchemaVersion } from '../../db/migrations';
import type { Actor, Store } from '../../db/store';
import { AppError, fieldError } from '../../../platform/errors';
import { CentralClient, CentralRequestError } from '../../sync/central-client';
import type { SyncEngine } from '../../sync/engine';
import { saveSecretsKey } from '../../sync/secrets';
import { updateSyncState } from '../../sync/state';

/**
 * Enrolling this workstation with central: `enroll` for a workstation already set up (an administrator,
 * Admin > Sync; its records go up to the clinic), `join` for a fresh one (from the first-run screen; it
 * downloads the clinic, staff accounts included, and nobody signs in until that is done).
 */

type EnrollInput = z.output<typeof enrollSchema>;

export async function enrollWorkstation(
  store: Store,
  engine: SyncEngine,
  actor: Actor,
  input: EnrollInput,
  mode: 'enroll' | 'join',
): Promise<SyncStatus> {
  const preset = engine.preset;
  if (preset.locked && preset.url && input.centralUrl !== preset.url.replace(/\/+$/, '')) {
    throw fieldError(
      'centralUrl',
      `IT has set this workstation’s central server to ${preset.url}; enroll with that address.`,
    );
  }
  if (mode === 'join' && store.clinicId) {
    throw new AppError(
      409,
      'already_set_up',
      'This workstation is already set up. An administrator can enroll it in Admin > Sync.',
    );
  }
  if (mode === 'enroll' && !store.clinicId) {
    throw new AppError(
      409,
      'setup_needed',
      'Set up this workstation first, or join a clinic from the set-up screen.',
    );
  }

  const client = new CentralClient({
    baseUrl: input.centralUrl,
    credential: null,
    schemaVersion: latestSchemaVersion,
    now: store.now,
  });
  let res;
  try {
    res = await client.enroll({
      code: input.code,
      workstationId: store.workstationId,
      name: input.workstationName,
      schemaVersion: latestSchemaVersion,
      clinicId: store.clinicId,
    });
  } catch (err) {
    if (!(err instanceof CentralRequestError)) throw err;
    if (err.kind === 'network') {
      throw fieldError(
        'centralUrl',
        'No central server answered at that address. Check the address and the network, then try again.',
      );
    }
    if (err.code === 'enrollment_code_invalid' || err.code === 'invalid_input')
      throw fieldError('code', err.message);
    if (err.status === 429) throw new AppError(429, 'too_many_requests', err.message);
    throw new AppError(err.status >= 500 ? 502 : 409, err.code, err.message);
  }
  if (mode === 'enroll' && res.clinicId !== store.clinicId) {
    throw new AppError(
      409,
      'clinic_mismatch',
      'The central server assigned another clinic to this workstation. Nothing was changed.',
    );
  }

  await engine.stop();
  engine.resetConnection();
  const now = store.nowIso();
  store.write(actor, (w) => {
    if (mode === 'join') store.setClinic(w, res.clinicId);
    saveSecretsKey(w, res.secretsKey);
    // Sync bookkeeping lives in the same transaction as the audit entry: enrolled and audited, or neither.
    updateSyncState(store, {
      centralUrl: input.centralUrl,
      deviceId: res.deviceId,
      credential: res.credential,
      enrolledAt: now,
      epoch: res.epoch,
      cursor: 0,
      initialDone: false,
      lastSuccessAt: null,
      blocked: null,
      blockedMessage: null,
    });
    w.audit({
      action: 'sync.enroll',
      detail: { deviceId: res.deviceId, mode, central: new URL(input.centralUrl).host },
    });
  });
  engine.start();
  return engine.status();
}
