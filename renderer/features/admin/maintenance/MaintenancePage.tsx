import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { call, errorMessage } from '../../../api/client';
import { useSession } from '../../../app/auth';
import { Alert } from '../../../ui/Alert';
import { Button } from '../../../ui/Button';
import { formatShortDateTime } from '../../../ui/format';
import { EmptyState, Loading, PageHeader } from '../../../ui/Page';
import { BackupScheduleForm } from './BackupScheduleForm';
import { KeyEscrowForm } from './KeyEscrowForm';

export const maintenanceKey = ['admin', 'maintenance'] as const;

/** Admin > Maintenance: this workstation's backups, their schedule, and the database key for escrow. */
export function MaintenancePage() {
  const data = useQuery({ queryKey: maintenanceKey, queryFn: () => call('getMaintenance') });
  return (
    <section className="page">
      <PageHeader title="Maintenance">
        <p>
          Backups and the database key of this workstation. Copy backups off the machine; restore one with{' '}
          <code>tessera restore --from FILE</code> while Tessera is closed.
        </p>
      </PageHeader>
      {data.isPending ? <Loading label="Loading backups…" /> : null}
      {data.isError ? <Alert tone="error">{errorMessage(data.error)}</Alert> : null}
      {data.isSuccess ? (
        <>
          <BackupList backups={data.data.backups} folder={data.data.folder} />
          <h2>Automatic backups</h2>
          <BackupScheduleForm initial={data.data.schedule} />
          <h2>Database key for escrow</h2>
          <KeyEscrowForm />
        </>
      ) : null}
    </section>
  );
}

function BackupList({ backups, folder }: { backups: { name: string; kind: string; createdAt: string; bytes: number }[]; folder: string }) {
  const queryClient = useQueryClient();
  const tz = useSession().clinic.timeZone;
  const backUp = useMutation({
    mutationFn: () => call('createBackup'),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: maintenanceKey }),
  });
  return (
    <>
      <div className="button-row">
        <Button variant="primary" busy={backUp.isPending} busyLabel="Backing up…" onClick={() => backUp.mutate()}>
          Back up now
        </Button>
        <span className="muted">Saved in {folder}</span>
      </div>
      {backUp.isError ? <Alert tone="error">{errorMessage(backUp.error)}</Alert> : null}
      {backUp.isSuccess ? (
        <Alert tone="success" testId="backup-made">
          Backup {backUp.data.name} written and checked: it opens with this workstation’s key.
        </Alert>
      ) : null}
      {backups.length === 0 ? (
        <EmptyState>No backups yet.</EmptyState>
      ) : (
        <table className="table" aria-label="Backups">
          <thead>
            <tr>
              <th>Made</th>
              <th>Kind</th>
              <th className="num">Size</th>
              <th>File</th>
            </tr>
          </thead>
          <tbody>
            {backups.map((b) => (
              <tr key={b.name}>
                <td>{formatShortDateTime(b.createdAt, tz)}</td>
                <td>{b.kind === 'manual' ? 'Made by hand' : 'Automatic'}</td>
                <td className="num">{(b.bytes / 1_048_576).toLocaleString('en-US', { maximumFractionDigits: 1 })} MB</td>
                <td>
                  <code>{b.name}</code>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}
