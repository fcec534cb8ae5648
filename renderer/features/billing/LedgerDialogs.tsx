import { useForm, useWatch } from 'react-hook-form';
import { zodResolver } from '@hookform/resolvers/zod';
import { z } from 'zod';
import {
  checkNumberSchema,
  type AccountEntry,
  type Credit,
  type OpenCharge,
  type PostingResult,
} from '../../../server/contracts/billing/ledger';
import { centsToInput } from '../../../server/contracts/billing/money';
import { call } from '../../api/client';
import { Alert } from '../../ui/Alert';
import { Button } from '../../ui/Button';
import { Dialog } from '../../ui/Dialog';
import { Checkbox, SelectField, TextField } from '../../ui/Field';
import { useServerErrors } from '../../ui/form';
import { formatCalendarDate, formatShortDateTime } from '../../ui/format';
import { cents, formatCents, ledgerEntryKindLabels, moneyText, paymentMethodLabels } from './billing-format';
import { PaymentForm } from './PaymentForm';

/**
 * The account screen's dialogs: post a payment, adjust or write off, refund, transfer between patient and
 * insurance, reverse an entry, apply credit. Each is react-hook-form over a zod schema; the server's field
 * errors land next to their fields (an amount beyond what is open, a refund beyond what was paid).
 */

interface Common {
  patientId: string;
  onClose: () => void;
  onPosted: (r: PostingResult) => void;
}

const reason = z.string().trim().min(1, 'Give a reason.').max(500, 'Keep the reason under 500 characters.');
const chargeLabel = (c: OpenCharge) =>
  `${c.serviceDate ? formatCalendarDate(c.serviceDate) : 'No date'} — ${formatCents(c.openCents)} open${c.memo ? ` · ${c.memo}` : ''}`;

export function PaymentDialog({
  patientId,
  onClose,
  onPosted,
  openCharges,
}: Common & { openCharges: OpenCharge[] }) {
  return (
    <Dialog title="Post a payment" onClose={onClose} className="dialog-wide" testId="payment-dialog">
      <PaymentForm
        patientId={patientId}
        full
        openCharges={openCharges}
        onPosted={onPosted}
        onCancel={onClose}
      />
    </Dialog>
  );
}

const adjustSchema = z.object({
  amount: moneyText,
  responsibility: z.enum(['patient', 'insurance']),
  chargeEntryId: z.string(),
  memo: reason,
});
type AdjustValues = z.input<typeof adjustSchema>;

