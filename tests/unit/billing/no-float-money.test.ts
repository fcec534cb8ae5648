import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { centsToInput, formatCents, formatCentsPlain, parseCents } from '../../../server/contracts/billing/money';

/**
 * Money is integer cents everywhere (docs/billing.md). This scans every source file of server/, renderer/
 * and main/ for the ways floating point creeps into money: parseFloat, toFixed or Math.round/floor/ceil on
 * an amount, dividing a *Cents value (or multiplying dollars by 100), Number() of dollar text. Amounts become
 * text through server/contracts/billing/money.ts, which works on digits.
 */

const root = path.resolve(import.meta.dirname, '../../..');
const SCANNED = ['server', 'renderer', 'main'];
const MONEY = /cents|dollar|amount|price|fee(?!t)|copay|balance|money|payment|refund|charge/i;

interface Finding {
  file: string;
  line: number;
  rule: string;
  text: string;
}

const rules: { rule: string; test: (line: string) => boolean }[] = [
  { rule: 'parseFloat', test: (l) => /\bparseFloat\s*\(|Number\.parseFloat\s*\(/.test(l) },
  { rule: 'toFixed on money', test: (l) => /\.toFixed\s*\(/.test(l) && MONEY.test(l) },
  { rule: 'division of cents', test: (l) => /\w*cents\w*\)?\s*\/(?![/*])/i.test(l) },
  { rule: 'dollars × 100', test: (l) => /\*\s*100\b(?!\s*%)/.test(l) && MONEY.test(l) && !/%/.test(l) },
  { rule: 'dollars ÷ 100', test: (l) => /\/\s*100(?:\.0*)?\b/.test(l) && MONEY.test(l) },
  { rule: 'rounding money', test: (l) => /Math\.(round|floor|ceil|trunc)\s*\([^)]*(cents|dollar|amount|price|fee|copay)/i.test(l) },
  { rule: 'float literal cents', test: (l) => /\w*cents\w*\s*[:=]\s*-?\d+\.\d/i.test(l) },
];

/** Comment-only lines and the text of comments are not code. */
const code = (line: string) => line.replace(/\/\/.*$/, '').replace(/\/\*.*?\*\//g, '').trim();

/**
 * Lines the rules would flag that are integer arithmetic, each with its reason. Keep this list short: a new
 * entry needs a reason a reviewer can check on the line itself.
 */
const ALLOWED: Record<string, string> = {
  'server/contracts/billing/money.ts:const cents = Number(whole || \'0\') * 100 + Number(frac.padEnd(2, \'0\'));':
    'whole-dollar digits (no decimal point) times 100, plus the cents digits: integers only',
};

function scanText(file: string, text: string): Finding[] {
  const out: Finding[] = [];
  let inBlock = false;
  text.split('\n').forEach((raw, i) => {
    let line = raw;
    if (inBlock) {
      const end = line.indexOf('*/');
      if (end < 0) return;
      line = line.slice(end + 2);
      inBlock = false;
    }
    if (/^\s*\*/.test(line)) return;
    const start = line.indexOf('/*');
    if (start >= 0 && line.indexOf('*/', start) < 0) {
      line = line.slice(0, start);
      inBlock = true;
    }
    const c = code(line);
    if (!c) return;
    if (ALLOWED[`${file}:${c}`]) return;
    for (const r of rules) if (r.test(c)) out.push({ file, line: i + 1, rule: r.rule, text: c });
  });
  return out;
}

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...sourceFiles(full));
    else if (/\.(ts|tsx|mts|cts|js|mjs|cjs|jsx)$/.test(entry.name)) out.push(full);
  }
  return out;
}

describe('no floating point on money', () => {
  it('finds none in server/, renderer/ and main/', () => {
    const findings = SCANNED.flatMap((d) =>
      sourceFiles(path.join(root, d)).flatMap((f) => scanText(path.relative(root, f), fs.readFileSync(f, 'utf8'))),
    );
    expect(findings.map((f) => `${f.file}:${f.line} ${f.rule}: ${f.text}`)).toEqual([]);
  });

  it('catches each way floats creep in (so the scan can fail)', () => {
    const bad = [
      'const amount = parseFloat(input);',
      'label = (fee.amountCents / 100).toFixed(2);',
      'const dollars = totalCents / 100;',
      'const cents = Math.round(Number(text) * 100);',
      'const copay = dollars * 100;',
      'const x = price.toFixed(2);',
      'const unitFeeCents = 12.5;',
    ];
    for (const line of bad) expect(scanText('x.ts', line), line).not.toEqual([]);
  });

  it('leaves comments and unrelated arithmetic alone', () => {
    const fine = [
      '// we never divide cents / 100 here',
      ' * parseFloat is banned (see the test)',
      'const pct = Math.round(value * 100);',
      'const minutes = Math.round(ms / 60_000);',
      'const h = `${v.heightCm.toFixed(1)} cm` + feetInches(v);',
      'left: `${(lane.lane / lane.of) * 100}%`,',
    ];
    for (const line of fine) expect(scanText('x.ts', line), line).toEqual([]);
  });
});

describe('money as text works on digits', () => {
  it('formats cents', () => {
    expect(formatCents(0)).toBe('$0.00');
    expect(formatCents(5)).toBe('$0.05');
    expect(formatCents(123456789)).toBe('$1,234,567.89');
    expect(formatCents(-500)).toBe('−$5.00');
    expect(centsToInput(250000)).toBe('2500.00');
    expect(() => formatCents(1.5)).toThrow();
  });

  it('reads amounts back to the same cents, exactly', () => {
    expect(parseCents('25')).toBe(2500);
    expect(parseCents('$0.1')).toBe(10);
    expect(parseCents('1,234.56')).toBe(123456);
    expect(parseCents('0.29')).toBe(29); // 0.29 * 100 is 28.999… in floating point
    for (const bad of ['', 'ten', '1.234', '-5', '1,23', '12,3456']) expect(parseCents(bad), bad).toBeNull();
    for (let c = 0; c < 10_000_000; c += 997) expect(parseCents(formatCentsPlain(c))).toBe(c);
  });
});
