import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DB_FILE_NAME, openDatabase } from '../../../server/workstation/db/open';
import { sampleCodeSetFile } from '../../fixtures/icd10cm';
import { cliEnv, runCli } from '../../support/storage';
import { startTestServer, tempDir } from '../../support/workstation';

const dir = tempDir();
const key = crypto.randomBytes(32).toString('hex');
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const installedRows = () => {
  const db = openDatabase(path.join(dir, DB_FILE_NAME), key);
  try {
    return db.prepare('SELECT release, code_count AS codes FROM reference_code_sets').all();
  } finally {
    db.close();
  }
};

describe('tessera icd10 import', () => {
  it('needs its arguments, refuses a file that does not parse, and a small file without --allow-partial', async () => {
    const server = await startTestServer({ dataDir: dir, keyHex: key });
    await server.stop();
    const env = cliEnv({ TESSERA_DB_KEY: key });

    const usage = await runCli(['icd10', 'import', '--data-dir', dir], { env });
    expect(usage.code).toBe(1);
    expect(usage.stderr).toMatch(/Give --file/);

    const small = await runCli(
      ['icd10', 'import', '--file', sampleCodeSetFile, '--release', 'Sample', '--data-dir', dir],
      { env },
    );
    expect(small.code).toBe(1);
    expect(small.stderr).toMatch(
      /holds 35 codes; the complete ICD-10-CM code set has over 70,000\. .*install this one as a partial code set with --allow-partial/,
    );

    const junk = path.join(dir, 'junk.txt');
    fs.writeFileSync(junk, 'Name,Code\nAnxiety,F41.1\n');
    const bad = await runCli(
      ['icd10', 'import', '--file', junk, '--release', 'FY2026', '--allow-partial', '--data-dir', dir],
      { env },
    );
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/not an ICD-10-CM codes or order file/);
    expect(installedRows()).toEqual([]);

    const partial = await runCli(
      [
        'icd10',
        'import',
        '--file',
        sampleCodeSetFile,
        '--release',
        'Sample',
        '--allow-partial',
        '--data-dir',
        dir,
      ],
      { env },
    );
    expect(partial.code, partial.stderr).toBe(0);
    expect(partial.stdout).toMatch(/Installed ICD-10-CM Sample: 35 codes \(a partial code set\)\./);
    expect(installedRows()).toEqual([{ release: 'Sample', codes: 35 }]);

    const help = await runCli(['--help'], { env });
    expect(help.stdout).toMatch(/--allow-partial/);
  });
});
