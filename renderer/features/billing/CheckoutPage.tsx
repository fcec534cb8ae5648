import { useState } from 'react';
import { Link, useParams, useSearchParams } from 'react-router';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import type { PostingResult } from '../../../server/contracts/billing/ledger';
import { call, errorMessage } from '../../api/client';
import { keys } from '../../api/keys';
import { isLiveRefresh } from '../../api/live';
import { useSession } from '../../app/auth';
import { Alert } from '../../ui/Alert';
import { Button } from '../../ui/Button';
import { formatCalendarDate, formatShortDateTime } from '../../ui/format';
import { Loading, useDocumentTitle } from '../../ui/Page';
import { PatientBanner } from '../patients/PatientBanner';
import { balanceText, formatCents, paymentMethodLabels } from './billing-format';
import { PaymentForm } from './PaymentForm';
import './billing.css';

/**
 * Checkout: what is due today for the visit (the copay recorded at check-in, less what was paid against
 * it today, or the patient's balance when that is more), today's charges and payments, and a collection
 * form prefilled with the amount due. Credit already on the account can be applied to today's charges
 * first. Receipts are printed from the account's documents.
 */
export function CheckoutPage() {
  const { patientId = '' } = useParams();
  const [search] = useSearchParams();
  const appointmentId = search.get('appointment');
  const session = useSession();
  const timeZone = session.clinic.timeZone;
  const queryClient = useQueryClient();
  const [done, setDone] = useState<PostingResult | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [formKey, setFormKey] = useState(0);
  useDocumentTitle('Checkout');

  const account = useQuery({
    queryKey: keys.account(patientId, {}),
    queryFn: ({ queryKey, signal }) =>
      call('getPatientAccount', { params: { patientId }, signal, background: isLiveRefresh(queryKey) }),
  });
  const due = useQuery({
    queryKey: keys.dueToday(patientId, appointmentId),
    queryFn: ({ queryKey, signal }) =>
      call('getDueToday', {
        params: { patientId },
        query: { appointmentId: appointmentId ?? undefined },
        signal,
        background: isLiveRefresh(queryKey),
      }),
  });

  const refresh = () => queryClient.invalidateQueries({ queryKey: keys.billingAll });
  if (account.isPending || due.isPending) return <Loading label="Working out what is due…" />;
  const failed = account.error ?? due.error;
  if (failed) return <Alert tone="error">{errorMessage(failed)}</Alert>;
  const a = account.data!;
  const d = due.data!;
  const openTotal = a.openCharges.reduce((t, c) => t + c.openCents, 0);
  const canApply = d.unappliedCreditCents > 0 && openTotal > 0;

  return (
    <section className="page page-wide checkout-page" aria-label="Checkout">
      <PatientBanner patient={a.patient} timeZone={timeZone} />
      <div className="checkout-grid">
        <section className="panel" aria-labelledby="due-today">
          <h2 id="due-today" className="section-title">
            Due today
          </h2>
          <dl className="due-list" data-testid="due-today">
            <div>
              <dt>Copay recorded at check-in</dt>
              <dd className="num">{d.copayDueCents === null ? '—' : formatCents(d.copayDueCents)}</dd>
            </div>
            <div>
              <dt>Paid today{appointmentId ? ' for this visit' : ''}</dt>
              <dd className="num">{formatCents(d.paidTodayCents)}</dd>
            </div>
            <div>
              <dt>Patient balance</dt>
              <dd className="num">{balanceText(d.patientBalanceCents)}</dd>
            </div>
            <div>
              <dt>Unapplied credit</dt>
              <dd className="num">{formatCents(d.unappliedCreditCents)}</dd>
            </div>
            <div className="due-now">
              <dt>Collect now (copay and balance)</dt>
              <dd className="num" data-testid="due-now">
                {formatCents(d.dueNowCents)}
              </dd>
            </div>
          </dl>
          {canApply ? (
            <div className="button-row">
              <Button
                onClick={async () => {
                  setError(null);
                  try {
                    await call('applyCredit', {
                      params: { patientId },
                      body: { allocation: { mode: 'oldest_first' } },
                    });
                    await refresh();
                  } catch (err) {
                    setError(errorMessage(err));
                  }
                }}
              >
                Apply {formatCents(Math.min(d.unappliedCreditCents, openTotal))} credit to open charges
              </Button>
            </div>
          ) : null}
          {error ? <Alert tone="error">{error}</Alert> : null}
          <h3 className="section-title">Today’s charges</h3>
          {d.chargesToday.length ? (
            <ul className="plain-list">
              {d.chargesToday.map((c) => (
                <li key={c.entryId}>
                  {c.serviceDate ? formatCalendarDate(c.serviceDate) : ''} · {formatCents(c.amountCents)} ·{' '}
                  {formatCents(c.openCents)} open{c.memo ? ` · ${c.memo}` : ''}
                </li>
              ))}
            </ul>
          ) : (
            <p className="muted">
              No charges for today’s visit yet (they are posted when the visit is closed). Older charges are
              in the patient balance.
            </p>
          )}
          <h3 className="section-title">Payments today</h3>
          {d.paymentsToday.length ? (
            <ul className="plain-list" data-testid="payments-today">
              {d.paymentsToday.map((p) => (
                <li key={p.id}>
                  {formatShortDateTime(p.postedAt, timeZone)} · {formatCents(p.amountCents)}{' '}
                  {p.method ? paymentMethodLabels[p.method] : ''}
                  {p.checkNumber ? ` #${p.checkNumber}` : ''}
                </li>
              ))}
            </ul>
          ) : (
            <p className="muted">None yet.</p>
          )}
        </section>
        <section className="panel" aria-labelledby="collect">
          <h2 id="collect" className="section-title">
            Collect
          </h2>
          {done ? (
            <Alert tone="success" title="Payment posted">
              <span>
                {formatCents(
                  done.entries.reduce((t, e) => t + (e.kind === 'payment' ? e.amountCents : 0), 0),
                )}{' '}
                taken. Account balance now {balanceText(done.balances.totalCents)}.
              </span>
            </Alert>
          ) : null}
          <PaymentForm
            key={formKey}
            patientId={patientId}
            appointmentId={appointmentId}
            defaultAmountCents={done ? undefined : d.dueNowCents || undefined}
            submitLabel="Collect"
            onPosted={(r) => {
              setDone(r);
              setFormKey((k) => k + 1);
              void refresh();
            }}
          />
          <p className="button-row">
            <Link to={`/billing/accounts/${patientId}`}>Open the account</Link>
            <Link to="/schedule/board">Back to the check-in board</Link>
          </p>
        </section>
      </div>
    </section>
  );
}
