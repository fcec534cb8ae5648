import type { z } from 'zod';
import type { consoleDeviceSchema } from '../../../contracts/central/console';
import type { CentralDb } from '../../db/pool';
import type { AdminIdentity } from '../admins';
import { inClinic } from '../clinics';

/**
 * Workstations as the console lists them, and what each reports about itself. A workstation sends its app
 * version, changes waiting, open conflicts and pull cursor in a header on its sync requests
 * (syncHeaders.status); central stores a changed report within STATUS_FLUSH_MS (a clinic's waiting reports in
 * one statement) and the same report again at most every STATUS_EVERY_MS per device and process, so a busy
 * clinic's pulls do not each cost a write.
 */

type Device = z.input<typeof consoleDeviceSchema>;

interface Row {
  id: string;
  name: string;
  workstation_id: string;
  created_at: Date;
  revoked_at: Date | null;
  last_seen_at: Date | null;
  schema_version: number | null;
  clock_skew_ms: number | null;
  app_version: string | null;
  pending_mutations: number | null;
  open_conflicts: number | null;
  pulled_cursor: number | null;
  status_at: Date | null;
}

export async function listWorkstations(
  db: CentralDb,
  admin: AdminIdentity,
  clinicId: string,
): Promise<{ head: number; devices: Device[] }> {
  return inClinic(db, admin, clinicId, async (tx) => {
    const head = await tx.query<{ change_seq: number }>('SELECT change_seq FROM clinics WHERE id = $1', [
      clinicId,
    ]);
    const h = head.rows[0]?.change_seq ?? 0;
    const r = await tx.query<Row>(
      'SELECT * FROM devices WHERE clinic_id = $1 ORDER BY revoked_at IS NOT NULL, name, created_at',
      [clinicId],
    );
    return {
      head: h,
      devices: r.rows.map((d) => ({
        id: d.id,
        name: d.name,
        workstationId: d.workstation_id,
        createdAt: d.created_at.toISOString(),
        revokedAt: d.revoked_at?.toISOString() ?? null,
        lastSeenAt: d.last_seen_at?.toISOString() ?? null,
        schemaVersion: d.schema_version,
        clockSkewMs: d.clock_skew_ms,
        appVersion: d.app_version,
        pendingMutations: d.pending_mutations,
        openConflicts: d.open_conflicts,
        changesBehind: d.pulled_cursor === null ? null : Math.max(0, h - d.pulled_cursor),
        statusAt: d.status_at?.toISOString() ?? null,
      })),
    };
  });
}

export interface DeviceStatus {
  appVersion: string;
  pending: number;
  conflicts: number;
  cursor: number;
}

/**
 * The status header: `app=1.4.0; pending=3; conflicts=0; cursor=1200`. Anything malformed is ignored (it
 * is a report for people, never used to decide anything).
 */
export function parseDeviceStatus(header: unknown): DeviceStatus | null {
  if (typeof header !== 'string' || header.length > 200) return null;
  const parts = new Map<string, string>();
  for (const part of header.split(';')) {
    const [k, v] = part.split('=').map((s) => s.trim());
    if (k && v !== undefined) parts.set(k, v);
  }
  const int = (k: string) => {
    const v = parts.get(k);
    return v !== undefined && /^\d{1,12}$/.test(v) ? Number(v) : null;
  };
  const app = parts.get('app');
  const pending = int('pending');
  const conflicts = int('conflicts');
  const cursor = int('cursor');
  if (!app || !/^[0-9A-Za-z.+-]{1,40}$/.test(app) || pending === null || conflicts === null || cursor === null)
    return null;
  return { appVersion: app, pending, conflicts, cursor };
}

const STATUS_EVERY_MS = 15_000;
/**
 * Reports are stored together, per clinic, this long after the first one waiting: a report moves with
 * every pull (the cursor), so storing each as it came cost a busy clinic's pulls a transaction each (three
 * round trips to the database, as many as the pull itself needed); now one statement per clinic per window.
 */
export const STATUS_FLUSH_MS = 1_000;
const INT_MAX = 2_147_483_647;

/** Stores reported statuses, throttled per device on this process and written per clinic in batches. */
export class DeviceStatusRecorder {
  readonly #last = new Map<string, { at: number; key: string }>();
  /** Reports waiting to be stored: clinic → device → its latest report. */
  readonly #waiting = new Map<string, Map<string, DeviceStatus>>();
  #timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly db: CentralDb,
    private readonly onError: (err: unknown) => void,
    private readonly now = () => Date.now(),
    private readonly flushMs = STATUS_FLUSH_MS,
  ) {}

  record(device: { deviceId: string; clinicId: string }, status: DeviceStatus): void {
    const t = this.now();
    const key = `${status.appVersion}|${status.pending}|${status.conflicts}|${status.cursor}`;
    const last = this.#last.get(device.deviceId);
    // A change is stored within a window (the console shows it); the same report again only now and then.
    if (last && last.key === key && t - last.at < STATUS_EVERY_MS) return;
    if (this.#last.size > 50_000) this.#last.clear();
    this.#last.set(device.deviceId, { at: t, key });
    let clinic = this.#waiting.get(device.clinicId);
    if (!clinic) this.#waiting.set(device.clinicId, (clinic = new Map()));
    clinic.set(device.deviceId, status);
    if (!this.#timer) {
      this.#timer = setTimeout(() => void this.flush(), this.flushMs);
      this.#timer.unref();
    }
  }

  /** Store every waiting report now: one statement (and one round trip) per clinic. */
  async flush(): Promise<void> {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    const waiting = [...this.#waiting];
    this.#waiting.clear();
    await Promise.all(
      waiting.map(([clinicId, devices]) =>
        this.db
          .writeOnce({ clinicId }, (literal) => {
            const list = [...devices];
            // One report out of range must not lose the clinic's batch (the columns are integers).
            // Every number was checked to be a whole number by parseDeviceStatus; text goes through literal.
            const col = (f: (d: [string, DeviceStatus]) => string) => list.map(f).join(', ');
            return [
              `UPDATE devices d SET app_version = s.app, pending_mutations = s.pending, open_conflicts = s.conflicts,
                      pulled_cursor = s.cursor, status_at = now(), last_seen_at = now()
                 FROM unnest(ARRAY[${col(([id]) => literal(id))}]::uuid[],
                             ARRAY[${col(([, st]) => literal(st.appVersion))}]::text[],
                             ARRAY[${col(([, st]) => String(Math.min(st.pending, INT_MAX)))}]::int[],
                             ARRAY[${col(([, st]) => String(Math.min(st.conflicts, INT_MAX)))}]::int[],
                             ARRAY[${col(([, st]) => String(st.cursor))}]::bigint[])
                      AS s(id, app, pending, conflicts, cursor)
                WHERE d.id = s.id AND d.revoked_at IS NULL`,
            ];
          })
          .catch(this.onError),
      ),
    );
  }
}
