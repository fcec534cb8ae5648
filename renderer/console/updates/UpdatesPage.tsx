import { zodResolver } from '@hookform/resolvers/zod';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useForm } from 'react-hook-form';
import { z } from 'zod';
import { stagingPercentageSchema, type Release } from '../../../server/contracts/central/updates';
import { Alert } from '../../ui/Alert';
import { Button } from '../../ui/Button';
import { TextField } from '../../ui/Field';
import { useServerErrors } from '../../ui/form';
import { EmptyState, Loading, PageHeader } from '../../ui/Page';
import { central } from '../api';
import { dateTime } from '../format';
import { useOrgChoice } from '../scope';

/**
 * The desktop update feed (docs/updates.md): releases per channel with their staged rollout. Releases are
 * uploaded from the build machine (installers are hundreds of MB); here IT widens or narrows a rollout.
 */
export function UpdatesPage() {
  const { orgs, org, picker } = useOrgChoice();
  return (
    <div className="page page-wide">
      <PageHeader title="Updates">
        Desktop releases your workstations are offered, by channel. A bad release is pulled by publishing a higher version.
      </PageHeader>
      <div className="console-toolbar">{picker}</div>
      {orgs.isPending ? <Loading /> : null}
      {orgs.data?.length === 0 ? <EmptyState>No organization yet.</EmptyState> : null}
      {org ? <ReleaseTable orgId={org.id} /> : null}
    </div>
  );
}

function ReleaseTable({ orgId }: { orgId: string }) {
  const releases = useQuery({
    queryKey: ['console', 'releases', orgId],
    queryFn: async () => (await central('listReleases', { params: { orgId } })).releases,
  });
  if (releases.isPending) return <Loading />;
  if (releases.isError) return <Alert tone="error">{releases.error.message}</Alert>;
  if (releases.data.length === 0)
    return (
      <EmptyState>
        No release published yet — upload one from the build machine (docs/updates.md, “Releasing”). Workstations keep
        their version until then.
      </EmptyState>
    );
  const newest = { stable: releases.data.find((r) => r.channel === 'stable'), beta: releases.data.find((r) => r.channel === 'beta') };
  return (
    <div className="table-wrap">
      <table className="table table-dense" data-testid="release-table">
        <thead>
          <tr>
            <th scope="col">Version</th>
            <th scope="col">Channel</th>
            <th scope="col">Offered</th>
            <th scope="col">Rollout</th>
            <th scope="col">Files</th>
            <th scope="col">Published</th>
          </tr>
        </thead>
        <tbody>
          {releases.data.map((r) => (
            <tr key={r.id}>
              <th scope="row" className="mono">{r.version}</th>
              <td>{r.channel === 'stable' ? 'Stable' : 'Beta'}</td>
              <td>
                {newest[r.channel]?.id === r.id ? (
                  <span className="badge badge-ok">Newest {r.channel}</span>
                ) : (
                  <span className="badge badge-muted">Superseded</span>
                )}
              </td>
              <td>
                <Rollout orgId={orgId} release={r} />
              </td>
              <td className="small">{r.files.join(', ')}</td>
              <td>{dateTime(r.publishedAt)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

const rolloutForm = z.object({ stagingPercentage: z.coerce.number().pipe(stagingPercentageSchema) });

function Rollout({ orgId, release }: { orgId: string; release: Release }) {
  const client = useQueryClient();
  const form = useForm<z.input<typeof rolloutForm>>({
    resolver: zodResolver(rolloutForm),
    defaultValues: { stagingPercentage: release.stagingPercentage },
  });
  const errors = useServerErrors(form, ['stagingPercentage']);
  const submit = form.handleSubmit(async (values) => {
    try {
      await central('setReleaseRollout', {
        params: { orgId, version: release.version },
        body: { stagingPercentage: Number(values.stagingPercentage) },
      });
      await client.invalidateQueries({ queryKey: ['console', 'releases', orgId] });
    } catch (err) {
      errors.report(err);
    }
  });
  return (
    <form className="inline-form" onSubmit={submit} noValidate>
      <TextField
        label={`Rollout of ${release.version} (%)`}
        fieldClassName="field-inline"
        type="number"
        min={1}
        max={100}
        className="input-code"
        error={form.formState.errors.stagingPercentage?.message ?? errors.banner ?? undefined}
        {...form.register('stagingPercentage')}
      />
      <Button type="submit" size="small" busy={form.formState.isSubmitting}>Set</Button>
    </form>
  );
}
