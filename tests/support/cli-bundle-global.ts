import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/**
 * vitest globalSetup: the workstation's command line bundled once per run, as `npm run build` ships it
 * (scripts/build.mjs cli), for the tests that start `tessera` as a child process (tests/support/storage.ts).
 * Starting the bundle costs a tenth of `node --import tsx server/workstation/cli.ts`, which transpiles the
 * whole server on every start — the CLI tests start it dozens of times — and it is the program IT runs.
 *
 * The folder sits two levels under the repository (node_modules/.tessera-test-cli-…), where dist/cli would
 * be: the bundle finds its packages in node_modules and the renderer at ../../dist/renderer from there.
 */
export default function setup() {
  const root = path.resolve(import.meta.dirname, '../..');
  const out = path.join(root, 'node_modules', `.tessera-test-cli-${crypto.randomBytes(4).toString('hex')}`);
  execFileSync(process.execPath, ['scripts/build.mjs', 'cli', '--out', out], { cwd: root, stdio: 'inherit' });
  process.env.TESSERA_TEST_CLI_BUNDLE = path.join(out, 'tessera.mjs');
  return () => fs.rmSync(out, { recursive: true, force: true });
}
