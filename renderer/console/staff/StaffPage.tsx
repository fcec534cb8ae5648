import { zodResolver } from '@hookform/resolvers/zod';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { z } from 'zod';
import { roleLabels, roles } from '../../../server/contracts/admin/permissions';
import { createStaffSchema, updateStaffSchema } from '../../../server/contracts/central';
import { resetStaffPasswordSchema } from '../../../server/contracts/central/console';
import { Alert } from '../../ui/Alert';
import { Button } from '../../ui/Button';
import { Dialog } from '../../ui/Dialog';
import { Checkbox, Fieldset, TextField } from '../../ui/Field';
import { useServerErrors } from '../../ui/form';
import { EmptyState, Loading, PageHeader } from '../../ui/Page';
import { central, type Response } from '../api';
import { useClinicChoice } from '../scope';
import { NoClinics } from '../orgs/NoClinics';

type Staff = Response<'listStaff'>['staff'][number];

/** Staff accounts made at central: they replicate to every workstation of the clinic (offline sign-in too). */
export function StaffPage() {
  const { clinics, clinic, picker } = useClinicChoice();
  return (
    <div className="page page-wide">
      <PageHeader title="Staff accounts">
        Accounts made here reach every workstation of the clinic. Roles are per clinic.
      </PageHeader>
      <div className="console-toolbar">{picker}</div>
      {clinics.isPending ? <Loading /> : null}
      {clinics.data?.length === 0 ? <NoClinics /> : null}
      {clinic ? (
        <div className="console-grid">
          <StaffTable clinicId={clinic.id} />
          <CreateStaff clinicId={clinic.id} />
        </div>
      ) : null}
    </div>
  );
}

const staffKey = (clinicId: string) => ['console', 'staff', clinicId];

