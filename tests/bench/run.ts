/**
 * `npm run bench [area …]`: run the benchmarks and print figures. Each area's module exports
 * `run(options)`; add new areas to the list below. Benchmarks print numbers; they never fail a build
 * for being slow (targets are printed as met or MISSED).
 */
import { parseArgs } from 'node:util';

export interface BenchOptions {
  /** Scale factor: 1 = the sizes the issues ask for; smaller for a quick look (`--scale 0.1`). */
  scale: number;
}

type BenchModule = { run(options: BenchOptions): Promise<void> };
const areas: Record<string, () => Promise<BenchModule>> = {
  // Each area registers itself here, e.g. `frontdesk: () => import('./frontdesk')`.
  patients: () => import('./patients'),
  frontdesk: () => import('./frontdesk'),
  clinical: () => import('./clinical'),
  sync: () => import('./sync'),
  billing: () => import('./billing'),
  'billing-reports': () => import('./billing-reports'),
  telehealth: () => import('./telehealth'),
  'claims-era': () => import('./claims-era'),
  claims: () => import('./claims'),
  portal: () => import('./portal'),
};

/**
 * Areas that bring others along: `npm run bench billing` prints every figure the billing issue asks for,
 * the account and posting figures (billing.ts) and then the aging report and statements (billing-reports.ts,
 * which also runs alone).
 */
const bringsAlong: Record<string, string[]> = { billing: ['billing-reports'] };

const { values, positionals } = parseArgs({ allowPositionals: true, options: { scale: { type: 'string', default: '1' } } });
const scale = Number(values.scale);
const chosen = (positionals.length ? positionals : Object.keys(areas)).flatMap((a) => [a, ...(bringsAlong[a] ?? [])]);
if (!chosen.length) console.log('No benchmarks are registered yet.');
for (const name of new Set(chosen)) {
  const load = areas[name];
  if (!load) {
    console.error(`Unknown benchmark area "${name}". Known: ${Object.keys(areas).join(', ')}`);
    process.exit(2);
  }
  console.log(`\n== ${name} (scale ${scale})`);
  await (await load()).run({ scale });
}
