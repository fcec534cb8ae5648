/**
 * Where a profiled process spent its CPU: `npx tsx tests/bench/cpu-profile.ts FILE.cpuprofile [N]` prints the
 * self time by package / source file and the top N functions, from a V8 profile (`node --cpu-prof`, as
 * `npm run load -- --profile DIR` writes for each central process).
 */
import fs from 'node:fs';
import path from 'node:path';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const root = path.resolve(import.meta.dirname, '../..');

/** A frame's place: the npm package, our source file, or Node's internals. */
function placeOf(url: string): string {
  if (!url) return '(native / garbage collection / idle)';
  const u = url.replace(/^file:\/\//, '');
  const nm = u.lastIndexOf('node_modules/');
  if (nm >= 0) {
    const rest = u.slice(nm + 13).split('/');
    return `npm ${rest[0]!.startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0]}`;
  }
  if (u.startsWith('node:')) return 'node internals';
  return path.relative(root, u);
}

export function summariseProfile(file: string, top = 15): string[] {
  const p = JSON.parse(fs.readFileSync(file, 'utf8')) as Profile;
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const self = new Map<number, number>();
  p.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (p.timeDeltas[i] ?? 0) / 1000));
  const total = [...self.values()].reduce((a, b) => a + b, 0);
  const places = new Map<string, number>();
  const fns = new Map<string, number>();
  for (const [id, ms] of self) {
    const n = byId.get(id)!;
    const place = n.callFrame.functionName === '(idle)' ? '(idle)' : placeOf(n.callFrame.url);
    places.set(place, (places.get(place) ?? 0) + ms);
    const fn = `${n.callFrame.functionName || '(anonymous)'} ${placeOf(n.callFrame.url)}:${n.callFrame.lineNumber + 1}`;
    fns.set(fn, (fns.get(fn) ?? 0) + ms);
  }
  const lines = [`${path.basename(file)}: ${(total / 1000).toFixed(1)} s sampled`];
  const row = ([k, ms]: [string, number]) =>
    `  ${((ms / total) * 100).toFixed(1).padStart(5)}%  ${(ms / 1000).toFixed(2).padStart(7)} s  ${k}`;
  lines.push(' by place (self time):');
  for (const e of [...places].sort((a, b) => b[1] - a[1]).slice(0, top)) lines.push(row(e));
  lines.push(' by function (self time):');
  for (const e of [...fns].sort((a, b) => b[1] - a[1]).slice(0, top)) lines.push(row(e));
  return lines;
}

if (process.argv[1] && import.meta.filename === path.resolve(process.argv[1])) {
  const [file, n] = process.argv.slice(2);
  if (!file) {
    console.error('Usage: tsx tests/bench/cpu-profile.ts FILE.cpuprofile [N]');
    process.exit(2);
  }
  for (const l of summariseProfile(file, Number(n ?? 15))) console.log(l);
}
