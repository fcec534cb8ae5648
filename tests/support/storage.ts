import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { SqliteDatabase } from '../../server/workstation/db/open';

/** Helpers for the storage and CLI tests: byte scans, file fingerprints, table dumps, CLI child processes. */

export const repoRoot = path.resolve(import.meta.dirname, '../..');
export const cliPath = path.join(repoRoot, 'server/workstation/cli.ts');

export const newKey = () => crypto.randomBytes(32).toString('hex');

/** A random, recognisable string that cannot occur in a file by chance. */
export const marker = (label: string) => `${label}Qx${crypto.randomBytes(8).toString('hex')}`;

/** Which markers occur in a file's bytes, as UTF-8 or as UTF-16LE. */
export function markersIn(file: string, markers: readonly string[]): string[] {
  const bytes = fs.readFileSync(file);
  return markers.filter(
    (m) => bytes.includes(Buffer.from(m, 'utf8')) || bytes.includes(Buffer.from(m, 'utf16le')),
  );
}

/** Every regular file under a folder (recursive). */
export function filesUnder(dir: string): string[] {
  return fs
    .readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => path.join(e.parentPath, e.name))
    .sort();
}

export const sha256 = (file: string) => crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');

/** Name -> hash of every file in a folder: equal snapshots mean nothing was created, removed or changed. */
export function snapshot(dir: string): Record<string, string> {
  return Object.fromEntries(filesUnder(dir).map((f) => [path.relative(dir, f), sha256(f)]));
}

export const fileMode = (file: string) => fs.statSync(file).mode & 0o777;

export function tableNames(db: SqliteDatabase): string[] {
  return (db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name`).all() as { name: string }[]).map(
    (r) => r.name,
  );
}

/** Every row of every table, in rowid order, plus the schema text and version. */
export function dumpDatabase(db: SqliteDatabase): { userVersion: number; schema: unknown[]; tables: Record<string, unknown[]> } {
  const tables: Record<string, unknown[]> = {};
  // WITHOUT ROWID tables (and FTS5's shadow tables) have no rowid; they are read in primary-key order.
  const withoutRowid = new Set(
    (db.prepare('PRAGMA table_list').all() as { name: string; wr: number }[]).filter((t) => t.wr).map((t) => t.name),
  );
  for (const name of tableNames(db)) {
    tables[name] = db.prepare(`SELECT * FROM "${name}"${withoutRowid.has(name) ? '' : ' ORDER BY rowid'}`).all();
  }
  return {
    userVersion: db.pragma('user_version', { simple: true }) as number,
    schema: db.prepare(`SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name`).all(),
    tables,
  };
}

/** A clean environment for CLI children: none of the developer's Tessera variables leak in. */
export function cliEnv(extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const k of Object.keys(env)) if (k.startsWith('TESSERA_')) delete env[k];
  env.TESSERA_LOG_LEVEL = 'warn';
  for (const [k, v] of Object.entries(extra)) if (v !== undefined) env[k] = v;
  return env;
}

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/**
 * `tessera …` as a child process: under vitest the bundle its global setup built once
 * (tests/support/cli-bundle-global.ts), elsewhere the source through tsx.
 */
export function spawnCli(args: string[], env: NodeJS.ProcessEnv): ChildProcessWithoutNullStreams {
  const bundle = process.env.TESSERA_TEST_CLI_BUNDLE;
  const entry = bundle ? [bundle] : ['--import', 'tsx', cliPath];
  return spawn(process.execPath, [...entry, ...args], { cwd: repoRoot, env });
}

/** Run a CLI command to completion, feeding `input` on stdin (stdin is always closed). */
export function runCli(args: string[], opts: { env: NodeJS.ProcessEnv; input?: string; timeoutMs?: number }): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawnCli(args, opts.env);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`tessera ${args.join(' ')} did not finish.\nstdout: ${stdout}\nstderr: ${stderr}`));
    }, opts.timeoutMs ?? 60_000);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
    child.stdin.end(opts.input ?? '');
  });
}

/** Wait until a running child's stdout matches, or fail with what it printed. */
export function waitForOutput(child: ChildProcessWithoutNullStreams, pattern: RegExp, timeoutMs = 60_000): Promise<{ match: RegExpMatchArray; stdout: string }> {
  return new Promise((resolve, reject) => {
    let stdout = '';
    let stderr = '';
    const onOut = (d: Buffer) => {
      stdout += d;
      const match = stdout.match(pattern);
      if (match) {
        cleanup();
        resolve({ match, stdout });
      }
    };
    const onErr = (d: Buffer) => (stderr += d);
    const onExit = (code: number | null) => {
      cleanup();
      reject(new Error(`exited (${code}) before printing ${pattern}.\nstdout: ${stdout}\nstderr: ${stderr}`));
    };
    const timer = setTimeout(() => {
      cleanup();
      reject(new Error(`timed out waiting for ${pattern}.\nstdout: ${stdout}\nstderr: ${stderr}`));
    }, timeoutMs);
    const cleanup = () => {
      clearTimeout(timer);
      child.stdout.off('data', onOut);
      child.stderr.off('data', onErr);
      child.off('exit', onExit);
    };
    child.stdout.on('data', onOut);
    child.stderr.on('data', onErr);
    child.on('exit', onExit);
  });
}

export function exitOf(child: ChildProcessWithoutNullStreams): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  if (child.exitCode !== null || child.signalCode !== null) {
    return Promise.resolve({ code: child.exitCode, signal: child.signalCode });
  }
  return new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
}
