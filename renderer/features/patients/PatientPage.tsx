import { useEffect, useState } from 'react';
import { Link, useLocation, useNavigate, useParams } from 'react-router';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { call, errorMessage, isApiError } from '../../api/client';
import { keys } from '../../api/keys';
import { useCan, useSession } from '../../app/auth';
import { Alert } from '../../ui/Alert';
import { Loading, useDocumentTitle } from '../../ui/Page';
import { PatientRecord } from './PatientRecord';
import { RestrictedRecord } from './RestrictedRecord';

/**
 * The route /patients/:id: loads the record and decides what to show. Restricted records answer 403
 * `restricted_record`; users with emergency access may break the glass. A merged-away id opens the
 * surviving record.
 */
export function PatientPage() {
  const { id = '' } = useParams();
  const session = useSession();
  const can = useCan();
  const navigate = useNavigate();
  const location = useLocation();
  const queryClient = useQueryClient();
  // A notice comes with the navigation (registered, merged-into) or from a save on this page.
  const locationNotice = (location.state as { notice?: string } | null)?.notice ?? null;
  const [localNotice, setLocalNotice] = useState<{ key: string; text: string } | null>(null);
  const notice = localNotice?.key === location.key ? localNotice.text : locationNotice;
  const setNotice = (text: string | null) => setLocalNotice(text ? { key: location.key, text } : null);
  const patient = useQuery({
    queryKey: keys.patient(id),
    queryFn: () => call('getPatient', { params: { id } }),
  });
  // The title never carries the name: window titles end up in screenshots and OS task lists.
  useDocumentTitle('Patient');

  const redirectedTo = patient.data && patient.data.id !== id ? patient.data.id : null;
  useEffect(() => {
    if (!redirectedTo || !patient.data) return;
    queryClient.setQueryData(keys.patient(redirectedTo), patient.data);
    void navigate(`/patients/${redirectedTo}`, {
      replace: true,
      state: { notice: 'The record you opened was merged into this one. This is the record to use.' },
    });
  }, [redirectedTo, patient.data, navigate, queryClient]);

  if (patient.isPending || redirectedTo) return <Loading label="Loading the patient…" />;

  if (patient.isError) {
    const err = patient.error;
    const restricted = isApiError(err, 403) && err.code === 'restricted_record';
    if (restricted && can('emergency.access')) {
      return (
        <RestrictedRecord
          patientId={id}
          message={errorMessage(err)}
          onGranted={() => void patient.refetch()}
        />
      );
    }
    return (
      <section className="page">
        <h1 className="page-title">{restricted ? 'Restricted record' : 'Patient not available'}</h1>
        <Alert tone="error">{errorMessage(err)}</Alert>
        <p>
          <Link to="/patients">Go to Patients</Link>
        </p>
      </section>
    );
  }

  return (
    <PatientRecord
      patient={patient.data}
      timeZone={session.clinic.timeZone}
      canWrite={can('patients.write')}
      canMerge={can('patients.merge')}
      canReadChart={can('chart.read')}
      notice={notice}
      setNotice={setNotice}
      refresh={() => void queryClient.invalidateQueries({ queryKey: keys.patient(patient.data.id) })}
      onSaved={(p) => {
        queryClient.setQueryData(keys.patient(p.id), p);
        void queryClient.invalidateQueries({ queryKey: ['patients', 'search'] });
      }}
    />
  );
}
