import { DateTime } from 'luxon';
import type { AgingReport, AgingRow } from '../../../contracts/billing/reports';
import { splitLargestRemainder } from '../../../domain/billing/allocation';
import {
  ageBalance,
  agingBuckets,
  bucketOf,
  daysBetween,
  emptyAging,
  type Aging,
  type AgingBucket,
} from '../../../domain/billing/documents';
import type { Store } from '../../db/store';
import { getClinicInfo } from '../settings/clinic-info';
import { csvCents, csvLines, endOfLocalDay, mapGet, names } from './reports';

/**
 * The A/R aging report: every patient's balances by responsibility, aged into buckets and totalled by
 * provider and location, read from the ledger's aging summary (or the ledger itself when the summary cannot
 * answer an earlier date), streamed patient by patient into a tally.
 *
 * A/R aging is balance-forward: a responsibility's balance is taken to be its newest debits (payments go to
 * the oldest charges first), so the balance of each patient and responsibility is spread over the buckets of
 * its debits from the newest back (server/domain/billing/documents/ledger-view.ts, `ageBalance`). A charge is
 * aged from its date of service; a refund or transfer from the day it was posted (UTC day in SQL). Within a
 * bucket, the amount is shared among providers and locations by their debits (largest remainder).
 */

/**
 * Each entry's effect as rows (resp, debit, delta): a reversal takes the kind, responsibility, provider,
 * location and date of what it undoes with the opposite sign; a transfer is a debit of the responsibility it
 * moves to and a credit of the one it moves from.
 */
export const LEDGER_EFFECTS_SQL = /* sql */ `
x AS (
  SELECT e.patient_id AS pid,
         CASE WHEN e.kind = 'reversal' THEN -1 ELSE 1 END AS sgn,
         COALESCE(o.kind, e.kind) AS k,
         COALESCE(o.responsibility, e.responsibility) AS r,
         COALESCE(o.transfer_from, e.transfer_from) AS tf,
         e.amount_cents AS amt,
         COALESCE(o.provider_user_id, e.provider_user_id) AS prov,
         COALESCE(o.location_id, e.location_id) AS loc,
         CASE WHEN COALESCE(o.kind, e.kind) = 'charge' AND COALESCE(o.service_date, e.service_date) IS NOT NULL
              THEN COALESCE(o.service_date, e.service_date)
              ELSE substr(COALESCE(o.posted_at, e.posted_at), 1, 10) END AS d
    FROM ledger_entries e
    LEFT JOIN ledger_entries o ON e.kind = 'reversal' AND o.id = e.reverses_entry_id
   WHERE e.clinic_id = @clinic AND e.posted_at < @before
     AND (e.kind <> 'reversal' OR (o.id IS NOT NULL AND o.kind <> 'reversal'))
),
fx AS (
  SELECT pid, r AS resp, prov, loc, d,
         CASE WHEN k IN ('charge', 'refund', 'transfer') THEN sgn * amt ELSE 0 END AS debit,
         CASE WHEN k IN ('charge', 'refund', 'transfer') THEN sgn * amt ELSE -sgn * amt END AS delta
    FROM x
  UNION ALL
  SELECT pid, tf, prov, loc, d, 0, -sgn * amt FROM x WHERE k = 'transfer'
)`;

export interface AgedPiece {
  pid: string;
  resp: 'patient' | 'insurance';
  prov: string | null;
  loc: string | null;
  aging: Aging;
}

/** The debits of one provider/location pair of an account, per bucket. */
interface DebitPair {
  prov: string | null;
  loc: string | null;
  aging: Aging;
}

/** One patient's balance of one responsibility and its debits per provider/location pair and bucket. */
interface AgingAccount {
  pid: string;
  resp: 'patient' | 'insurance';
  balance: number;
  debits: Map<string, DebitPair>;
}

interface AgedPieces {
  pieces: AgedPiece[];
  balances: Map<string, { patient: number; insurance: number }>;
  entryCount: number;
  /** Where the figures came from: the maintained summary, or a scan of the ledger (a past as-of date). */
  source: 'summary' | 'ledger';
}

/** The bucket of each day as of `asOf` (cached: a report sees a few hundred distinct days). '' = over 120. */
function bucketsAsOf(asOf: string): (day: string) => AgingBucket {
  const bucketOfDate = new Map<string, AgingBucket>([['', '120_plus']]);
  return (d) => {
    let b = bucketOfDate.get(d);
    if (!b) bucketOfDate.set(d, (b = bucketOf(Math.max(0, daysBetween(d, asOf)))));
    return b;
  };
}