export function AdjustDialog({
  patientId,
  kind,
  openCharges,
  chargeEntryId = '',
  onClose,
  onPosted,
}: Common & { kind: 'adjustment' | 'write_off'; openCharges: OpenCharge[]; chargeEntryId?: string }) {
  const preset = openCharges.find((c) => c.entryId === chargeEntryId);
  const {
    register,
    handleSubmit,
    setError,
    watch,
    formState: { errors, isSubmitting },
  } = useForm<AdjustValues>({
    resolver: zodResolver(adjustSchema),
    defaultValues: {
      amount: preset ? centsToInput(preset.openCents) : '',
      responsibility:
        preset && preset.insuranceOpenCents > 0 && !preset.patientOpenCents ? 'insurance' : 'patient',
      chargeEntryId,
      memo: '',
    },
  });
  const { banner, report, clear } = useServerErrors(
    { setError, watch },
    ['amount', 'responsibility', 'chargeEntryId', 'memo'],
    { amountCents: 'amount', appliesToEntryId: 'chargeEntryId' },
  );
  const writeOff = kind === 'write_off';
  const submit = handleSubmit(async (v) => {
    clear();
    try {
      const body = {
        amountCents: cents(v.amount),
        responsibility: v.responsibility,
        chargeEntryId: v.chargeEntryId || null,
        memo: v.memo,
      };
      onPosted(
        writeOff
          ? await call('postWriteOff', { params: { patientId }, body })
          : await call('postAdjustment', { params: { patientId }, body }),
      );
    } catch (err) {
      report(err);
    }
  });
  return (
    <Dialog title={writeOff ? 'Write off' : 'Adjust'} onClose={onClose} testId="adjust-dialog">
      <form className="form" noValidate onSubmit={(e) => void submit(e)}>
        {banner ? <Alert tone="error">{banner}</Alert> : null}
        <div className="form-grid">
          <TextField
            label="Amount ($)"
            inputMode="decimal"
            className="input-money"
            autoComplete="off"
            data-autofocus
            error={errors.amount?.message}
            {...register('amount')}
          />
          <SelectField
            label="Whose balance"
            error={errors.responsibility?.message}
            {...register('responsibility')}
          >
            <option value="patient">Patient</option>
            <option value="insurance">Insurance</option>
          </SelectField>
        </div>
        <SelectField
          label="Charge"
          hint="Without a charge, the amount goes to the open charges oldest first."
          error={errors.chargeEntryId?.message}
          {...register('chargeEntryId')}
        >
          <option value="">Open charges, oldest first</option>
          {openCharges.map((c) => (
            <option key={c.entryId} value={c.entryId}>
              {chargeLabel(c)}
            </option>
          ))}
        </SelectField>
        <TextField
          label="Reason"
          autoComplete="off"
          hint={
            writeOff
              ? 'For example: small balance, hardship, uncollectable.'
              : 'For example: courtesy discount.'
          }
          error={errors.memo?.message}
          {...register('memo')}
        />
        <div className="button-row">
          <Button
            type="submit"
            variant={writeOff ? 'danger' : 'primary'}
            busy={isSubmitting}
            busyLabel="Posting…"
          >
            {writeOff ? 'Write off' : 'Post adjustment'}
          </Button>
          <Button onClick={onClose}>Cancel</Button>
        </div>
      </form>
    </Dialog>
  );
}

const refundSchema = z
  .object({
    paymentEntryId: z.string().min(1, 'Choose the payment to refund.'),
    amount: moneyText,
    method: z.enum(['cash', 'check', 'other']),
    checkNumber: z.string(),
    unapplyIfNeeded: z.boolean(),
    memo: reason,
  })
  .superRefine((v, ctx) => {
    if (v.method === 'check' && !checkNumberSchema.safeParse(v.checkNumber).success)
      ctx.addIssue({ code: 'custom', path: ['checkNumber'], message: 'Enter the check number.' });
    if (v.method === 'check' && !v.checkNumber.trim())
      ctx.addIssue({ code: 'custom', path: ['checkNumber'], message: 'Enter the check number.' });
  });
type RefundValues = z.input<typeof refundSchema>;

const creditLabel = (c: Credit) =>
  `${formatCents(c.amountCents)} ${c.method ? paymentMethodLabels[c.method] : ''}${c.checkNumber ? ` #${c.checkNumber}` : ''} — ${formatCents(c.unappliedCents)} unapplied, ${formatCents(c.refundableCents)} refundable`;

