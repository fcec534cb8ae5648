import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { parseArgs } from 'node:util';
import { ConfigError, decodeSecret, loadConfig, secretProblem } from './config';
import { ColumnCipher, WrongSecretError } from './crypto';
import { migrateCentral } from './db/migrate';
import { CentralDb } from './db/pool';
import { insertRelease } from './services/code-sets';
import { AppError } from '../platform/errors';
import { restrictToOwner } from '../platform/private-files';
import { addAdmin } from './services/admins';
import { rotateEpoch } from './services/epoch';
import { recordBackup } from './services/backups';
import { rotateCentralSecret } from './services/secret-rotation';
import { describeMismatch, reconcileStripe } from './services/payments/reconcile';
import { previousUtcDay } from './services/payments/reconcile-job';
import { recordReconciliation } from './services/payments/reconcile-findings';
import { createStripeAdapter } from './services/payments/stripe-adapter';
import { CentralStartError, startCentral } from './start';

/**
 * `tessera-central <command>` (npm run central -- <command>). Configuration comes from the environment
 * (see docs/central.md); commands that change the schema or restore need TESSERA_CENTRAL_OWNER_DATABASE_URL.
 */

const USAGE = `Usage: tessera-central <command>

  serve                          serve the API (config from the environment)
  migrate                        apply database migrations and the API role's grants (owner connection)
  admin add --username U [--org ORG_ID]
                                 create a central administrator; password read from stdin;
                                 prints the authenticator (TOTP) secret
  backup --out FILE              pg_dump of central's schema (custom format)
  restore --from FILE            restore a backup, then start a new epoch so workstations re-send
                                 what the backup lacks (central must be stopped)
  epoch rotate                   start a new epoch after restoring by other means
  secret rotate                  re-encrypt everything TESSERA_CENTRAL_SECRET protects under a new
                                 secret read from stdin (central stopped; owner connection); then
                                 start central with the new secret
  icd10 import --file FILE --release NAME [--org ORG_ID] [--allow-partial]
                                 import CDC's ICD-10-CM codes (or order) file for an organization
                                 (--org may be left out when there is one); every workstation of
                                 its clinics downloads the release at its next sync
  stripe reconcile [--from DATE --to DATE]
                                 compare Stripe's balance transactions and payouts with the card
                                 entries central posted (default: yesterday, UTC; --to exclusive);
                                 prints every mismatch; exit 1 when there is one
`;

function fail(message: string, code = 1): never {
  console.error(message);
  process.exit(code);
}

function ownerUrl(): string {
  const url = process.env.TESSERA_CENTRAL_OWNER_DATABASE_URL;
  if (!url)
    fail(
      'Set TESSERA_CENTRAL_OWNER_DATABASE_URL (the schema owner’s PostgreSQL connection) for this command.',
      2,
    );
  return url;
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '');
}

function pgTool(tool: string, args: string[]): void {
  const r = spawnSync(tool, args, { stdio: ['ignore', 'inherit', 'inherit'] });
  if (r.error)
    fail(
      `${tool} could not run (${(r.error as NodeJS.ErrnoException).code}). Install the PostgreSQL client tools matching your server.`,
    );
  if (r.status !== 0) fail(`${tool} failed (exit ${r.status}); nothing else was changed.`);
}

