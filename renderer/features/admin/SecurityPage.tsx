import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { zodResolver } from '@hookform/resolvers/zod';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { securitySettingsSchema, type SecuritySettings } from '../../../server/contracts/admin';
import { roleLabels, roles } from '../../../server/contracts/admin/permissions';
import { call, errorMessage } from '../../api/client';
import { keys } from '../../api/keys';
import { Alert } from '../../ui/Alert';
import { mfaOffQuestion, saveSecuritySettings } from './confirm-mfa-off';
import { Button } from '../../ui/Button';
import { Checkbox, Fieldset, TextField } from '../../ui/Field';
import { useServerErrors } from '../../ui/form';
import { Loading, PageHeader } from '../../ui/Page';
import { useConfirm } from '../../ui/ConfirmDialog';

export function SecurityPage() {
  const settings = useQuery({ queryKey: keys.security, queryFn: () => call('getSecuritySettings') });
  return (
    <section className="page">
      <PageHeader title="Security">
        <p>Sign-in policy for every workstation of this clinic.</p>
      </PageHeader>
      {settings.isPending ? <Loading label="Loading settings…" /> : null}
      {settings.isError ? <Alert tone="error">{errorMessage(settings.error)}</Alert> : null}
      {/* Mounted once the values are in, so the form starts from what the server holds. */}
      {settings.isSuccess ? <SecurityForm initial={settings.data} /> : null}
    </section>
  );
}

function SecurityForm({ initial }: { initial: SecuritySettings }) {
  const queryClient = useQueryClient();
  const [confirmDialog, confirm] = useConfirm();
  const [saved, setSaved] = useState(false);
  const {
    register,
    handleSubmit,
    setError,
    watch,
    reset,
    formState: { errors, isSubmitting, isDirty },
  } = useForm<SecuritySettings>({
    resolver: zodResolver(securitySettingsSchema),
    // Follow the server's values when they change (e.g. MFA ticked on the Roles page), but never
    // overwrite what the user is editing.
    values: initial,
    resetOptions: { keepDirtyValues: true },
  });
  const {
    banner: serverError,
    report,
    clear: clearServerError,
  } = useServerErrors({ setError, watch }, [
    'lockoutThreshold',
    'lockoutMinutes',
    'idleTimeoutMinutes',
    'mfaRequiredRoles',
  ]);

  const submit = handleSubmit(async (body) => {
    clearServerError();
    setSaved(false);
    try {
      const next = await saveSecuritySettings(body, (message) => confirm(mfaOffQuestion(message)));
      if (!next) return; // Cancelled: the form keeps what was typed.
      queryClient.setQueryData(keys.security, next);
      reset(next);
      void queryClient.invalidateQueries({ queryKey: keys.roles });
      setSaved(true);
    } catch (err) {
      report(err);
    }
  });

  return (
    <form className="form form-narrow" onSubmit={(e) => void submit(e)} noValidate>
      {confirmDialog}
      {saved && !isDirty ? (
        <Alert tone="success" testId="security-saved">
          Security settings saved. They apply to new sign-ins at once and to the idle time-out at each
          workstation’s next activity.
        </Alert>
      ) : null}
      {serverError ? <Alert tone="error">{serverError}</Alert> : null}
      <div className="form-grid form-grid-3">
        <TextField
          label="Failed attempts before lockout"
          type="number"
          inputMode="numeric"
          min={3}
          max={20}
          error={errors.lockoutThreshold?.message}
          {...register('lockoutThreshold', { valueAsNumber: true })}
        />
        <TextField
          label="Lockout length (minutes)"
          type="number"
          inputMode="numeric"
          min={1}
          max={1440}
          error={errors.lockoutMinutes?.message}
          {...register('lockoutMinutes', { valueAsNumber: true })}
        />
        <TextField
          label="Idle time-out (minutes)"
          type="number"
          inputMode="numeric"
          min={1}
          max={240}
          hint="The screen locks after this long without input."
          error={errors.idleTimeoutMinutes?.message}
          {...register('idleTimeoutMinutes', { valueAsNumber: true })}
        />
      </div>
      <Fieldset
        legend="Roles that must use MFA"
        error={errors.mfaRequiredRoles?.message}
        className="checkbox-row"
      >
        {roles.map((role) => (
          <Checkbox key={role} label={roleLabels[role]} value={role} {...register('mfaRequiredRoles')} />
        ))}
      </Fieldset>
      <div className="button-row">
        <Button type="submit" variant="primary" busy={isSubmitting} busyLabel="Saving…">
          Save security settings
        </Button>
      </div>
    </form>
  );
}
