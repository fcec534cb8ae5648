import { DateTime } from 'luxon';
import type { DailyClose, PaymentsReport } from '../../../contracts/billing/reports';
import { centsToInput } from '../../../contracts/billing/money';
import type { Store } from '../../db/store';
import { getClinicInfo } from '../settings/clinic-info';

/**
 * Billing reports read straight from `ledger_entries` (daily close, payments by method) and the helpers the
 * reports share: clinic-local day bounds, name look-ups and CSV. The A/R aging report is in ar-aging.ts.
 */

/** The instant a clinic-local day ends (the next local midnight), as stored instants compare. */
export function endOfLocalDay(date: string, zone: string): string {
  return DateTime.fromISO(date, { zone }).plus({ days: 1 }).toUTC().toISO()!;
}
export function startOfLocalDay(date: string, zone: string): string {
  return DateTime.fromISO(date, { zone }).toUTC().toISO()!;
}

/** A clinic's users' or locations' names by id. */
export function names(store: Store, table: 'users' | 'locations', col: string): Map<string, string> {
  const rows = store.db
    .prepare(`SELECT id, ${col} AS name FROM ${table} WHERE clinic_id = ?`)
    .all(store.requireClinicId()) as { id: string; name: string }[];
  return new Map(rows.map((r) => [r.id, r.name]));
}

export function mapGet<K, V>(m: Map<K, V>, k: K, make: () => V): V {
  let v = m.get(k);
  if (v === undefined) m.set(k, (v = make()));
  return v;
}

// ---- Daily close and payments by method -------------------------------------------------------------

const zeroMethods = () => ({ cash: 0, check: 0, card: 0, other: 0 });
type MethodKey = keyof ReturnType<typeof zeroMethods>;

interface MoneyRow {
  id: string;
  kind: 'payment' | 'refund' | 'reversal';
  orig_kind: 'payment' | 'refund';
  method: MethodKey | null;
  responsibility: 'patient' | 'insurance';
  amount_cents: number;
  posted_by: string;
  posted_at: string;
  check_number: string | null;
}

/**
 * Payments and refunds posted in [start, end), with reversals of payments and refunds counted against the
 * kind they undo (a bounced check posted today lowers today's checks).
 */
function moneyRows(store: Store, start: string, end: string): MoneyRow[] {
  return store.db
    .prepare(
      `SELECT e.id, e.kind, COALESCE(o.kind, e.kind) AS orig_kind, COALESCE(o.method, e.method) AS method,
              COALESCE(o.responsibility, e.responsibility) AS responsibility, e.amount_cents, e.posted_by, e.posted_at,
              COALESCE(o.check_number, e.check_number) AS check_number
         FROM ledger_entries e
         LEFT JOIN ledger_entries o ON e.kind = 'reversal' AND o.id = e.reverses_entry_id
        WHERE e.clinic_id = ? AND e.posted_at >= ? AND e.posted_at < ?
          AND (e.kind IN ('payment', 'refund') OR (e.kind = 'reversal' AND o.kind IN ('payment', 'refund')))
        ORDER BY e.posted_at, e.id`,
    )
    .all(store.requireClinicId(), start, end) as MoneyRow[];
}

export function dailyClose(store: Store, query: { date?: string; userId?: string }): DailyClose {
  const clinic = getClinicInfo(store);
  const zone = clinic.timeZone;
  const date = query.date ?? DateTime.fromJSDate(store.now(), { zone }).toISODate()!;
  const rows = moneyRows(store, startOfLocalDay(date, zone), endOfLocalDay(date, zone)).filter(
    (r) => !query.userId || r.posted_by === query.userId,
  );
  const users = names(store, 'users', 'full_name');
  const label = (id: string) =>
    id === 'central' ? 'Card payments (central)' : (users.get(id) ?? 'Unknown user');
  const newClose = (userId: string | null, name: string) => ({
    userId,
    name,
    payments: zeroMethods(),
    paymentCount: 0,
    refunds: zeroMethods(),
    netCents: 0,
    toDepositCents: 0,
  });
  const clinicRow = newClose(null, clinic.name);
  const byUser = new Map<string, ReturnType<typeof newClose>>();
  const checks: DailyClose['checks'] = [];
  for (const r of rows) {
    const method: MethodKey = r.method ?? 'other';
    const sign = r.kind === 'reversal' ? -1 : 1;
    const user = mapGet(byUser, r.posted_by, () =>
      newClose(r.posted_by === 'central' ? null : r.posted_by, label(r.posted_by)),
    );
    for (const c of [clinicRow, user]) {
      if (r.orig_kind === 'payment') {
        c.payments[method] += sign * r.amount_cents;
        c.paymentCount += sign;
        c.netCents += sign * r.amount_cents;
      } else {
        c.refunds[method] += sign * r.amount_cents;
        c.netCents -= sign * r.amount_cents;
      }
    }
    if (method === 'check' && r.orig_kind === 'payment') {
      checks.push({
        entryId: r.id,
        checkNumber: r.check_number,
        amountCents: sign * r.amount_cents,
        userName: label(r.posted_by),
        postedAt: r.posted_at,
      });
    }
  }
  for (const c of [clinicRow, ...byUser.values()]) {
    c.toDepositCents = c.payments.cash + c.payments.check - c.refunds.cash - c.refunds.check;
  }
  return {
    date,
    timeZone: zone,
    byUser: [...byUser.values()].sort((a, b) => a.name.localeCompare(b.name)),
    clinic: clinicRow,
    checks,
  };
}

