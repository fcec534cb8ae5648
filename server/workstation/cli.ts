#!/usr/bin/env node
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { parseArgs } from 'node:util';
import { v7 as uuidv7 } from 'uuid';
import { createUserSchema } from '../contracts/admin';
import { adminKeyMessageSchema } from '../contracts/desktop';
import { isDataDirLocked } from './data-dir-lock';
import { DB_FILE_NAME, DatabaseKeyError, openDatabase } from './db/open';
import { describeKeySource, KEY_ENV, resolveHeadlessKey, writeKeyFile } from './db/key-source';
import { backupTo, rekey, restoreFrom } from './db/maintenance';
import { Store, systemActor } from './db/store';
import { AppError } from '../platform/errors';
import { UserAdmin } from './services/admin/users';
import { findUserByUsername } from './services/admin/user-rows';
import { Sessions } from './services/auth/sessions';
import { verifyAuditLog } from './services/audit/verify';
import { verifyLedger } from './services/billing/verify';
import { installCodeSet } from './services/clinical/icd10/code-set';
import { runX12Command } from './services/claims/x12-command';
import { createServedLogger, logFilePath } from './log-file';
import { serveWorkstation } from './restartable';
import { appVersion } from './version';

const usage = `Tessera workstation ${appVersion}

Usage: tessera <command> [--data-dir DIR]

  serve [--port N]                          serve the app on 127.0.0.1 and print a one-time launch URL
                                            (default: the port this data folder used last)
  user add --username U --full-name NAME --roles admin,clinician,front_desk,biller
                                            create a staff account; the password is read from stdin
  user unlock --username U                  clear a lockout
  backup [--out FILE]                       write an encrypted backup (same key) and check it opens
  restore --from FILE                       replace the database with a backup (server must be stopped;
                                            the current database is kept beside it)
  audit verify                              check the audit log's hash chain; exit 1 if broken
  key export                                print the database key once, for IT's escrow (audited)
  ledger verify                             recompute every patient balance from the ledger entries and
                                            check the ledger's rules; exit 1 naming each problem
  db rekey                                  re-encrypt with a new random key (key file), or with the key
                                            read from stdin when the key comes from TESSERA_DB_KEY
  icd10 import --file FILE --release NAME [--allow-partial]
                                            install the ICD-10-CM code set from CDC's codes or order file,
                                            e.g. --release "FY2026 (April 1, 2026 update)"; a file with
                                            fewer than 10,000 codes (a specialty subset) needs
                                            --allow-partial and is reported as a partial code set
  x12 validate FILE                         check an 837P file against the implementation guide; prints
                                            each error with its segment position and loop, exit 1 on errors
  x12 describe FILE                         a readable summary of an 837P file (envelopes, claims, payers)

The data folder is --data-dir, else TESSERA_DATA_DIR, else ~/.tessera.
The database key is TESSERA_DB_KEY (64 hex characters), else DATA_DIR/db.key (0600, created on first run).`;

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      'data-dir': { type: 'string' },
      port: { type: 'string' },
      username: { type: 'string' },
      'full-name': { type: 'string' },
      roles: { type: 'string' },
      out: { type: 'string' },
      from: { type: 'string' },
      file: { type: 'string' },
      release: { type: 'string' },
      'allow-partial': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const command = positionals.join(' ');
  if (values.help || !command) {
    console.log(usage);
    return command || values.help ? 0 : 2;
  }
  // File commands: no data folder or database involved.
  if (positionals[0] === 'x12') {
    return runX12Command(positionals[1], positionals[2], { out: (l) => console.log(l), err: (l) => console.error(l) });
  }
  const dataDir = path.resolve(values['data-dir'] ?? process.env.TESSERA_DATA_DIR ?? path.join(os.homedir(), '.tessera'));

  switch (command) {
    case 'serve': {
      const key = resolveHeadlessKey(dataDir);
      console.log(describeKeySource(key));
      // Without --port: the port this data folder used last (see http-port.ts).
      const port = values.port !== undefined ? Number(values.port) : undefined;
      if (port !== undefined && (!Number.isInteger(port) || port < 0 || port > 65535)) {
        throw new AppError(2, 'usage', '--port must be 0-65535.');
      }
      // Restartable: a restore in Admin > Maintenance swaps the database and starts again in this process.
      let starts = 0;
      const served = await serveWorkstation({
        dataDir,
        keyHex: key.keyHex,
        port,
        rendererDir: path.resolve(import.meta.dirname ?? '.', '../../dist/renderer'),
        appVersion,
        logger: createServedLogger(dataDir),
        // A default for Admin > Sync (the desktop app takes it from machine policy, where it can be locked).
        ...(process.env.TESSERA_CENTRAL_URL && { centralUrl: { url: process.env.TESSERA_CENTRAL_URL, locked: false } }),
      }, () => {
        if (starts++ > 0) console.log('Tessera restarted after a restore from a backup; the open window signs in again.');
      });
      const server = { launchUrl: () => served.current().launchUrl(), close: () => served.close() };
      // The link comes last, so it is what the terminal shows.
      console.log(`Log: ${logFilePath(dataDir)} (warnings and errors also show here).`);
      console.log(`Tessera is running. Open this one-time link in a browser:\n${server.launchUrl()}`);
      if (process.stdin.isTTY) {
        console.log('(Press Enter for a new launch link, Ctrl+C to stop.)');
        readline.createInterface({ input: process.stdin }).on('line', () => console.log(server.launchUrl()));
      }
      const stop = () => void server.close().then(() => process.exit(0));
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
      return -1; // keep running
    }
    case 'user add': {
      const password = await readStdin();
      const input = createUserSchema.safeParse({
        username: values.username,
        fullName: values['full-name'],
        password,
        roles: (values.roles ?? '').split(',').filter(Boolean),
      });
      if (!input.success) {
        for (const issue of input.error.issues) console.error(`${issue.path.join('.')}: ${issue.message}`);
        return 2;
      }
      return withStore(dataDir, async (store) => {
        const user = await new UserAdmin(store, new Sessions(store)).create(systemActor, input.data);
        console.log(`Created ${user.username} (${user.roles.join(', ')}).`);
        return 0;
      });
    }
    case 'user unlock':
      return withStore(dataDir, (store) => {
        const user = values.username ? findUserByUsername(store, values.username) : undefined;
        if (!user) {
          console.error('No such user. Give --username.');
          return 2;
        }
        new UserAdmin(store, new Sessions(store)).unlock(systemActor, user.id);
        console.log(`Unlocked ${user.username}.`);
        return 0;
      });
    case 'backup':
      return withStore(dataDir, (store, keyHex) => {
        const stamp = store.nowIso().replace(/[:.]/g, '-');
        const out = path.resolve(values.out ?? path.join(dataDir, 'backups', `tessera-backup-${stamp}.db`));
        const { bytes } = backupTo(store.db, keyHex, out);
        store.audit(systemActor, { action: 'backup.create', detail: { bytes } });
        console.log(`Backup written to ${out} (${bytes} bytes, encrypted with the database key).`);
        return 0;
      });
    case 'restore': {
      if (!values.from) {
        console.error('Give --from FILE.');
        return 2;
      }
      if (isDataDirLocked(dataDir)) {
        console.error('Stop the Tessera server using this data folder before restoring.');
        return 1;
      }
      const key = resolveHeadlessKey(dataDir);
      const stamp = new Date().toISOString().replace(/[:.]/g, '-');
      const { keptAs } = restoreFrom(dataDir, key.keyHex, path.resolve(values.from), stamp);
      return withStore(dataDir, (store) => {
        store.audit(systemActor, { action: 'backup.restore', detail: { keptPrevious: keptAs !== null } });
        console.log(`Restored. ${keptAs ? `The previous database was kept as ${keptAs}.` : ''}`);
        return 0;
      });
    }
    case 'audit verify':
      return withStore(dataDir, (store) => {
        const result = verifyAuditLog(store);
        if (result.ok) console.log(`Audit log intact: ${result.checked} entries verified.`);
        else {
          console.error(`Audit log BROKEN: ${result.problems.length} problem(s) in ${result.checked} entries.`);
          for (const p of result.problems) console.error(`  entry ${p.seq}: ${p.problem}`);
        }
        return result.ok ? 0 : 1;
      });
    case 'key export':
      return withStore(dataDir, (store, keyHex) => {
        // Whoever can run this already holds the key (key file, TESSERA_DB_KEY or, through \`Tessera --admin
        // export-key\`, the OS account's key store); printing it is recorded all the same, as in the app.
        store.audit(systemActor, { action: 'db.key_export', detail: { via: 'cli' } });
        console.log(keyHex);
        console.error("Keep this key in your escrow; it opens this workstation's data and its backups.");
        return 0;
      });
    case 'ledger verify':
      return withStore(dataDir, (store) => {
        if (!store.clinicId) {
          console.log('Ledger intact: this workstation has not been set up yet (no entries).');
          return 0;
        }
        const result = verifyLedger(store);
        store.audit(systemActor, {
          action: 'ledger.verify',
          outcome: result.ok ? 'success' : 'failure',
          detail: {
            patients: result.patients,
            entries: result.entries,
            mismatches: result.mismatches,
            problems: result.problems.length,
          },
        });
        const counts = `${result.entries} entries, ${result.allocations} allocations, ${result.patients} accounts`;
        // The check summary first, on both outcomes: what was recomputed and how much of it disagreed.
        const summary =
          `Checked ${result.patients} patients, ${result.entries} entries, ${result.allocations} allocations; ` +
          `${result.balancesChecked} balances recomputed from the entries; mismatches: ${result.mismatches}.`;
        if (result.ok) console.log(`${summary}\nLedger intact: ${counts} verified.`);
        else {
          console.error(`${summary}\nLedger BROKEN: ${result.problems.length} problem(s) in ${counts}.`);
          for (const p of result.problems) console.error(`  account ${p.patientId || '-'}: ${p.problem}`);
        }
        return result.ok ? 0 : 1;
      });
    case 'icd10 import': {
      if (!values.file || !values.release)
        throw new AppError(2, 'usage', 'Give --file (the CDC codes or order file) and --release.');
      const text = fs.readFileSync(path.resolve(values.file), 'utf8');
      return withStore(dataDir, (store) => {
        const status = installCodeSet(
          store,
          systemActor,
          {
            text,
            release: values.release!,
            source: `CDC/NCHS ICD-10-CM Code Descriptions in Tabular Order (${path.basename(values.file!)}), installed with tessera icd10 import`,
          },
          { allowPartial: values['allow-partial'] === true },
        );
        console.log(
          `Installed ICD-10-CM ${status.release}: ${status.codeCount} codes${status.coverage === 'partial' ? ' (a partial code set)' : ''}.`,
        );
        return 0;
      });
    }
    case 'db rekey': {
      if (isDataDirLocked(dataDir)) {
        console.error('Stop the Tessera server using this data folder before changing its key.');
        return 1;
      }
      const key = resolveHeadlessKey(dataDir);
      const fromEnv = key.source === 'environment';
      const newKey = fromEnv ? (await readStdin()).trim().toLowerCase() : (await import('node:crypto')).randomBytes(32).toString('hex');
      return withStore(dataDir, (store) => {
        // The new key file is written next to the old one first, so a crash leaves a usable pair behind.
        const pendingFile = key.keyFile ? `${key.keyFile}.new` : null;
        if (pendingFile) writeKeyFile(pendingFile, newKey);
        rekey(store.db, newKey);
        if (pendingFile && key.keyFile) fs.renameSync(pendingFile, key.keyFile);
        store.audit(systemActor, { action: 'db.rekey', detail: { keySource: key.source, rekeyId: uuidv7() } });
        console.log(fromEnv ? 'Re-encrypted. Set TESSERA_DB_KEY to the new key before the next start.' : `Re-encrypted; new key in ${key.keyFile}.`);
        return 0;
      });
    }
    default:
      console.error(`Unknown command "${command}".\n\n${usage}`);
      return 2;
  }
}

