import { useForm } from 'react-hook-form';
import { zodResolver } from '@hookform/resolvers/zod';
import { z } from 'zod';
import { newPasswordSchema } from '../../../server/contracts/auth';
import { call } from '../../api/client';
import { useAuth, useSession } from '../../app/auth';
import { useServerErrors } from '../../ui/form';
import { Alert } from '../../ui/Alert';
import { Button } from '../../ui/Button';
import { TextField } from '../../ui/Field';
import { useDocumentTitle } from '../../ui/Page';
import { AuthCard } from './AuthCard';

const changeFormSchema = z
  .object({
    currentPassword: z.string().min(1, 'Enter the password you signed in with.'),
    newPassword: newPasswordSchema,
    confirmPassword: z.string(),
  })
  .refine((v) => v.newPassword === v.confirmPassword, {
    path: ['confirmPassword'],
    message: 'The two passwords differ. Type the same password twice.',
  })
  .refine((v) => v.newPassword !== v.currentPassword, {
    path: ['newPassword'],
    message: 'Choose a password different from the current one.',
  });
type ChangeForm = z.infer<typeof changeFormSchema>;

/**
 * The one screen a session reaches while its password was set by an administrator (a new account, a
 * reset): the server refuses everything else until the holder chooses a password of their own. Shown by
 * the session guard, so a reload or a typed address lands here too.
 */
export function ChangePasswordPage() {
  useDocumentTitle('Choose your password');
  const session = useSession();
  const { updateSession, signOut } = useAuth();
  const form = useForm<ChangeForm>({
    resolver: zodResolver(changeFormSchema),
    defaultValues: { currentPassword: '', newPassword: '', confirmPassword: '' },
  });
  const errors = useServerErrors(form, ['currentPassword', 'newPassword']);
  const e = form.formState.errors;

  const submit = form.handleSubmit(async ({ currentPassword, newPassword }) => {
    errors.clear();
    try {
      await call('changePassword', { body: { currentPassword, newPassword } });
      updateSession(await call('session'));
    } catch (err) {
      errors.report(err);
    }
  });

  return (
    <AuthCard title="Choose your password">
      <p>
        Welcome, <strong>{session.user.fullName}</strong>. An administrator set the password you signed in
        with; choose one only you know before you continue.
      </p>
      {errors.banner ? <Alert tone="error">{errors.banner}</Alert> : null}
      <form className="form" onSubmit={(ev) => void submit(ev)} noValidate>
        <TextField
          label="Current password"
          type="password"
          autoComplete="current-password"
          autoFocus
          hint="The one you just signed in with."
          error={e.currentPassword?.message}
          {...form.register('currentPassword')}
        />
        <TextField
          label="New password"
          type="password"
          autoComplete="new-password"
          hint="At least 12 characters. A short sentence is easy to remember."
          error={e.newPassword?.message}
          {...form.register('newPassword')}
        />
        <TextField
          label="Confirm new password"
          type="password"
          autoComplete="new-password"
          error={e.confirmPassword?.message}
          {...form.register('confirmPassword')}
        />
        <div className="button-row">
          <Button type="submit" variant="primary" busy={form.formState.isSubmitting} busyLabel="Saving…">
            Save password and continue
          </Button>
          <Button variant="link" onClick={() => void signOut('signed_out')}>
            Sign out
          </Button>
        </div>
      </form>
    </AuthCard>
  );
}
