import fs from 'node:fs';
import path from 'node:path';

/**
 * One server per data folder: a second one would race the first on the same database and sessions.
 * The lock file holds the owner's pid; a lock left by a dead process (exited, or killed and not yet
 * reaped) is taken over.
 */
export function lockDataDir(dataDir: string): () => void {
  const file = path.join(dataDir, 'server.lock');
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      fs.writeFileSync(file, String(process.pid), { flag: 'wx', mode: 0o600 });
      return () => fs.rmSync(file, { force: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const owner = Number(fs.readFileSync(file, 'utf8'));
      if (owner && owner !== process.pid && isAlive(owner)) {
        throw new Error(`Another Tessera server (process ${owner}) is using ${dataDir}. Stop it first.`);
      }
      fs.rmSync(file, { force: true });
    }
  }
  throw new Error(`Could not lock ${dataDir}.`);
}

export function isDataDirLocked(dataDir: string): boolean {
  const file = path.join(dataDir, 'server.lock');
  if (!fs.existsSync(file)) return false;
  const owner = Number(fs.readFileSync(file, 'utf8'));
  return Boolean(owner) && isAlive(owner);
}

/**
 * Whether the lock's owner still runs. A process that was killed but not yet reaped by its parent (a
 * zombie) still answers signal 0, yet it will never use the database again: on Linux its state in
 * /proc/<pid>/stat tells ('Z' zombie, 'X' dead).
 */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
  return !['Z', 'X'].includes(procState(pid) ?? '');
}

/** The one-letter state of a process from /proc, or null where there is no /proc (macOS, Windows). */
function procState(pid: number): string | null {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // "pid (command) S …": the command may itself contain ") ", so read after the last one.
    return stat.slice(stat.lastIndexOf(') ') + 2, stat.lastIndexOf(') ') + 3) || null;
  } catch {
    return null;
  }
}
