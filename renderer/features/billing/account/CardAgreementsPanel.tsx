import { useState } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import type { CardAgreement } from '../../../../server/contracts/billing/cards';
import { call, errorMessage } from '../../../api/client';
import { useCan } from '../../../app/auth';
import { Button } from '../../../ui/Button';
import { formatCalendarDate } from '../../../ui/format';
import { agreementSummary, todayYmd } from '../cards/card-format';
import { cardKeys } from '../cards/card-keys';

const statusText = (a: CardAgreement) =>
  a.status === 'revoked'
    ? `ended ${a.revokedAt ? formatCalendarDate(a.revokedAt.slice(0, 10)) : ''}`.trim()
    : a.status === 'active' && a.endsOn < todayYmd()
      ? 'past its last day'
      : a.status;

/**
 * The patient's card-on-file agreements (kept at central): each card with its limits — the most per charge
 * and the last day — and Revoke for an agreement the patient withdraws. New cards are saved from the
 * payment dialog (Card → Saved card). Without central this says so and nothing else.
 */
export function CardAgreementsPanel({ patientId }: { patientId: string }) {
  const can = useCan();
  const queryClient = useQueryClient();
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const activity = useQuery({
    queryKey: cardKeys.activity(patientId),
    queryFn: ({ signal }) => call('cardActivity', { params: { patientId }, signal }),
    retry: false,
  });
  const agreements = (activity.data?.agreements ?? []).filter((a) => a.status !== 'pending');
  const revoke = async (a: CardAgreement) => {
    setProblem(null);
    setBusy(a.id);
    try {
      await call('cardAgreementRevoke', { params: { id: a.id } });
      await queryClient.invalidateQueries({ queryKey: cardKeys.activity(patientId) });
    } catch (err) {
      setProblem(errorMessage(err));
    } finally {
      setBusy(null);
    }
  };
  return (
    <section className="panel side-panel" aria-labelledby="cards-on-file">
      <h2 id="cards-on-file" className="section-title">
        Cards on file
      </h2>
      {activity.isError ? (
        // The whole sentence (why, what to do) is in the payment dialog; the side column says it short.
        <p className="muted" title={errorMessage(activity.error)}>
          Not available: cards on file are kept at central, which this workstation cannot reach now.
        </p>
      ) : activity.isPending ? null : agreements.length ? (
        <ul className="agreement-list" data-testid="card-agreements">
          {agreements.map((a) => (
            <li key={a.id} className={a.status === 'active' ? undefined : 'muted'}>
              <span>{agreementSummary(a)}</span>
              {a.status !== 'active' ? <span> · {statusText(a)}</span> : null}
              {a.status === 'active' && can('billing.post') ? (
                <Button
                  size="small"
                  variant="link"
                  busy={busy === a.id}
                  busyLabel="Ending…"
                  aria-label={`Revoke the agreement for ${agreementSummary(a)}`}
                  onClick={() => void revoke(a)}
                >
                  Revoke
                </Button>
              ) : null}
            </li>
          ))}
        </ul>
      ) : (
        <p className="muted">None. Save a card from the payment dialog: Card, then Saved card.</p>
      )}
      {problem ? <p className="field-error">{problem}</p> : null}
    </section>
  );
}