async function main(argv: string[]): Promise<void> {
  const [command, sub] = argv;
  const { values } = parseArgs({
    args: argv.slice(command === 'admin' || command === 'epoch' || command === 'icd10' || command === 'secret' || command === 'stripe' ? 2 : 1),
    options: {
      username: { type: 'string' },
      org: { type: 'string' },
      out: { type: 'string' },
      from: { type: 'string' },
      to: { type: 'string' },
      file: { type: 'string' },
      release: { type: 'string' },
      'allow-partial': { type: 'boolean' },
    },
  });

  switch (command) {
    case 'serve': {
      const { config, warnings } = loadConfig();
      for (const w of warnings) console.error(`warning: ${w}`);
      const central = await startCentral(config);
      console.log(`Tessera central listening on ${central.url}`);
      const stop = () => void central.close().then(() => process.exit(0));
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
      return;
    }
    case 'migrate': {
      const url = process.env.DATABASE_URL;
      if (!url) fail('Set DATABASE_URL (the API role’s connection): migrate grants that role its rights.', 2);
      const r = await migrateCentral(ownerUrl(), url);
      console.log(
        r.from === r.to
          ? `Central database is up to date (schema ${r.to}).`
          : `Migrated central database from schema ${r.from} to ${r.to}.`,
      );
      console.log(`API role ${r.apiRole}: rights granted.`);
      return;
    }
    case 'admin': {
      if (sub !== 'add' || !values.username) fail(USAGE, 2);
      const { config } = loadConfig({ ...process.env, DATABASE_URL: process.env.DATABASE_URL ?? ownerUrl() });
      const password = await readStdin();
      const r = await addAdmin(ownerUrl(), new ColumnCipher(config.secret), {
        username: values.username.toLowerCase(),
        password,
        orgId: values.org ?? null,
      });
      console.log(`Administrator ${values.username} created (${r.id}).`);
      console.log(`Add this to the authenticator app: ${r.otpauthUri}`);
      return;
    }
    case 'backup': {
      if (!values.out) fail(USAGE, 2);
      pgTool('pg_dump', [
        '--format=custom',
        '--schema=tessera',
        `--file=${values.out}`,
        `--dbname=${ownerUrl()}`,
      ]);
      restrictToOwner(values.out);
      await recordBackup(ownerUrl());
      console.log(
        `Backup written to ${values.out}. Restore it with: tessera-central restore --from ${values.out}`,
      );
      return;
    }
    case 'restore': {
      if (!values.from) fail(USAGE, 2);
      if (!fs.existsSync(values.from)) fail(`No backup at ${values.from}.`, 2);
      pgTool('pg_restore', [
        '--clean',
        '--if-exists',
        '--single-transaction',
        '--exit-on-error',
        `--dbname=${ownerUrl()}`,
        values.from,
      ]);
      const epoch = await rotateEpoch(ownerUrl());
      console.log(
        `Restored. New epoch ${epoch}: workstations will re-send what the backup lacks when they next connect.`,
      );
      return;
    }
    case 'epoch': {
      if (sub !== 'rotate') fail(USAGE, 2);
      console.log(`New epoch ${await rotateEpoch(ownerUrl())}.`);
      return;
    }
    case 'secret': {
      if (sub !== 'rotate') fail(USAGE, 2);
      const current = process.env.TESSERA_CENTRAL_SECRET;
      if (!current) fail('Set TESSERA_CENTRAL_SECRET to the current secret; the new one is read from stdin.', 2);
      const next = (await readStdin()).trim();
      const problem = secretProblem(next);
      if (problem) fail(`The new secret is not usable: ${problem.replace('TESSERA_CENTRAL_SECRET', 'it')} Generate one with \`openssl rand -base64 48\`.`, 2);
      if (next === current.trim()) fail('The new secret is the same as the current one.', 2);
      try {
        const r = await rotateCentralSecret(ownerUrl(), decodeSecret(current), decodeSecret(next));
        console.log(
          `Re-encrypted ${r.admins} administrator accounts and ${r.rows} staff records under the new secret. ` +
            'Set TESSERA_CENTRAL_SECRET to it on every central process, start them, and keep the old one until a new backup exists (older backups need it).',
        );
      } catch (err) {
        if (err instanceof WrongSecretError) fail(err.message);
        throw err;
      }
      return;
    }
    case 'icd10': {
      if (sub !== 'import' || !values.file || !values.release) fail(USAGE, 2);
      if (!fs.existsSync(values.file)) fail(`No file at ${values.file}.`, 2);
      const text = fs.readFileSync(values.file, 'utf8');
      const db = new CentralDb(ownerUrl(), 1);
      try {
        const release = await db.tx({ operator: true }, async (tx) => {
          let orgId = values.org;
          if (!orgId) {
            const orgs = await tx.query<{ id: string }>('SELECT id FROM orgs');
            if (orgs.rowCount !== 1)
              fail(`There are ${orgs.rowCount} organizations: name one with --org ORG_ID.`, 2);
            orgId = orgs.rows[0]!.id;
          }
          return insertRelease(tx, {
            orgId,
            release: values.release!,
            text,
            createdBy: null,
            allowPartial: values['allow-partial'] === true,
          });
        });
        console.log(
          `Imported ICD-10-CM ${release.release}: ${release.codeCount} codes (SHA-256 ${release.digest}). Workstations of the organization download it at their next sync.`,
        );
      } finally {
        await db.close();
      }
      return;
    }
    case 'stripe': {
      if (sub !== 'reconcile') fail(USAGE, 2);
      const { config } = loadConfig();
      if (!config.stripe) fail('Stripe is not configured at central (TESSERA_CENTRAL_STRIPE_SECRET_KEY).', 2);
      const day = /^\d{4}-\d{2}-\d{2}$/;
      if ((values.from || values.to) && !(day.test(values.from ?? '') && day.test(values.to ?? '')))
        fail('Give both --from and --to as dates like 2026-03-01 (--to is the day after the last).', 2);
      const window =
        values.from && values.to
          ? { from: new Date(`${values.from}T00:00:00Z`), to: new Date(`${values.to}T00:00:00Z`) }
          : previousUtcDay(new Date());
      if (!(window.from < window.to)) fail('--to must be after --from.', 2);
      const db = new CentralDb(config.databaseUrl, 2);
      try {
        const report = await reconcileStripe({ db, port: createStripeAdapter(config.stripe) }, window);
        console.log(
          `Stripe ${report.from.slice(0, 10)} to ${report.to.slice(0, 10)}: ${report.checked} payments and refunds checked, ${report.matched} matched, ${report.ledgerEntries} card entries on the ledger, ${report.payouts.length} payouts.`,
        );
        for (const p of report.payouts)
          console.log(
            `  payout ${p.id} (${p.status}, arrives ${p.arrivalDate}): ${p.amountCents} cents; ${p.transactions} transactions, ${p.matched} matched on the ledger`,
          );
        for (const m of report.mismatches) console.log(`MISMATCH ${describeMismatch(m)}`);
        // Kept like the daily job's, so the clinics see the findings (and those now cleared) on their screen.
        await recordReconciliation(db, report);
        if (report.mismatches.length) process.exitCode = 1;
      } finally {
        await db.close();
      }
      return;
    }
    case 'help':
    case '--help':
    case '-h':
      console.log(USAGE);
      return;
    default:
      fail(USAGE, command ? 2 : 0);
  }
}

main(process.argv.slice(2)).catch((err: unknown) => {
  if (err instanceof ConfigError || err instanceof CentralStartError || err instanceof AppError)
    fail(err.message);
  fail(`tessera-central failed: ${err instanceof Error ? err.message : String(err)}`);
});
