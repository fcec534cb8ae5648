import { useCallback, useEffect, useState } from 'react';
import { formatCents } from '../../../../server/contracts/billing/money';
import type { PortalMe } from '../../../../server/contracts/portal';
import type { PortalBilling } from '../../../../server/contracts/portal/billing';
import { Alert } from '../../../ui/Alert';
import { Button } from '../../../ui/Button';
import { portal } from '../../api';
import { useI18n } from '../../i18n';
import { InvoiceList } from './InvoiceList';
import { PayPanel, type PaymentStart } from './PayPanel';
import { ReceiptView } from './ReceiptView';
import { SaveCardPanel } from './SaveCardPanel';
import { PaymentList, SavedCards } from './SavedCards';

type View =
  | { kind: 'list' }
  | { kind: 'pay'; start: PaymentStart }
  | { kind: 'receipt'; paymentId: string }
  | { kind: 'save' };

/**
 * Billing: what the patient owes (their part of the clinic's ledger as central has it), the open bills by
 * visit, paying the balance or one bill by card, receipts, and saved cards. Amounts come from central.
 */
export function BillingPage({ me }: { me: PortalMe }) {
  const { t, errorText } = useI18n();
  const [billing, setBilling] = useState<PortalBilling | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [view, setView] = useState<View>({ kind: 'list' });
  const [starting, setStarting] = useState<string | null>(null);

  const load = useCallback(() => {
    portal('portalBilling')
      .then(setBilling)
      .catch((e: unknown) => setError(errorText(e)));
  }, [errorText]);
  useEffect(load, [load]);
  const back = () => {
    setView({ kind: 'list' });
    load();
  };

  /** Central computes the amount of the balance or bill and starts the PaymentIntent. */
  const pay = async (invoiceId: string | null) => {
    setError(null);
    setNotice(null);
    setStarting(invoiceId ?? 'balance');
    try {
      const start = await portal('portalPay', { body: { requestId: crypto.randomUUID(), invoiceId } });
      setView({ kind: 'pay', start });
    } catch (e) {
      setError(errorText(e));
      load();
    } finally {
      setStarting(null);
    }
  };

  if (view.kind === 'pay')
    return (
      <PayPanel
        start={view.start}
        onPaid={() => setView({ kind: 'receipt', paymentId: view.start.paymentId })}
        onCancel={back}
      />
    );
  if (view.kind === 'receipt') return <ReceiptView paymentId={view.paymentId} onDone={back} />;
  if (view.kind === 'save')
    return (
      <SaveCardPanel
        clinicName={me.clinicName}
        onCancel={back}
        onSaved={() => {
          setNotice(t('bill.saved'));
          back();
        }}
      />
    );

  const canPay = Boolean(billing?.publishableKey);
  return (
    <section className="portal-card" aria-labelledby="bill-title">
      <h1 id="bill-title" className="portal-title">
        {t('bill.title')}
      </h1>
      {error ? <Alert tone="error">{error}</Alert> : null}
      {notice ? <Alert tone="success">{notice}</Alert> : null}
      {!billing && !error ? <p role="status">{t('common.loading')}</p> : null}
      {billing ? (
        <>
          <div className="portal-balance" data-testid="portal-balance">
            {billing.balanceCents > 0 ? (
              <>
                <span className="portal-muted">{t('bill.balance')}</span>
                <strong className="portal-amount">{formatCents(billing.balanceCents)}</strong>
              </>
            ) : billing.balanceCents < 0 ? (
              <p>{t('bill.credit', { amount: formatCents(-billing.balanceCents) })}</p>
            ) : (
              <p>{t('bill.nothingDue')}</p>
            )}
            {billing.insurancePendingCents > 0 ? (
              <p className="portal-help">
                {t('bill.insurance', { amount: formatCents(billing.insurancePendingCents) })}
              </p>
            ) : null}
            {canPay && billing.balanceCents >= 50 ? (
              <div className="portal-actions">
                <Button
                  variant="primary"
                  busy={starting === 'balance'}
                  busyLabel={t('common.loading')}
                  onClick={() => void pay(null)}
                >
                  {t('bill.payBalance', { amount: formatCents(billing.balanceCents) })}
                </Button>
              </div>
            ) : null}
            {!canPay && billing.balanceCents > 0 ? <p className="portal-help">{t('bill.cardsOff')}</p> : null}
          </div>
          <InvoiceList invoices={billing.invoices} canPay={canPay} starting={starting} onPay={(id) => void pay(id)} />
          <PaymentList
            payments={billing.payments}
            onReceipt={(id) => setView({ kind: 'receipt', paymentId: id })}
          />
          <SavedCards
            cards={billing.cards}
            canSave={canPay}
            onSave={() => setView({ kind: 'save' })}
            onRemoved={() => {
              setNotice(t('bill.removed'));
              load();
            }}
          />
        </>
      ) : null}
    </section>
  );
}
