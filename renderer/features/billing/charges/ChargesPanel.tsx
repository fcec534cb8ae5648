import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { zodResolver } from '@hookform/resolvers/zod';
import { z } from 'zod';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { formatCents } from '../../../../server/contracts/billing/money';
import { chargeReverseSchema, type ChargeLine, type VisitCharges } from '../../../../server/contracts/billing/charges';
import {
  encounterModalities,
  encounterModalityLabels,
  modifierSchema,
  placeOfServiceCodeSchema,
  type EncounterModality,
} from '../../../../server/contracts/billing/setup';
import { call, errorMessage } from '../../../api/client';
import { useCan, useSession } from '../../../app/auth';
import { Alert } from '../../../ui/Alert';
import { Button } from '../../../ui/Button';
import { Dialog } from '../../../ui/Dialog';
import { SelectField, TextField } from '../../../ui/Field';
import { formErrorMessage, useServerErrors } from '../../../ui/form';
import { formatCalendarDate, formatShortDateTime } from '../../../ui/format';
import { Loading } from '../../../ui/Page';
import { billingSetupKeys, centsOf, moneyText, moneyValue } from '../setup/money-field';
import { splitModifiers } from '../setup/PosRulesTab';
import '../setup/billing-setup.css';

/** "1, 2" -> [1, 2]. */
const splitPointers = (text: string) =>
  text
    .split(/[\s,]+/)
    .filter(Boolean)
    .map((p) => Number(p));

const lineSchema = z.object({
  units: z.number({ message: 'Enter the units.' }).int('Whole units.').min(1, 'At least 1.').max(99, 'At most 99.'),
  modifiers: z
    .string()
    .refine((t) => splitModifiers(t).every((m) => modifierSchema.safeParse(m).success), 'Two letters or digits each.')
    .refine((t) => splitModifiers(t).length <= 4, 'At most 4 modifiers on a line.'),
  pointers: z
    .string()
    .refine((t) => /^\s*\d+(\s*[, ]\s*\d+)*\s*$/.test(t), 'Diagnosis numbers, like 1, 2.')
    .refine((t) => splitPointers(t).length <= 4, 'At most 4 diagnoses per line.'),
  placeOfService: placeOfServiceCodeSchema,
  fee: moneyText(),
});
type LineValues = z.input<typeof lineSchema>;

