import { useId } from 'react';
import { useForm } from 'react-hook-form';
import { zodResolver } from '@hookform/resolvers/zod';
import type { z } from 'zod';
import { createUserSchema, type UserSummary } from '../../../server/contracts/admin';
import { call } from '../../api/client';
import { Alert } from '../../ui/Alert';
import { Button } from '../../ui/Button';
import { TextField } from '../../ui/Field';
import { useServerErrors } from '../../ui/form';
import { RoleCheckboxes } from './RoleCheckboxes';

type Input = z.input<typeof createUserSchema>;
type Output = z.output<typeof createUserSchema>;

export function NewUserForm({
  onCreated,
  onCancel,
}: {
  onCreated: (u: UserSummary) => void;
  onCancel: () => void;
}) {
  const headingId = useId();
  const {
    register,
    handleSubmit,
    setError,
    watch,
    formState: { errors, isSubmitting },
  } = useForm<Input, unknown, Output>({
    resolver: zodResolver(createUserSchema),
    defaultValues: { username: '', fullName: '', password: '', roles: [] },
  });
  const {
    banner: serverError,
    report,
    clear: clearServerError,
  } = useServerErrors({ setError, watch }, ['username', 'fullName', 'password', 'roles']);

  const submit = handleSubmit(async (body) => {
    clearServerError();
    try {
      onCreated(await call('createUser', { body }));
    } catch (err) {
      report(err);
    }
  });

  return (
    <section className="panel" aria-labelledby={headingId}>
      <h2 id={headingId} className="section-title">
        New user
      </h2>
      <form className="form" onSubmit={(e) => void submit(e)} noValidate>
        {serverError ? <Alert tone="error">{serverError}</Alert> : null}
        <div className="form-grid form-grid-3">
          <TextField
            label="Username"
            autoComplete="off"
            autoCapitalize="none"
            spellCheck={false}
            autoFocus
            hint="Letters, digits, dots, dashes or underscores."
            error={errors.username?.message}
            {...register('username')}
          />
          <TextField
            label="Full name"
            autoComplete="off"
            error={errors.fullName?.message}
            {...register('fullName')}
          />
          <TextField
            label="Initial password"
            type="password"
            autoComplete="new-password"
            hint="At least 12 characters; give it to them in person. They choose their own at first sign-in."
            error={errors.password?.message}
            {...register('password')}
          />
        </div>
        <RoleCheckboxes registration={register('roles')} error={errors.roles?.message} />
        <div className="button-row">
          <Button type="submit" variant="primary" busy={isSubmitting} busyLabel="Creating…">
            Create user
          </Button>
          <Button onClick={onCancel}>Cancel</Button>
        </div>
      </form>
    </section>
  );
}
