import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DB_FILE_NAME } from '../../server/workstation/db/open';
import { migrations } from '../../server/workstation/db/migrations';
import { startBenchServer, type BenchServer } from './bench-server';

/**
 * Seeded bench databases kept under the system's temp folder (docs/billing.md, Speed), so a second run of
 * a benchmark skips minutes of seeding. A cache entry is the encrypted database file as the seed left it,
 * its key, the bench administrator's sign-in and the seed's answer (ids the bench uses); the entry's name
 * holds the area, the scale and a hash of the schema (every migration's SQL) and of the seed scripts, so
 * changing any of them seeds afresh. Each run works on a copy: the cached file is never written to.
 * Only synthetic bench data lives there; `TESSERA_BENCH_SEED_CACHE=off` seeds every time,
 * `TESSERA_BENCH_SEED_CACHE=<dir>` moves the cache. Delete the folder to drop it.
 */

const here = path.dirname(fileURLToPath(import.meta.url));

interface Entry<S> {
  keyHex: string;
  creds: { username: string; password: string; totpSecret: string };
  seed: S;
}

export function seedCacheDir(): string | null {
  const setting = process.env.TESSERA_BENCH_SEED_CACHE;
  if (setting === 'off') return null;
  return setting || path.join(os.tmpdir(), 'tessera-bench-cache');
}

/**
 * The cache entry's folder name: area, scale, and a digest of the seed's sizes, the schema and the seed
 * scripts.
 */
export function seedCacheName(
  area: string,
  sizes: { scale: number } & Record<string, number>,
  seedScripts: readonly string[],
): string {
  const h = crypto.createHash('sha256');
  h.update(JSON.stringify({ area, sizes, schema: migrations.length }));
  for (const m of migrations) h.update(m);
  for (const f of seedScripts) h.update(fs.readFileSync(path.join(here, f)));
  return `${area}-scale${sizes.scale}-schema${migrations.length}-${h.digest('hex').slice(0, 16)}`;
}

/**
 * An encrypted bench server whose database holds what `seed` writes: from the cache when an entry for
 * the same area, scale, schema and seed scripts exists, else seeded now and then cached. `seedScripts`
 * are file names beside this one whose code decides what is seeded. Answers the server, the seed's
 * answer and whether it came from the cache.
 */
export async function seededBenchServer<S>(
  area: string,
  /** The scale and every size the seed is made with (part of the cache key). */
  sizes: { scale: number } & Record<string, number>,
  seedScripts: readonly string[],
  seed: (bench: BenchServer) => S,
): Promise<{ bench: BenchServer; seed: S; cached: boolean }> {
  const root = seedCacheDir();
  const dir = root
    ? path.join(root, seedCacheName(area, sizes, [...seedScripts, 'seed-cache.ts', 'bench-server.ts']))
    : null;
  const entryFile = dir && path.join(dir, 'entry.json');
  if (entryFile && fs.existsSync(entryFile)) {
    const entry = JSON.parse(fs.readFileSync(entryFile, 'utf8')) as Entry<S>;
    const t0 = Date.now();
    const bench = await startBenchServer({
      encrypted: true,
      from: { dbFile: path.join(dir, DB_FILE_NAME), keyHex: entry.keyHex, creds: entry.creds },
    });
    console.log(
      `seed: from the cache (${dir}), copied and opened in ${((Date.now() - t0) / 1000).toFixed(1)} s`,
    );
    return { bench, seed: entry.seed, cached: true };
  }
  const bench = await startBenchServer({ encrypted: true });
  const answer = seed(bench);
  if (dir && entryFile) {
    const t0 = Date.now();
    // Everything in the main file (the WAL emptied into it), then a copy of that one file.
    bench.store.db.pragma('wal_checkpoint(TRUNCATE)');
    const partial = `${dir}.partial-${process.pid}`;
    fs.mkdirSync(partial, { recursive: true, mode: 0o700 });
    fs.copyFileSync(path.join(bench.dataDir, DB_FILE_NAME), path.join(partial, DB_FILE_NAME));
    const entry: Entry<S> = { keyHex: bench.keyHex, creds: bench.creds, seed: answer };
    fs.writeFileSync(path.join(partial, 'entry.json'), JSON.stringify(entry), { mode: 0o600 });
    fs.rmSync(dir, { recursive: true, force: true });
    fs.renameSync(partial, dir);
    console.log(
      `seed: cached in ${dir} (${((Date.now() - t0) / 1000).toFixed(1)} s); the next run starts from it`,
    );
  }
  return { bench, seed: answer, cached: false };
}
