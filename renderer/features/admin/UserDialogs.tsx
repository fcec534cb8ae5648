import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { zodResolver } from '@hookform/resolvers/zod';
import { z } from 'zod';
import { resetPasswordSchema, type UserSummary } from '../../../server/contracts/admin';
import { roleSchema } from '../../../server/contracts/admin/permissions';
import { call } from '../../api/client';
import { Alert } from '../../ui/Alert';
import { Button } from '../../ui/Button';
import { Dialog } from '../../ui/Dialog';
import { Checkbox, TextField } from '../../ui/Field';
import { formErrorMessage, useServerErrors } from '../../ui/form';
import { RoleCheckboxes } from './RoleCheckboxes';

/** The edit form sends every field; the contract's update schema is partial, this one is the full form. */
const editSchema = z.object({
  fullName: z.string().trim().min(1, 'Enter the person’s full name.').max(200),
  roles: z.array(roleSchema).min(1, 'Give the user at least one role.'),
  // Undefined when the checkbox is disabled (one's own account): then the field is not sent.
  active: z.boolean().optional(),
});
type EditInput = z.input<typeof editSchema>;

interface DialogProps {
  user: UserSummary;
  onClose: () => void;
  onSaved: (user: UserSummary) => void;
}

export function EditUserDialog({ user, onClose, onSaved, isSelf }: DialogProps & { isSelf: boolean }) {
  const {
    register,
    handleSubmit,
    setError,
    watch,
    formState: { errors, isSubmitting },
  } = useForm<EditInput>({
    resolver: zodResolver(editSchema),
    defaultValues: { fullName: user.fullName, roles: [...user.roles], active: user.active },
  });
  const {
    banner: serverError,
    report,
    clear: clearServerError,
  } = useServerErrors({ setError, watch }, ['fullName', 'roles', 'active']);

  const submit = handleSubmit(async (body) => {
    clearServerError();
    try {
      onSaved(await call('updateUser', { params: { id: user.id }, body }));
    } catch (err) {
      report(err);
    }
  });

  return (
    <Dialog title={`Edit ${user.username}`} onClose={onClose}>
      <form className="form" onSubmit={(e) => void submit(e)} noValidate>
        {serverError ? <Alert tone="error">{serverError}</Alert> : null}
        <TextField
          label="Full name"
          data-autofocus
          error={errors.fullName?.message}
          {...register('fullName')}
        />
        <RoleCheckboxes registration={register('roles')} error={errors.roles?.message} />
        <Checkbox
          label={
            isSelf ? 'Account active (you cannot disable your own account)' : 'Account active (can sign in)'
          }
          disabled={isSelf}
          {...register('active')}
        />
        {errors.active?.message ? <p className="field-error">{errors.active.message}</p> : null}
        <div className="button-row">
          <Button type="submit" variant="primary" busy={isSubmitting} busyLabel="Saving…">
            Save account
          </Button>
          <Button onClick={onClose}>Cancel</Button>
        </div>
      </form>
    </Dialog>
  );
}

export function ResetPasswordDialog({ user, onClose, onSaved }: DialogProps) {
  const {
    register,
    handleSubmit,
    setError,
    watch,
    formState: { errors, isSubmitting },
  } = useForm({ resolver: zodResolver(resetPasswordSchema), defaultValues: { password: '' } });
  const {
    banner: serverError,
    report,
    clear: clearServerError,
  } = useServerErrors({ setError, watch }, ['password']);

  const submit = handleSubmit(async (body) => {
    clearServerError();
    try {
      onSaved(await call('resetPassword', { params: { id: user.id }, body }));
    } catch (err) {
      report(err);
    }
  });

  return (
    <Dialog
      title={`Reset password for ${user.username}`}
      onClose={onClose}
      description="The new password replaces the old one at once and clears a lockout. At their next sign-in they choose a password of their own."
    >
      <form className="form" onSubmit={(e) => void submit(e)} noValidate>
        {serverError ? <Alert tone="error">{serverError}</Alert> : null}
        <TextField
          label="New password"
          type="password"
          autoComplete="new-password"
          hint="At least 12 characters."
          data-autofocus
          error={errors.password?.message}
          {...register('password')}
        />
        <div className="button-row">
          <Button type="submit" variant="primary" busy={isSubmitting} busyLabel="Saving…">
            Set password
          </Button>
          <Button onClick={onClose}>Cancel</Button>
        </div>
      </form>
    </Dialog>
  );
}

export function ResetMfaDialog({ user, onClose, onSaved }: DialogProps) {
  const [serverError, setServerError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const confirm = async () => {
    setServerError(null);
    setBusy(true);
    try {
      onSaved(await call('resetMfa', { params: { id: user.id } }));
    } catch (err) {
      setServerError(formErrorMessage(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog title={`Reset MFA for ${user.username}`} onClose={onClose}>
      {serverError ? <Alert tone="error">{serverError}</Alert> : null}
      <p>
        {user.fullName}’s authenticator app and recovery codes stop working. At their next sign-in they set up
        an authenticator app again. Do this when they lost their phone, after checking who they are.
      </p>
      <div className="button-row">
        <Button
          variant="danger"
          busy={busy}
          busyLabel="Resetting…"
          onClick={() => void confirm()}
          data-autofocus
        >
          Reset MFA
        </Button>
        <Button onClick={onClose}>Cancel</Button>
      </div>
    </Dialog>
  );
}
