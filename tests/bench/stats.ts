/** Small helpers shared by the benchmarks: timing, percentiles and a uniform printed line. */

export function percentile(sortedMs: number[], p: number): number {
  if (!sortedMs.length) return NaN;
  const i = Math.min(sortedMs.length - 1, Math.max(0, Math.ceil((p / 100) * sortedMs.length) - 1));
  return sortedMs[i]!;
}

export interface Timing {
  n: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

/** Run `fn` `n` times (after `warmup` untimed runs) and summarise the wall-clock times in ms. */
export async function time(n: number, fn: (i: number) => unknown, warmup = Math.min(20, n)): Promise<Timing> {
  for (let i = 0; i < warmup; i++) await fn(i);
  const samples: number[] = [];
  for (let i = 0; i < n; i++) {
    const start = process.hrtime.bigint();
    await fn(i);
    samples.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  return summarise(samples);
}

export function summarise(samples: number[]): Timing {
  const s = [...samples].sort((a, b) => a - b);
  return { n: s.length, p50: percentile(s, 50), p95: percentile(s, 95), p99: percentile(s, 99), max: s.at(-1) ?? NaN };
}

const fmt = (ms: number) => (ms >= 100 ? ms.toFixed(0) : ms >= 10 ? ms.toFixed(1) : ms.toFixed(2));

/** One line per measurement: name, percentiles, the target, and whether it was met. */
export function report(name: string, t: Timing, targetP95Ms?: number): string {
  const verdict = targetP95Ms === undefined ? '' : `  target p95 < ${targetP95Ms} ms: ${t.p95 < targetP95Ms ? 'met' : 'MISSED'}`;
  const line = `${name.padEnd(56)} n=${String(t.n).padStart(5)}  p50 ${fmt(t.p50).padStart(7)} ms  p95 ${fmt(t.p95).padStart(7)} ms  p99 ${fmt(t.p99).padStart(7)} ms${verdict}`;
  console.log(line);
  return line;
}

export function ratio(name: string, numerator: number, denominator: number, unit = 'x'): void {
  console.log(`${name.padEnd(56)} ${(numerator / denominator).toFixed(2)}${unit}`);
}
