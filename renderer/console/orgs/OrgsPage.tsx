import { zodResolver } from '@hookform/resolvers/zod';
import { useQueryClient } from '@tanstack/react-query';
import { useForm } from 'react-hook-form';
import type { z } from 'zod';
import { createClinicSchema, createOrgSchema } from '../../../server/contracts/central';
import type { ConsoleSession } from '../../../server/contracts/central/console';
import { Alert } from '../../ui/Alert';
import { Button } from '../../ui/Button';
import { SelectField, TextField } from '../../ui/Field';
import { useServerErrors } from '../../ui/form';
import { EmptyState, Loading, PageHeader } from '../../ui/Page';
import { central } from '../api';
import { count, dateTime } from '../format';
import { clinicsKey, orgsKey, useClinics, useOrgs } from '../scope';

/** Organizations (operators create them) and their clinics (any of their administrators create them). */
export function OrgsPage({ session }: { session: ConsoleSession }) {
  const orgs = useOrgs();
  const clinics = useClinics();
  const operator = session.admin.orgId === null;
  const orgName = new Map(orgs.data?.map((o) => [o.id, o.name]));
  return (
    <div className="page page-wide">
      <PageHeader title="Organizations & clinics">
        Each clinic has its own workstations, staff and records; an organization shares code sets and updates.
      </PageHeader>
      <div className="console-grid">
        <div className="form">
          <section aria-labelledby="orgs-title">
            <h2 id="orgs-title" className="section-title">Organizations</h2>
            {orgs.isPending ? <Loading /> : null}
            {orgs.isError ? <Alert tone="error">{orgs.error.message}</Alert> : null}
            {orgs.data?.length === 0 ? (
              <EmptyState>
                {operator ? 'No organization yet — create the first one on the right.' : 'Your organization was not found.'}
              </EmptyState>
            ) : null}
            {orgs.data?.length ? (
              <div className="table-wrap">
                <table className="table table-dense">
                  <thead>
                    <tr>
                      <th scope="col">Name</th>
                      <th scope="col" className="num">Clinics</th>
                      <th scope="col">Created</th>
                    </tr>
                  </thead>
                  <tbody>
                    {orgs.data.map((o) => (
                      <tr key={o.id}>
                        <th scope="row">{o.name}</th>
                        <td className="num">{count(clinics.data?.filter((c) => c.orgId === o.id).length)}</td>
                        <td>{dateTime(o.createdAt)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            ) : null}
          </section>
          <section aria-labelledby="clinics-title">
            <h2 id="clinics-title" className="section-title">Clinics</h2>
            {clinics.data?.length === 0 ? <EmptyState>No clinic yet — add one on the right.</EmptyState> : null}
            {clinics.data?.length ? (
              <div className="table-wrap">
                <table className="table table-dense" data-testid="clinic-table">
                  <thead>
                    <tr>
                      <th scope="col">Clinic</th>
                      <th scope="col">Organization</th>
                      <th scope="col">Time zone</th>
                      <th scope="col" className="num" title="Changes stored at central">Changes</th>
                      <th scope="col">Created</th>
                    </tr>
                  </thead>
                  <tbody>
                    {clinics.data.map((c) => (
                      <tr key={c.id}>
                        <th scope="row">{c.name}</th>
                        <td>{orgName.get(c.orgId) ?? '—'}</td>
                        <td>{c.timeZone}</td>
                        <td className="num">{count(c.head)}</td>
                        <td>{dateTime(c.createdAt)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            ) : null}
          </section>
        </div>
        <div className="form">
          {operator ? <CreateOrg /> : null}
          {orgs.data?.length ? <CreateClinic orgs={orgs.data} /> : null}
        </div>
      </div>
    </div>
  );
}

function CreateOrg() {
  const client = useQueryClient();
  const form = useForm<z.input<typeof createOrgSchema>>({ resolver: zodResolver(createOrgSchema), defaultValues: { name: '' } });
  const errors = useServerErrors(form, ['name']);
  const submit = form.handleSubmit(async (values) => {
    try {
      await central('createOrg', { body: values });
      form.reset();
      await client.invalidateQueries({ queryKey: orgsKey });
    } catch (err) {
      errors.report(err);
    }
  });
  return (
    <form className="panel form" onSubmit={submit} noValidate aria-labelledby="new-org">
      <h2 id="new-org" className="section-title">New organization</h2>
      {errors.banner ? <Alert tone="error">{errors.banner}</Alert> : null}
      <TextField label="Organization name" error={form.formState.errors.name?.message} {...form.register('name')} />
      <Button type="submit" busy={form.formState.isSubmitting}>Create organization</Button>
    </form>
  );
}

const zones = (() => {
  try {
    return Intl.supportedValuesOf('timeZone');
  } catch {
    return ['America/New_York', 'America/Chicago', 'America/Denver', 'America/Los_Angeles', 'UTC'];
  }
})();

function CreateClinic({ orgs }: { orgs: { id: string; name: string }[] }) {
  const client = useQueryClient();
  const form = useForm<z.input<typeof createClinicSchema>>({
    resolver: zodResolver(createClinicSchema),
    defaultValues: { orgId: orgs[0]!.id, name: '', timeZone: 'America/Chicago' },
  });
  const errors = useServerErrors(form, ['orgId', 'name', 'timeZone']);
  const e = form.formState.errors;
  const submit = form.handleSubmit(async (values) => {
    try {
      await central('createClinic', { body: values });
      form.reset({ ...values, name: '' });
      await client.invalidateQueries({ queryKey: clinicsKey });
    } catch (err) {
      errors.report(err);
    }
  });
  return (
    <form className="panel form" onSubmit={submit} noValidate aria-labelledby="new-clinic">
      <h2 id="new-clinic" className="section-title">New clinic</h2>
      {errors.banner ? <Alert tone="error">{errors.banner}</Alert> : null}
      {orgs.length > 1 ? (
        <SelectField label="Organization" error={e.orgId?.message} {...form.register('orgId')}>
          {orgs.map((o) => (
            <option key={o.id} value={o.id}>{o.name}</option>
          ))}
        </SelectField>
      ) : null}
      <TextField label="Clinic name" error={e.name?.message} {...form.register('name')} />
      <SelectField label="Time zone" error={e.timeZone?.message} {...form.register('timeZone')}>
        {zones.map((z) => (
          <option key={z} value={z}>{z}</option>
        ))}
      </SelectField>
      <Button type="submit" busy={form.formState.isSubmitting}>Create clinic</Button>
    </form>
  );
}
