import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { ClearinghouseAdminView } from '../../../server/contracts/central/claims-endpoints';
import { Alert } from '../../ui/Alert';
import { Button } from '../../ui/Button';
import { useConfirm } from '../../ui/ConfirmDialog';
import { EmptyState, Loading, PageHeader } from '../../ui/Page';
import { central } from '../api';
import { NoClinics } from '../orgs/NoClinics';
import { useClinicChoice } from '../scope';
import { ConnectionForm } from './ConnectionForm';
import { ConnectionSummary } from './ConnectionSummary';
import { TransmissionsTable } from './TransmissionsTable';

/**
 * A clinic's clearinghouse connection (docs/claims-inbound.md, "Connections per clinic"): what central uses
 * to send the clinic's claim batches and fetch its 999, 277CA, 835 and 271 files, the last test and poll,
 * the latest transmissions; set, test and remove it. Secrets are never shown.
 */
export function ClearinghousePage() {
  const { clinics, clinic, picker } = useClinicChoice();
  return (
    <div className="page page-wide">
      <PageHeader title="Clearinghouse">
        Central sends each clinic’s claim batches to its clearinghouse and fetches the answers (999, 277CA, 835, 271)
        for the clinic’s workstations.
      </PageHeader>
      <div className="console-toolbar">{picker}</div>
      {clinics.isPending ? <Loading /> : null}
      {clinics.data?.length === 0 ? <NoClinics /> : null}
      {/* Keyed by clinic: the form starts again from the chosen clinic's connection. */}
      {clinic ? <ClinicConnection key={clinic.id} clinicId={clinic.id} clinicName={clinic.name} /> : null}
    </div>
  );
}

function ClinicConnection({ clinicId, clinicName }: { clinicId: string; clinicName: string }) {
  const client = useQueryClient();
  const queryKey = ['console', 'clearinghouse', clinicId] as const;
  const view = useQuery({ queryKey, queryFn: () => central('getClinicClearinghouse', { params: { clinicId } }) });
  const [dialog, confirm] = useConfirm();
  const [problem, setProblem] = useState<string | null>(null);
  const done = (v: ClearinghouseAdminView) => client.setQueryData(queryKey, v);
  const test = useMutation({
    mutationFn: () => central('testClinicClearinghouse', { params: { clinicId } }),
    onMutate: () => setProblem(null),
    onSuccess: done,
    onError: (err) => setProblem(err.message),
  });
  const remove = useMutation({
    mutationFn: () => central('removeClinicClearinghouse', { params: { clinicId } }),
    onSuccess: done,
    onError: (err) => setProblem(err.message),
  });
  const askRemove = async () => {
    setProblem(null);
    const yes = await confirm({
      title: `Remove ${clinicName}’s clearinghouse connection?`,
      message:
        'Central stops sending this clinic’s batches and fetching its files; queued batches wait until a connection is set again. The stored key or secret is deleted.',
      confirmLabel: 'Remove connection',
      cancelLabel: 'Keep it',
      danger: true,
    });
    if (yes) remove.mutate();
  };

  if (view.isPending) return <Loading />;
  if (view.isError) return <Alert tone="error">{view.error.message}</Alert>;
  const v = view.data;
  return (
    <>
      {v.configured ? (
        <ConnectionSummary view={v}>
          <Button onClick={() => test.mutate()} busy={test.isPending}>
            Test connection
          </Button>
          {v.source === 'central' ? (
            <Button variant="danger" onClick={() => void askRemove()} busy={remove.isPending}>
              Remove connection
            </Button>
          ) : null}
        </ConnectionSummary>
      ) : (
        <EmptyState>
          No clearinghouse connection for {clinicName} yet: claim batches stay queued and no answers are fetched. Set
          one below (the clearinghouse gives you the server, user and folders, or the API address and client id).
        </EmptyState>
      )}
      {problem ? <Alert tone="error">{problem}</Alert> : null}
      {/* Keyed by when it was saved: a save or a removal starts the form again from what central now holds. */}
      <ConnectionForm key={`${v.source}-${v.updatedAt}`} clinicId={clinicId} view={v} queryKey={queryKey} />
      <TransmissionsTable view={v} />
      {dialog}
    </>
  );
}