function StaffTable({ clinicId }: { clinicId: string }) {
  const staff = useQuery({
    queryKey: staffKey(clinicId),
    queryFn: async () => (await central('listStaff', { params: { clinicId } })).staff,
  });
  const [editing, setEditing] = useState<Staff | null>(null);
  const [resetting, setResetting] = useState<Staff | null>(null);
  if (staff.isPending) return <Loading />;
  if (staff.isError) return <Alert tone="error">{staff.error.message}</Alert>;
  if (staff.data.length === 0)
    return <EmptyState>No staff account in this clinic yet — create the first one on the right.</EmptyState>;
  return (
    <section aria-label="Staff accounts">
      <div className="table-wrap">
        <table className="table table-dense" data-testid="staff-table">
          <thead>
            <tr>
              <th scope="col">Username</th>
              <th scope="col">Name</th>
              <th scope="col">Roles</th>
              <th scope="col">Authenticator</th>
              <th scope="col">Status</th>
              <th scope="col"><span className="visually-hidden">Actions</span></th>
            </tr>
          </thead>
          <tbody>
            {staff.data.map((s) => (
              <tr key={s.id}>
                <th scope="row" className="mono">{s.username}</th>
                <td>{s.fullName}</td>
                <td>{s.roles.map((r) => roleLabels[r]).join(', ')}</td>
                <td>{s.mfaEnrolled ? 'Set up' : <span className="muted">Not yet</span>}</td>
                <td>
                  {s.active ? <span className="badge badge-ok">Active</span> : <span className="badge badge-muted">Disabled</span>}
                </td>
                <td className="row-actions">
                  <Button size="small" onClick={() => setEditing(s)} aria-label={`Edit ${s.username}`}>Edit</Button>
                  <Button size="small" onClick={() => setResetting(s)} aria-label={`Reset password of ${s.username}`}>
                    Reset password
                  </Button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {editing ? <EditStaff clinicId={clinicId} staff={editing} onClose={() => setEditing(null)} /> : null}
      {resetting ? <ResetPassword clinicId={clinicId} staff={resetting} onClose={() => setResetting(null)} /> : null}
    </section>
  );
}

function RoleBoxes({ register, error }: { register: ReturnType<typeof useForm<{ roles: string[] }>>['register']; error?: string | undefined }) {
  return (
    <Fieldset legend="Roles in this clinic" error={error}>
      {roles.map((r) => (
        <Checkbox key={r} label={roleLabels[r]} value={r} {...register('roles')} />
      ))}
    </Fieldset>
  );
}

function CreateStaff({ clinicId }: { clinicId: string }) {
  const client = useQueryClient();
  type Values = z.input<typeof createStaffSchema>;
  const form = useForm<Values>({
    resolver: zodResolver(createStaffSchema),
    defaultValues: { username: '', fullName: '', password: '', roles: [] },
  });
  const errors = useServerErrors(form, ['username', 'fullName', 'password', 'roles']);
  const e = form.formState.errors;
  const submit = form.handleSubmit(async (values) => {
    try {
      await central('createStaff', { params: { clinicId }, body: values });
      form.reset();
      await client.invalidateQueries({ queryKey: staffKey(clinicId) });
    } catch (err) {
      errors.report(err);
    }
  });
  return (
    <form className="panel form" onSubmit={submit} noValidate aria-labelledby="new-staff">
      <h2 id="new-staff" className="section-title">New staff account</h2>
      {errors.banner ? <Alert tone="error">{errors.banner}</Alert> : null}
      <TextField label="Username" autoComplete="off" error={e.username?.message} {...form.register('username')} />
      <TextField label="Full name" autoComplete="off" error={e.fullName?.message} {...form.register('fullName')} />
      <TextField
        label="First password"
        type="password"
        autoComplete="new-password"
        hint="At least 12 characters. Tell the person in person; they set up their authenticator at first sign-in."
        error={e.password?.message}
        {...form.register('password')}
      />
      <RoleBoxes register={form.register as never} error={e.roles?.message} />
      <Button type="submit" variant="primary" busy={form.formState.isSubmitting}>Create account</Button>
    </form>
  );
}

const editSchema = z.object({
  fullName: z.string().trim().min(1, 'Enter the person’s full name.').max(200),
  roles: updateStaffSchema.shape.roles.unwrap(),
  active: z.boolean(),
});

function EditStaff({ clinicId, staff, onClose }: { clinicId: string; staff: Staff; onClose: () => void }) {
  const client = useQueryClient();
  type Values = z.input<typeof editSchema>;
  const form = useForm<Values>({
    resolver: zodResolver(editSchema),
    defaultValues: { fullName: staff.fullName, roles: staff.roles, active: staff.active },
  });
  const errors = useServerErrors(form, ['fullName', 'roles', 'active']);
  const e = form.formState.errors;
  const submit = form.handleSubmit(async (values) => {
    try {
      await central('updateStaff', { params: { clinicId, userId: staff.id }, body: values });
      await client.invalidateQueries({ queryKey: staffKey(clinicId) });
      onClose();
    } catch (err) {
      errors.report(err);
    }
  });
  return (
    <Dialog title={`Edit ${staff.username}`} onClose={onClose}>
      <form className="form" onSubmit={submit} noValidate>
        {errors.banner ? <Alert tone="error">{errors.banner}</Alert> : null}
        <TextField label="Full name" error={e.fullName?.message} {...form.register('fullName')} />
        <RoleBoxes register={form.register as never} error={e.roles?.message} />
        <Checkbox label="Active (may sign in)" {...form.register('active')} />
        <div className="button-row">
          <Button type="submit" variant="primary" busy={form.formState.isSubmitting}>Save changes</Button>
          <Button onClick={onClose}>Cancel</Button>
        </div>
      </form>
    </Dialog>
  );
}

function ResetPassword({ clinicId, staff, onClose }: { clinicId: string; staff: Staff; onClose: () => void }) {
  const client = useQueryClient();
  type Values = z.input<typeof resetStaffPasswordSchema>;
  const form = useForm<Values>({
    resolver: zodResolver(resetStaffPasswordSchema),
    defaultValues: { password: '', clearMfa: false },
  });
  const errors = useServerErrors(form, ['password', 'clearMfa']);
  const submit = form.handleSubmit(async (values) => {
    try {
      await central('resetStaffPassword', { params: { clinicId, userId: staff.id }, body: values });
      await client.invalidateQueries({ queryKey: staffKey(clinicId) });
      onClose();
    } catch (err) {
      errors.report(err);
    }
  });
  return (
    <Dialog title={`Reset the password of ${staff.username}`} onClose={onClose}>
      <form className="form" onSubmit={submit} noValidate>
        {errors.banner ? <Alert tone="error">{errors.banner}</Alert> : null}
        <TextField
          label="New password"
          type="password"
          autoComplete="new-password"
          hint="Ends any lockout. Every workstation of the clinic accepts it after its next sync."
          error={form.formState.errors.password?.message}
          {...form.register('password')}
        />
        <Checkbox label="Also remove their authenticator (they set up a new one at next sign-in)" {...form.register('clearMfa')} />
        <div className="button-row">
          <Button type="submit" variant="primary" busy={form.formState.isSubmitting}>Set new password</Button>
          <Button onClick={onClose}>Cancel</Button>
        </div>
      </form>
    </Dialog>
  );
}
