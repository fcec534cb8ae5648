import { useState } from 'react';
import { z } from 'zod';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { call, errorMessage } from '../../../api/client';
import { Alert } from '../../../ui/Alert';
import { Button } from '../../../ui/Button';
import { SelectField } from '../../../ui/Field';
import { formErrorMessage } from '../../../ui/form';
import { useZodForm, ZodForm } from '../../../ui/zod-form';
import { EmptyState, Loading } from '../../../ui/Page';
import { billingSetupKeys } from './money-field';

/** The codes a visit of each appointment type proposes (the clinician or checkout adjusts them). */
export function TypeCodesTab() {
  const types = useQuery({ queryKey: billingSetupKeys.types, queryFn: () => call('listTypeCodes') });
  const codes = useQuery({ queryKey: billingSetupKeys.codes, queryFn: () => call('listServiceCodes') });
  const queryClient = useQueryClient();
  const [notice, setNotice] = useState<{ tone: 'success' | 'error'; text: string } | null>(null);
  const save = useMutation({
    mutationFn: (input: { typeId: string; codes: { serviceCodeId: string; units: number }[] }) =>
      call('setTypeCodes', { params: { id: input.typeId }, body: { codes: input.codes } }),
    onSuccess: (t) => {
      setNotice({ tone: 'success', text: `${t.appointmentTypeName} now proposes ${t.codes.map((c) => c.code).join(', ') || 'no codes'}.` });
      void queryClient.invalidateQueries({ queryKey: billingSetupKeys.types });
    },
    onError: (e) => setNotice({ tone: 'error', text: formErrorMessage(e) }),
  });
  const active = (codes.data?.serviceCodes ?? []).filter((c) => c.active);
  return (
    <section className="bs-section" aria-labelledby="bs-types-title">
      <h2 id="bs-types-title" className="section-title">
        Default codes per appointment type
      </h2>
      <p className="muted small">When a visit of this type starts, these lines are proposed at their fees.</p>
      {notice ? <Alert tone={notice.tone}>{notice.text}</Alert> : null}
      {types.isPending ? <Loading /> : null}
      {types.isError ? <Alert tone="error">{errorMessage(types.error)}</Alert> : null}
      {types.data && !types.data.types.length ? (
        <EmptyState>No appointment types yet. Add them in Scheduling set-up.</EmptyState>
      ) : null}
      {types.data?.types.length ? (
        <table className="table table-dense" aria-label="Default codes per appointment type" data-testid="type-codes">
          <thead>
            <tr>
              <th scope="col">Appointment type</th>
              <th scope="col">Proposed lines</th>
              <th scope="col">Add a code</th>
            </tr>
          </thead>
          <tbody>
            {types.data.types.map((t) => {
              const current = t.codes.map((c) => ({ serviceCodeId: c.serviceCodeId, units: c.units }));
              const choices = active.filter((c) => !current.some((x) => x.serviceCodeId === c.id));
              return (
                <tr key={t.appointmentTypeId}>
                  <th scope="row">{t.appointmentTypeName}</th>
                  <td>
                    {t.codes.length ? (
                      <ul className="chip-list" aria-label={`Codes for ${t.appointmentTypeName}`}>
                        {t.codes.map((c) => (
                          <li key={c.serviceCodeId} className="chip">
                            <span className="bs-code">{c.code}</span> × {c.units}{' '}
                            <Button
                              size="small"
                              variant="link"
                              aria-label={`Remove ${c.code} from ${t.appointmentTypeName}`}
                              onClick={() =>
                                save.mutate({ typeId: t.appointmentTypeId, codes: current.filter((x) => x.serviceCodeId !== c.serviceCodeId) })
                              }
                            >
                              Remove
                            </Button>
                          </li>
                        ))}
                      </ul>
                    ) : (
                      <span className="muted">None</span>
                    )}
                  </td>
                  <td>
                    <AddTypeCodeForm
                      typeName={t.appointmentTypeName}
                      choices={choices}
                      onAdd={(id) => save.mutateAsync({ typeId: t.appointmentTypeId, codes: [...current, { serviceCodeId: id, units: 1 }] })}
                    />
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      ) : null}
    </section>
  );
}

const addCodeSchema = z.object({ serviceCodeId: z.string().min(1, 'Choose a code to add.') });

/** One type's "add a code" row: the choice is required, and the table's notice reports the save. */
function AddTypeCodeForm({
  typeName,
  choices,
  onAdd,
}: {
  typeName: string;
  choices: { id: string; code: string; description: string }[];
  onAdd: (serviceCodeId: string) => Promise<unknown>;
}) {
  const add = useZodForm(addCodeSchema, {
    defaultValues: { serviceCodeId: '' },
    fields: ['serviceCodeId'],
    onValid: async ({ serviceCodeId }) => {
      // A refusal is already in the tab's notice (the mutation's onError); the choice stays for another try.
      await onAdd(serviceCodeId).then(() => add.form.reset(), () => undefined);
    },
  });
  const { register, formState } = add.form;
  return (
    <ZodForm form={add} className="bs-inline-form">
      <SelectField
        label={<span className="visually-hidden">Code to add to {typeName}</span>}
        error={formState.errors.serviceCodeId?.message}
        {...register('serviceCodeId')}
      >
        <option value="">Choose a code…</option>
        {choices.map((c) => (
          <option key={c.id} value={c.id}>
            {c.code} — {c.description}
          </option>
        ))}
      </SelectField>
      <Button type="submit" size="small" aria-label={`Add the code to ${typeName}`}>
        Add
      </Button>
    </ZodForm>
  );
}
