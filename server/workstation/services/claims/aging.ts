import { and, eq } from 'drizzle-orm';
import { DateTime } from 'luxon';
import type { InsuranceAging, InsuranceAgingRow } from '../../../contracts/claims/reports';
import { ledgerState } from '../../../domain/billing/balances';
import { agingBuckets, bucketOf, daysBetween, emptyAging } from '../../../domain/billing/documents';
import { chargeLines, claimLines, claimPayers, claims } from '../../db/schema';
import type { Store } from '../../db/store';
import { accountRows } from '../billing/ledger';
import { csvCents, csvLines } from '../billing/reports';
import { getClinicInfo } from '../settings/clinic-info';
import { liveClaim, liveClaimLine } from './rows';

const PRIORITY_RANK = { primary: 0, secondary: 1, tertiary: 2 } as const;

/**
 * Insurance A/R aging by payer. The money is the ledger's: for each charge on a live (not closed) claim, what
 * insurance still has open on it (payments, write-offs and the patient's share already taken off). A charge
 * that went from the primary to a secondary claim is owed by the live claim of the latest payer in order that
 * carries it (a replacement over its original), so it is counted once, under the payer now expected to pay.
 * A void (frequency 8) owes nothing: it only cancels at the payer.
 * Each claim is aged from its first date of service as of `asOf` (today in the clinic's time zone unless
 * given): 0–30, 31–60, 61–90, 91–120, over 120 days.
 * Ledger entries posted after `asOf` are not taken back out: the report is the balances now, aged to a date.
 */
export function insuranceAging(store: Store, query: { asOf?: string | undefined }): InsuranceAging {
  const clinicId = store.requireClinicId();
  const asOf = query.asOf ?? DateTime.fromJSDate(store.now(), { zone: getClinicInfo(store).timeZone }).toISODate()!;
  const live = store.orm
    .select({ id: claims.id, patientId: claims.patientId, payerId: claims.payerId, priority: claims.priority, createdAt: claims.createdAt })
    .from(claims)
    .where(and(eq(claims.clinicId, clinicId), liveClaim()))
    .all();
  const claimById = new Map(live.map((c) => [c.id, c]));
  const lines = store.orm
    .select({ claimId: claimLines.claimId, chargeLineId: claimLines.chargeLineId, dateOfService: claimLines.dateOfService, ledgerEntryId: chargeLines.ledgerEntryId })
    .from(claimLines)
    .innerJoin(claims, eq(claims.id, claimLines.claimId))
    .innerJoin(chargeLines, eq(chargeLines.id, claimLines.chargeLineId))
    .where(and(eq(claims.clinicId, clinicId), liveClaimLine()))
    .all();

  // The live claim of the latest payer in order carrying each charge line owes it (a secondary after its
  // primary), and of one payer the newest claim (ids are time-ordered uuid v7s, for claims made in one second).
  const rank = (id: string) => {
    const c = claimById.get(id)!;
    return [PRIORITY_RANK[c.priority], c.createdAt, c.id] as const;
  };
  const later = (a: string, b: string) => {
    const [ra, rb] = [rank(a), rank(b)];
    return ra[0] !== rb[0] ? ra[0] > rb[0] : ra[1] !== rb[1] ? ra[1] > rb[1] : ra[2] > rb[2];
  };
  const holder = new Map<string, (typeof lines)[number]>();
  for (const l of lines) {
    const current = holder.get(l.chargeLineId);
    if (!current || later(l.claimId, current.claimId)) holder.set(l.chargeLineId, l);
  }
  const byPatient = new Map<string, (typeof lines)[number][]>();
  for (const l of holder.values()) {
    const pid = claimById.get(l.claimId)!.patientId;
    byPatient.set(pid, [...(byPatient.get(pid) ?? []), l]);
  }
  const perClaim = new Map<string, { openCents: number; firstService: string }>();
  for (const [pid, held] of byPatient) {
    const { entries, allocations } = accountRows(store, pid);
    const state = ledgerState(entries, allocations);
    for (const l of held) {
      const charge = l.ledgerEntryId ? state.charges.get(l.ledgerEntryId) : undefined;
      const open = charge && !charge.reversed ? Math.max(0, charge.insuranceOpenCents) : 0;
      const c = perClaim.get(l.claimId) ?? { openCents: 0, firstService: l.dateOfService };
      c.openCents += open;
      if (l.dateOfService < c.firstService) c.firstService = l.dateOfService;
      perClaim.set(l.claimId, c);
    }
  }

  const payerNames = new Map(
    store.orm.select({ id: claimPayers.id, name: claimPayers.name }).from(claimPayers).where(eq(claimPayers.clinicId, clinicId)).all().map((p) => [p.id, p.name]),
  );
  const rows = new Map<string, InsuranceAgingRow>();
  const total: InsuranceAgingRow = { payerId: null, payerName: 'All payers', claimCount: 0, aging: emptyAging(), totalCents: 0 };
  for (const [claimId, c] of perClaim) {
    if (c.openCents <= 0) continue;
    const payerId = claimById.get(claimId)!.payerId;
    let row = rows.get(payerId);
    if (!row) rows.set(payerId, (row = { payerId, payerName: payerNames.get(payerId) ?? 'Unknown payer', claimCount: 0, aging: emptyAging(), totalCents: 0 }));
    const bucket = bucketOf(Math.max(0, daysBetween(c.firstService, asOf)));
    for (const r of [row, total]) {
      r.claimCount += 1;
      r.aging[bucket] += c.openCents;
      r.totalCents += c.openCents;
    }
  }
  const payers = [...rows.values()].sort((a, b) => b.totalCents - a.totalCents || a.payerName.localeCompare(b.payerName));
  return { asOf, payers, total };
}

/** The report as CSV: one line per payer, then the total; plain decimals for spreadsheets. */
export function insuranceAgingCsv(report: InsuranceAging): Generator<string> {
  const header = ['Payer', 'Claims', '0-30 days', '31-60 days', '61-90 days', '91-120 days', 'Over 120 days', 'Total', 'As of'];
  const row = (r: InsuranceAgingRow) => [r.payerName, r.claimCount, ...agingBuckets.map((b) => csvCents(r.aging[b])), csvCents(r.totalCents), report.asOf];
  return csvLines(header, [...report.payers.map(row), row(report.total)]);
}
