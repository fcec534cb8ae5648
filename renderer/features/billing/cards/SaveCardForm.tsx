import { useEffect, useState } from 'react';
import { z } from 'zod';
import { CARD_AMOUNT_MAX_CENTS, type CardAgreement } from '../../../../server/contracts/billing/cards';
import { parseCents } from '../../../../server/contracts/billing/money';
import { call } from '../../../api/client';
import { Alert } from '../../../ui/Alert';
import { Button } from '../../../ui/Button';
import { SelectField, TextField } from '../../../ui/Field';
import { useZodForm, ZodForm } from '../../../ui/zod-form';
import { agreementSummary, todayYmd } from './card-format';

const saveCardSchema = z
  .object({
    maxAmount: z
      .string()
      .trim()
      .min(1, 'Enter the most a single charge may be.')
      .refine((v) => (parseCents(v) ?? 0) >= 50, 'Enter an amount like 150.00 (at least 0.50).')
      .refine((v) => (parseCents(v) ?? 0) <= CARD_AMOUNT_MAX_CENTS, 'That amount is too large.'),
    endsOn: z.iso.date({ message: 'Enter the last day the card may be charged.' }),
    readerId: z.string().min(1, 'Choose a card reader.'),
  })
  .refine((v) => v.endsOn >= todayYmd(), {
    path: ['endsOn'],
    message: 'The last day cannot be in the past.',
  });

/**
 * The card-on-file agreement: the patient agrees to charges up to a maximum until an end date; the card
 * is saved on the reader, and this form waits until central has heard from Stripe whether it was.
 */
export function SaveCardForm({
  patientId,
  readers,
  onSaved,
}: {
  patientId: string;
  readers: { id: string; label: string }[];
  onSaved: () => void;
}) {
  const [open, setOpen] = useState(false);
  const [waitingFor, setWaitingFor] = useState<string | null>(null);
  const [outcome, setOutcome] = useState<CardAgreement | null>(null);
  // One id per attempt: a double press is the same agreement at central.
  const [requestId, setRequestId] = useState(() => crypto.randomUUID());
  const save = useZodForm(saveCardSchema, {
    defaultValues: { maxAmount: '', endsOn: '', readerId: readers[0]?.id ?? '' },
    fields: ['maxAmount', 'endsOn', 'readerId'],
    aliases: { maxAmountCents: 'maxAmount' },
    onValid: async (v) => {
      try {
        const a = await call('cardAgreementStart', {
          params: { patientId },
          body: {
            requestId,
            maxAmountCents: parseCents(v.maxAmount) ?? 0,
            endsOn: v.endsOn,
            readerId: v.readerId,
          },
        });
        setOutcome(null);
        setWaitingFor(a.id);
      } finally {
        setRequestId(crypto.randomUUID());
      }
    },
  });
  const { register, formState, setValue, getValues } = save.form;
  useEffect(() => {
    if (readers[0] && !getValues('readerId')) setValue('readerId', readers[0].id);
  }, [readers, getValues, setValue]);

  useEffect(() => {
    if (!waitingFor) return;
    const timer = setInterval(() => {
      void call('cardActivity', { params: { patientId }, background: true })
        .then((a) => {
          const found = a.agreements.find((x) => x.id === waitingFor);
          if (found && found.status !== 'pending') {
            setWaitingFor(null);
            setOutcome(found);
            if (found.status === 'active') onSaved();
          }
        })
        .catch(() => undefined);
    }, 1_000);
    return () => clearInterval(timer);
  }, [waitingFor, patientId, onSaved]);

  if (!open)
    return (
      <p className="button-row">
        <Button size="small" onClick={() => setOpen(true)} disabled={readers.length === 0}>
          Save a card on the reader…
        </Button>
      </p>
    );

  return (
    <ZodForm form={save} className="card-save" aria-label="Save a card on file">
      <p className="card-progress-title">Card-on-file agreement</p>
      <p className="field-hint">
        The patient agrees that the clinic may charge this card up to the amount below per charge until the
        last day. Charges above it or after it are refused.
      </p>
      <div className="card-save-grid">
        <TextField
          label="Most per charge ($)"
          inputMode="decimal"
          autoComplete="off"
          error={formState.errors.maxAmount?.message}
          {...register('maxAmount')}
        />
        <TextField
          label="Last day"
          type="date"
          min={todayYmd()}
          error={formState.errors.endsOn?.message}
          {...register('endsOn')}
        />
        <SelectField label="Reader" error={formState.errors.readerId?.message} {...register('readerId')}>
          {readers.map((r) => (
            <option key={r.id} value={r.id}>
              {r.label}
            </option>
          ))}
        </SelectField>
      </div>
      {waitingFor ? (
        <p role="status" className="card-progress-title">
          Waiting for the card on the reader…
        </p>
      ) : null}
      {outcome?.status === 'active' ? (
        <Alert tone="success">Saved: {agreementSummary(outcome)}.</Alert>
      ) : outcome ? (
        <Alert tone="error">{outcome.failureMessage ?? 'The card could not be saved.'}</Alert>
      ) : null}
      <p className="button-row">
        <Button
          type="submit"
          variant="primary"
          busy={formState.isSubmitting || Boolean(waitingFor)}
          busyLabel="Saving…"
        >
          Save the card on the reader
        </Button>
        <Button onClick={() => setOpen(false)} disabled={Boolean(waitingFor)}>
          Close
        </Button>
      </p>
    </ZodForm>
  );
}
