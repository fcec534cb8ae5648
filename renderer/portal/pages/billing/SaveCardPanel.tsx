import { zodResolver } from '@hookform/resolvers/zod';
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { z } from 'zod';
import { parseCents } from '../../../../server/contracts/billing/money';
import { CARD_AMOUNT_MAX_CENTS } from '../../../../server/contracts/central/payments';
import { Alert } from '../../../ui/Alert';
import { Button } from '../../../ui/Button';
import { Checkbox, TextField } from '../../../ui/Field';
import { portal, PortalError } from '../../api';
import { useI18n, type MessageKey } from '../../i18n';
import { StepUpCard } from '../../signin/StepUpCard';
import { StripeCardForm } from './StripeCardForm';

const schema = z.object({
  maxAmount: z.string().refine((v) => (parseCents(v, CARD_AMOUNT_MAX_CENTS) ?? 0) >= 50, 'err.amount'),
  endsOn: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'err.endsOn'),
  agree: z.boolean().refine((v) => v, 'err.agree'),
});
type Values = z.infer<typeof schema>;
type Setup = { cardId: string; clientSecret: string; publishableKey: string };

/**
 * Saving a card under the card-on-file agreement: the patient reads the agreement, sets the most per
 * charge and the last day, accepts, then types the card into Stripe's Payment Element. Changing payment
 * methods needs the second factor: after an e-mailed link sign-in the step-up card comes first.
 */
export function SaveCardPanel({
  clinicName,
  onSaved,
  onCancel,
}: {
  clinicName: string;
  onSaved: () => void;
  onCancel: () => void;
}) {
  const { t, errorText } = useI18n();
  const [setup, setSetup] = useState<Setup | null>(null);
  const [stepUp, setStepUp] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const [waiting, setWaiting] = useState(false);
  const [requestId] = useState(() => crypto.randomUUID());
  const form = useForm<Values>({
    resolver: zodResolver(schema),
    defaultValues: { maxAmount: '', endsOn: '', agree: false },
  });
  const errors = form.formState.errors;
  const tr = (m: string | undefined) => (m ? t(m as MessageKey) : undefined);

  const start = form.handleSubmit(async (v) => {
    setFailure(null);
    try {
      setSetup(
        await portal('portalSaveCard', {
          body: { requestId, maxAmountCents: parseCents(v.maxAmount)!, endsOn: v.endsOn, agree: true },
        }),
      );
    } catch (err) {
      if (err instanceof PortalError && err.code === 'step_up_required') setStepUp(true);
      else if (err instanceof PortalError && err.fields.endsOn) form.setError('endsOn', { message: err.fields.endsOn });
      else setFailure(errorText(err));
    }
  });

  /** Stripe accepted the card; the agreement is active once Stripe's webhook reached central. */
  const confirmed = async () => {
    setWaiting(true);
    for (let i = 0; i < 60; i++) {
      const billing = await portal('portalBilling').catch(() => null);
      if (billing?.cards.some((c) => c.id === setup?.cardId && c.status === 'active')) return onSaved();
      await new Promise((r) => setTimeout(r, 1_000));
    }
    setWaiting(false);
    setFailure(t('common.error'));
  };

  if (stepUp)
    return (
      <StepUpCard
        onDone={() => {
          setStepUp(false);
          void start();
        }}
      />
    );
  return (
    <section className="portal-card" aria-labelledby="save-title">
      <h1 id="save-title" className="portal-title">
        {t('bill.saveTitle')}
      </h1>
      <p className="portal-help">{t('bill.payHelp')}</p>
      {!setup ? (
        <form className="portal-form" noValidate onSubmit={(e) => void start(e)}>
          <p data-testid="card-agreement">{t('bill.agreement', { clinic: clinicName })}</p>
          <TextField
            label={t('bill.maxAmount')}
            hint={t('bill.maxHint')}
            inputMode="decimal"
            error={tr(errors.maxAmount?.message)}
            {...form.register('maxAmount')}
          />
          <TextField
            label={t('bill.endsOn')}
            type="date"
            error={tr(errors.endsOn?.message)}
            {...form.register('endsOn')}
          />
          <Checkbox label={t('bill.agree')} error={tr(errors.agree?.message)} {...form.register('agree')} />
          {failure ? <Alert tone="error">{failure}</Alert> : null}
          <div className="portal-actions">
            <Button type="submit" variant="primary" busy={form.formState.isSubmitting} busyLabel={t('bill.saving')}>
              {t('bill.continue')}
            </Button>
            <Button onClick={onCancel}>{t('bill.cancel')}</Button>
          </div>
        </form>
      ) : waiting ? (
        <p role="status">{t('bill.savedWaiting')}</p>
      ) : (
        <>
          {failure ? <Alert tone="error">{failure}</Alert> : null}
          <StripeCardForm
            publishableKey={setup.publishableKey}
            clientSecret={setup.clientSecret}
            mode="setup"
            submitLabel={t('bill.saveNow')}
            busyLabel={t('bill.saving')}
            onConfirmed={() => void confirmed()}
            onCancel={onCancel}
          />
        </>
      )}
    </section>
  );
}
