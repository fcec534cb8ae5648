import type { ClearinghouseAdminView } from '../../../server/contracts/central/claims-endpoints';
import { EmptyState } from '../../ui/Page';
import { dateTime } from '../format';

const statusBadge = {
  sent: ['badge-ok', 'Sent'],
  queued: ['badge-muted', 'Queued'],
  failed: ['badge-warning', 'Not sent yet'],
  skipped: ['badge-muted', 'Skipped'],
} as const;

/**
 * The clinic's latest batch transmissions as central keeps them (claim_transmissions, and the clearinghouse
 * API's answer from the sent log): what was sent when, and what is still waiting and why.
 */
export function TransmissionsTable({ view }: { view: ClearinghouseAdminView }) {
  return (
    <section aria-labelledby="transmissions-title" className="clearinghouse-transmissions">
      <h2 id="transmissions-title" className="section-title">
        Latest transmissions
      </h2>
      {view.transmissions.length === 0 ? (
        <EmptyState>No claim batch has been queued for this clinic yet.</EmptyState>
      ) : (
        <div className="table-wrap">
          <table className="table table-dense" data-testid="transmissions-table">
            <thead>
              <tr>
                <th scope="col">File</th>
                <th scope="col">Status</th>
                <th scope="col" className="num">Attempts</th>
                <th scope="col">Sent</th>
                <th scope="col">Clearinghouse answer, or why not sent</th>
              </tr>
            </thead>
            <tbody>
              {view.transmissions.map((t) => {
                const [tone, label] = statusBadge[t.status];
                return (
                  <tr key={t.fileName}>
                    <th scope="row" className="mono">{t.fileName}</th>
                    <td><span className={`badge ${tone}`}>{label}</span></td>
                    <td className="num">{t.attempts}</td>
                    <td>{dateTime(t.sentAt)}</td>
                    <td>
                      {t.error ?? t.answer ?? ''}
                      {t.nextAttemptAt ? ` Next attempt ${dateTime(t.nextAttemptAt)}.` : ''}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
