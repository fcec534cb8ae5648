import { zodResolver } from '@hookform/resolvers/zod';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { z } from 'zod';
import { createEnrollmentCodeSchema } from '../../../server/contracts/central';
import { Alert } from '../../ui/Alert';
import { Button } from '../../ui/Button';
import { useConfirm } from '../../ui/ConfirmDialog';
import { SelectField } from '../../ui/Field';
import { useServerErrors } from '../../ui/form';
import { EmptyState, Loading, PageHeader } from '../../ui/Page';
import { central, type Response } from '../api';
import { ago, count, dateTime } from '../format';
import { useClinicChoice } from '../scope';
import { NoClinics } from '../orgs/NoClinics';

const expiries = [1, 4, 24, 72, 168, 336] as const;
const codeForm = z.object({ expiresInHours: z.coerce.number().pipe(createEnrollmentCodeSchema.shape.expiresInHours.unwrap()) });
type CodeValues = z.input<typeof codeForm>;
type Device = Response<'consoleDevices'>['devices'][number];

/** Enrollment codes, and every workstation of a clinic with its last contact, versions and sync state. */
export function WorkstationsPage() {
  const { clinics, clinic, picker } = useClinicChoice();
  return (
    <div className="page page-wide">
      <PageHeader title="Workstations">
        Make a one-time code to enroll a workstation, see how each one keeps up, and revoke one that is lost or retired.
      </PageHeader>
      <div className="console-toolbar">{picker}</div>
      {clinics.isPending ? <Loading /> : null}
      {clinics.isError ? <Alert tone="error">{clinics.error.message}</Alert> : null}
      {clinics.data?.length === 0 ? <NoClinics /> : null}
      {clinic ? (
        <div className="console-grid">
          <DeviceTable clinicId={clinic.id} />
          <EnrollmentCodePanel clinicId={clinic.id} clinicName={clinic.name} />
        </div>
      ) : null}
    </div>
  );
}

function DeviceTable({ clinicId }: { clinicId: string }) {
  const client = useQueryClient();
  const key = ['console', 'devices', clinicId];
  const devices = useQuery({
    queryKey: key,
    queryFn: () => central('consoleDevices', { params: { clinicId } }),
    refetchInterval: 10_000,
  });
  const [dialog, confirm] = useConfirm();
  const [problem, setProblem] = useState<string | null>(null);
  const revoke = useMutation({
    mutationFn: (d: Device) => central('revokeDevice', { params: { clinicId, deviceId: d.id } }),
    onSuccess: () => client.invalidateQueries({ queryKey: key }),
    onError: (err) => setProblem(err.message),
  });
  const ask = async (d: Device) => {
    setProblem(null);
    const yes = await confirm({
      title: `Revoke ${d.name}?`,
      message:
        'Central refuses this workstation from its next request on. Changes it has not sent yet stay on it; enroll it again with a new code to send them.',
      confirmLabel: 'Revoke workstation',
      cancelLabel: 'Keep it enrolled',
      danger: true,
    });
    if (yes) revoke.mutate(d);
  };
  if (devices.isPending) return <Loading />;
  if (devices.isError) return <Alert tone="error">{devices.error.message}</Alert>;
  const list = devices.data.devices;
  return (
    <section aria-labelledby="devices-title">
      <h2 id="devices-title" className="section-title">
        Enrolled workstations <span className="muted">(clinic at change {count(devices.data.head)})</span>
      </h2>
      {problem ? <Alert tone="error">{problem}</Alert> : null}
      {list.length === 0 ? (
        <EmptyState>No workstation is enrolled in this clinic yet — make an enrollment code on the right.</EmptyState>
      ) : (
        <div className="table-wrap">
          <table className="table table-dense" data-testid="device-table">
            <thead>
              <tr>
                <th scope="col">Workstation</th>
                <th scope="col">Status</th>
                <th scope="col">Last contact</th>
                <th scope="col">App</th>
                <th scope="col" className="num">Schema</th>
                <th scope="col" className="num" title="Changes of the clinic it has not pulled yet">Behind</th>
                <th scope="col" className="num" title="Changes on the workstation not yet sent">To send</th>
                <th scope="col" className="num">Conflicts</th>
                <th scope="col">Enrolled</th>
                <th scope="col"><span className="visually-hidden">Actions</span></th>
              </tr>
            </thead>
            <tbody>
              {list.map((d) => (
                <tr key={d.id}>
                  <th scope="row">{d.name}</th>
                  <td>
                    {d.revokedAt ? (
                      <span className="badge badge-muted">Revoked {ago(d.revokedAt)}</span>
                    ) : (
                      <span className="badge badge-ok">Active</span>
                    )}
                  </td>
                  <td className="nowrap" title={dateTime(d.lastSeenAt)}>{ago(d.lastSeenAt)}</td>
                  <td className="nowrap">{d.appVersion ?? '—'}</td>
                  <td className="num">{d.schemaVersion ?? '—'}</td>
                  <td className="num">{count(d.changesBehind)}</td>
                  <td className="num">{count(d.pendingMutations)}</td>
                  <td className="num">
                    {d.openConflicts ? <span className="badge badge-warning">{d.openConflicts}</span> : count(d.openConflicts)}
                  </td>
                  <td className="nowrap">{dateTime(d.createdAt)}</td>
                  <td className="row-actions">
                    {d.revokedAt ? null : (
                      <Button size="small" variant="danger" onClick={() => void ask(d)} aria-label={`Revoke ${d.name}`}>
                        Revoke
                      </Button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {dialog}
    </section>
  );
}

function EnrollmentCodePanel({ clinicId, clinicName }: { clinicId: string; clinicName: string }) {
  const [made, setMade] = useState<{ code: string; expiresAt: string } | null>(null);
  const form = useForm<CodeValues>({ resolver: zodResolver(codeForm), defaultValues: { expiresInHours: 24 } });
  const errors = useServerErrors(form, ['expiresInHours']);
  const submit = form.handleSubmit(async (values) => {
    try {
      setMade(
        await central('createEnrollmentCode', {
          params: { clinicId },
          body: { expiresInHours: Number(values.expiresInHours) },
        }),
      );
    } catch (err) {
      errors.report(err);
    }
  });
  return (
    <aside className="panel" aria-labelledby="code-title">
      <h2 id="code-title" className="section-title">
        Enroll a workstation
      </h2>
      <form className="form" onSubmit={submit} noValidate>
        <p className="small">
          A code works once, for {clinicName}. Type it on the workstation under Admin &gt; Sync (or “Join a clinic” on a new one).
        </p>
        {errors.banner ? <Alert tone="error">{errors.banner}</Alert> : null}
        <SelectField label="Code expires after" error={form.formState.errors.expiresInHours?.message} {...form.register('expiresInHours')}>
          {expiries.map((h) => (
            <option key={h} value={h}>
              {h < 24 ? `${h} hour${h === 1 ? '' : 's'}` : `${h / 24} day${h === 24 ? '' : 's'}`}
            </option>
          ))}
        </SelectField>
        <Button type="submit" variant="primary" busy={form.formState.isSubmitting}>
          Make enrollment code
        </Button>
      </form>
      {made ? (
        <div role="status" className="form" data-testid="enrollment-code">
          <p className="console-code">{made.code}</p>
          <p className="small">
            Valid until {dateTime(made.expiresAt)}. It is shown only now; make a new one if it is lost.
          </p>
        </div>
      ) : null}
    </aside>
  );
}
