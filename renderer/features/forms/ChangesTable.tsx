import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { FormChange } from '../../../server/contracts/forms';
import { call, errorMessage } from '../../api/client';
import { keys } from '../../api/keys';
import { Alert } from '../../ui/Alert';
import { Button } from '../../ui/Button';
import { formatShortDateTime } from '../../ui/format';
import { relationshipLabels } from '../../../server/contracts/patients/codes';
import { formatPhone } from '../patients/patient-format';
import { changeFieldLabels, changeStatusLabels } from './labels';

const phoneFields: ReadonlySet<string> = new Set(['phoneMobile', 'phoneHome']);

function shown(c: FormChange, v: string | null) {
  if (v === null) return <span className="muted">(empty)</span>;
  return phoneFields.has(c.field) ? formatPhone(v) : v;
}

function proposed(c: FormChange) {
  if (!c.contact) return shown(c, c.proposed);
  return `${c.contact.name} (${relationshipLabels[c.contact.relationship]}), ${formatPhone(c.contact.phone)}`;
}

/**
 * Changes a patient proposed in the portal, one row per field: what the record had, what the patient
 * wrote, what the record holds now; Accept writes that one field to the record, Reject leaves it. Used by
 * the review queue (all patients) and the patient record (one patient).
 */
export function ChangesTable({
  changes,
  zone,
  canDecide,
  showPatient,
  onDecided,
}: {
  changes: FormChange[];
  zone: string;
  canDecide: boolean;
  showPatient: boolean;
  onDecided?: () => void;
}) {
  const queryClient = useQueryClient();
  const decide = useMutation({
    mutationFn: (v: { id: string; decision: 'accept' | 'reject' }) =>
      call('formChangeDecide', { params: { id: v.id }, body: { decision: v.decision } }),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: keys.formsAll });
      await queryClient.invalidateQueries({ queryKey: keys.patientsAll });
      onDecided?.();
    },
  });
  return (
    <>
      {decide.error ? <Alert tone="error">{errorMessage(decide.error)}</Alert> : null}
      <table className="table table-dense" data-testid="form-changes">
        <thead>
          <tr>
            {showPatient ? <th scope="col">Patient</th> : null}
            <th scope="col">Field</th>
            <th scope="col">On the record then</th>
            <th scope="col">Patient wrote</th>
            <th scope="col">On the record now</th>
            <th scope="col">Sent</th>
            <th scope="col">Decision</th>
          </tr>
        </thead>
        <tbody>
          {changes.map((c) => (
            <tr key={c.id} data-testid="form-change">
              {showPatient ? <td>{c.patientName}</td> : null}
              <th scope="row">{changeFieldLabels[c.field]}</th>
              {c.hidden ? (
                <td colSpan={3} className="muted">
                  Restricted record: open it with emergency access to see the values.
                </td>
              ) : (
                <>
                  <td>{c.contact ? <span className="muted">—</span> : shown(c, c.previous)}</td>
                  <td>
                    <strong>{proposed(c)}</strong>
                  </td>
                  <td>
                    {c.field === 'emergencyContact' ? <span className="muted">—</span> : shown(c, c.current)}
                  </td>
                </>
              )}
              <td>{formatShortDateTime(c.submittedAt, zone)}</td>
              <td>
                {c.status === 'pending' && canDecide && !c.hidden ? (
                  <span className="form-change-actions">
                    <Button
                      size="small"
                      variant="primary"
                      disabled={decide.isPending}
                      aria-label={`Accept ${changeFieldLabels[c.field]} for ${c.patientName}`}
                      onClick={() => decide.mutate({ id: c.id, decision: 'accept' })}
                    >
                      Accept
                    </Button>
                    <Button
                      size="small"
                      disabled={decide.isPending}
                      aria-label={`Reject ${changeFieldLabels[c.field]} for ${c.patientName}`}
                      onClick={() => decide.mutate({ id: c.id, decision: 'reject' })}
                    >
                      Reject
                    </Button>
                  </span>
                ) : (
                  <span className={c.status === 'pending' ? 'muted' : undefined}>
                    {changeStatusLabels[c.status]}
                    {c.decidedByName ? ` by ${c.decidedByName}` : ''}
                  </span>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}
