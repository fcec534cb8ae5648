import {
  relationshipLabels,
  type EmergencyContact,
  type Guarantor,
} from '../../../server/contracts/patients';
import { Button } from '../../ui/Button';
import { formatPhone } from './patient-format';
import { Facts, RecordPanel } from './RecordPanel';

/** The patient's emergency contacts, with add, change and remove for staff who may write. */
export function EmergencyContactsPanel({
  contacts,
  canWrite,
  onEdit,
  onRemove,
}: {
  contacts: EmergencyContact[];
  canWrite: boolean;
  onEdit: (contact: EmergencyContact | null) => void;
  onRemove: (contact: EmergencyContact) => void;
}) {
  return (
    <RecordPanel
      title="Emergency contacts"
      action={
        canWrite ? (
          <Button size="small" onClick={() => onEdit(null)}>
            Add contact
          </Button>
        ) : null
      }
    >
      {contacts.length ? (
        <table className="table table-dense">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Relationship</th>
              <th scope="col">Phone</th>
              {canWrite ? (
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              ) : null}
            </tr>
          </thead>
          <tbody>
            {contacts.map((c) => (
              <tr key={c.id}>
                <td>{c.name}</td>
                <td>{relationshipLabels[c.relationship]}</td>
                <td>
                  {formatPhone(c.phone)}
                  {c.alternatePhone ? `, ${formatPhone(c.alternatePhone)}` : ''}
                </td>
                {canWrite ? (
                  <td className="row-actions">
                    <Button
                      size="small"
                      variant="link"
                      onClick={() => onEdit(c)}
                      aria-label={`Change contact ${c.name}`}
                    >
                      Change contact
                    </Button>
                    <Button
                      size="small"
                      variant="link"
                      onClick={() => onRemove(c)}
                      aria-label={`Remove contact ${c.name}`}
                    >
                      Remove contact
                    </Button>
                  </td>
                ) : null}
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p className="muted">No emergency contact yet{canWrite ? ' — add one.' : '.'}</p>
      )}
    </RecordPanel>
  );
}

/** Who pays: the patient themself, or a named guarantor with their address. */
export function GuarantorPanel({
  guarantor,
  canWrite,
  onEdit,
}: {
  guarantor: Guarantor | null;
  canWrite: boolean;
  onEdit: () => void;
}) {
  return (
    <RecordPanel
      title="Guarantor"
      action={
        canWrite ? (
          <Button size="small" onClick={onEdit}>
            {guarantor ? 'Change guarantor' : 'Set guarantor'}
          </Button>
        ) : null
      }
    >
      {!guarantor ? (
        <p className="muted">Not set: the patient is treated as responsible.</p>
      ) : guarantor.relationship === 'self' ? (
        <p>The patient (self).</p>
      ) : (
        <Facts
          rows={[
            ['Name', `${guarantor.firstName ?? ''} ${guarantor.lastName ?? ''}`.trim()],
            ['Relationship', relationshipLabels[guarantor.relationship]],
            ['Phone', formatPhone(guarantor.phone)],
            [
              'Address',
              guarantor.sameAddressAsPatient
                ? 'Same as the patient'
                : [guarantor.addressLine1, guarantor.city, guarantor.state, guarantor.postalCode]
                    .filter(Boolean)
                    .join(', '),
            ],
          ]}
        />
      )}
    </RecordPanel>
  );
}
