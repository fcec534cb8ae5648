import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cliEnv, runCli } from '../../support/storage';
import { tempDir } from '../../support/workstation';
import { sharedDataDir } from '../../fixtures/icd10cm';

/** `tessera x12 validate|describe FILE` as a child process, the way a script or a cron job runs it. */
const fixtures = path.resolve(import.meta.dirname, '../../fixtures/claims');
const env = cliEnv();

describe('tessera x12', () => {
  it('validate: a clean file exits 0 and says how many segments it checked', async () => {
    const r = await runCli(['x12', 'validate', path.join(fixtures, 'secondary.x12')], { env });
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toBe('44 segments checked: 0 error(s), 0 warning(s).');
  });

  it('validate: prints each error with its segment position and loop and exits 1', async () => {
    const file = path.join(sharedDataDir, 'x12', '837p', 'imsweb-x12-parser', 'x12_segment_errors.txt');
    const r = await runCli(['x12', 'validate', file], { env });
    expect(r.code).toBe(1);
    const lines = r.stderr.trim().split('\n');
    expect(lines).toContain('Error: segment 9 (NM1, loop 2010AA): N3 in loop 2010AA is required but not found.');
    expect(lines).toContain('Error: segment 21 (CLM, loop 2300): HI in loop 2300 is required but not found.');
    expect(lines).toContain(
      'Error: segment 25 (SE, loop TRAILER) SE01: SE01 says 25 segments; the transaction set has 23 (ST to SE).',
    );
    expect(lines.at(-1)).toBe('27 segments checked: 10 error(s), 0 warning(s).');
  });

  it('validate: a broken copy of a golden file fails where it was broken', async () => {
    const dir = tempDir('tessera-x12-');
    const file = path.join(dir, 'broken.x12');
    fs.writeFileSync(file, fs.readFileSync(path.join(fixtures, 'single.x12'), 'utf8').replace('HL*2*1*22*0', 'HL*2*7*22*0'));
    const r = await runCli(['x12', 'validate', file], { env });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('Error: segment 17 (HL, loop 2000B) HL02: HL02 7 does not name an earlier hierarchical level.');
  });

  it('describe: summarises envelopes and claims without patient names', async () => {
    const r = await runCli(['x12', 'describe', path.join(fixtures, 'multi-claim.x12')], { env });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Interchange 000000102 from TESSERA01 to OFFALLY, 2026-03-02 (test)');
    expect(r.stdout).toContain('Transaction set 0001 (005010X222A1): 3 claim(s), 525.50 billed');
    expect(r.stdout).toContain('Claim C100002 (segment 45): original, primary payer ACME HEALTH PLAN (60054), 165.50 billed, 2 line(s), POS 10');
    expect(r.stdout).toContain('Valid 837P (0 warning(s)).');
    expect(r.stdout).not.toMatch(/RIVERA|XJH/);
  });

  it('exits 2 with a sentence for a missing file or sub-command', async () => {
    const missing = await runCli(['x12', 'validate', '/nonexistent/file.x12'], { env });
    expect([missing.code, missing.stderr.trim()]).toEqual([2, 'Cannot read /nonexistent/file.x12.']);
    const usage = await runCli(['x12', 'check'], { env });
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain('Usage: tessera x12 validate FILE');
  });
});