/**
 * Aged figures (patient × responsibility × provider × location pieces, and credits) as of `asOf`, to
 * `sink`, a patient's together. From the maintained summary (migration 0012, kept by triggers on every
 * ledger row) when nothing was posted after `asOf`, which is the report as people run it (today); for a
 * past date, by scanning the ledger rows up to it. Both give the same figures
 * (tests/integration/billing/aging-summary.test.ts). Answers the entry count and the source used.
 */
export function eachAged(
  store: Store,
  asOf: string,
  sink: AgedSink,
): { entryCount: number; source: 'summary' | 'ledger' } {
  const clinic = getClinicInfo(store);
  const before = endOfLocalDay(asOf, clinic.timeZone);
  const newest = store.db
    .prepare('SELECT MAX(posted_at) FROM ledger_entries WHERE clinic_id = ?')
    .pluck()
    .get(store.requireClinicId()) as string | null;
  if (!newest || newest < before) return { entryCount: eachAgedFromSummary(store, asOf, sink), source: 'summary' };
  const aged = agedFromLedger(store, asOf, before);
  const byPatient = new Map<string, AgedPiece[]>();
  for (const p of aged.pieces) mapGet(byPatient, p.pid, () => []).push(p);
  for (const pid of new Set([...aged.balances.keys(), ...byPatient.keys()])) {
    const bal = aged.balances.get(pid);
    if (bal && bal.patient < 0) sink.credit(pid, 'patient', bal.patient);
    if (bal && bal.insurance < 0) sink.credit(pid, 'insurance', bal.insurance);
    for (const p of byPatient.get(pid) ?? []) sink.piece(p.pid, p.resp, p.prov, p.loc, p.aging);
  }
  return { entryCount: aged.entryCount, source: 'ledger' };
}

/** The same figures as lists. */
export function agedPieces(store: Store, asOf: string): AgedPieces {
  const pieces: AgedPiece[] = [];
  const balances = new Map<string, { patient: number; insurance: number }>();
  const { entryCount, source } = eachAged(store, asOf, collectInto(pieces, balances));
  return { pieces, balances, entryCount, source };
}

function collectInto(
  pieces: AgedPiece[],
  balances: Map<string, { patient: number; insurance: number }>,
): AgedSink {
  return {
    piece: (pid, resp, prov, loc, aging) => pieces.push({ pid, resp, prov, loc, aging }),
    credit: (pid, resp, balance) => (mapGet(balances, pid, () => ({ patient: 0, insurance: 0 }))[resp] = balance),
  };
}

/** Receives aged figures as they are read: each owed balance's pieces, and each balance below zero. */
export interface AgedSink {
  piece(pid: string, resp: 'patient' | 'insurance', prov: string | null, loc: string | null, aging: Aging): void;
  credit(pid: string, resp: 'patient' | 'insurance', balanceCents: number): void;
}

/**
 * The summary: every balance that is not zero, one row per patient and responsibility, with its debits
 * packed in the row (migration 0018: per provider and location, `day:cents` pairs with days counted from
 * 1970-01-01, 0 for the folded "over 120 days" row), bucketed here for `asOf`. One table read of a few
 * hundred thousand small rows in patient order (the table's key), so a patient's figures reach `sink`
 * together; nothing is kept here, so nothing of a clinic-sized read outlives its row (what once made the
 * report several times its raw read was keeping ~200,000 pieces alive through the garbage collector).
 */
export function eachAgedFromSummary(store: Store, asOf: string, sink: AgedSink): number {
  const clinicId = store.requireClinicId();
  const q = summaryStatements(store);
  type Row = [string, 'patient' | 'insurance', number, string | null];
  const bucketOfDay = dayBuckets(asOf);
  for (const row of q.balances.iterate([clinicId]) as IterableIterator<Row>) {
    const pid = row[0];
    const balance = row[2];
    const packed = row[3];
    if (balance < 0) {
      sink.credit(pid, row[1], balance);
    } else if (packed && !packed.includes(';')) {
      // One provider and location (most accounts): aged straight from the packed days, no pair objects.
      const p1 = packed.indexOf('|');
      const p2 = packed.indexOf('|', p1 + 1);
      const prov = packed.slice(0, p1);
      const loc = packed.slice(p1 + 1, p2);
      const aging = ageBalance(balance, sumDays(packed, p2 + 1, packed.length, bucketOfDay));
      sink.piece(pid, row[1], prov || null, loc || null, aging);
    } else {
      agePieces(pid, row[1], balance, packed ? unpackDebits(packed, bucketOfDay) : [], sink);
    }
  }
  return q.entries.get([clinicId]) as number;
}

