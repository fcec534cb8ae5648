import { useState } from 'react';
import { Link } from 'react-router';
import { useMutation, useQuery } from '@tanstack/react-query';
import type { Appointment } from '../../../server/contracts/scheduling';
import { call, errorMessage } from '../../api/client';
import { keys } from '../../api/keys';
import { isLiveRefresh } from '../../api/live';
import { Alert } from '../../ui/Alert';
import { Button } from '../../ui/Button';
import { Dialog } from '../../ui/Dialog';
import { Checkbox, TextField } from '../../ui/Field';
import { formErrorMessage } from '../../ui/form';
import { formatCalendarDate } from '../../ui/format';
import { patientName } from './use-scheduling-data';
import { centsToInput } from '../../../server/contracts/billing/money';
import { useCan } from '../../app/auth';
import { CopayCollection } from '../billing/CopayCollection';

/** "25", "25.5", "25.50" → 2550 cents; null when it is not an amount. */
export function parseDollars(text: string): number | null {
  const m = /^\s*\$?\s*(\d{1,6})(?:\.(\d{1,2}))?\s*$/.exec(text);
  if (!m) return null;
  return Number(m[1]) * 100 + Number((m[2] ?? '0').padEnd(2, '0'));
}

const dollars = (cents: number) => centsToInput(cents);

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
  const [demographics, setDemographics] = useState(false);
  const [insurance, setInsurance] = useState(false);
  // Untouched, the copay field shows what the plan lists (or 0.00).
  const [copayInput, setCopay] = useState<string | null>(null);
  const copay = copayInput ?? (review.data ? dollars(review.data.copayDueCents ?? 0) : '');
  const [error, setError] = useState<string | null>(null);
  const [copayError, setCopayError] = useState<string | undefined>();
  const can = useCan();
  // After check-in: the copay collection step (when a copay is due and the user may take payments).
  const [collect, setCollect] = useState<Appointment | null>(null);

  const checkIn = useMutation({
    mutationFn: (copayDueCents: number) =>
      call('changeVisitStatus', {
        params: { id: appointment.id },
        body: {
          to: 'checked_in',
          checkIn: { demographicsConfirmed: true, insuranceReviewed: true, copayDueCents },
        },
      }),
    onSuccess: (a, copayDueCents) => {
      if (copayDueCents > 0 && can('billing.post')) setCollect(a);
      else onDone(a);
    },
    onError: (err) => setError(formErrorMessage(err)),
  });

  const r = review.data;
  if (collect)
    return (
      <CopayCollection
        appointment={collect}
        patientLabel={patientName(appointment)}
        copayDueCents={collect.copayDueCents ?? 0}
        onDone={() => onDone(collect)}
      />
    );
  return (
    <Dialog
      title={`Check in ${patientName(appointment)}`}
      onClose={onClose}
      className="dialog-wide"
      testId="check-in-dialog"
    >
      {review.isPending ? <p className="loading">Loading the registration…</p> : null}
      {review.isError ? <Alert tone="error">{errorMessage(review.error)}</Alert> : null}
      {r ? (
        <form
          className="form"
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            setError(null);
            const cents = parseDollars(copay);
            setCopayError(
              cents === null ? 'Enter the copay as an amount, e.g. 25.00 (0 when none is due).' : undefined,
            );
            if (!demographics || !insurance) {
              setError('Confirm the demographics and the insurance with the patient first.');
              return;
            }
            if (cents !== null) checkIn.mutate(cents);
          }}
        >
          {error ? <Alert tone="error">{error}</Alert> : null}
          <p>
            <strong>{patientName(appointment)}</strong> · DOB {formatCalendarDate(r.patient.dateOfBirth)} ·
            MRN <code>{r.patient.mrn}</code> ·{' '}
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
              checked={demographics}
              onChange={(e) => setDemographics(e.target.checked)}
              data-autofocus
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
            <Checkbox
              label="I reviewed the insurance card (or self-pay) with the patient"
              checked={insurance}
              onChange={(e) => setInsurance(e.target.checked)}
            />
          </section>
          <TextField
            label="Copay due ($)"
            inputMode="decimal"
            value={copay}
            error={copayError}
            hint="From the primary plan when it lists one; collected next, or at checkout."
            onChange={(e) => setCopay(e.target.value)}
          />
          <div className="button-row">
            <Button type="submit" variant="primary" busy={checkIn.isPending} busyLabel="Checking in…">
              Check in
            </Button>
            <Button onClick={onClose}>Cancel</Button>
          </div>
        </form>
      ) : null}
    </Dialog>
  );
}
