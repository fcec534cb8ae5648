import { useEffect, useRef, type KeyboardEvent } from 'react';
import { useSearchParams } from 'react-router';
import { useCan } from '../../../app/auth';
import { PageHeader, useDocumentTitle } from '../../../ui/Page';
import { BillingProviderTab } from '../../claims/setup/BillingProviderTab';
import { ClearinghouseTab } from '../../claims/setup/ClearinghouseTab';
import { PayersTab } from '../../claims/setup/PayersTab';
import { RenderingProvidersTab } from '../../claims/setup/RenderingProvidersTab';
import '../../claims/claims.css';
import { FeeScheduleTab } from './FeeScheduleTab';
import { PaymentPolicyTab } from './PaymentPolicyTab';
import { PosRulesTab } from './PosRulesTab';
import { ServiceCodesTab } from './ServiceCodesTab';
import { TypeCodesTab } from './TypeCodesTab';
import { ShowWhenSettled } from '../../../ui/ShowWhenSettled';
import './billing-setup.css';

const TABS = [
  { id: 'codes', label: 'Service codes' },
  { id: 'fees', label: 'Fee schedule' },
  { id: 'types', label: 'Appointment types' },
  { id: 'pos', label: 'Place of service' },
  { id: 'policy', label: 'Payment policy' },
  { id: 'payers', label: 'Payers' },
  { id: 'providers', label: 'Providers' },
] as const;
type TabId = (typeof TABS)[number]['id'];

/**
 * Billing > Set-up: service codes, the fee schedule, default codes per appointment type, place-of-service
 * rules, the payment policy, and the claims set-up (payers, billing / pay-to and rendering providers, the
 * clearinghouse). Tabs follow the ARIA pattern (arrow keys move, Home/End); Alt+1…7 jump from
 * anywhere on the page. The open tab is in the URL (?tab=fees) so a reload or a link lands on it.
 */
export function BillingSetupPage() {
  useDocumentTitle('Billing set-up');
  const can = useCan();
  const canManage = can('billing.manage');
  const [params, setParams] = useSearchParams();
  const current: TabId = TABS.some((t) => t.id === params.get('tab'))
    ? (params.get('tab') as TabId)
    : 'codes';
  const refs = useRef<Record<string, HTMLButtonElement | null>>({});
  const select = (id: TabId, focus = false) => {
    setParams({ tab: id }, { replace: true });
    if (focus) refs.current[id]?.focus();
  };
  useEffect(() => {
    const onKey = (e: globalThis.KeyboardEvent) => {
      if (!e.altKey || e.ctrlKey || e.metaKey) return;
      const n = Number(e.key);
      if (n >= 1 && n <= TABS.length) {
        e.preventDefault();
        setParams({ tab: TABS[n - 1]!.id }, { replace: true });
        refs.current[TABS[n - 1]!.id]?.focus();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [setParams]);
  const onTabKey = (e: KeyboardEvent<HTMLButtonElement>) => {
    const i = TABS.findIndex((t) => t.id === current);
    const to =
      e.key === 'ArrowRight'
        ? (i + 1) % TABS.length
        : e.key === 'ArrowLeft'
          ? (i - 1 + TABS.length) % TABS.length
          : e.key === 'Home'
            ? 0
            : e.key === 'End'
              ? TABS.length - 1
              : null;
    if (to === null) return;
    e.preventDefault();
    select(TABS[to]!.id, true);
  };
  return (
    <section className="page">
      <PageHeader title="Billing set-up">
        <p>
          Codes and fees the clinic bills, how visits map to a place of service, the payment policy, and who
          claims go to and from.
        </p>
      </PageHeader>
      <div role="tablist" aria-label="Billing set-up" className="bs-tabs">
        {TABS.map((t, i) => (
          <button
            key={t.id}
            ref={(el) => {
              refs.current[t.id] = el;
            }}
            type="button"
            role="tab"
            id={`bs-tab-${t.id}`}
            aria-selected={current === t.id}
            aria-controls={`bs-panel-${t.id}`}
            tabIndex={current === t.id ? 0 : -1}
            className="bs-tab"
            onClick={() => select(t.id)}
            onKeyDown={onTabKey}
          >
            {t.label}
            <kbd aria-hidden="true">Alt+{i + 1}</kbd>
          </button>
        ))}
      </div>
      <div role="tabpanel" id={`bs-panel-${current}`} aria-labelledby={`bs-tab-${current}`}>
        {/* A tab's sections read their own data; they show together, once (keyed: again on a new tab). */}
        <ShowWhenSettled key={current} label="Loading…">
          {current === 'codes' ? <ServiceCodesTab canManage={canManage} /> : null}
          {current === 'fees' ? <FeeScheduleTab /> : null}
          {current === 'types' ? <TypeCodesTab /> : null}
          {current === 'pos' ? <PosRulesTab canManage={canManage} /> : null}
          {current === 'policy' ? <PaymentPolicyTab canManage={canManage} /> : null}
          {current === 'payers' ? (
            <div className="cs-stack">
              <PayersTab canManage={canManage} />
              <ClearinghouseTab canManage={canManage} />
            </div>
          ) : null}
          {current === 'providers' ? (
            <div className="cs-stack">
              <BillingProviderTab canManage={canManage} />
              <RenderingProvidersTab canManage={canManage} />
            </div>
          ) : null}
        </ShowWhenSettled>
      </div>
    </section>
  );
}
