import { zodResolver } from '@hookform/resolvers/zod';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { backupScheduleSchema, type BackupSchedule } from '../../../../server/contracts/maintenance';
import { call } from '../../../api/client';
import { Alert } from '../../../ui/Alert';
import { Button } from '../../../ui/Button';
import { Checkbox, TextField } from '../../../ui/Field';
import { useServerErrors } from '../../../ui/form';
import { maintenanceKey } from './MaintenancePage';

export function BackupScheduleForm({ initial }: { initial: BackupSchedule }) {
  const queryClient = useQueryClient();
  const [saved, setSaved] = useState(false);
  const {
    register,
    handleSubmit,
    setError,
    watch,
    reset,
    formState: { errors, isSubmitting, isDirty },
  } = useForm<BackupSchedule>({ resolver: zodResolver(backupScheduleSchema), defaultValues: initial });
  const { banner, report, clear } = useServerErrors({ setError, watch }, ['enabled', 'everyHours', 'keep']);
  const submit = handleSubmit(async (body) => {
    clear();
    setSaved(false);
    try {
      const next = await call('updateBackupSchedule', { body });
      reset(next);
      setSaved(true);
      void queryClient.invalidateQueries({ queryKey: maintenanceKey });
    } catch (err) {
      report(err);
    }
  });
  return (
    <form className="form form-narrow" onSubmit={(e) => void submit(e)} noValidate>
      {saved && !isDirty ? <Alert tone="success">Backup schedule saved.</Alert> : null}
      {banner ? <Alert tone="error">{banner}</Alert> : null}
      <Checkbox label="Back up this workstation automatically" error={errors.enabled?.message} {...register('enabled')} />
      <div className="form-grid form-grid-3">
        <TextField
          label="Every (hours)"
          type="number"
          inputMode="numeric"
          min={1}
          max={168}
          error={errors.everyHours?.message}
          {...register('everyHours', { valueAsNumber: true })}
        />
        <TextField
          label="Automatic backups kept"
          type="number"
          inputMode="numeric"
          min={1}
          max={90}
          hint="Older automatic backups are deleted; backups made by hand are kept."
          error={errors.keep?.message}
          {...register('keep', { valueAsNumber: true })}
        />
      </div>
      <div className="button-row">
        <Button type="submit" busy={isSubmitting} busyLabel="Saving…">
          Save schedule
        </Button>
      </div>
    </form>
  );
}