/** The summary's figures as lists (tests compare them with a scan of the ledger). */
export function agedFromSummary(store: Store, asOf: string): AgedPieces {
  const pieces: AgedPiece[] = [];
  const balances = new Map<string, { patient: number; insurance: number }>();
  const entryCount = eachAgedFromSummary(store, asOf, collectInto(pieces, balances));
  return { pieces, balances, entryCount, source: 'summary' };
}

/** The bucket of a day number (days since 1970-01-01) as of `asOf`, as `bucketOf` draws them. */
function dayBuckets(asOf: string): (day: number) => AgingBucket {
  const asOfDay =
    Date.UTC(Number(asOf.slice(0, 4)), Number(asOf.slice(5, 7)) - 1, Number(asOf.slice(8, 10))) / 86_400_000;
  return (day) => bucketOf(Math.max(0, asOfDay - day));
}

/**
 * The `day:cents,…` list between `from` and `end` of `packed`, summed per bucket. Read a character at a
 * time: the report walks a few million of these pairs, and slicing each number out as a string was most of
 * its cost. Days are never negative; cents are when reversals outweigh a day's debits.
 */
function sumDays(
  packed: string,
  from: number,
  end: number,
  bucketOfDay: (day: number) => AgingBucket,
): Aging {
  const aging = emptyAging();
  if (from >= end) return aging;
  let day = 0;
  let cents = 0;
  let inCents = false;
  let negative = false;
  for (let i = from; i <= end; i++) {
    const c = i < end ? packed.charCodeAt(i) : COMMA;
    if (c === COMMA) {
      aging[bucketOfDay(day)] += negative ? -cents : cents;
      day = cents = 0;
      inCents = negative = false;
    } else if (c === COLON) inCents = true;
    else if (c === MINUS) negative = true;
    else if (inCents) cents = cents * 10 + (c - ZERO);
    else day = day * 10 + (c - ZERO);
  }
  return aging;
}
const [COMMA, COLON, MINUS, ZERO] = [',', ':', '-', '0'].map((ch) => ch.charCodeAt(0)) as [
  number,
  number,
  number,
  number,
];

/** `prov|loc|day:cents,…;prov|loc|…` (migration 0018): one pair per provider and location. */
function unpackDebits(packed: string, bucketOfDay: (day: number) => AgingBucket): DebitPair[] {
  const pairs: DebitPair[] = [];
  let at = 0;
  while (at < packed.length) {
    let end = packed.indexOf(';', at);
    if (end < 0) end = packed.length;
    const p1 = packed.indexOf('|', at);
    const p2 = packed.indexOf('|', p1 + 1);
    const prov = packed.slice(at, p1);
    const loc = packed.slice(p1 + 1, p2);
    pairs.push({ prov: prov || null, loc: loc || null, aging: sumDays(packed, p2 + 1, end, bucketOfDay) });
    at = end + 1;
  }
  return pairs;
}

type Statement = ReturnType<Store['db']['prepare']>;
const prepared = new WeakMap<Store['db'], { balances: Statement; entries: Statement }>();
function summaryStatements(store: Store) {
  let s = prepared.get(store.db);
  if (!s) {
    s = {
      // The packed debits only where they are aged (a balance owed); credits need the balance alone.
      balances: store.db
        .prepare(
          `SELECT patient_id, responsibility, balance_cents, CASE WHEN balance_cents > 0 THEN debits END
             FROM ledger_balance_summary WHERE clinic_id = ? AND balance_cents <> 0
            ORDER BY patient_id, responsibility`,
        )
        .raw(),
      entries: store.db
        .prepare('SELECT COALESCE(SUM(entries), 0) FROM ledger_balance_summary WHERE clinic_id = ?')
        .pluck(),
    };
    prepared.set(store.db, s);
  }
  return s;
}

