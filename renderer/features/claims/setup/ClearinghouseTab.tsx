import { useState } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import type { clearinghouseResponseSchema } from '../../../../server/contracts/claims/api';
import { clearinghouseSettingsSchema } from '../../../../server/contracts/claims/setup';
import { call, errorMessage } from '../../../api/client';
import { Alert } from '../../../ui/Alert';
import { Button } from '../../../ui/Button';
import { Checkbox, TextField } from '../../../ui/Field';
import { Loading } from '../../../ui/Page';
import { useLeaveGuard } from '../../../ui/use-leave-guard';
import { useZodForm, ZodForm } from '../../../ui/zod-form';
import { CentralConnection } from './CentralConnection';
import { claimsSetupKeys } from './keys';

type Settings = NonNullable<z.infer<typeof clearinghouseResponseSchema>['clearinghouse']>;

/**
 * The clearinghouse as this workstation knows it: the ids the 837P envelope carries (submitter, receiver,
 * test or production) and whether a balanced, matched ERA posts without a person. The connection itself
 * (SFTP or HTTPS, its credentials) is configured on the central server only; CentralConnection says whether
 * it is.
 */
export function ClearinghouseTab({ canManage }: { canManage: boolean }) {
  const settings = useQuery({ queryKey: claimsSetupKeys.clearinghouse, queryFn: () => call('getClearinghouse') });
  return (
    <section className="bs-section" aria-labelledby="cs-ch-title">
      <h2 id="cs-ch-title" className="section-title">
        Clearinghouse
      </h2>
      <CentralConnection />
      {settings.isPending ? <Loading /> : null}
      {settings.isError ? <Alert tone="error">{errorMessage(settings.error)}</Alert> : null}
      {settings.data ? <ClearinghouseForm saved={settings.data.clearinghouse} canManage={canManage} /> : null}
    </section>
  );
}

const toValues = (s: Settings | null) => ({
  name: s?.name ?? '',
  senderId: s?.senderId ?? '',
  receiverId: s?.receiverId ?? '',
  usage: s?.usage ?? ('T' as const),
  autoPostEra: s?.autoPostEra ?? true,
});

function ClearinghouseForm({ saved, canManage }: { saved: Settings | null; canManage: boolean }) {
  const queryClient = useQueryClient();
  const [done, setDone] = useState(false);
  const edit = useZodForm(clearinghouseSettingsSchema, {
    defaultValues: toValues(saved),
    fields: ['name', 'senderId', 'receiverId', 'usage', 'autoPostEra'],
    onValid: async (v) => {
      setDone(false);
      const next = await call('saveClearinghouse', { body: v });
      queryClient.setQueryData(claimsSetupKeys.clearinghouse, { clearinghouse: next });
      edit.form.reset(toValues(next));
      setDone(true);
    },
  });
  const {
    register,
    formState: { errors, isSubmitting, isDirty },
  } = edit.form;
  useLeaveGuard(isDirty);
  const disabled = !canManage;
  return (
    <ZodForm form={edit} aria-label="Clearinghouse">
      {done && !isDirty ? <Alert tone="success">Clearinghouse saved. The next batch carries these ids.</Alert> : null}
      {!saved && !isDirty ? <Alert tone="info">No clearinghouse yet: batches cannot be built until it is set up.</Alert> : null}
      <div className="cs-row">
        <TextField label="Clearinghouse name" fieldClassName="bs-w-m" disabled={disabled} autoComplete="off" error={errors.name?.message} {...register('name')} />
        <TextField label="Your submitter id there" fieldClassName="bs-w-m" hint="ISA06 / GS02" disabled={disabled} autoComplete="off" error={errors.senderId?.message} {...register('senderId')} />
        <TextField label="Clearinghouse id" fieldClassName="bs-w-m" hint="ISA08 / GS03" disabled={disabled} autoComplete="off" error={errors.receiverId?.message} {...register('receiverId')} />
      </div>
      <fieldset className="fieldset" disabled={disabled}>
        <legend className="field-label">Files are</legend>
        <label className="checkbox">
          <input type="radio" value="T" {...register('usage')} /> Test files (the clearinghouse does not forward them)
        </label>
        <label className="checkbox">
          <input type="radio" value="P" {...register('usage')} /> Production files
        </label>
        {errors.usage?.message ? <p className="field-error">{errors.usage.message}</p> : null}
      </fieldset>
      <Checkbox label="Post a balanced ERA whose claims and lines all match without review" disabled={disabled} {...register('autoPostEra')} />
      {canManage ? (
        <div className="button-row">
          <Button type="submit" variant="primary" busy={isSubmitting} busyLabel="Saving…">
            Save clearinghouse
          </Button>
        </div>
      ) : null}
    </ZodForm>
  );
}
