import { useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { useQueryClient } from '@tanstack/react-query';
import type { DuplicateMatches, PatientCreate } from '../../../server/contracts/patients';
import { call, isApiError } from '../../api/client';
import { keys } from '../../api/keys';
import { useSession } from '../../app/auth';
import { Alert } from '../../ui/Alert';
import { Button } from '../../ui/Button';
import { formErrorMessage } from '../../ui/form';
import { PageHeader } from '../../ui/Page';
import { DemographicsForm, emptyDemographics } from './DemographicsForm';
import { PatientResultContent } from './PatientResults';

const reasonText = {
  name_and_date_of_birth: 'same name and date of birth',
  phone: 'same phone number',
} as const;

/**
 * Registration. Before a record is made the registry is checked for the same person (same name and date
 * of birth, or a shared phone); if there are matches they are shown with the form still filled in, and the
 * user either opens the existing record or deliberately registers a different person.
 */
export function RegisterPatientPage() {
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const session = useSession();
  const [matches, setMatches] = useState<DuplicateMatches['matches'] | null>(null);
  const [pending, setPending] = useState<PatientCreate | null>(null);
  const [busy, setBusy] = useState(false);
  // An error of "Register anyway", which is outside the form's own submit.
  const [anywayError, setAnywayError] = useState<string | null>(null);

  /** Creates the record; throws the server's error for the form to place next to its fields. */
  const register = async (body: PatientCreate, confirmed: boolean) => {
    try {
      const created = await call('createPatient', { body: { ...body, confirmedNotDuplicate: confirmed } });
      queryClient.setQueryData(keys.patient(created.id), created);
      void queryClient.invalidateQueries({ queryKey: keys.patientsAll });
      void navigate(`/patients/${created.id}`, { state: { notice: `Registered. MRN ${created.mrn}.` } });
    } catch (err) {
      if (isApiError(err, 409) && err.code === 'possible_duplicate') {
        // Someone registered a look-alike since the check: show the matches now.
        await check(body);
        return;
      }
      throw err;
    }
  };

  const check = async (body: PatientCreate) => {
    const found = await call('checkDuplicatePatients', {
      body: {
        legalFirstName: body.legalFirstName,
        legalLastName: body.legalLastName,
        dateOfBirth: body.dateOfBirth,
        phones: [body.phoneMobile, body.phoneHome, body.phoneWork].filter((p): p is string => !!p),
      },
    });
    setPending(body);
    setMatches(found.matches);
    return found.matches;
  };

  return (
    <section className="page">
      <PageHeader title="Register a patient">
        Only the legal name and date of birth are required now; the rest can be completed at check-in.
      </PageHeader>
      <DemographicsForm
        mode="create"
        defaultValues={emptyDemographics}
        submitLabel="Register patient"
        busyLabel="Checking…"
        onCancel={() => void navigate('/patients')}
        onSubmit={async (body) => {
          const found = await check(body as PatientCreate);
          if (!found.length) await register(body as PatientCreate, false);
        }}
      >
        {matches?.length && pending ? (
          <Alert tone="warning" title="This patient may already be registered" testId="duplicate-warning">
            <p>Check these records before registering someone new:</p>
            {anywayError ? <p className="field-error">{anywayError}</p> : null}
            <ul className="patient-results duplicate-list">
              {matches.map((m) => (
                <li key={m.patient.id} className="patient-result">
                  <PatientResultContent patient={m.patient} timeZone={session.clinic.timeZone} />
                  <span className="patient-result-sub">
                    Matches on {m.reasons.map((r) => reasonText[r]).join(' and ')} ·{' '}
                    <Link to={`/patients/${m.patient.id}`}>Open this patient</Link>
                  </span>
                </li>
              ))}
            </ul>
            <div className="button-row">
              <Button
                variant="danger"
                busy={busy}
                busyLabel="Registering…"
                onClick={() => {
                  setBusy(true);
                  setAnywayError(null);
                  void register(pending, true)
                    .catch((err: unknown) => setAnywayError(formErrorMessage(err)))
                    .finally(() => setBusy(false));
                }}
              >
                Register anyway — a different person
              </Button>
              <Button onClick={() => setMatches(null)}>Keep editing</Button>
            </div>
          </Alert>
        ) : null}
      </DemographicsForm>
    </section>
  );
}
