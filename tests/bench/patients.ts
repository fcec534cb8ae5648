/**
 * Patient search through the local HTTP API at clinic scale: `npm run bench patients [-- --scale 0.1]`.
 * Seeds 100,000 patients (× scale) into an encrypted database and the same patients into a plain one,
 * then times what front desks type, by kind, and reports p50/p95 (target p95 < 10 ms) and the cost of
 * encryption as a ratio. Every timed call is the real endpoint: session check, validation, search,
 * response validation and the audit entry it writes.
 */
import os from 'node:os';
import type { BenchOptions } from './run';
import { startBenchServer } from './bench-server';
import { seedPatients, rng, type FakePatient } from './patients-data';
import { ratio, report, summarise, type Timing } from './stats';

const TARGET_P95_MS = 10;
const PER_KIND = 120;

type Kind = { name: string; query: (p: FakePatient, r: () => number) => string };

const [y, m, d] = [
  (p: FakePatient) => p.dateOfBirth.slice(0, 4),
  (p: FakePatient) => p.dateOfBirth.slice(5, 7),
  (p: FakePatient) => p.dateOfBirth.slice(8, 10),
];
const lastWord = (p: FakePatient) => p.legalLastName.split(/[\s-]/)[0]!;
const swapTwo = (s: string, r: () => number) => {
  if (s.length < 5) return s;
  const i = 1 + Math.floor(r() * (s.length - 3));
  return s.slice(0, i) + s[i + 1] + s[i] + s.slice(i + 2);
};

const kinds: Kind[] = [
  {
    name: 'last name + first initials ("garcia ma")',
    query: (p) => `${lastWord(p)} ${p.legalFirstName.slice(0, 2)}`,
  },
  {
    name: 'first and last name, any order',
    query: (p) => `${p.legalFirstName.split(' ')[0]} ${lastWord(p)}`,
  },
  { name: 'beginning of a last name ("gar")', query: (p) => lastWord(p).slice(0, 3) },
  {
    name: 'name with a typo ("jhon smiht")',
    query: (p, r) => `${p.legalFirstName.split(' ')[0]} ${swapTwo(lastWord(p), r)}`,
  },
  { name: 'date of birth (3/4/1985)', query: (p) => `${Number(m(p))}/${Number(d(p))}/${y(p)}` },
  { name: 'date of birth (03041985)', query: (p) => `${m(p)}${d(p)}${y(p)}` },
  { name: 'last name + date of birth', query: (p) => `${lastWord(p)} ${p.dateOfBirth}` },
  {
    name: 'phone ((512) 555-0142)',
    query: (p) => {
      const n = p.phoneMobile ?? p.phoneHome ?? '5125550000';
      return `(${n.slice(0, 3)}) ${n.slice(3, 6)}-${n.slice(6)}`;
    },
  },
  { name: 'phone, last seven digits', query: (p) => (p.phoneMobile ?? p.phoneHome ?? '5125550000').slice(3) },
  { name: 'MRN', query: (p) => p.mrn },
];

interface Run {
  byKind: Map<string, Timing>;
  all: Timing;
  results: number;
}

async function measure(encrypted: boolean, count: number): Promise<Run> {
  const bench = await startBenchServer({ encrypted });
  try {
    const started = Date.now();
    const sample = seedPatients(bench.store, count, { sampleEvery: Math.max(1, Math.floor(count / 2000)) });
    const seconds = (Date.now() - started) / 1000;
    console.log(
      `  ${encrypted ? 'encrypted' : 'plain'}: seeded ${count.toLocaleString('en-US')} patients in ${seconds.toFixed(1)} s`,
    );
    bench.store.db.pragma('optimize');
    // The client's pooled connection went idle during the seed and the server has closed it: reconnect.
    await bench.client.call('searchPatients', { query: { q: 'warm up' } }).catch(() => undefined);
    const r = rng(7);
    const byKind = new Map<string, Timing>();
    const all: number[] = [];
    let results = 0;
    for (const kind of kinds) {
      const queries = Array.from({ length: PER_KIND }, (_, i) =>
        kind.query(sample[(i * 7919) % sample.length]!, r),
      );
      // Warm-up: the first queries of a kind pay for statement preparation and cold pages.
      for (const q of queries.slice(0, 10)) await bench.client.call('searchPatients', { query: { q } });
      const samples: number[] = [];
      for (const q of queries) {
        const start = process.hrtime.bigint();
        const res = await bench.client.call('searchPatients', { query: { q } });
        samples.push(Number(process.hrtime.bigint() - start) / 1e6);
        if (res.status !== 200) throw new Error(`search failed (${res.status}): ${res.text}`);
        results += (res.body as { patients: unknown[] }).patients.length;
      }
      byKind.set(kind.name, summarise(samples));
      all.push(...samples);
    }
    return { byKind, all: summarise(all), results };
  } finally {
    await bench.close();
  }
}

/** Wall-clock figures mean little on a busy machine: say how busy it was. */
const load = () =>
  `load average ${os
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(' / ')} on ${os.cpus().length} CPUs`;

export async function run({ scale }: BenchOptions): Promise<void> {
  const count = Math.max(1000, Math.round(100_000 * scale));
  console.log(
    `Patient search through the local HTTP API, ${count.toLocaleString('en-US')} patients (${load()})`,
  );
  const encrypted = await measure(true, count);
  const plain = await measure(false, count);
  console.log('\nEncrypted database (as shipped):');
  for (const [name, t] of encrypted.byKind) report(`  ${name}`, t, TARGET_P95_MS);
  report('  all searches', encrypted.all, TARGET_P95_MS);
  console.log(`  (${(encrypted.results / encrypted.all.n).toFixed(1)} results per search on average)`);
  console.log('\nPlain database (same data, no encryption):');
  for (const [name, t] of plain.byKind) report(`  ${name}`, t);
  report('  all searches', plain.all);
  console.log(`\nCost of encryption (encrypted / plain), ${load()} at the end:`);
  ratio('  p50', encrypted.all.p50, plain.all.p50);
  ratio('  p95', encrypted.all.p95, plain.all.p95);
}
