import type { Logger } from '../../platform/logging';
import type { Store } from '../db/store';
import { importInboundFiles, waitingInboundFiles } from '../services/claims/inbound-import';
import type { CentralClient } from './central-client';

/**
 * The sync step that imports the clearinghouse files central handed to the clinic (after each pull, when
 * any waits): central grants each to one workstation (services/claims/inbound-import.ts). Files granted
 * to another workstation are remembered for this run of the app, so they are not asked about again.
 */
export class ClearinghouseFiles {
  readonly #notOurs = new Set<string>();

  constructor(
    private readonly store: Store,
    private readonly logger: Logger,
  ) {}

  async run(client: CentralClient, deviceId: string): Promise<void> {
    if (!waitingInboundFiles(this.store, this.#notOurs).length) return;
    const out = await importInboundFiles(this.store, deviceId, (id) => client.grantInboundImport(id), this.#notOurs);
    if (out.imported.length) this.logger.info({ files: out.imported.length }, 'sync: clearinghouse files imported');
    for (const f of out.failed) this.logger.warn({ inboundFileId: f.id, kind: f.kind }, 'sync: a clearinghouse file could not be read');
  }
}
