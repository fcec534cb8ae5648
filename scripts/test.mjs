// `npm test`: the whole suite, in the order that fails fastest: static checks, unit and integration
// tests (vitest), then a production build and the Playwright end-to-end tests in Debian's Chromium.
import { spawnSync } from 'node:child_process';

const steps = [
  ['typecheck', ['npx', 'tsc', '-p', 'tsconfig.json', '--noEmit']],
  ['lint', ['npx', 'eslint', '.', '--max-warnings', '0']],
  ['unit + integration', ['npx', 'vitest', 'run']],
  ['build', ['node', 'scripts/build.mjs']],
  ['end-to-end', ['npx', 'playwright', 'test']],
];

const results = [];
for (const [name, [cmd, ...args]] of steps) {
  console.log(`\n=== ${name}: ${cmd} ${args.join(' ')}`);
  const started = Date.now();
  const ok = spawnSync(cmd, args, { stdio: 'inherit' }).status === 0;
  results.push(`${ok ? 'ok  ' : 'FAIL'} ${name} (${Math.round((Date.now() - started) / 1000)} s)`);
  if (!ok) break;
}
console.log(`\n${results.join('\n')}`);
const failed = results.some((r) => r.startsWith('FAIL')) || results.length < steps.length;
process.exit(failed ? 1 : 0);
