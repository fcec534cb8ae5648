import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { useQuery } from '@tanstack/react-query';
import { call, errorMessage, isApiError } from '../../api/client';
import { keys } from '../../api/keys';
import { useCan, useSession } from '../../app/auth';
import { Alert } from '../../ui/Alert';
import { Button } from '../../ui/Button';
import { Loading, useDocumentTitle } from '../../ui/Page';
import { BreakGlassDialog } from './BreakGlassDialog';
import { PatientBanner } from './PatientBanner';

/**
 * A patient's page: for now the banner only; the chart grows around it with the registry. Restricted
 * records answer 403 `restricted_record`; users with emergency access may break the glass.
 */
export function PatientPage() {
  const { id = '' } = useParams();
  const session = useSession();
  const can = useCan();
  const [dismissed, setDismissed] = useState(false);
  const patient = useQuery({
    queryKey: keys.patient(id),
    queryFn: () => call('getPatient', { params: { id } }),
  });
  // The title never carries the name: window titles end up in screenshots and OS task lists.
  useDocumentTitle('Patient');

  if (patient.isPending) return <Loading label="Loading the patient…" />;

  if (patient.isError) {
    const err = patient.error;
    const restricted = isApiError(err, 403) && err.code === 'restricted_record';
    if (restricted && can('emergency.access')) {
      return (
        <section className="page">
          <h1 className="page-title">Restricted record</h1>
          {dismissed ? (
            <>
              <p>The record stays closed.</p>
              <p className="button-row">
                <Button variant="danger" onClick={() => setDismissed(false)}>
                  Request emergency access
                </Button>
                <Link to="/">Go to Home</Link>
              </p>
            </>
          ) : (
            <BreakGlassDialog
              patientId={id}
              message={errorMessage(err)}
              onCancel={() => setDismissed(true)}
              onGranted={() => void patient.refetch()}
            />
          )}
        </section>
      );
    }
    return (
      <section className="page">
        <h1 className="page-title">{restricted ? 'Restricted record' : 'Patient not available'}</h1>
        <Alert tone="error">{errorMessage(err)}</Alert>
        <p>
          <Link to="/">Go to Home</Link>
        </p>
      </section>
    );
  }

  return (
    <section className="page">
      <PatientBanner patient={patient.data} timeZone={session.clinic.timeZone} />
      <p className="muted">The chart (visits, notes, billing) appears here as those areas arrive.</p>
    </section>
  );
}
