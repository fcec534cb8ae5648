import { formatCents } from '../../../../server/contracts/billing/money';
import type { PortalBilling, PortalSavedCard } from '../../../../server/contracts/portal/billing';
import { Alert } from '../../../ui/Alert';
import { Button } from '../../../ui/Button';
import { portal } from '../../api';
import { useI18n, type MessageKey } from '../../i18n';
import { useStepUpAction } from '../../signin/useStepUpAction';
import { useDates } from './dates';

/** Recent card payments made in the portal, each with its receipt. */
export function PaymentList({
  payments,
  onReceipt,
}: {
  payments: PortalBilling['payments'];
  onReceipt: (id: string) => void;
}) {
  const { t } = useI18n();
  const { dateTime } = useDates();
  return (
    <>
      <h2 className="portal-subtitle">{t('bill.payments')}</h2>
      {payments.length === 0 ? <p>{t('bill.noPayments')}</p> : null}
      <ul className="portal-list">
        {payments.map((p) => (
          <li key={p.id} className="portal-row" data-testid="portal-payment">
            <span>
              <strong>{formatCents(p.amountCents)}</strong> · {t(`bill.status.${p.status}` as MessageKey)}
              <br />
              <span className="portal-muted">
                {dateTime(p.succeededAt ?? p.createdAt)}
                {p.card ? ` · ${p.card}` : ''}
              </span>
            </span>
            {p.status === 'succeeded' ? (
              <Button size="small" onClick={() => onReceipt(p.id)}>
                {t('bill.receipt')}
              </Button>
            ) : null}
          </li>
        ))}
      </ul>
    </>
  );
}

/**
 * Cards saved under a card-on-file agreement (its limit and last day), Remove, and Save a card. Removing
 * is a change of payment method: after an e-mailed link sign-in it asks for the second factor first.
 */
export function SavedCards({
  cards,
  canSave,
  onSave,
  onRemoved,
}: {
  cards: PortalSavedCard[];
  canSave: boolean;
  onSave: () => void;
  onRemoved: () => void;
}) {
  const { t } = useI18n();
  const { day } = useDates();
  const { run: remove, error: failure, stepUp } = useStepUpAction(async (id) => {
    await portal('portalRemoveCard', { params: { id } });
    onRemoved();
  });
  if (stepUp) return stepUp;
  return (
    <>
      <h2 className="portal-subtitle">{t('bill.cards')}</h2>
      {failure ? <Alert tone="error">{failure}</Alert> : null}
      {cards.length === 0 ? <p>{t('bill.noCards')}</p> : null}
      <ul className="portal-list">
        {cards.map((c) => (
          <li key={c.id} className="portal-row" data-testid="portal-saved-card">
            <span>
              <strong>{c.card ?? t('bill.cardPending')}</strong>
              <br />
              <span className="portal-muted">
                {t('bill.cardLimit', { amount: formatCents(c.maxAmountCents), date: day(c.endsOn) })}
              </span>
            </span>
            <Button
              size="small"
              aria-label={t('bill.removeLabel', { card: c.card ?? t('bill.cardPending') })}
              onClick={() => void remove(c.id)}
            >
              {t('bill.remove')}
            </Button>
          </li>
        ))}
      </ul>
      {canSave ? (
        <div className="portal-actions">
          <Button onClick={onSave}>{t('bill.saveCard')}</Button>
        </div>
      ) : null}
    </>
  );
}