/**
 * A scan of the ledger rows up to `before` (the report reads nearly every row, and a scan reads pages in
 * order), folded in plain code — cheaper than SQLite's GROUP BY sort over a million rows.
 */
export function agedFromLedger(store: Store, asOf: string, before: string): AgedPieces {
  const stmt = store.db
    .prepare(
      `SELECT e.patient_id, COALESCE(o.kind, e.kind), COALESCE(o.responsibility, e.responsibility),
              COALESCE(o.transfer_from, e.transfer_from), e.kind = 'reversal', e.amount_cents,
              COALESCE(o.provider_user_id, e.provider_user_id), COALESCE(o.location_id, e.location_id),
              CASE WHEN COALESCE(o.kind, e.kind) = 'charge' AND COALESCE(o.service_date, e.service_date) IS NOT NULL
                   THEN COALESCE(o.service_date, e.service_date)
                   ELSE substr(COALESCE(o.posted_at, e.posted_at), 1, 10) END
         FROM ledger_entries AS e NOT INDEXED
         LEFT JOIN ledger_entries o ON e.kind = 'reversal' AND o.id = e.reverses_entry_id
        WHERE e.clinic_id = ? AND e.posted_at < ?
          AND (e.kind <> 'reversal' OR (o.id IS NOT NULL AND o.kind <> 'reversal'))`,
    )
    .raw();
  const accs = new Map<string, AgingAccount>();
  const bucketFor = bucketsAsOf(asOf);
  const accOf = (pid: string, resp: 'patient' | 'insurance') => {
    const key = resp === 'patient' ? pid : `${pid}~i`;
    let a = accs.get(key);
    if (!a) accs.set(key, (a = { pid, resp, balance: 0, debits: new Map() }));
    return a;
  };
  type Row = [
    string,
    string,
    'patient' | 'insurance',
    'patient' | 'insurance' | null,
    number,
    number,
    string | null,
    string | null,
    string,
  ];
  let entryCount = 0;
  for (const row of stmt.iterate(store.requireClinicId(), before) as Iterable<Row>) {
    entryCount++;
    const [pid, kind, resp, from, reversal, amount, prov, loc, d] = row;
    const signed = reversal ? -amount : amount;
    const a = accOf(pid, resp);
    if (kind === 'charge' || kind === 'refund' || kind === 'transfer') {
      a.balance += signed;
      const k = `${prov ?? ''}|${loc ?? ''}`;
      let pair = a.debits.get(k);
      if (!pair) a.debits.set(k, (pair = { prov, loc, aging: emptyAging() }));
      pair.aging[bucketFor(d)] += signed;
      if (kind === 'transfer' && from) accOf(pid, from).balance -= signed;
    } else {
      a.balance -= signed;
    }
  }
  const balances = new Map<string, { patient: number; insurance: number }>();
  for (const a of accs.values()) {
    let bal = balances.get(a.pid);
    if (!bal) balances.set(a.pid, (bal = { patient: 0, insurance: 0 }));
    bal[a.resp] += a.balance;
  }
  const pieces: AgedPiece[] = [];
  const sink = collectInto(pieces, balances);
  for (const a of accs.values()) agePieces(a.pid, a.resp, a.balance, [...a.debits.values()], sink);
  return { pieces, balances, entryCount, source: 'ledger' };
}

/** Pairs in (provider, location) order ('' for none first), the summary's key order, so ties break alike. */
const byPair = (
  x: { prov: string | null; loc: string | null },
  y: { prov: string | null; loc: string | null },
) => {
  const a = `${x.prov ?? ''}`;
  const b = `${y.prov ?? ''}`;
  if (a !== b) return a < b ? -1 : 1;
  const c = `${x.loc ?? ''}`;
  const e = `${y.loc ?? ''}`;
  return c === e ? 0 : c < e ? -1 : 1;
};

/**
 * Ages an owed balance over its debits (balance-forward) and shares each bucket among the provider and
 * location pairs that made its debits (largest remainder), giving the pieces to `sink`.
 */
