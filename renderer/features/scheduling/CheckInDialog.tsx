import { useEffect, useState } from 'react';
import { Link } from 'react-router';
import { useQuery } from '@tanstack/react-query';
import { useForm } from 'react-hook-form';
import { zodResolver } from '@hookform/resolvers/zod';
import { z } from 'zod';
import type { Appointment, CheckInReview } from '../../../server/contracts/scheduling';
import { call, errorMessage } from '../../api/client';
import { keys } from '../../api/keys';
import { isLiveRefresh } from '../../api/live';
import { Alert } from '../../ui/Alert';
import { Button } from '../../ui/Button';
import { Dialog } from '../../ui/Dialog';
import { Checkbox, TextField } from '../../ui/Field';
import { useServerErrors } from '../../ui/form';
import { formatCalendarDate } from '../../ui/format';
import { patientName } from './use-scheduling-data';
import { centsToInput, parseCents } from '../../../server/contracts/billing/money';
import { useCan } from '../../app/auth';
import { CopayCollection } from '../billing/CopayCollection';
import { EligibilityAnswers, usePatientEligibility } from '../claims/EligibilityAnswers';

/** "25", "25.5", "25.50" → 2550 cents; null when it is not an amount. */
export function parseDollars(text: string): number | null {
  // Whole dollars up to 999,999 typed without grouping: a comma here is more often a typo than a separator.
  return text.includes(',') ? null : parseCents(text, 99_999_999);
}

const dollars = (cents: number) => centsToInput(cents);

/** The check-in form: both confirmations ticked and the copay as an amount (sentences next to each). */
export const checkInFormSchema = z.object({
  demographics: z
    .boolean()
    .refine((v) => v, 'Confirm the name, date of birth, address and phone with the patient first.'),
  insurance: z.boolean().refine((v) => v, 'Review the insurance with the patient first.'),
  copay: z
    .string()
    .refine(
      (t) => parseDollars(t) !== null,
      'Enter the copay as an amount, e.g. 25.00 (0 when none is due).',
    ),
});
type CheckInForm = z.infer<typeof checkInFormSchema>;

/**
 * Check-in: confirm the demographics and the insurance with the patient (the registry says what is missing
 * or expired on the visit date) and record the copay due; then, for staff who post payments, collect it
 * (cash, check with its number, or card) as a payment against the appointment — or leave it for checkout.
 */
export function CheckInDialog({
  appointment,
  onClose,
  onDone,
}: {
  appointment: Appointment;
  onClose(): void;
  onDone(a: Appointment): void;
}) {
  const review = useQuery({
    queryKey: [...keys.appointment(appointment.id), 'check-in'],
    queryFn: ({ queryKey, signal }) =>
      call('getCheckInReview', {
        params: { id: appointment.id },
        signal,
        background: isLiveRefresh(queryKey),
      }),
    staleTime: 0,
  });
  // The eligibility answers sit between the two confirmations: the form waits for them (or their failure)
  // so the checkboxes do not move under the pointer when they arrive. Once shown, the form stays, whatever
  // a later refetch does, so nothing ticked or typed is lost.
  const eligibility = usePatientEligibility(appointment.patient.id);
  const [eligibilityIn, setEligibilityIn] = useState(false);
  if (!eligibilityIn && !eligibility.isPending) setEligibilityIn(true);
  const can = useCan();
  // After check-in: the copay collection step (when a copay is due and the user may take payments).
  const [collect, setCollect] = useState<Appointment | null>(null);
  if (collect)
    return (
      <CopayCollection
        appointment={collect}
        patientLabel={patientName(appointment)}
        copayDueCents={collect.copayDueCents ?? 0}
        onDone={() => onDone(collect)}
      />
    );
  const checkedIn = (a: Appointment) => {
    if ((a.copayDueCents ?? 0) > 0 && can('billing.post')) setCollect(a);
    else onDone(a);
  };
  return (
    <Dialog
      title={`Check in ${patientName(appointment)}`}
      onClose={onClose}
      className="dialog-wide"
      testId="check-in-dialog"
    >
      {review.isPending || !eligibilityIn ? <p className="loading">Loading the registration…</p> : null}
      {review.isError ? <Alert tone="error">{errorMessage(review.error)}</Alert> : null}
      {review.data && eligibilityIn ? (
        <CheckInFormBody
          appointment={appointment}
          review={review.data}
          eligibility={eligibility}
          onClose={onClose}
          onDone={checkedIn}
        />
      ) : null}
    </Dialog>
  );
}

