// `npm test`: the whole suite, in the order that fails fastest: static checks (typecheck and lint side by
// side), a production build, then the unit and integration tests (vitest) and the Playwright end-to-end tests
// in Debian's Chromium side by side.
//
// Why side by side: vitest runs one file at a time on a 2-core machine (its default is cores − 1) and the
// e2e run has one worker, and both spend much of their time waiting on servers, PostgreSQL and the browser.
// Run one after the other they left a core idle for most of the ~40 minutes. They share nothing: every test
// server, database and data folder is made per file on a random port or in a fresh temporary folder (the
// production-bundle test builds its own copy of the command lines rather than rewriting dist/cli).
import { spawn } from 'node:child_process';

// The failing tests are said again after the step summary: a CI log is often read from its end, and the
// failures themselves scroll by thousands of lines earlier among two interleaved logs.
const failures = new Set();
const FAILURE_LINE = /^\s*(FAIL\s|✘\s)|^\s*\d+\)\s.*›|Unhandled (Rejection|Error)|Error: .*timed out/;
// An unhandled error's header says nothing about where it came from: the error, its first stack frames and
// vitest's "This error originated in …" line follow it, so they are kept too.
const UNHANDLED_HEADER = /Unhandled (Rejection|Error)\b(?!s)/;
const ORIGIN_LINE = /originated in|The latest test that might've caused/;
// A Playwright failure's header ("1) file:line › title") is followed by the expectation that failed and what
// it received, and later by the line of the test it stopped on ("> 153 |"): kept, so the summary says why.
const PLAYWRIGHT_HEADER = /^\d+\)\s.*›/;
const CODE_FRAME = /^>\s*\d+\s*\|/;
const keepAfter = new Map();
const noteFailure = (name, line) => {
  // eslint-disable-next-line no-control-regex -- colour codes are stripped before matching
  const plain = line.replace(/\x1b\[[0-9;]*m/g, '').trim();
  const keep = keepAfter.get(name) ?? 0;
  if (plain && (keep > 0 || ORIGIN_LINE.test(plain) || CODE_FRAME.test(plain)) && failures.size < 30) {
    failures.add(`[${name}]   ${plain.slice(0, 300)}`);
    keepAfter.set(name, keep - 1);
  }
  if (UNHANDLED_HEADER.test(plain) || PLAYWRIGHT_HEADER.test(plain)) keepAfter.set(name, 6);
  if (FAILURE_LINE.test(plain) && failures.size < 30) failures.add(`[${name}] ${plain.slice(0, 300)}`);
};

const stages = [
  [
    ['typecheck', ['npx', 'tsc', '-p', 'tsconfig.json', '--noEmit']],
    ['lint', ['npx', 'eslint', '.', '--max-warnings', '0']],
  ],
  [['build', ['node', 'scripts/build.mjs']]],
  [
    ['unit + integration', ['npx', 'vitest', 'run']],
    ['end-to-end', ['npx', 'playwright', 'test']],
  ],
];

/** Run one step; with company, each output line carries the step's name so the two logs stay readable. */
function runStep(name, [cmd, ...args], prefixed) {
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { stdio: prefixed ? ['ignore', 'pipe', 'pipe'] : 'inherit' });
    if (prefixed) {
      for (const [stream, out] of [
        [child.stdout, process.stdout],
        [child.stderr, process.stderr],
      ]) {
        let pending = '';
        stream.setEncoding('utf8');
        stream.on('data', (chunk) => {
          const lines = (pending + chunk).split('\n');
          pending = lines.pop() ?? '';
          for (const line of lines) {
            out.write(`[${name}] ${line}\n`);
            noteFailure(name, line);
          }
        });
        stream.on('end', () => pending && out.write(`[${name}] ${pending}\n`));
      }
    }
    child.on('close', (code) => {
      const ok = code === 0;
      resolve(`${ok ? 'ok  ' : 'FAIL'} ${name} (${Math.round((Date.now() - started) / 1000)} s)`);
    });
  });
}

const results = [];
const started = Date.now();
for (const stage of stages) {
  console.log(`\n=== ${stage.map(([name, [cmd, ...args]]) => `${name}: ${cmd} ${args.join(' ')}`).join('  |  ')}`);
  results.push(...(await Promise.all(stage.map(([name, command]) => runStep(name, command, stage.length > 1)))));
  if (results.some((r) => r.startsWith('FAIL'))) break;
}
console.log(`\n${results.join('\n')}\nall steps: ${Math.round((Date.now() - started) / 1000)} s`);
if (failures.size) console.log(`failures seen (the first ${failures.size}):\n${[...failures].join('\n')}`);
const steps = stages.flat().length;
process.exit(results.some((r) => r.startsWith('FAIL')) || results.length < steps ? 1 : 0);
