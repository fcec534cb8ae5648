import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { zodResolver } from '@hookform/resolvers/zod';
import { z } from 'zod';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  encounterModalities,
  encounterModalityLabels,
  modifierSchema,
  placeOfServiceCodeSchema,
  type PosRule,
} from '../../../../server/contracts/billing/setup';
import { call, errorMessage } from '../../../api/client';
import { Alert } from '../../../ui/Alert';
import { Button } from '../../../ui/Button';
import { SelectField, TextField } from '../../../ui/Field';
import { formErrorMessage, useServerErrors } from '../../../ui/form';
import { Loading } from '../../../ui/Page';
import { EditPosRuleDialog } from './EditPosRuleDialog';
import { billingSetupKeys } from './money-field';

/** "95, GT" -> ['95', 'GT']. */
export const splitModifiers = (text: string) =>
  text
    .split(/[\s,]+/)
    .map((m) => m.trim().toUpperCase())
    .filter(Boolean);

const formSchema = z.object({
  payerId: z.string().trim().max(40, 'At most 40 characters.'),
  modality: z.enum(encounterModalities),
  placeOfService: placeOfServiceCodeSchema,
  modifiers: z
    .string()
    .refine((t) => splitModifiers(t).every((m) => modifierSchema.safeParse(m).success), 'A modifier is two letters or digits, like 95 or GT.')
    .refine((t) => splitModifiers(t).length <= 4, 'At most 4 modifiers on a line.'),
});
type Values = z.input<typeof formSchema>;
const FIELDS = ['payerId', 'modality', 'placeOfService', 'modifiers'] as const;

/** Place of service and telehealth modifiers per payer and modality; built-in defaults where no rule applies. */
export function PosRulesTab({ canManage }: { canManage: boolean }) {
  const rules = useQuery({ queryKey: billingSetupKeys.pos, queryFn: () => call('listPosRules') });
  const queryClient = useQueryClient();
  const [notice, setNotice] = useState<{ tone: 'success' | 'error'; text: string } | null>(null);
  const [editing, setEditing] = useState<PosRule | null>(null);
  const remove = useMutation({
    mutationFn: (r: PosRule) => call('removePosRule', { params: { id: r.id } }),
    onSuccess: () => {
      setNotice({ tone: 'success', text: 'Rule removed; the defaults apply again.' });
      void queryClient.invalidateQueries({ queryKey: billingSetupKeys.pos });
    },
    onError: (e) => setNotice({ tone: 'error', text: formErrorMessage(e) }),
  });
  return (
    <section className="bs-section" aria-labelledby="bs-pos-title">
      <h2 id="bs-pos-title" className="section-title">
        Place of service
      </h2>
      <p className="muted small">
        A visit’s place of service and modifiers follow how it happened. A rule for the patient’s primary payer
        wins over a rule for every payer, which wins over the defaults.
      </p>
      {notice ? <Alert tone={notice.tone}>{notice.text}</Alert> : null}
      {editing ? (
        <EditPosRuleDialog
          rule={editing}
          onClose={() => setEditing(null)}
          onSaved={(text) => {
            setEditing(null);
            setNotice({ tone: 'success', text });
          }}
        />
      ) : null}
      {rules.isPending ? <Loading label="Loading rules…" /> : null}
      {rules.isError ? <Alert tone="error">{errorMessage(rules.error)}</Alert> : null}
      {rules.data ? (
        <div className="table-wrap">
          <table className="table table-dense" aria-label="Place-of-service rules" data-testid="pos-rules">
            <thead>
              <tr>
                <th scope="col">Payer</th>
                <th scope="col">Visit</th>
                <th scope="col">Place of service</th>
                <th scope="col">Modifiers</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {rules.data.rules.map((r) => (
                <tr key={r.id}>
                  <th scope="row">{r.payerId ?? 'Every payer'}</th>
                  <td>{encounterModalityLabels[r.modality]}</td>
                  <td className="bs-code">{r.placeOfService}</td>
                  <td className="bs-code">{r.modifiers.join(', ') || '—'}</td>
                  <td className="nowrap">
                    {canManage ? (
                      <Button size="small" onClick={() => setEditing(r)} aria-label={`Change the rule for ${r.payerId ?? 'every payer'}, ${encounterModalityLabels[r.modality]}`}>
                        Change
                      </Button>
                    ) : null}{' '}
                    {canManage ? (
                      <Button size="small" onClick={() => remove.mutate(r)} aria-label={`Remove the rule for ${r.payerId ?? 'every payer'}, ${encounterModalityLabels[r.modality]}`}>
                        Remove
                      </Button>
                    ) : null}
                  </td>
                </tr>
              ))}
              {rules.data.defaults.map((d) => (
                <tr key={d.modality} className="muted">
                  <th scope="row">Default</th>
                  <td>{encounterModalityLabels[d.modality]}</td>
                  <td className="bs-code">{d.placeOfService}</td>
                  <td className="bs-code">{d.modifiers.join(', ') || '—'}</td>
                  <td>
                    <span className="bs-sub">built in</span>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      {canManage ? <AddRuleForm onAdded={(text) => setNotice({ tone: 'success', text })} /> : null}
    </section>
  );
}

function AddRuleForm({ onAdded }: { onAdded: (text: string) => void }) {
  const queryClient = useQueryClient();
  const {
    register,
    handleSubmit,
    setError,
    watch,
    reset,
    formState: { errors, isSubmitting },
  } = useForm<Values>({
    resolver: zodResolver(formSchema),
    defaultValues: { payerId: '', modality: 'telehealth_home', placeOfService: '', modifiers: '' },
  });
  const { banner, report, clear } = useServerErrors({ setError, watch }, FIELDS);
  const submit = handleSubmit(async (v) => {
    clear();
    try {
      await call('createPosRule', {
        body: {
          payerId: v.payerId.trim() || null,
          modality: v.modality,
          placeOfService: v.placeOfService,
          modifiers: splitModifiers(v.modifiers),
        },
      });
      reset();
      onAdded('Rule added.');
      void queryClient.invalidateQueries({ queryKey: billingSetupKeys.pos });
    } catch (e) {
      report(e);
    }
  });
  return (
    <form className="bs-inline-form" onSubmit={(e) => void submit(e)} noValidate aria-label="Add a place-of-service rule">
      {banner ? <Alert tone="error">{banner}</Alert> : null}
      <TextField label="Payer id (empty = every payer)" fieldClassName="bs-w-m" error={errors.payerId?.message} {...register('payerId')} />
      <SelectField label="Visit" error={errors.modality?.message} {...register('modality')}>
        {encounterModalities.map((m) => (
          <option key={m} value={m}>
            {encounterModalityLabels[m]}
          </option>
        ))}
      </SelectField>
      <TextField label="Place of service" fieldClassName="bs-w-xs" inputMode="numeric" error={errors.placeOfService?.message} {...register('placeOfService')} />
      <TextField label="Modifiers" fieldClassName="bs-w-s" hint="e.g. 95, GT" error={errors.modifiers?.message} {...register('modifiers')} />
      <Button type="submit" variant="primary" busy={isSubmitting} busyLabel="Adding…">
        Add rule
      </Button>
    </form>
  );
}
