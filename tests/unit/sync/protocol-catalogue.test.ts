import { describe, expect, it } from 'vitest';
import { LATEST_WORKSTATION_SCHEMA, REPLICATED_TABLES } from '../../../server/contracts/sync';
import { latestSchemaVersion } from '../../../server/workstation/db/migrations';
import { replicatedTables } from '../../../server/workstation/db/schema';

/**
 * Central cannot import the workstation, so the protocol carries two facts about it: the tables that
 * replicate (central accepts and serves only these) and the newest schema version (central refuses higher
 * ones and never lets a clinic's required version go above it). Both are pinned to the workstation here.
 */
describe('the protocol’s view of the workstation', () => {
  it('lists exactly the workstation’s replicated tables', () => {
    expect([...REPLICATED_TABLES].sort()).toEqual(Object.keys(replicatedTables).sort());
  });

  it('knows the workstation’s newest schema version (bump LATEST_WORKSTATION_SCHEMA with a migration)', () => {
    expect(LATEST_WORKSTATION_SCHEMA).toBe(latestSchemaVersion);
  });
});
