import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { Backup, RestoreOutcome } from '../../../../server/contracts/maintenance';
import { call, errorMessage } from '../../../api/client';
import { useCan, useSession } from '../../../app/auth';
import { Alert } from '../../../ui/Alert';
import { Button } from '../../../ui/Button';
import { formatShortDateTime } from '../../../ui/format';
import { EmptyState, Loading, PageHeader } from '../../../ui/Page';
import { AuditVerifyOutcome, useAuditVerify } from '../../audit/AuditVerify';
import { BackupScheduleForm } from './BackupScheduleForm';
import { KeyEscrowForm } from './KeyEscrowForm';
import { RestoreDialog } from './RestoreDialog';

export const maintenanceKey = ['admin', 'maintenance'] as const;

/**
 * Admin > Maintenance: this workstation's backups, their schedule, the database key for escrow, and the audit
 * log check (also on the Audit report; here because it is the first thing to run after a restore).
 */
export function MaintenancePage() {
  const can = useCan();
  const data = useQuery({ queryKey: maintenanceKey, queryFn: () => call('getMaintenance') });
  return (
    <section className="page">
      <PageHeader title="Maintenance">
        <p>
          Backups and the database key of this workstation. Copy backups off the machine. Restoring one here restarts
          Tessera onto it and signs everyone out.
        </p>
      </PageHeader>
      {data.isPending ? <Loading label="Loading backups…" /> : null}
      {data.isError ? <Alert tone="error">{errorMessage(data.error)}</Alert> : null}
      {data.isSuccess ? (
        <>
          <RestoreOutcomeNote outcome={data.data.lastRestore} />
          <BackupList backups={data.data.backups} folder={data.data.folder} />
          <h2>Automatic backups</h2>
          <BackupScheduleForm initial={data.data.schedule} />
          <h2>Database key for escrow</h2>
          <KeyEscrowForm />
          {can('audit.read') ? <AuditLogCheck /> : null}
        </>
      ) : null}
    </section>
  );
}

/** What the last restore came to, said once the server is back (a failure says the data is as it was). */
function RestoreOutcomeNote({ outcome }: { outcome: RestoreOutcome | null }) {
  const tz = useSession().clinic.timeZone;
  if (!outcome) return null;
  return (
    <Alert tone={outcome.ok ? 'success' : 'error'} testId="restore-outcome">
      {formatShortDateTime(outcome.at, tz)}: {outcome.message}
    </Alert>
  );
}

function BackupList({ backups, folder }: { backups: Backup[]; folder: string }) {
  const queryClient = useQueryClient();
  const [restoring, setRestoring] = useState<Backup | null>(null);
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
              <th>
                <span className="visually-hidden">Actions</span>
              </th>
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
                <td>
                  <Button size="small" onClick={() => setRestoring(b)} aria-label={`Restore the backup ${b.name}`}>
                    Restore…
                  </Button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {restoring ? <RestoreDialog backup={restoring} onClose={() => setRestoring(null)} /> : null}
    </>
  );
}

/** The same hash-chain check as `tessera audit verify`, answered in a sentence. */
function AuditLogCheck() {
  const verify = useAuditVerify();
  return (
    <>
      <h2>Audit log</h2>
      <p className="muted">
        Re-checks every audit entry against the one before it. A broken link means entries were altered or removed
        outside Tessera.
      </p>
      <div className="button-row">
        <Button busy={verify.isPending} busyLabel="Verifying…" onClick={() => verify.mutate()}>
          Verify audit log
        </Button>
      </div>
      <AuditVerifyOutcome verify={verify} />
    </>
  );
}
