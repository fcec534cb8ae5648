import { randomFillSync } from 'node:crypto';

/**
 * UUIDv7 ids for rows written in bulk (an 835 of 10,000 claims writes ~100,000 rows in one transaction).
 * The `uuid` package asks the system for 16 random bytes per id; this generator draws them from a pool
 * filled 4 KiB at a time, which is what made id generation ~5 % of an ERA posting's CPU.
 *
 * The layout and ordering are the `uuid` package's v7 (RFC 9562 §6.2 method 1): 48 bits of Unix
 * milliseconds, then a 32-bit counter that starts at a random value each new millisecond and counts up
 * within one (and carries into the timestamp if it wraps), then random bits. So ids made in one process
 * sort in the order they were made, as the `uuid` package's do. Ids are not secrets (anyone who sees one
 * sees its time); the pool only needs to be unpredictable enough not to collide, as `uuid`'s bytes.
 */

const POOL_BYTES = 4096;
const pool = Buffer.alloc(POOL_BYTES);
let next = POOL_BYTES;

/** The offset of `n` fresh random bytes in the pool (refilled when used up). */
function random(n: number): number {
  if (next + n > POOL_BYTES) {
    randomFillSync(pool);
    next = 0;
  }
  const at = next;
  next += n;
  return at;
}

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

let lastMs = -Infinity;
let seq = 0;

export function uuidv7(): string {
  const now = Date.now();
  let ms: number;
  if (now > lastMs) {
    const r = random(4);
    seq = ((pool[r]! & 0x7f) << 24) | (pool[r + 1]! << 16) | (pool[r + 2]! << 8) | pool[r + 3]!;
    ms = lastMs = now;
  } else {
    seq = (seq + 1) | 0;
    if (seq === 0) lastMs++;
    ms = lastMs;
  }
  const t = random(6);
  return formatV7(ms, seq, pool, t);
}

/**
 * The text of a v7 id: `ms` and `seq` as above, the 6 random bytes at `rnd[at…]` (2 bits of the first,
 * then 5 whole bytes), exactly as the `uuid` package lays out `v7({ msecs, seq, random })` (its bytes
 * 10–15 are ours 0–5; tests/unit/platform/ids.test.ts compares the two).
 */
export function formatV7(ms: number, seq: number, rnd: Uint8Array, at: number): string {
  const b6 = 0x70 | ((seq >>> 28) & 0x0f);
  const b7 = (seq >>> 20) & 0xff;
  const b8 = 0x80 | ((seq >>> 14) & 0x3f);
  const b9 = (seq >>> 6) & 0xff;
  const b10 = ((seq << 2) & 0xff) | (rnd[at]! & 0x03);
  return (
    HEX[(ms / 0x10000000000) & 0xff]! +
    HEX[(ms / 0x100000000) & 0xff]! +
    HEX[(ms / 0x1000000) & 0xff]! +
    HEX[(ms / 0x10000) & 0xff]! +
    '-' +
    HEX[(ms / 0x100) & 0xff]! +
    HEX[ms & 0xff]! +
    '-' +
    HEX[b6]! +
    HEX[b7]! +
    '-' +
    HEX[b8]! +
    HEX[b9]! +
    '-' +
    HEX[b10]! +
    HEX[rnd[at + 1]!]! +
    HEX[rnd[at + 2]!]! +
    HEX[rnd[at + 3]!]! +
    HEX[rnd[at + 4]!]! +
    HEX[rnd[at + 5]!]!
  );
}