/**
 * A visit's charge lines: proposed from the appointment type, edited while the visit is open (Enter saves a
 * row), posted to the patient's account when the visit is closed, and then corrected only by reversal.
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
  const [addCode, setAddCode] = useState('');
  const mayDraft = can('billing.post') || can('chart.write');
  const mayPost = can('billing.post');
  const put = (v: VisitCharges) => queryClient.setQueryData(billingSetupKeys.charges(encounterId), v);
  const fail = (e: unknown) => setNotice({ tone: 'error', text: formErrorMessage(e) });

  const modality = useMutation({
    mutationFn: (m: EncounterModality) => call('setEncounterModality', { params: { id: encounterId }, body: { modality: m } }),
    onSuccess: put,
    onError: fail,
  });
  const add = useMutation({
    mutationFn: (serviceCodeId: string) => call('addChargeLine', { params: { id: encounterId }, body: { serviceCodeId } }),
    onSuccess: (v) => {
      put(v);
      setAddCode('');
      setNotice(null);
    },
    onError: fail,
  });
  const propose = useMutation({
    mutationFn: () => call('proposeVisitCharges', { params: { id: encounterId } }),
    onSuccess: (v) => {
      put(v);
      setNotice(v.lines.length ? null : { tone: 'error', text: 'This visit’s appointment type has no default codes. Add a line below.' });
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
          <span className="status-chip status-posted">Closed {formatShortDateTime(v.closedAt, session.clinic.timeZone)}</span>
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
          Total <strong className="money" data-testid="charges-total">{formatCents(v.totalCents)}</strong>
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
        <p className="small muted">No diagnoses coded yet: lines point at the visit’s diagnoses by number once they are.</p>
      )}
      {notice ? <Alert tone={notice.tone}>{notice.text}</Alert> : null}
      {v.lines.length ? (
        <div className="table-wrap">
        <table className="table table-dense charges-table" aria-label="Charge lines">
          <thead>
            <tr>
              <th scope="col">Code</th>
              <th scope="col" className="num">
                Units
              </th>
              <th scope="col">Modifiers</th>
              <th scope="col">Dx</th>
              <th scope="col">POS</th>
              <th scope="col" className="num">
                Fee
              </th>
              <th scope="col" className="num">
                Amount
              </th>
              <th scope="col">Status</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {v.lines.map((l) =>
              open && l.status === 'draft' && mayDraft ? (
                <DraftRow
                  key={`${l.id}-${l.units}-${l.unitFeeCents}-${l.modifiers.join()}-${l.placeOfService}-${l.diagnosisPointers.join()}`}
                  line={l}
                  encounterId={encounterId}
                  onSaved={put}
                  onRemove={() => remove.mutate(l.id)}
                />
              ) : (
                <tr key={l.id} className={l.status === 'reversed' ? 'line-reversed' : undefined}>
                  <th scope="row">
                    <span className="bs-code">{l.code}</span> <span className="bs-sub">{l.description}</span>
                    <span className="bs-sub bs-block">{l.renderingProviderName} · {formatCalendarDate(l.dateOfService)}</span>
                  </th>
                  <td className="num">{l.units}</td>
                  <td className="bs-code">{l.modifiers.join(', ') || '—'}</td>
                  <td>{l.diagnosisPointers.join(', ')}</td>
                  <td className="bs-code">{l.placeOfService}</td>
                  <td className="num money">{formatCents(l.unitFeeCents)}</td>
                  <td className="num money">{formatCents(l.amountCents)}</td>
                  <td>
                    <span className={`status-chip status-${l.status}`}>{l.status === 'posted' ? 'Posted' : l.status === 'reversed' ? 'Reversed' : 'Draft'}</span>
                  </td>
                  <td>
                    {l.status === 'posted' && mayPost ? (
                      <Button size="small" onClick={() => setReversing(l)} aria-label={`Reverse ${l.code}`}>
                        Reverse
                      </Button>
                    ) : null}
                  </td>
                </tr>
              ),
            )}
          </tbody>
        </table>
        </div>
      ) : (
        <p className="empty-state">
          No charge lines yet.{' '}
          {open && mayDraft ? (
            <Button size="small" onClick={() => propose.mutate()} busy={propose.isPending} busyLabel="Proposing…">
              Propose from the appointment type
            </Button>
          ) : null}
        </p>
      )}
      {mayDraft && (open || mayPost) ? (
        <form
          className="bs-inline-form"
          onSubmit={(e) => {
            e.preventDefault();
            if (addCode) add.mutate(addCode);
          }}
        >
          <SelectField label={open ? 'Add a line' : 'Add a corrected line (posts at once)'} value={addCode} onChange={(e) => setAddCode(e.target.value)} fieldClassName="bs-w-l">
            <option value="">Choose a service code…</option>
            {activeCodes.map((c) => (
              <option key={c.id} value={c.id}>
                {c.code} — {c.description}
              </option>
            ))}
          </SelectField>
          <Button type="submit" busy={add.isPending} busyLabel="Adding…" disabled={!addCode}>
            Add line
          </Button>
          {open && mayPost ? (
            <Button variant="primary" onClick={() => setClosing(true)} style={{ marginLeft: 'auto' }}>
              Close visit and post charges
            </Button>
          ) : null}
        </form>
      ) : null}
      {closing ? (
        <CloseDialog
          charges={v}
          onClose={() => setClosing(false)}
          onDone={(next) => {
            put(next);
            setClosing(false);
            onPosted?.();
            setNotice({ tone: 'success', text: `Visit closed: ${formatCents(next.totalCents)} posted to the patient’s account.` });
          }}
        />
      ) : null}
      {reversing ? (
        <ReverseDialog
          encounterId={encounterId}
          line={reversing}
          onClose={() => setReversing(null)}
          onDone={(next) => {
            put(next);
            setReversing(null);
            setNotice({ tone: 'success', text: `${reversing.code} reversed. Add the corrected line if one is due.` });
          }}
        />
      ) : null}
    </section>
  );
}

function DraftRow({
  line,
  encounterId,
  onSaved,
  onRemove,
}: {
  line: ChargeLine;
  encounterId: string;
  onSaved: (v: VisitCharges) => void;
  onRemove: () => void;
}) {
  const {
    register,
    handleSubmit,
    setError,
    watch,
    formState: { errors, isSubmitting, isDirty },
  } = useForm<LineValues>({
    resolver: zodResolver(lineSchema),
    defaultValues: {
      units: line.units,
      modifiers: line.modifiers.join(', '),
      pointers: line.diagnosisPointers.join(', '),
      placeOfService: line.placeOfService,
      fee: moneyValue(line.unitFeeCents),
    },
  });
  const { banner, report, clear } = useServerErrors({ setError, watch }, ['units', 'modifiers', 'pointers', 'placeOfService', 'fee'], {
    diagnosisPointers: 'pointers',
    unitFeeCents: 'fee',
  });
  const save = handleSubmit(async (val) => {
    clear();
    const fee = centsOf(val.fee);
    try {
      const next = await call('updateChargeLine', {
        params: { id: encounterId, lineId: line.id },
        body: {
          units: val.units,
          modifiers: splitModifiers(val.modifiers),
          diagnosisPointers: splitPointers(val.pointers),
          placeOfService: val.placeOfService,
          ...(fee !== line.unitFeeCents && { unitFeeCents: fee }),
        },
      });
      onSaved(next);
    } catch (e) {
      report(e);
    }
  });
  const formId = `line-${line.id}`;
  const label = (what: string) => <span className="visually-hidden">{`${what} of ${line.code}`}</span>;
  return (
    <tr data-testid={`charge-line-${line.code}`}>
      <th scope="row">
        <form id={formId} onSubmit={(e) => void save(e)} noValidate />
        <span className="bs-code">{line.code}</span> <span className="bs-sub">{line.description}</span>
        <span className="bs-sub bs-block">{line.renderingProviderName} · {formatCalendarDate(line.dateOfService)}</span>
        {banner ? <p className="field-error">{banner}</p> : null}
      </th>
      <td className="cell-units">
        <TextField form={formId} label={label('Units')} type="number" inputMode="numeric" error={errors.units?.message} {...register('units', { valueAsNumber: true })} />
      </td>
      <td className="cell-mods">
        <TextField form={formId} label={label('Modifiers')} error={errors.modifiers?.message} {...register('modifiers')} />
      </td>
      <td className="cell-ptr">
        <TextField form={formId} label={label('Diagnosis pointers')} error={errors.pointers?.message} {...register('pointers')} />
      </td>
      <td className="cell-pos">
        <TextField form={formId} label={label('Place of service')} error={errors.placeOfService?.message} {...register('placeOfService')} />
      </td>
      <td className="cell-fee">
        <TextField form={formId} label={label('Fee per unit')} inputMode="decimal" error={errors.fee?.message} {...register('fee')} />
      </td>
      <td className="num money">{formatCents(line.amountCents)}</td>
      <td>
        <span className="status-chip status-draft">{line.feeSource === 'none' ? 'No fee' : 'Draft'}</span>
      </td>
      <td className="nowrap">
        <Button size="small" type="submit" form={formId} variant={isDirty ? 'primary' : 'secondary'} busy={isSubmitting} busyLabel="Saving…" aria-label={`Save ${line.code}`}>
          Save
        </Button>{' '}
        <Button size="small" variant="link" onClick={onRemove} aria-label={`Remove ${line.code}`} title="Remove this line">
          ✕
        </Button>
      </td>
    </tr>
  );
}

function CloseDialog({ charges, onClose, onDone }: { charges: VisitCharges; onClose: () => void; onDone: (v: VisitCharges) => void }) {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const drafts = charges.lines.filter((l) => l.status === 'draft');
  const total = drafts.reduce((t, l) => t + l.amountCents, 0);
  return (
    <Dialog title="Close the visit and post its charges?" onClose={onClose} testId="close-visit-dialog">
      <p>
        {drafts.length} line{drafts.length === 1 ? '' : 's'} totalling <strong>{formatCents(total)}</strong> will be
        posted to the patient’s account. After that a line is corrected only by reversing it.
      </p>
      {error ? <Alert tone="error">{error}</Alert> : null}
      <div className="button-row">
        <Button
          variant="primary"
          busy={busy}
          busyLabel="Posting…"
          autoFocus
          onClick={() => {
            setBusy(true);
            setError(null);
            call('closeVisit', { params: { id: charges.encounterId } })
              .then(onDone)
              .catch((e: unknown) => {
                setError(formErrorMessage(e));
                setBusy(false);
              });
          }}
        >
          Close visit and post
        </Button>
        <Button onClick={onClose}>Cancel</Button>
      </div>
    </Dialog>
  );
}

function ReverseDialog({
  encounterId,
  line,
  onClose,
  onDone,
}: {
  encounterId: string;
  line: ChargeLine;
  onClose: () => void;
  onDone: (v: VisitCharges) => void;
}) {
  const {
    register,
    handleSubmit,
    setError,
    watch,
    formState: { errors, isSubmitting },
  } = useForm<{ reason: string }>({ resolver: zodResolver(chargeReverseSchema), defaultValues: { reason: '' } });
  const { banner, report, clear } = useServerErrors({ setError, watch }, ['reason']);
  const submit = handleSubmit(async (val) => {
    clear();
    try {
      onDone(await call('reverseChargeLine', { params: { id: encounterId, lineId: line.id }, body: val }));
    } catch (e) {
      report(e);
    }
  });
  return (
    <Dialog title={`Reverse ${line.code} (${formatCents(line.amountCents)})?`} onClose={onClose}>
      <form className="form" onSubmit={(e) => void submit(e)} noValidate>
        <p className="small">A reversal entry undoes the charge in the ledger; the line stays, marked reversed.</p>
        {banner ? <Alert tone="error">{banner}</Alert> : null}
        <TextField label="Reason" autoFocus error={errors.reason?.message} {...register('reason')} />
        <div className="button-row">
          <Button type="submit" variant="danger" busy={isSubmitting} busyLabel="Reversing…">
            Reverse charge
          </Button>
          <Button onClick={onClose}>Cancel</Button>
        </div>
      </form>
    </Dialog>
  );
}
