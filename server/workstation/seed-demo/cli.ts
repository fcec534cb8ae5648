#!/usr/bin/env node
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { timeZoneSchema } from '../../contracts/common';
import { isDataDirLocked, lockDataDir } from '../data-dir-lock';
import { describeKeySource, resolveHeadlessKey } from '../db/key-source';
import { DB_FILE_NAME, openDatabase } from '../db/open';
import { Store } from '../db/store';
import { seedDemo } from './seed';

/**
 * `npm run seed-demo -- --data-dir DIR [--patients N --providers N --years N --series N --seed N]`
 *
 * Fills a Tessera database with realistic FAKE data for demos and benchmarks. Not part of the product:
 * the app never ships or loads demo data. The database key comes from TESSERA_DB_KEY or DATA_DIR/db.key
 * (created for a new data folder), exactly as for `tessera serve`.
 */
const usage = `Usage: npm run seed-demo -- --data-dir DIR [options]

  --patients N     patients to create (default 100000)
  --providers N    providers, each with weekday hours and a lunch block (default 40)
  --years N        years of appointments, centred on today (default 2)
  --series N       repeating appointment series among them (default 2000)
  --seed N         random seed: the same seed gives the same demo (default 1)
  --time-zone TZ   clinic time zone for a new database (default America/Chicago)

A fresh data folder gets a demo clinic with an administrator and a front-desk account, whose credentials
are printed at the end. An existing database is only added to when seed-demo created it.`;

async function main(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      'data-dir': { type: 'string' },
      patients: { type: 'string', default: '100000' },
      providers: { type: 'string', default: '40' },
      years: { type: 'string', default: '2' },
      series: { type: 'string', default: '2000' },
      seed: { type: 'string', default: '1' },
      'time-zone': { type: 'string', default: 'America/Chicago' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    console.log(usage);
    return 0;
  }
  const dataDir = path.resolve(
    values['data-dir'] ?? process.env.TESSERA_DATA_DIR ?? path.join(os.homedir(), '.tessera'),
  );
  const numbers = {
    patients: Number(values.patients),
    providers: Number(values.providers),
    years: Number(values.years),
    series: Number(values.series),
    seed: Number(values.seed),
  };
  for (const [name, n] of Object.entries(numbers)) {
    if (!Number.isFinite(n) || n < 0 || (name !== 'years' && !Number.isInteger(n))) {
      console.error(`--${name} must be a non-negative number.\n\n${usage}`);
      return 2;
    }
  }
  if (numbers.providers < 1 || numbers.patients < 1 || numbers.years <= 0) {
    console.error('Give at least one patient, one provider and some years.');
    return 2;
  }
  if (!timeZoneSchema.safeParse(values['time-zone']).success) {
    console.error('--time-zone must be an IANA time zone such as America/Chicago.');
    return 2;
  }
  if (isDataDirLocked(dataDir)) {
    console.error('A Tessera server is using this data folder. Stop it before seeding.');
    return 1;
  }
  const key = resolveHeadlessKey(dataDir);
  console.log(describeKeySource(key));
  const unlock = lockDataDir(dataDir);
  const db = openDatabase(path.join(dataDir, DB_FILE_NAME), key.keyHex);
  try {
    const result = await seedDemo(new Store(db), {
      ...numbers,
      timeZone: values['time-zone']!,
      log: (line) => console.log(line),
    });
    db.pragma('wal_checkpoint(TRUNCATE)');
    console.log(
      `Seeded in ${result.seconds.toFixed(1)} s: ${Object.entries(result.counts)
        .map(([k, v]) => `${v} ${k}`)
        .join(', ')}.`,
    );
    if (result.created) {
      const { admin, desk } = result.created;
      console.log(`
FAKE DEMO DATA — not for real patients.
Administrator:  ${admin.username} / ${admin.password}
  authenticator secret (TOTP, SHA-1, 6 digits, 30 s): ${admin.totpSecret}
  ${admin.otpauthUri}
Front desk:     ${desk.username} / ${desk.password}
Start it with:  npm run serve -- --data-dir ${dataDir}`);
    }
    return 0;
  } finally {
    db.close();
    unlock();
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    console.error(`Error: ${err instanceof Error ? err.message : String(err)}`);
    process.exitCode = 1;
  },
);