export function RefundDialog({
  patientId,
  credits,
  paymentEntryId = '',
  timeZone,
  onClose,
  onPosted,
}: Common & { credits: Credit[]; paymentEntryId?: string; timeZone: string }) {
  const first =
    credits.find((c) => c.entryId === paymentEntryId) ??
    credits.find((c) => c.unappliedCents > 0) ??
    credits[credits.length - 1];
  const {
    register,
    handleSubmit,
    setError,
    watch,
    control,
    formState: { errors, isSubmitting },
  } = useForm<RefundValues>({
    resolver: zodResolver(refundSchema),
    defaultValues: {
      paymentEntryId: first?.entryId ?? '',
      amount: first && first.unappliedCents > 0 ? centsToInput(first.unappliedCents) : '',
      method: 'cash',
      checkNumber: '',
      unapplyIfNeeded: false,
      memo: '',
    },
  });
  const { banner, report, clear } = useServerErrors(
    { setError, watch },
    ['paymentEntryId', 'amount', 'method', 'checkNumber', 'memo'],
    { amountCents: 'amount', appliesToEntryId: 'paymentEntryId' },
  );
  const method = useWatch({ control, name: 'method' });
  const chosenId = useWatch({ control, name: 'paymentEntryId' });
  const chosen = credits.find((c) => c.entryId === chosenId);
  const submit = handleSubmit(async (v) => {
    clear();
    try {
      onPosted(
        await call('postRefund', {
          params: { patientId },
          body: {
            paymentEntryId: v.paymentEntryId,
            amountCents: cents(v.amount),
            method: v.method,
            checkNumber: v.method === 'check' ? v.checkNumber.trim() : null,
            unapplyIfNeeded: v.unapplyIfNeeded,
            memo: v.memo,
          },
        }),
      );
    } catch (err) {
      report(err);
    }
  });
  return (
    <Dialog title="Refund" onClose={onClose} className="dialog-wide" testId="refund-dialog">
      {credits.length ? (
        <form className="form" noValidate onSubmit={(e) => void submit(e)}>
          {banner ? <Alert tone="error">{banner}</Alert> : null}
          <SelectField
            label="From payment"
            error={errors.paymentEntryId?.message}
            {...register('paymentEntryId')}
          >
            {credits.map((c) => (
              <option key={c.entryId} value={c.entryId}>
                {formatShortDateTime(c.postedAt, timeZone)} · {creditLabel(c)}
              </option>
            ))}
          </SelectField>
          <div className="form-grid">
            <TextField
              label="Amount ($)"
              inputMode="decimal"
              className="input-money"
              autoComplete="off"
              data-autofocus
              hint={
                chosen
                  ? `At most ${formatCents(chosen.refundableCents)} (what was paid, less refunds).`
                  : undefined
              }
              error={errors.amount?.message}
              {...register('amount')}
            />
            <SelectField label="Refunded as" error={errors.method?.message} {...register('method')}>
              <option value="cash">Cash</option>
              <option value="check">Check</option>
              <option value="other">Other</option>
            </SelectField>
            {method === 'check' ? (
              <TextField
                label="Check number"
                autoComplete="off"
                error={errors.checkNumber?.message}
                {...register('checkNumber')}
              />
            ) : null}
          </div>
          <Checkbox
            label="If the payment is applied to charges, take what is needed back off them first"
            {...register('unapplyIfNeeded')}
          />
          <p className="field-hint">Card payments are refunded to the card through the card processor.</p>
          <TextField label="Reason" autoComplete="off" error={errors.memo?.message} {...register('memo')} />
          <div className="button-row">
            <Button type="submit" variant="danger" busy={isSubmitting} busyLabel="Refunding…">
              Refund
            </Button>
            <Button onClick={onClose}>Cancel</Button>
          </div>
        </form>
      ) : (
        <p>There is no payment on this account to refund.</p>
      )}
    </Dialog>
  );
}

const transferSchema = z.object({
  from: z.enum(['patient', 'insurance']),
  amount: moneyText,
  chargeEntryId: z.string(),
  memo: z.string().max(500, 'Keep the memo under 500 characters.'),
});
type TransferValues = z.input<typeof transferSchema>;