function agePieces(
  pid: string,
  resp: 'patient' | 'insurance',
  balance: number,
  pairs: DebitPair[],
  sink: AgedSink,
): void {
  if (balance <= 0) return;
  // Most accounts have one provider and location: no sort, no split.
  if (pairs.length <= 1) {
    const only = pairs[0];
    sink.piece(
      pid,
      resp,
      only ? only.prov : null,
      only ? only.loc : null,
      ageBalance(balance, only ? only.aging : emptyAging()),
    );
    return;
  }
  pairs.sort(byPair);
  const debits = emptyAging();
  for (const p of pairs) addAging(debits, p.aging);
  const aged = ageBalance(balance, debits);
  const shares = pairs.map(() => emptyAging());
  for (const b of agingBuckets) {
    const amount = aged[b];
    if (amount <= 0) continue;
    const weights = pairs.map((p) => Math.max(0, p.aging[b]));
    if (!weights.some((w) => w > 0)) {
      // More owed than the debits explain: the oldest bucket, on the first pair.
      shares[0]![b] += amount;
      continue;
    }
    splitLargestRemainder(amount, weights).forEach((share, j) => (shares[j]![b] += share));
  }
  pairs.forEach((p, j) => sink.piece(pid, resp, p.prov, p.loc, shares[j]!));
}

const sumAging = (a: Aging) => a['0_30'] + a['31_60'] + a['61_90'] + a['91_120'] + a['120_plus'];
/** Written out (not a loop over agingBuckets): the report adds a few hundred thousand of these. */
function addAging(into: Aging, a: Aging): void {
  into['0_30'] += a['0_30'];
  into['31_60'] += a['31_60'];
  into['61_90'] += a['61_90'];
  into['91_120'] += a['91_120'];
  into['120_plus'] += a['120_plus'];
}

function newRow(key: string | null, label: string): AgingRow {
  return {
    key,
    label,
    patient: emptyAging(),
    insurance: emptyAging(),
    patientCents: 0,
    insuranceCents: 0,
    creditCents: 0,
    totalCents: 0,
  };
}

function finish(row: AgingRow): AgingRow {
  row.patientCents = sumAging(row.patient);
  row.insuranceCents = sumAging(row.insurance);
  row.totalCents = row.patientCents + row.insuranceCents;
  return row;
}

export function agingReport(
  store: Store,
  query: { asOf?: string; providerId?: string; locationId?: string; limit: number },
  opts: { allPatients?: boolean } = {},
): AgingReport {
  const clinic = getClinicInfo(store);
  const asOf = query.asOf ?? DateTime.fromJSDate(store.now(), { zone: clinic.timeZone }).toISODate()!;
  const tally = new AgingTally(
    names(store, 'users', 'full_name'),
    names(store, 'locations', 'name'),
    query,
    opts.allPatients ? Infinity : query.limit,
  );
  const { entryCount } = eachAged(store, asOf, tally);
  const listed = tally.finish();
  const info = patientNames(
    store,
    listed.map((r) => r.key!),
  );
  return {
    asOf,
    total: finish(tally.total),
    byProvider: [...tally.byProvider.values()].map(finish).sort((a, b) => b.totalCents - a.totalCents),
    byLocation: [...tally.byLocation.values()].map(finish).sort((a, b) => b.totalCents - a.totalCents),
    patients: listed.map((r) => ({
      ...r,
      label: info.get(r.key!)?.name ?? 'Unknown patient',
      mrn: info.get(r.key!)?.mrn ?? '',
    })),
    patientCount: tally.patientCount,
    entryCount,
  };
}

/**
 * The report's sums, taken as the figures stream by: totals by provider and location, and per patient
 * (whose figures arrive together) only the current one's, handed to a short list of the `limit` owing most
 * when the next patient starts. Nothing per patient is kept beyond that list.
 */
class AgingTally implements AgedSink {
  readonly total = newRow(null, 'All');
  readonly byProvider = new Map<string, AgingRow>();
  readonly byLocation = new Map<string, AgingRow>();
  patientCount = 0;
  /** The listed patients, most owed first (equal totals by id). */
  readonly #top: AgingRow[] = [];
  #current: AgingRow | null = null;
  readonly #credits: boolean;

  constructor(
    private readonly providers: Map<string, string>,
    private readonly locations: Map<string, string>,
    private readonly query: { providerId?: string; locationId?: string },
    private readonly limit: number,
  ) {
    // A credit belongs to the whole account, not to one provider or location.
    this.#credits = !query.providerId && !query.locationId;
  }

