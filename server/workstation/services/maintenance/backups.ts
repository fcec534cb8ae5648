import fs from 'node:fs';
import path from 'node:path';
import { DateTime } from 'luxon';
import {
  backupScheduleSchema,
  defaultBackupSchedule,
  type Backup,
  type BackupSchedule,
} from '../../../contracts/maintenance';
import { fieldError } from '../../../platform/errors';
import { backupTo, checkOpens } from '../../db/maintenance';
import { systemActor, type Actor, type Store } from '../../db/store';

/**
 * Encrypted backups of this workstation's database in DATA_DIR/backups: on demand from Admin > Maintenance,
 * and automatically on a schedule kept in the database (default: daily, 14 kept). Each file is a complete
 * copy encrypted with the same key, checked to open before it counts, mode 0600; IT copies the folder off the
 * machine and restores with `tessera restore --from FILE`. Only automatic backups are pruned.
 */

const META_SCHEDULE = 'backup.schedule';
const NAME = /^tessera-(\d{8}T\d{6}Z)-(manual|automatic)\.db$/;

export class WorkstationBackups {
  readonly folder: string;

  constructor(
    private readonly store: Store,
    dataDir: string,
    private readonly keyHex: string,
  ) {
    this.folder = path.join(dataDir, 'backups');
  }

  list(): Backup[] {
    if (!fs.existsSync(this.folder)) return [];
    const out: Backup[] = [];
    for (const name of fs.readdirSync(this.folder)) {
      const m = NAME.exec(name);
      if (!m) continue;
      out.push({
        name,
        kind: m[2] as Backup['kind'],
        createdAt: DateTime.fromFormat(m[1]!, "yyyyMMdd'T'HHmmss'Z'", { zone: 'utc' }).toISO()!,
        bytes: fs.statSync(path.join(this.folder, name)).size,
      });
    }
    return out.sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  }

  create(actor: Actor, kind: Backup['kind']): Backup {
    const stamp = DateTime.fromJSDate(this.store.now(), { zone: 'utc' }).toFormat("yyyyMMdd'T'HHmmss'Z'");
    const name = `tessera-${stamp}-${kind}.db`;
    const { bytes } = backupTo(this.store.db, this.keyHex, path.join(this.folder, name));
    this.store.audit(actor, { action: 'backup.create', detail: { kind, bytes } });
    if (kind === 'automatic') this.#prune(this.schedule().keep);
    return this.list().find((b) => b.name === name)!;
  }

  schedule(): BackupSchedule {
    const raw = this.store.getMeta(META_SCHEDULE);
    const parsed = raw ? backupScheduleSchema.safeParse(JSON.parse(raw)) : null;
    return parsed?.success ? parsed.data : defaultBackupSchedule;
  }

  setSchedule(actor: Actor, schedule: BackupSchedule): BackupSchedule {
    this.store.write(actor, (w) => {
      w.setMeta(META_SCHEDULE, JSON.stringify(schedule));
      w.audit({ action: 'backup.schedule', detail: { ...schedule } });
    });
    this.#prune(schedule.keep);
    return schedule;
  }

  /**
   * The file of a backup about to be restored, checked to open with this workstation's key and to be whole
   * before anything is touched: a corrupt copy or one made under another key is refused with a sentence and
   * the current data stays as it is.
   */
  fileToRestore(name: string): string {
    const backup = this.list().find((b) => b.name === name);
    if (!backup)
      throw fieldError('name', 'That backup is no longer in the backups folder. Choose another one.');
    const file = path.join(this.folder, backup.name);
    try {
      checkOpens(file, this.keyHex);
    } catch {
      throw fieldError(
        'name',
        'That backup cannot be opened: the file is damaged or was made with another database key. Your current data is unchanged; choose another backup.',
      );
    }
    return file;
  }

  /** Called by a timer: an automatic backup when the newest is older than the schedule's interval. */
  runDue(): Backup | null {
    const s = this.schedule();
    if (!s.enabled) return null;
    const newest = this.list().find((b) => b.kind === 'automatic');
    const dueAt = newest ? Date.parse(newest.createdAt) + s.everyHours * 3_600_000 : 0;
    if (this.store.now().getTime() < dueAt) return null;
    return this.create(systemActor, 'automatic');
  }

  /**
   * The timer's tick. Not during a clinic's first download: a copy of half the clinic restores nothing
   * useful, and the copy (VACUUM INTO, synchronous) would hold up the screens the download is paced to keep
   * responsive.
   */
  tick(firstDownloadDone: () => boolean): Backup | null {
    if (!firstDownloadDone()) return null;
    return this.runDue();
  }

  #prune(keep: number): void {
    const automatic = this.list().filter((b) => b.kind === 'automatic');
    for (const old of automatic.slice(keep)) fs.rmSync(path.join(this.folder, old.name), { force: true });
  }
}
