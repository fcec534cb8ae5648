import { Link, useNavigate } from 'react-router';
import { useCan } from '../../app/auth';
import { PageHeader } from '../../ui/Page';
import { PatientFinder } from './PatientFinder';

/** The Patients area: search first (most visits are for someone already registered), then register. */
export function PatientSearchPage() {
  const navigate = useNavigate();
  const can = useCan();
  return (
    <section className="page">
      <PageHeader
        title="Patients"
        actions={
          can('patients.write') ? (
            <Link className="btn btn-primary" to="/patients/new">
              Register a patient
            </Link>
          ) : null
        }
      >
        Find a patient from anywhere with <kbd>Ctrl</kbd>+<kbd>K</kbd>.
      </PageHeader>
      <PatientFinder
        label="Find a patient"
        autoFocus
        onOpen={(p) => void navigate(`/patients/${p.id}`)}
        noMatch={() =>
          can('patients.write') ? (
            <p>
              <Link to="/patients/new">Register a new patient</Link>
            </p>
          ) : null
        }
      />
    </section>
  );
}
