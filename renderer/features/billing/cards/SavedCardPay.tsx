import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { CardAgreement } from '../../../../server/contracts/billing/cards';
import { formatCents } from '../../../../server/contracts/billing/money';
import { call, errorMessage } from '../../../api/client';
import { Alert } from '../../../ui/Alert';
import { Button } from '../../../ui/Button';
import { agreementSummary, cardName, todayYmd } from './card-format';
import { cardKeys } from './card-keys';
import { SaveCardForm } from './SaveCardForm';

/**
 * Paying with a saved card: the patient's active card-on-file agreements to choose from, the charge (never
 * above the agreement's maximum), and saving another card on the reader.
 */
export function SavedCardPay({
  patientId,
  amountCents,
  busy,
  readers,
  onCharge,
}: {
  patientId: string;
  amountCents: number;
  busy: boolean;
  readers: { id: string; label: string }[];
  onCharge: (agreementId: string) => void;
}) {
  const queryClient = useQueryClient();
  const activity = useQuery({
    queryKey: cardKeys.activity(patientId),
    queryFn: ({ signal }) => call('cardActivity', { params: { patientId }, signal }),
    retry: false,
  });
  const active = (activity.data?.agreements ?? []).filter(
    (a) => a.status === 'active' && a.endsOn >= todayYmd(),
  );
  const [chosenAgreement, setAgreementId] = useState<string>('');
  const agreementId = chosenAgreement || active[0]?.id || '';
  return (
    <div className="card-way-body">
      {activity.isError ? <Alert tone="warning">{errorMessage(activity.error)}</Alert> : null}
      {activity.isSuccess && active.length === 0 ? (
        <p className="empty-state">No card on file for this patient. Save one on the reader below.</p>
      ) : null}
      {active.length > 0 ? (
        <>
          <fieldset className="card-agreements">
            <legend className="field-label">Card on file</legend>
            {active.map((a) => (
              <label key={a.id} className="card-agreement">
                <input
                  type="radio"
                  name="agreement"
                  value={a.id}
                  checked={agreementId === a.id}
                  onChange={() => setAgreementId(a.id)}
                />
                {agreementSummary(a)}
              </label>
            ))}
          </fieldset>
          <SavedCardCharge
            agreement={active.find((a) => a.id === agreementId) ?? null}
            amountCents={amountCents}
            busy={busy}
            onCharge={(a) => onCharge(a.id)}
          />
        </>
      ) : null}
      <SaveCardForm
        patientId={patientId}
        readers={readers}
        onSaved={() => void queryClient.invalidateQueries({ queryKey: cardKeys.activity(patientId) })}
      />
    </div>
  );
}

function SavedCardCharge({
  agreement,
  amountCents,
  busy,
  onCharge,
}: {
  agreement: CardAgreement | null;
  amountCents: number;
  busy: boolean;
  onCharge: (a: CardAgreement) => void;
}) {
  const over = agreement && amountCents > agreement.maxAmountCents;
  return (
    <>
      {over ? (
        <p className="field-error">
          The agreement allows at most {formatCents(agreement.maxAmountCents)} per charge. Take the rest
          another way.
        </p>
      ) : null}
      <p className="button-row">
        <Button
          variant="primary"
          busy={busy}
          busyLabel="Charging…"
          disabled={!agreement || amountCents <= 0 || Boolean(over)}
          onClick={() => agreement && onCharge(agreement)}
        >
          {agreement && amountCents > 0
            ? `Charge ${formatCents(amountCents)} to ${cardName(agreement.cardBrand, agreement.cardLast4)}`
            : 'Charge the saved card'}
        </Button>
      </p>
    </>
  );
}
