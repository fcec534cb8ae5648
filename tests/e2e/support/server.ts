import { spawn, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * A fresh workstation server for one test file: its own data folder and database key, on a random port.
 * The launch URL printed on stdout is one-time; tests open it once and share the resulting cookie.
 */
export interface TestServer {
  /** The one-time launch URL printed at start. */
  launchUrl: string;
  /** http://127.0.0.1:PORT */
  origin: string;
  dataDir: string;
  /** The database key, so a test can run a `tessera` CLI command against this data folder. */
  dbKey: string;
  /** Everything the server printed, for failure messages. */
  output(): string;
  /** Stop the server; `keepData` leaves the data folder for a restart (startServer with its dataDir and key). */
  stop(opts?: { keepData?: boolean }): Promise<void>;
}

const repoRoot = path.resolve(import.meta.dirname, '../../..');

/** A fresh data folder, or (with `dataDir` and `dbKey` of a stopped server) the same workstation again. */
export async function startServer(again?: { dataDir: string; dbKey: string }): Promise<TestServer> {
  // The server runs from the production bundle `npm test` builds before this stage (dist/cli/tessera.mjs), as
  // a clinic runs it: it starts in a fraction of tsx's time (no per-module transpiling), which the ~50 servers
  // an e2e run starts add up to, and a busy machine no longer pushes start-up past the timeout below.
  for (const built of ['dist/renderer/index.html', 'dist/cli/tessera.mjs']) {
    if (!fs.existsSync(path.join(repoRoot, built))) {
      throw new Error(`${built} is missing: run \`node scripts/build.mjs\` before the e2e tests.`);
    }
  }
  const dataDir = again?.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'tessera-e2e-'));
  const dbKey = again?.dbKey ?? crypto.randomBytes(32).toString('hex');
  const child = spawn(
    process.execPath,
    ['dist/cli/tessera.mjs', 'serve', '--data-dir', dataDir],
    {
      cwd: repoRoot,
      env: { ...process.env, TESSERA_DB_KEY: dbKey, NODE_ENV: 'test' },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));

  const launchUrl = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`Server did not print a launch URL in 60 s:\n${output}`)),
      60_000,
    );
    const onData = () => {
      const match = /(http:\/\/\S+\/launch\?token=\S+)/.exec(output);
      if (match?.[1]) {
        clearTimeout(timer);
        child.stdout.off('data', onData);
        resolve(match[1]);
      }
    };
    child.stdout.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`Server exited (${code}) before it was ready:\n${output}`));
    });
  });

  return {
    launchUrl,
    origin: new URL(launchUrl).origin,
    dataDir,
    dbKey,
    output: () => output,
    stop: (opts) => stopChild(child, dataDir, opts?.keepData ?? false),
  };
}

async function stopChild(child: ChildProcess, dataDir: string, keepData: boolean): Promise<void> {
  if (child.exitCode === null && child.signalCode === null) {
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGTERM');
    const timeout = new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), 5000));
    if ((await Promise.race([exited, timeout])) === 'timeout') {
      child.kill('SIGKILL');
      await exited;
    }
  }
  if (!keepData) fs.rmSync(dataDir, { recursive: true, force: true });
}
