import { systemActor, type Store } from '../db/store';
import type { Logger } from '../../platform/logging';
import { codeSet, installCodeSet, sha256Hex } from '../services/clinical/icd10/code-set';
import type { CentralClient } from './central-client';

/**
 * The code set of an enrolled workstation comes from central: the organization's administrator imports
 * CDC's file there once, central advertises the current release's SHA-256, and a workstation whose
 * installed file differs downloads it, checks the digest and installs it (which keeps the codes the old
 * release had and the new one dropped as retired). A failure here never stops replication: it is tried
 * again at the next check.
 */
export async function receiveCodeSet(
  store: Store,
  client: CentralClient,
  logger: Logger,
): Promise<'none' | 'current' | 'installed' | 'rejected'> {
  const { current } = await client.currentCodeSet();
  if (!current) return 'none';
  if (codeSet(store).status.digest === current.digest) return 'current';
  const text = await client.downloadCodeSet(current.id);
  if (sha256Hex(text) !== current.digest) {
    logger.warn(
      { releaseId: current.id },
      'sync: code-set download does not match its digest; not installed',
    );
    return 'rejected';
  }
  installCodeSet(
    store,
    systemActor,
    {
      text,
      release: current.release,
      source: `CDC/NCHS ICD-10-CM, imported at central (release ${current.id})`,
      origin: 'central',
    },
    // Central checked the file when it was imported (a subset only when its importer said so).
    { allowPartial: true },
  );
  logger.info(
    { releaseId: current.id, codes: current.codeCount },
    'sync: installed the code set from central',
  );
  return 'installed';
}
