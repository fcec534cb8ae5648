import { zodResolver } from '@hookform/resolvers/zod';
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import type { z } from 'zod';
import { keyExportRequestSchema } from '../../../../server/contracts/maintenance';
import { call } from '../../../api/client';
import { useSession } from '../../../app/auth';
import { Alert } from '../../../ui/Alert';
import { Button } from '../../../ui/Button';
import { TextField } from '../../../ui/Field';
import { useServerErrors } from '../../../ui/form';

type KeyExportRequest = z.input<typeof keyExportRequestSchema>;

/**
 * Shows the database key once, after the administrator signs in again. IT stores it in escrow: with it,
 * this workstation's database or its backups can be opened if the machine's key store is lost.
 */
export function KeyEscrowForm() {
  const session = useSession();
  const [key, setKey] = useState<string | null>(null);
  const {
    register,
    handleSubmit,
    setError,
    watch,
    reset,
    formState: { errors, isSubmitting },
  } = useForm<KeyExportRequest>({ resolver: zodResolver(keyExportRequestSchema), defaultValues: { password: '' } });
  const { banner, report, clear } = useServerErrors({ setError, watch }, ['password', 'code']);
  const submit = handleSubmit(async (body) => {
    clear();
    try {
      const res = await call('exportDatabaseKey', { body: { ...body, code: body.code || undefined } });
      setKey(res.keyHex);
      reset({ password: '', code: '' });
    } catch (err) {
      report(err);
    }
  });
  if (key) {
    return (
      <div className="form form-narrow">
        <Alert tone="warning">
          Store this key where IT keeps recovery secrets, then close it. It is not shown again, and anyone who has it
          and a copy of this workstation’s data can read it.
        </Alert>
        <code className="key-escrow" data-testid="escrow-key">
          {key.match(/.{1,8}/g)!.join(' ')}
        </code>
        <div className="button-row">
          <Button onClick={() => void navigator.clipboard?.writeText(key)}>Copy key</Button>
          <Button variant="primary" onClick={() => setKey(null)}>
            Close key
          </Button>
        </div>
      </div>
    );
  }
  return (
    <form className="form form-narrow" onSubmit={(e) => void submit(e)} noValidate>
      <p>Sign in again to see the key. Showing it is recorded in the audit log.</p>
      {banner ? <Alert tone="error">{banner}</Alert> : null}
      <div className="form-grid form-grid-3">
        <TextField label="Your password" type="password" autoComplete="current-password" error={errors.password?.message} {...register('password')} />
        {session.user.mfaEnrolled ? (
          <TextField
            label="Authenticator code"
            inputMode="numeric"
            autoComplete="one-time-code"
            error={errors.code?.message}
            {...register('code')}
          />
        ) : null}
      </div>
      <div className="button-row">
        <Button type="submit" busy={isSubmitting} busyLabel="Checking…">
          Show database key
        </Button>
      </div>
    </form>
  );
}
