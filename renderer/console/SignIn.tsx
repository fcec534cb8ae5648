import { zodResolver } from '@hookform/resolvers/zod';
import { useQueryClient } from '@tanstack/react-query';
import { useForm } from 'react-hook-form';
import type { z } from 'zod';
import { adminSignInSchema } from '../../server/contracts/central';
import { useServerErrors } from '../ui/form';
import { TextField } from '../ui/Field';
import { Button } from '../ui/Button';
import { Alert } from '../ui/Alert';
import { useDocumentTitle } from '../ui/Page';
import { ApiError } from '../api/client';
import { central } from './api';

type Values = z.input<typeof adminSignInSchema>;

/** Central administrators: username, password and the authenticator's current code, in one step. */
export function SignIn() {
  useDocumentTitle('Sign in to the central console');
  const client = useQueryClient();
  const form = useForm<Values>({
    resolver: zodResolver(adminSignInSchema),
    defaultValues: { username: '', password: '', code: '' },
  });
  const errors = useServerErrors(form, ['username', 'password', 'code']);
  const submit = form.handleSubmit(async (values) => {
    try {
      const session = await central('consoleSignIn', { body: values });
      client.setQueryData(['console', 'session'], session);
    } catch (err) {
      form.setValue('code', '');
      // A refused sign-in is a 401 whose sentence is the answer (not "your session ended").
      if (err instanceof ApiError && err.status === 401) errors.setBanner(err.message);
      else errors.report(err);
    }
  });
  const e = form.formState.errors;
  return (
    <main className="auth-screen">
      <form className="auth-card form" onSubmit={submit} noValidate>
        <h1 className="auth-title">Tessera central console</h1>
        <p className="muted">For central administrators. Staff sign in on their workstation.</p>
        {errors.banner ? <Alert tone="error">{errors.banner}</Alert> : null}
        <TextField label="Username" autoComplete="username" autoFocus error={e.username?.message} {...form.register('username')} />
        <TextField
          label="Password"
          type="password"
          autoComplete="current-password"
          error={e.password?.message}
          {...form.register('password')}
        />
        <TextField
          label="Authenticator code"
          inputMode="numeric"
          autoComplete="one-time-code"
          className="input-code"
          hint="The 6-digit code your authenticator app shows for Tessera central."
          error={e.code?.message}
          {...form.register('code')}
        />
        <Button type="submit" variant="primary" busy={form.formState.isSubmitting} busyLabel="Signing in…">
          Sign in
        </Button>
      </form>
    </main>
  );
}
