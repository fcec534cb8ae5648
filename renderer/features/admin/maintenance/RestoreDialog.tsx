import { zodResolver } from '@hookform/resolvers/zod';
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import type { z } from 'zod';
import { restoreBackupRequestSchema, type Backup } from '../../../../server/contracts/maintenance';
import { call } from '../../../api/client';
import { useSession } from '../../../app/auth';
import { Alert } from '../../../ui/Alert';
import { Button } from '../../../ui/Button';
import { Dialog } from '../../../ui/Dialog';
import { TextField } from '../../../ui/Field';
import { formatShortDateTime } from '../../../ui/format';
import { useServerErrors } from '../../../ui/form';

type RestoreRequest = z.input<typeof restoreBackupRequestSchema>;

/**
 * Restore one backup: the administrator signs in again, the server checks the file opens with this key
 * (a damaged one is refused here, data untouched), then restarts onto it. The page then waits for the server
 * to answer again and reloads, which leads to the sign-in screen (every session ends with a restore).
 */
export function RestoreDialog({ backup, onClose }: { backup: Backup; onClose: () => void }) {
  const session = useSession();
  const [restarting, setRestarting] = useState(false);
  const {
    register,
    handleSubmit,
    setError,
    watch,
    formState: { errors, isSubmitting },
  } = useForm<RestoreRequest>({
    resolver: zodResolver(restoreBackupRequestSchema),
    defaultValues: { name: backup.name, password: '' },
  });
  const { banner, report, clear } = useServerErrors({ setError, watch }, ['password', 'code', 'name']);
  const submit = handleSubmit(async (body) => {
    clear();
    try {
      await call('restoreBackup', { body: { ...body, code: body.code || undefined } });
      setRestarting(true);
      void waitForServerThenReload();
    } catch (err) {
      report(err);
    }
  });
  return (
    <Dialog title="Restore this backup?" onClose={restarting ? () => {} : onClose} testId="restore-dialog">
      {restarting ? (
        <Alert tone="info" testId="restore-restarting">
          Restoring and restarting Tessera… This takes a few seconds; you will be asked to sign in again.
        </Alert>
      ) : (
        <form className="form" onSubmit={(e) => void submit(e)} noValidate>
          <p>
            The data on this workstation goes back to the backup made{' '}
            <strong>{formatShortDateTime(backup.createdAt, session.clinic.timeZone)}</strong> (<code>{backup.name}</code>).
            Everyone is signed out while Tessera restarts. The current data is kept beside it in the data folder, and
            changes made since the backup that reached central come back when this workstation syncs.
          </p>
          {errors.name?.message ? <Alert tone="error">{errors.name.message}</Alert> : null}
          {banner ? <Alert tone="error">{banner}</Alert> : null}
          <div className="form-grid form-grid-2">
            <TextField label="Your password" type="password" autoComplete="current-password" error={errors.password?.message} {...register('password')} />
            {session.user.mfaEnrolled ? (
              <TextField label="Authenticator code" inputMode="numeric" autoComplete="one-time-code" error={errors.code?.message} {...register('code')} />
            ) : null}
          </div>
          <div className="button-row">
            <Button type="submit" variant="danger" busy={isSubmitting} busyLabel="Checking the backup…">
              Restore and restart
            </Button>
            <Button onClick={onClose}>Cancel</Button>
          </div>
        </form>
      )}
    </Dialog>
  );
}

/** The server is down for a moment while it swaps the database; reload once it answers again. */
async function waitForServerThenReload(): Promise<void> {
  await new Promise((r) => setTimeout(r, 1_000));
  for (let i = 0; i < 120; i++) {
    try {
      const res = await fetch('/api/health', { cache: 'no-store' });
      if (res.ok) break;
    } catch {
      // still restarting
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  window.location.reload();
}