export function TransferDialog({
  patientId,
  openCharges,
  onClose,
  onPosted,
}: Common & { openCharges: OpenCharge[] }) {
  const {
    register,
    handleSubmit,
    setError,
    watch,
    formState: { errors, isSubmitting },
  } = useForm<TransferValues>({
    resolver: zodResolver(transferSchema),
    defaultValues: { from: 'insurance', amount: '', chargeEntryId: '', memo: '' },
  });
  const { banner, report, clear } = useServerErrors(
    { setError, watch },
    ['from', 'amount', 'chargeEntryId', 'memo'],
    {
      amountCents: 'amount',
      appliesToEntryId: 'chargeEntryId',
    },
  );
  const submit = handleSubmit(async (v) => {
    clear();
    try {
      onPosted(
        await call('postTransfer', {
          params: { patientId },
          body: {
            from: v.from,
            to: v.from === 'patient' ? 'insurance' : 'patient',
            amountCents: cents(v.amount),
            chargeEntryId: v.chargeEntryId || null,
            memo: v.memo,
          },
        }),
      );
    } catch (err) {
      report(err);
    }
  });
  return (
    <Dialog title="Transfer responsibility" onClose={onClose} testId="transfer-dialog">
      <form className="form" noValidate onSubmit={(e) => void submit(e)}>
        {banner ? <Alert tone="error">{banner}</Alert> : null}
        <div className="form-grid">
          <SelectField label="Move" error={errors.from?.message} {...register('from')} data-autofocus>
            <option value="insurance">Insurance → patient</option>
            <option value="patient">Patient → insurance</option>
          </SelectField>
          <TextField
            label="Amount ($)"
            inputMode="decimal"
            className="input-money"
            autoComplete="off"
            error={errors.amount?.message}
            {...register('amount')}
          />
        </div>
        <SelectField
          label="Charge (optional)"
          error={errors.chargeEntryId?.message}
          {...register('chargeEntryId')}
        >
          <option value="">The account as a whole</option>
          {openCharges.map((c) => (
            <option key={c.entryId} value={c.entryId}>
              {chargeLabel(c)}
            </option>
          ))}
        </SelectField>
        <TextField
          label="Memo (optional)"
          autoComplete="off"
          hint="For example: deductible, not covered."
          error={errors.memo?.message}
          {...register('memo')}
        />
        <div className="button-row">
          <Button type="submit" variant="primary" busy={isSubmitting} busyLabel="Posting…">
            Transfer
          </Button>
          <Button onClick={onClose}>Cancel</Button>
        </div>
      </form>
    </Dialog>
  );
}

const reverseSchema = z.object({ reason });
export function ReverseDialog({ patientId, entry, onClose, onPosted }: Common & { entry: AccountEntry }) {
  const {
    register,
    handleSubmit,
    setError,
    watch,
    formState: { errors, isSubmitting },
  } = useForm<{ reason: string }>({ resolver: zodResolver(reverseSchema), defaultValues: { reason: '' } });
  const { banner, report, clear } = useServerErrors({ setError, watch }, ['reason']);
  const submit = handleSubmit(async (v) => {
    clear();
    try {
      onPosted(await call('reverseLedgerEntry', { params: { patientId, entryId: entry.id }, body: v }));
    } catch (err) {
      report(err);
    }
  });
  return (
    <Dialog
      title={`Reverse ${ledgerEntryKindLabels[entry.kind].toLowerCase()} of ${formatCents(entry.amountCents)}`}
      onClose={onClose}
      testId="reverse-dialog"
      description="A reversal is a new entry that undoes this one; both stay on the ledger. Payments applied to it are taken back first and become credit."
    >
      <form className="form" noValidate onSubmit={(e) => void submit(e)}>
        {banner ? <Alert tone="error">{banner}</Alert> : null}
        <TextField
          label="Reason"
          autoComplete="off"
          data-autofocus
          error={errors.reason?.message}
          {...register('reason')}
        />
        <div className="button-row">
          <Button type="submit" variant="danger" busy={isSubmitting} busyLabel="Reversing…">
            Reverse
          </Button>
          <Button onClick={onClose}>Cancel</Button>
        </div>
      </form>
    </Dialog>
  );
}

