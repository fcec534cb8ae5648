import { formatCents } from '../../../../server/contracts/billing/money';
import { useI18n } from '../../i18n';
import { StripeCardForm } from './StripeCardForm';

export interface PaymentStart {
  paymentId: string;
  amountCents: number;
  clientSecret: string;
  publishableKey: string;
}

/** Paying an amount central fixed: Stripe's Payment Element and the pay button. */
export function PayPanel({
  start,
  onPaid,
  onCancel,
}: {
  start: PaymentStart;
  onPaid: () => void;
  onCancel: () => void;
}) {
  const { t } = useI18n();
  const amount = formatCents(start.amountCents);
  return (
    <section className="portal-card" aria-labelledby="pay-title">
      <h1 id="pay-title" className="portal-title">
        {t('bill.payTitle', { amount })}
      </h1>
      <p className="portal-help">{t('bill.payHelp')}</p>
      <StripeCardForm
        publishableKey={start.publishableKey}
        clientSecret={start.clientSecret}
        mode="payment"
        submitLabel={t('bill.payNow', { amount })}
        busyLabel={t('bill.paying')}
        onConfirmed={onPaid}
        onCancel={onCancel}
      />
    </section>
  );
}
