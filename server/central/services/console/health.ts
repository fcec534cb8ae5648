import type { HealthReport } from '../../../contracts/central/console';
import type { CentralDb } from '../../db/pool';
import { latestCentralSchema } from '../../db/migrations';
import type { AdminIdentity } from '../admins';
import { adminTenant } from '../clinics';
import type { RecentRequests } from './recent-requests';

/** The console's health page: one read of what an administrator needs to see first. */
export async function healthReport(
  db: CentralDb,
  admin: AdminIdentity,
  live: { listening: boolean; connections: number },
  recent: RecentRequests,
): Promise<HealthReport> {
  const started = process.hrtime.bigint();
  let schemaVersion: number | null = null;
  let up = true;
  try {
    const r = await db.pool.query<{ v: number }>('SELECT max(version) AS v FROM tessera.schema_versions');
    schemaVersion = r.rows[0]?.v ?? null;
  } catch {
    up = false;
  }
  const latencyMs = up ? Math.round(Number(process.hrtime.bigint() - started) / 1e4) / 100 : null;
  const clinics = up
    ? await db.tx(
        adminTenant(admin),
        async (tx) => {
          // Devices are tenant rows, visible only in a transaction that names their clinic: the clinics
          // first, then one short read-only transaction per clinic.
          const r = await tx.query<{ id: string; name: string; change_seq: number }>(
            'SELECT id, name, change_seq FROM clinics ORDER BY name',
          );
          return r.rows;
        },
        { readOnly: true },
      )
    : [];
  const perClinic = await Promise.all(
    clinics.map((c) =>
      db.tx(
        { ...adminTenant(admin), clinicId: c.id },
        async (tx) => {
          const r = await tx.query<{
            active: number;
            silent: number;
            max_behind: number | null;
            pending: number;
            conflicts: number;
            oldest: Date | null;
            last_poll: Date | null;
          }>(
            `SELECT count(*)::int AS active,
                    count(*) FILTER (WHERE last_seen_at IS NULL OR last_seen_at < now() - interval '1 hour')::int AS silent,
                    max($2::bigint - pulled_cursor)::int AS max_behind,
                    coalesce(sum(pending_mutations), 0)::int AS pending,
                    coalesce(sum(open_conflicts), 0)::int AS conflicts,
                    min(last_seen_at) AS oldest,
                    (SELECT last_poll_at FROM clearinghouse_polls WHERE clinic_id = $1) AS last_poll
               FROM devices WHERE clinic_id = $1 AND revoked_at IS NULL`,
            [c.id, c.change_seq],
          );
          const d = r.rows[0]!;
          return {
            clinicId: c.id,
            name: c.name,
            head: c.change_seq,
            activeDevices: d.active,
            silentDevices: d.silent,
            maxChangesBehind: d.max_behind === null ? null : Math.max(0, d.max_behind),
            pendingMutations: d.pending,
            openConflicts: d.conflicts,
            oldestContactAt: d.oldest?.toISOString() ?? null,
            clearinghouseLastPollAt: d.last_poll?.toISOString() ?? null,
          };
        },
        { readOnly: true },
      ),
    ),
  );
  return {
    checkedAt: new Date().toISOString(),
    database: { up, latencyMs, schemaVersion, expectedSchemaVersion: latestCentralSchema },
    liveChannel: live,
    requests: recent.summary(),
    clinics: perClinic,
  };
}