const applySchema = z.object({ mode: z.enum(['oldest_first', 'proportional']) });
export function ApplyCreditDialog({
  patientId,
  creditCents,
  openCents,
  onClose,
  onPosted,
}: Common & { creditCents: number; openCents: number }) {
  const {
    register,
    handleSubmit,
    setError,
    watch,
    formState: { isSubmitting },
  } = useForm<{ mode: 'oldest_first' | 'proportional' }>({
    resolver: zodResolver(applySchema),
    defaultValues: { mode: 'oldest_first' },
  });
  const { banner, report, clear } = useServerErrors({ setError, watch }, ['mode']);
  const submit = handleSubmit(async (v) => {
    clear();
    try {
      onPosted(await call('applyCredit', { params: { patientId }, body: { allocation: { mode: v.mode } } }));
    } catch (err) {
      report(err);
    }
  });
  const applies = Math.min(creditCents, openCents);
  return (
    <Dialog title="Apply credit" onClose={onClose} testId="apply-credit-dialog">
      <form className="form" noValidate onSubmit={(e) => void submit(e)}>
        {banner ? <Alert tone="error">{banner}</Alert> : null}
        <p>
          {formatCents(creditCents)} unapplied credit; {formatCents(openCents)} open on charges.{' '}
          <strong>{formatCents(applies)}</strong> will be applied.
        </p>
        <SelectField label="Apply to" data-autofocus {...register('mode')}>
          <option value="oldest_first">Oldest charges first</option>
          <option value="proportional">Spread over open charges (largest remainder)</option>
        </SelectField>
        <div className="button-row">
          <Button
            type="submit"
            variant="primary"
            busy={isSubmitting}
            busyLabel="Applying…"
            disabled={applies <= 0}
          >
            Apply {formatCents(applies)}
          </Button>
          <Button onClick={onClose}>Cancel</Button>
        </div>
      </form>
    </Dialog>
  );
}

const chargeSchema = z.object({
  amount: moneyText,
  serviceDate: z.iso.date({ message: 'Enter the date of service.' }),
  responsibility: z.enum(['patient', 'insurance']),
  memo: z
    .string()
    .trim()
    .min(1, 'Describe the charge (for example: missed appointment fee).')
    .max(200, 'Keep the description under 200 characters.'),
});
type ChargeValues = z.input<typeof chargeSchema>;

/** A charge not from a visit: a no-show or late-cancel fee, a records fee (visit charges come from the visit). */
export function ChargeDialog({ patientId, today, onClose, onPosted }: Common & { today: string }) {
  const {
    register,
    handleSubmit,
    setError,
    watch,
    formState: { errors, isSubmitting },
  } = useForm<ChargeValues>({
    resolver: zodResolver(chargeSchema),
    defaultValues: { amount: '', serviceDate: today, responsibility: 'patient', memo: '' },
  });
  const { banner, report, clear } = useServerErrors(
    { setError, watch },
    ['amount', 'serviceDate', 'responsibility', 'memo'],
    { amountCents: 'amount' },
  );
  const submit = handleSubmit(async (v) => {
    clear();
    try {
      onPosted(
        await call('postCharge', {
          params: { patientId },
          body: {
            amountCents: cents(v.amount),
            serviceDate: v.serviceDate,
            responsibility: v.responsibility,
            memo: v.memo,
          },
        }),
      );
    } catch (err) {
      report(err);
    }
  });
  return (
    <Dialog
      title="Post a charge"
      onClose={onClose}
      testId="charge-dialog"
      description="For fees that are not from a visit. A visit's charges are posted from its charge lines when it is closed."
    >
      <form className="form" noValidate onSubmit={(e) => void submit(e)}>
        {banner ? <Alert tone="error">{banner}</Alert> : null}
        <TextField
          label="Description"
          autoComplete="off"
          data-autofocus
          hint="Shown on statements and receipts: never clinical."
          error={errors.memo?.message}
          {...register('memo')}
        />
        <div className="form-grid">
          <TextField
            label="Amount ($)"
            inputMode="decimal"
            className="input-money"
            autoComplete="off"
            error={errors.amount?.message}
            {...register('amount')}
          />
          <TextField
            label="Date of service"
            type="date"
            error={errors.serviceDate?.message}
            {...register('serviceDate')}
          />
          <SelectField label="Whose" error={errors.responsibility?.message} {...register('responsibility')}>
            <option value="patient">Patient</option>
            <option value="insurance">Insurance</option>
          </SelectField>
        </div>
        <div className="button-row">
          <Button type="submit" variant="primary" busy={isSubmitting} busyLabel="Posting…">
            Post charge
          </Button>
          <Button onClick={onClose}>Cancel</Button>
        </div>
      </form>
    </Dialog>
  );
}
