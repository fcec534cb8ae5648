import { useEffect, useRef, useState } from 'react';
import { Alert } from '../../../ui/Alert';
import { Button } from '../../../ui/Button';
import { useI18n } from '../../i18n';
import { mountCardForm, type CardForm } from './stripe-js';

/**
 * Stripe's Payment Element for one intent (a payment or saving a card), with the page's own button. The
 * card is typed into Stripe's frame; `confirm` goes to Stripe and never through central. Stripe's refusal
 * (declined, expired…) is shown as Stripe words it, in the page's language.
 */
export function StripeCardForm({
  publishableKey,
  clientSecret,
  mode,
  submitLabel,
  busyLabel,
  onConfirmed,
  onCancel,
}: {
  publishableKey: string;
  clientSecret: string;
  mode: 'payment' | 'setup';
  submitLabel: string;
  busyLabel: string;
  onConfirmed: () => void;
  onCancel: () => void;
}) {
  const { t, lang } = useI18n();
  const host = useRef<HTMLDivElement>(null);
  const [form, setForm] = useState<CardForm | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    let live = true;
    let mounted: CardForm | null = null;
    mountCardForm(host.current!, { publishableKey, clientSecret, mode, locale: lang })
      .then((f) => {
        mounted = f;
        if (live) setForm(f);
        else f.destroy();
      })
      .catch(() => live && setFailure(t('bill.cardFormFailed')));
    return () => {
      live = false;
      mounted?.destroy();
    };
  }, [publishableKey, clientSecret, mode, lang, t]);

  const confirm = async () => {
    if (!form) return;
    setBusy(true);
    setFailure(null);
    try {
      const result = await form.confirm();
      if (result.error) setFailure(result.error.message ?? t('common.error'));
      else onConfirmed();
    } catch {
      setFailure(t('common.offline'));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="portal-form">
      <div ref={host} className="portal-card-element" data-testid="payment-element" />
      {!form && !failure ? <p role="status">{t('bill.cardLoading')}</p> : null}
      {failure ? (
        <Alert tone="error" testId="card-error">
          {failure}
        </Alert>
      ) : null}
      <div className="portal-actions">
        <Button variant="primary" disabled={!form} busy={busy} busyLabel={busyLabel} onClick={() => void confirm()}>
          {submitLabel}
        </Button>
        <Button onClick={onCancel} disabled={busy}>
          {t('bill.cancel')}
        </Button>
      </div>
    </div>
  );
}
