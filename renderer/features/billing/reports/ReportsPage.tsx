import { useEffect, useMemo, useState } from 'react';
import { todayIn } from '../../../../server/contracts/calendar';
import { useCan, useSession } from '../../../app/auth';
import { PageHeader } from '../../../ui/Page';
import { AgingReportView } from './AgingReportView';
import { CardReconciliationView } from './CardReconciliationView';
import { DailyCloseView } from './DailyCloseView';
import { PaymentsView } from './PaymentsView';
import { InsuranceAgingView } from '../../claims/InsuranceAgingView';
import '../billing.css';
import './reports.css';

/**
 * Billing > Reports: A/R aging (by who owes it, by provider, by location, by patient), the daily close per
 * user and for the clinic, and payments by method for a range, each exported as CSV (the export is
 * audited); and, for those who manage billing, card reconciliation (what central found comparing Stripe
 * with the ledger); and, for those who work claims, insurance A/R by payer. Keys 1–5 switch reports when no
 * field has focus. One file per report.
 */

type Tab = 'aging' | 'close' | 'payments' | 'insurance' | 'cards';
const allTabs: { id: Tab; label: string }[] = [
  { id: 'aging', label: 'A/R aging' },
  { id: 'close', label: 'Daily close' },
  { id: 'payments', label: 'Payments by method' },
  { id: 'insurance', label: 'Insurance by payer' },
  { id: 'cards', label: 'Card reconciliation' },
];

export function ReportsPage() {
  const session = useSession();
  const can = useCan();
  const today = todayIn(session.clinic.timeZone);
  const [tab, setTab] = useState<Tab>('aging');
  const manage = can('billing.manage');
  // Insurance by payer reads claims (claims.work); card reconciliation is for those who manage billing.
  const workClaims = can('claims.work');
  const tabs = useMemo(
    () => allTabs.filter((t) => (t.id !== 'cards' || manage) && (t.id !== 'insurance' || workClaims)),
    [manage, workClaims],
  );

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const t = e.target as HTMLElement | null;
      if (e.altKey || e.ctrlKey || e.metaKey || (t && /^(INPUT|SELECT|TEXTAREA)$/.test(t.tagName))) return;
      const next = tabs[['1', '2', '3', '4', '5'].indexOf(e.key)];
      if (next) setTab(next.id);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [tabs]);

  return (
    <section className="page page-wide billing-reports">
      <PageHeader title="Billing reports">
        What is owed and how old it is, the day’s takings, payments by method, insurance by payer, card reconciliation.
      </PageHeader>
      <div className="report-tabs" role="tablist" aria-label="Report">
        {tabs.map((t, i) => (
          <button
            key={t.id}
            type="button"
            role="tab"
            aria-selected={tab === t.id}
            className={`report-tab${tab === t.id ? ' report-tab-active' : ''}`}
            onClick={() => setTab(t.id)}
          >
            {t.label} <kbd>{i + 1}</kbd>
          </button>
        ))}
      </div>
      {tab === 'aging' ? <AgingReportView today={today} /> : null}
      {tab === 'close' ? <DailyCloseView today={today} /> : null}
      {tab === 'payments' ? <PaymentsView today={today} /> : null}
      {tab === 'insurance' ? <InsuranceAgingView today={today} /> : null}
      {tab === 'cards' ? <CardReconciliationView /> : null}
    </section>
  );
}
