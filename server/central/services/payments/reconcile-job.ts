import type { Logger } from '../../../platform/logging';
import type { CentralDb } from '../../db/pool';
import type { PaymentsPort } from './port';
import { describeMismatch, reconcileStripe, type ReconciliationReport } from './reconcile';
import { recordReconciliation } from './reconcile-findings';

const DAY_MS = 86_400_000;

/** Yesterday in UTC, [00:00, 24:00): Stripe's balance and payouts are dated in UTC. */
export function previousUtcDay(now: Date): { from: Date; to: Date } {
  const to = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
  return { from: new Date(to.getTime() - DAY_MS), to };
}

/**
 * Reconciles yesterday once a day (first run `firstRunMs` after start, so a restart loop does not hammer
 * Stripe), logs the result (a summary at info, each mismatch at warn, by ids and amounts only) and keeps
 * it (`recordReconciliation`: the clinics' staff see the findings). Several central nodes running it each
 * is harmless (the same findings are found again, keyed by what they are about); a
 * refusal from Stripe or the database is logged and the next day's run goes on.
 */
export function startReconciliationJob(deps: {
  db: CentralDb;
  port: PaymentsPort;
  logger: Logger;
  everyMs?: number;
  firstRunMs?: number;
  now?: () => Date;
  onReport?: (r: ReconciliationReport) => void;
}): { stop(): void; runNow(): Promise<ReconciliationReport | null> } {
  const now = deps.now ?? (() => new Date());
  let running: Promise<ReconciliationReport | null> | null = null;
  const run = () => {
    running ??= (async () => {
      try {
        const report = await reconcileStripe(deps, previousUtcDay(now()));
        deps.logger.info(
          {
            from: report.from,
            to: report.to,
            checked: report.checked,
            matched: report.matched,
            ledgerEntries: report.ledgerEntries,
            payouts: report.payouts.length,
            mismatches: report.mismatches.length,
          },
          'stripe reconciliation',
        );
        for (const m of report.mismatches)
          deps.logger.warn({ kind: m.kind }, `stripe reconciliation: ${describeMismatch(m)}`);
        // Kept for the clinics' billing staff (Billing > Reports > Card reconciliation).
        await recordReconciliation(deps.db, report);
        deps.onReport?.(report);
        return report;
      } catch (err) {
        deps.logger.warn({ err: (err as Error).message }, 'stripe reconciliation could not run');
        return null;
      } finally {
        running = null;
      }
    })();
    return running;
  };
  const first = setTimeout(() => void run(), deps.firstRunMs ?? 10 * 60_000);
  const every = setInterval(() => void run(), deps.everyMs ?? DAY_MS);
  first.unref();
  every.unref();
  return {
    stop() {
      clearTimeout(first);
      clearInterval(every);
    },
    runNow: run,
  };
}