function CheckInFormBody({
  appointment,
  review: r,
  eligibility,
  onClose,
  onDone,
}: {
  appointment: Appointment;
  review: CheckInReview;
  eligibility: ReturnType<typeof usePatientEligibility>;
  onClose(): void;
  onDone(a: Appointment): void;
}) {
  const {
    register,
    handleSubmit,
    setError,
    setFocus,
    watch,
    formState: { errors, isSubmitting },
  } = useForm<CheckInForm>({
    resolver: zodResolver(checkInFormSchema),
    // Untouched, the copay field shows what the plan lists (or 0.00).
    defaultValues: { demographics: false, insurance: false, copay: dollars(r.copayDueCents ?? 0) },
  });
  // The form usually appears after the dialog opened (it waits for the registration), too late for the
  // dialog's own autofocus: the first confirmation takes the focus then, so the desk can tick it with the
  // space bar straight away. (When it is there at once, the dialog focuses it through data-autofocus.)
  useEffect(() => setFocus('demographics'), [setFocus]);
  const server = useServerErrors({ setError, watch }, ['demographics', 'insurance', 'copay'], {
    'checkIn.demographicsConfirmed': 'demographics',
    'checkIn.insuranceReviewed': 'insurance',
    'checkIn.copayDueCents': 'copay',
  });
  const submit = handleSubmit(async (values) => {
    server.clear();
    try {
      const done = await call('changeVisitStatus', {
        params: { id: appointment.id },
        body: {
          to: 'checked_in',
          checkIn: {
            demographicsConfirmed: true,
            insuranceReviewed: true,
            copayDueCents: parseDollars(values.copay) ?? 0,
          },
        },
      });
      onDone(done);
    } catch (err) {
      server.report(err);
    }
  });
  return (
    <form className="form" noValidate onSubmit={(e) => void submit(e)}>
      {server.banner ? <Alert tone="error">{server.banner}</Alert> : null}
      <p>
        <strong>{patientName(appointment)}</strong> · DOB {formatCalendarDate(r.patient.dateOfBirth)} · MRN{' '}
        <code>{r.patient.mrn}</code> ·{' '}
        <Link to={`/patients/${r.patient.id}`}>Open the record to update it</Link>
      </p>
      <section aria-labelledby="ci-demo" className="check-section">
        <h3 id="ci-demo" className="section-title">
          Demographics
        </h3>
        {r.demographics.problems.length ? (
          <Alert tone="warning" title="Missing from the registration">
            <ul>
              {r.demographics.problems.map((p) => (
                <li key={p}>{p}</li>
              ))}
            </ul>
          </Alert>
        ) : (
          <p className="booking-ok">✓ Nothing missing.</p>
        )}
        <Checkbox
          label="I confirmed name, date of birth, address and phone with the patient"
          error={errors.demographics?.message}
          data-autofocus
          {...register('demographics')}
        />
      </section>
      <section aria-labelledby="ci-ins" className="check-section">
        <h3 id="ci-ins" className="section-title">
          Insurance
        </h3>
        {r.insurance.status === 'ok' ? (
          <p className="booking-ok">✓ Coverage in effect on the visit date.</p>
        ) : (
          <Alert
            tone="warning"
            title={
              r.insurance.status === 'expired'
                ? 'Coverage expired'
                : r.insurance.status === 'missing'
                  ? 'No coverage on file for this date'
                  : 'Coverage needs attention'
            }
          >
            <ul>
              {r.insurance.problems.map((p) => (
                <li key={p}>{p}</li>
              ))}
            </ul>
          </Alert>
        )}
        <EligibilityAnswers answers={eligibility} />
        <Checkbox
          label="I reviewed the insurance card (or self-pay) with the patient"
          error={errors.insurance?.message}
          {...register('insurance')}
        />
      </section>
      <TextField
        label="Copay due ($)"
        inputMode="decimal"
        error={errors.copay?.message}
        hint="From the primary plan when it lists one; collected next, or at checkout."
        {...register('copay')}
      />
      <div className="button-row">
        <Button type="submit" variant="primary" busy={isSubmitting} busyLabel="Checking in…">
          Check in
        </Button>
        <Button onClick={onClose}>Cancel</Button>
      </div>
    </form>
  );
}
