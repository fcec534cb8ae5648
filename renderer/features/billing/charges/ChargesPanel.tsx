import { useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { formatCents } from '../../../../server/contracts/billing/money';
import type { ChargeLine, VisitCharges } from '../../../../server/contracts/billing/charges';
import {
  encounterModalities,
  encounterModalityLabels,
  type EncounterModality,
} from '../../../../server/contracts/billing/setup';
import { call, errorMessage } from '../../../api/client';
import { useCan, useSession } from '../../../app/auth';
import { Alert } from '../../../ui/Alert';
import { Button } from '../../../ui/Button';
import { SelectField } from '../../../ui/Field';
import { formErrorMessage } from '../../../ui/form';
import { formatShortDateTime } from '../../../ui/format';
import { Loading } from '../../../ui/Page';
import { billingSetupKeys } from '../setup/money-field';
import { AddChargeLineForm } from './AddChargeLineForm';
import { ChargeLinesTable } from './ChargeLinesTable';
import { CloseVisitDialog } from './CloseVisitDialog';
import { ReverseChargeDialog } from './ReverseChargeDialog';
import '../setup/billing-setup.css';

/**
 * A visit's charge lines: proposed from the appointment type, edited while the visit is open (Enter saves a
 * row), posted to the patient's account when the visit is closed, and then corrected only by reversal.
 * This component holds the visit's query, the notice and which dialog is open; the pieces each do one job
 * (ChargeLinesTable and ChargeLineRow, AddChargeLineForm, CloseVisitDialog, ReverseChargeDialog), and every
 * form is on `useZodForm`.
 */
export function ChargesPanel({ encounterId, onPosted }: { encounterId: string; onPosted?: () => void }) {
  const can = useCan();
  const session = useSession();
  const queryClient = useQueryClient();
  const charges = useQuery({
    queryKey: billingSetupKeys.charges(encounterId),
    queryFn: () => call('getVisitCharges', { params: { id: encounterId } }),
  });
  const codes = useQuery({ queryKey: billingSetupKeys.codes, queryFn: () => call('listServiceCodes') });
  const [notice, setNotice] = useState<{ tone: 'success' | 'error'; text: string } | null>(null);
  const [closing, setClosing] = useState(false);
  const [reversing, setReversing] = useState<ChargeLine | null>(null);
  const mayDraft = can('billing.post') || can('chart.write');
  const mayPost = can('billing.post');
  const put = (v: VisitCharges) => queryClient.setQueryData(billingSetupKeys.charges(encounterId), v);
  const fail = (e: unknown) => setNotice({ tone: 'error', text: formErrorMessage(e) });

  const modality = useMutation({
    mutationFn: (m: EncounterModality) =>
      call('setEncounterModality', { params: { id: encounterId }, body: { modality: m } }),
    onSuccess: put,
    onError: fail,
  });
  const propose = useMutation({
    mutationFn: () => call('proposeVisitCharges', { params: { id: encounterId } }),
    onSuccess: (v) => {
      put(v);
      setNotice(
        v.lines.length
          ? null
          : { tone: 'error', text: 'This visit’s appointment type has no default codes. Add a line below.' },
      );
    },
    onError: fail,
  });
  const remove = useMutation({
    mutationFn: (lineId: string) => call('removeChargeLine', { params: { id: encounterId, lineId } }),
    onSuccess: put,
    onError: fail,
  });

  if (charges.isPending) return <Loading label="Loading charges…" />;
  if (charges.isError) return <Alert tone="error">{errorMessage(charges.error)}</Alert>;
  const v = charges.data;
  const open = !v.closedAt;
  const activeCodes = (codes.data?.serviceCodes ?? []).filter((c) => c.active);
  return (
    <section className="charges-panel" aria-label="Charges for this visit" data-testid="charges-panel">
      <div className="charges-head">
        <h3>Charges</h3>
        {open ? (
          <span className="status-chip status-draft">Open</span>
        ) : (
          <span className="status-chip status-posted">
            Closed {formatShortDateTime(v.closedAt, session.clinic.timeZone)}
          </span>
        )}
        <SelectField
          label={<span className="visually-hidden">How the visit happened</span>}
          value={v.modality}
          disabled={!open || !mayDraft}
          onChange={(e) => modality.mutate(e.target.value as EncounterModality)}
          fieldClassName="field-inline charges-modality"
        >
          {encounterModalities.map((m) => (
            <option key={m} value={m}>
              {encounterModalityLabels[m]}
            </option>
          ))}
        </SelectField>
        <span className="small">
          Place of service <strong className="bs-code">{v.placeOfService}</strong>
          {v.posModifiers.length ? ` · modifiers ${v.posModifiers.join(', ')}` : ''}
        </span>
        <span className="small" style={{ marginLeft: 'auto' }}>
          Total{' '}
          <strong className="money" data-testid="charges-total">
            {formatCents(v.totalCents)}
          </strong>
        </span>
      </div>
      {v.diagnoses.length ? (
        <ol className="small dx-list" aria-label="Diagnoses (pointers)">
          {v.diagnoses.map((d) => (
            <li key={d.code}>
              <code>{d.code}</code> {d.description}
            </li>
          ))}
        </ol>
      ) : (
        <p className="small muted">
          No diagnoses coded yet: lines point at the visit’s diagnoses by number once they are.
        </p>
      )}
      {notice ? <Alert tone={notice.tone}>{notice.text}</Alert> : null}
      {v.lines.length ? (
        <ChargeLinesTable
          charges={v}
          encounterId={encounterId}
          editable={open && mayDraft}
          mayPost={mayPost}
          onSaved={put}
          onRemove={(lineId) => remove.mutate(lineId)}
          onReverse={setReversing}
        />
      ) : (
        <p className="empty-state">
          No charge lines yet.{' '}
          {open && mayDraft ? (
            <Button
              size="small"
              onClick={() => propose.mutate()}
              busy={propose.isPending}
              busyLabel="Proposing…"
            >
              Propose from the appointment type
            </Button>
          ) : null}
        </p>
      )}
      {mayDraft && (open || mayPost) ? (
        <AddChargeLineForm
          encounterId={encounterId}
          open={open}
          codes={activeCodes}
          onAdded={(next) => {
            put(next);
            setNotice(null);
          }}
        >
          {open && mayPost ? (
            <Button variant="primary" onClick={() => setClosing(true)} style={{ marginLeft: 'auto' }}>
              Close visit and post charges
            </Button>
          ) : null}
        </AddChargeLineForm>
      ) : null}
      {closing ? (
        <CloseVisitDialog
          charges={v}
          onClose={() => setClosing(false)}
          onDone={(next) => {
            put(next);
            setClosing(false);
            onPosted?.();
            setNotice({
              tone: 'success',
              text: `Visit closed: ${formatCents(next.totalCents)} posted to the patient’s account.`,
            });
          }}
        />
      ) : null}
      {reversing ? (
        <ReverseChargeDialog
          encounterId={encounterId}
          line={reversing}
          onClose={() => setReversing(null)}
          onDone={(next) => {
            put(next);
            setReversing(null);
            setNotice({
              tone: 'success',
              text: `${reversing.code} reversed. Add the corrected line if one is due.`,
            });
          }}
        />
      ) : null}
    </section>
  );
}