  piece(pid: string, resp: 'patient' | 'insurance', prov: string | null, loc: string | null, aging: Aging) {
    if (this.query.providerId && prov !== this.query.providerId) return;
    if (this.query.locationId && loc !== this.query.locationId) return;
    let byProv = this.byProvider.get(prov ?? '');
    if (!byProv) {
      const label = prov ? (this.providers.get(prov) ?? 'Unknown provider') : 'No provider';
      this.byProvider.set(prov ?? '', (byProv = newRow(prov, label)));
    }
    let byLoc = this.byLocation.get(loc ?? '');
    if (!byLoc) {
      const label = loc ? (this.locations.get(loc) ?? 'Unknown location') : 'No location';
      this.byLocation.set(loc ?? '', (byLoc = newRow(loc, label)));
    }
    addAging(this.total[resp], aging);
    addAging(byProv[resp], aging);
    addAging(byLoc[resp], aging);
    addAging(this.#patient(pid)[resp], aging);
  }

  credit(pid: string, _resp: 'patient' | 'insurance', balanceCents: number) {
    if (!this.#credits) return;
    this.total.creditCents -= balanceCents;
    this.#patient(pid).creditCents -= balanceCents;
  }

  /** The listed patients' rows, in report order. */
  finish(): AgingRow[] {
    this.#settle();
    // Every patient (the CSV export): gathered as they came, sorted once.
    if (this.limit === Infinity) this.#top.sort((a, b) => (owesMore(a, b) ? -1 : 1));
    return this.#top;
  }

  #patient(pid: string): AgingRow {
    if (this.#current?.key !== pid) {
      this.#settle();
      this.#current = newRow(pid, '');
    }
    return this.#current!;
  }

  /** The current patient done: counted, and listed if among the `limit` owing most so far. */
  #settle() {
    const row = this.#current;
    if (!row) return;
    this.#current = null;
    finish(row);
    this.patientCount++;
    const top = this.#top;
    if (this.limit === Infinity) return void top.push(row);
    if (top.length >= this.limit && !owesMore(row, top[top.length - 1]!)) return;
    // Insert in place (binary search); the list stays `limit` long.
    let lo = 0;
    let hi = top.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (owesMore(top[mid]!, row)) lo = mid + 1;
      else hi = mid;
    }
    top.splice(lo, 0, row);
    if (top.length > this.limit) top.pop();
  }
}

/** Whether `a` is listed before `b`: more owed, or as much and the lower patient id. */
const owesMore = (a: AgingRow, b: AgingRow) =>
  a.totalCents > b.totalCents || (a.totalCents === b.totalCents && a.key! < b.key!);

function patientNames(store: Store, ids: string[]): Map<string, { name: string; mrn: string }> {
  const out = new Map<string, { name: string; mrn: string }>();
  const stmt = store.db.prepare(
    // `+clinic_id`: without it SQLite walks every patient of the clinic on an index of clinic_id and checks
    // the id list against each, instead of looking up the few hundred listed ids by primary key.
    `SELECT id, mrn, legal_last_name || ', ' || legal_first_name AS name FROM patients WHERE +clinic_id = ? AND id IN (SELECT value FROM json_each(?))`,
  );
  for (let i = 0; i < ids.length; i += 5000) {
    const chunk = ids.slice(i, i + 5000);
    for (const r of stmt.all(store.requireClinicId(), JSON.stringify(chunk)) as {
      id: string;
      mrn: string;
      name: string;
    }[]) {
      out.set(r.id, { name: r.name, mrn: r.mrn });
    }
  }
  return out;
}

export function agingCsv(report: AgingReport): Generator<string> {
  const header = [
    'Group',
    'Name',
    'MRN',
    'Responsibility',
    ...agingBuckets.map((b) => `${b.replace('_', '-').replace('-plus', '+')} days`),
    'Total',
    'Credit',
  ];
  const out: (string | number)[][] = [];
  const add = (group: string, row: AgingRow, mrn = '') => {
    for (const resp of ['patient', 'insurance'] as const) {
      out.push([
        group,
        row.label,
        mrn,
        resp,
        ...agingBuckets.map((b) => csvCents(row[resp][b])),
        csvCents(resp === 'patient' ? row.patientCents : row.insuranceCents),
        resp === 'patient' ? csvCents(row.creditCents) : '',
      ]);
    }
  };
  add('Total', report.total);
  for (const r of report.byProvider) add('Provider', r);
  for (const r of report.byLocation) add('Location', r);
  for (const r of report.patients) add('Patient', r, r.mrn);
  return csvLines(header, out);
}
