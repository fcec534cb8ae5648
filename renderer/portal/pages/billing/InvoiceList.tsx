import { formatCents } from '../../../../server/contracts/billing/money';
import type { PortalInvoice } from '../../../../server/contracts/portal/billing';
import { Button } from '../../../ui/Button';
import { useI18n } from '../../i18n';
import { useDates } from './dates';

/** The open bills, one per visit: each service with what is still the patient's to pay, and Pay. */
export function InvoiceList({
  invoices,
  canPay,
  starting,
  onPay,
}: {
  invoices: PortalInvoice[];
  canPay: boolean;
  starting: string | null;
  onPay: (invoiceId: string) => void;
}) {
  const { t } = useI18n();
  const { day } = useDates();
  return (
    <>
      <h2 className="portal-subtitle">{t('bill.invoices')}</h2>
      {invoices.length === 0 ? <p>{t('bill.noInvoices')}</p> : null}
      <ul className="portal-list">
        {invoices.map((inv) => {
          const date = inv.serviceDate ? day(inv.serviceDate) : t('bill.visitUndated');
          const amount = formatCents(inv.openCents);
          return (
            <li key={inv.id} className="portal-invoice" data-testid="portal-invoice">
              <p className="portal-appt-when">
                {inv.serviceDate ? t('bill.visit', { date }) : date}
                <strong>{amount}</strong>
              </p>
              <ul className="portal-lines">
                {inv.lines.map((l, i) => (
                  <li key={i}>
                    <span>{l.description}</span>
                    <span>{formatCents(l.openCents)}</span>
                  </li>
                ))}
              </ul>
              {inv.insurancePendingCents > 0 ? (
                <p className="portal-help">
                  {t('bill.insurance', { amount: formatCents(inv.insurancePendingCents) })}
                </p>
              ) : null}
              {canPay && inv.openCents >= 50 ? (
                <Button
                  busy={starting === inv.id}
                  busyLabel={t('common.loading')}
                  onClick={() => onPay(inv.id)}
                >
                  {t('bill.payInvoice', { amount })}
                </Button>
              ) : null}
            </li>
          );
        })}
      </ul>
    </>
  );
}
