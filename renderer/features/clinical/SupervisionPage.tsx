import { useState } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { call, errorMessage } from '../../api/client';
import { keys } from '../../api/keys';
import { Alert } from '../../ui/Alert';
import { EmptyState, Loading, PageHeader } from '../../ui/Page';

/**
 * Who co-signs whose notes. A supervised clinician's signed notes show as "pending co-signature" until
 * the supervisor co-signs; notes signed before a change keep the co-signer they were signed with.
 */
export function SupervisionPage() {
  const queryClient = useQueryClient();
  const list = useQuery({ queryKey: keys.supervision, queryFn: () => call('listSupervision') });
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const clinicians = list.data?.clinicians ?? [];
  const change = async (clinicianId: string, supervisorId: string) => {
    setError(null);
    setNotice(null);
    try {
      const next = await call('setSupervisor', {
        params: { clinicianId },
        body: { supervisorId: supervisorId || null },
      });
      queryClient.setQueryData(keys.supervision, next);
      setNotice('Supervision saved. It applies to notes signed from now on.');
    } catch (err) {
      setError(errorMessage(err));
    }
  };
  return (
    <section className="page">
      <PageHeader title="Supervision">
        <p>Notes signed by a supervised clinician wait for their supervisor’s co-signature.</p>
      </PageHeader>
      {error ? <Alert tone="error">{error}</Alert> : null}
      {notice ? <Alert tone="success">{notice}</Alert> : null}
      {list.isPending ? <Loading /> : null}
      {clinicians.length ? (
        <div className="table-wrap">
          <table className="table">
            <thead>
              <tr>
                <th scope="col">Clinician</th>
                <th scope="col">Co-signed by</th>
              </tr>
            </thead>
            <tbody>
              {clinicians.map(({ clinician, supervisor }) => (
                <tr key={clinician.id}>
                  <th scope="row">{clinician.name}</th>
                  <td>
                    <label className="visually-hidden" htmlFor={`sup-${clinician.id}`}>
                      Supervisor of {clinician.name}
                    </label>
                    <select
                      id={`sup-${clinician.id}`}
                      className="input input-inline"
                      value={supervisor?.id ?? ''}
                      onChange={(e) => void change(clinician.id, e.target.value)}
                    >
                      <option value="">Not supervised (notes are final when signed)</option>
                      {clinicians
                        .filter((c) => c.clinician.id !== clinician.id)
                        .map((c) => (
                          <option key={c.clinician.id} value={c.clinician.id}>
                            {c.clinician.name}
                          </option>
                        ))}
                    </select>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : list.isSuccess ? (
        <EmptyState>No clinicians yet. Give staff the Clinician role under Admin › Users.</EmptyState>
      ) : null}
    </section>
  );
}