async function withStore(dataDir: string, fn: (store: Store, keyHex: string) => number | Promise<number>): Promise<number> {
  if (!fs.existsSync(path.join(dataDir, DB_FILE_NAME))) {
    console.error(`No Tessera database in ${dataDir}. Run \`tessera serve\` once to create it.`);
    return 1;
  }
  const key = resolveHeadlessKey(dataDir);
  const db = openDatabase(path.join(dataDir, DB_FILE_NAME), key.keyHex);
  try {
    return await fn(new Store(db), key.keyHex);
  } finally {
    db.close();
  }
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '');
}

interface ParentPort {
  once(event: 'message', listener: (e: { data: unknown }) => void): void;
}
/** Set when the desktop app runs this CLI for `Tessera --admin …` (main/admin-cli.ts). */
const parentPort = (process as unknown as { parentPort?: ParentPort }).parentPort;

/** The desktop app sends the key from its key store first; it is kept in this process only. */
async function keyFromDesktopApp(port: ParentPort): Promise<void> {
  const data = await new Promise<unknown>((resolve) => port.once('message', (e) => resolve(e.data)));
  const parsed = adminKeyMessageSchema.safeParse(data);
  if (!parsed.success) throw new AppError(1, 'bad_key_message', 'The desktop app sent no usable database key.');
  process.env[KEY_ENV] = parsed.data.keyHex;
}

(parentPort ? keyFromDesktopApp(parentPort) : Promise.resolve()).then(() => main(process.argv.slice(2))).then(
  (code) => {
    if (code >= 0) process.exitCode = code;
    // A utility process stays alive while its parent port is open.
    if (parentPort) process.exit(process.exitCode ?? 0);
  },
  (err: unknown) => {
    const known = err instanceof DatabaseKeyError || err instanceof AppError;
    console.error(`Error: ${err instanceof Error ? err.message : String(err)}`);
    if (!known && process.env.TESSERA_DEBUG) console.error(err);
    process.exitCode = 1;
    if (parentPort) process.exit(1);
  },
);