export function paymentsReport(store: Store, query: { from: string; to: string }): PaymentsReport {
  const zone = getClinicInfo(store).timeZone;
  const rows = moneyRows(store, startOfLocalDay(query.from, zone), endOfLocalDay(query.to, zone));
  const groups = new Map<string, PaymentsReport['methods'][number]>();
  let totalPaymentsCents = 0;
  let totalRefundsCents = 0;
  for (const r of rows) {
    const method: MethodKey = r.method ?? 'other';
    const g = mapGet(groups, `${method}:${r.responsibility}`, () => ({
      method,
      responsibility: r.responsibility,
      count: 0,
      paymentsCents: 0,
      refundsCents: 0,
      netCents: 0,
    }));
    const sign = r.kind === 'reversal' ? -1 : 1;
    if (r.orig_kind === 'payment') {
      g.paymentsCents += sign * r.amount_cents;
      g.count += sign;
      totalPaymentsCents += sign * r.amount_cents;
    } else {
      g.refundsCents += sign * r.amount_cents;
      totalRefundsCents += sign * r.amount_cents;
    }
    g.netCents = g.paymentsCents - g.refundsCents;
  }
  const order: MethodKey[] = ['cash', 'check', 'card', 'other'];
  return {
    from: query.from,
    to: query.to,
    methods: [...groups.values()].sort(
      (a, b) =>
        order.indexOf(a.method) - order.indexOf(b.method) || a.responsibility.localeCompare(b.responsibility),
    ),
    totalPaymentsCents,
    totalRefundsCents,
  };
}

// ---- CSV ---------------------------------------------------------------------------------------------

/** Cents as a plain decimal for spreadsheets (no currency sign, no grouping): 123456 → 1234.56. */
export const csvCents = (cents: number): string => centsToInput(cents);

/** One CSV field: quoted when needed, and a leading = + - @ neutralised so a spreadsheet never runs it. */
export function csvField(value: string | number): string {
  let s = String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function* csvLines(header: string[], rows: Iterable<(string | number)[]>): Generator<string> {
  yield `${header.map(csvField).join(',')}\r\n`;
  for (const r of rows) yield `${r.map(csvField).join(',')}\r\n`;
}

export function dailyCloseCsv(close: DailyClose): Generator<string> {
  const header = [
    'Date',
    'Who',
    'Cash',
    'Checks',
    'Cards',
    'Other',
    'Payments',
    'Refunds',
    'Net',
    'To deposit',
  ];
  const row = (c: DailyClose['clinic']) => [
    close.date,
    c.name,
    csvCents(c.payments.cash),
    csvCents(c.payments.check),
    csvCents(c.payments.card),
    csvCents(c.payments.other),
    String(c.paymentCount),
    csvCents(c.refunds.cash + c.refunds.check + c.refunds.card + c.refunds.other),
    csvCents(c.netCents),
    csvCents(c.toDepositCents),
  ];
  return csvLines(header, [...close.byUser.map(row), row(close.clinic)]);
}

export function paymentsCsv(report: PaymentsReport): Generator<string> {
  return csvLines(
    ['From', 'To', 'Method', 'Paid by', 'Count', 'Payments', 'Refunds', 'Net'],
    report.methods.map((m) => [
      report.from,
      report.to,
      m.method,
      m.responsibility,
      m.count,
      csvCents(m.paymentsCents),
      csvCents(m.refundsCents),
      csvCents(m.netCents),
    ]),
  );
}
