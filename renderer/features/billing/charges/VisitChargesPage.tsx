import { useParams } from 'react-router';
import { useQuery } from '@tanstack/react-query';
import { call, errorMessage } from '../../../api/client';
import { useSession } from '../../../app/auth';
import { Alert } from '../../../ui/Alert';
import { Loading, PageHeader, useDocumentTitle } from '../../../ui/Page';
import { formatCalendarDate } from '../../../ui/format';
import { PatientBanner } from '../../patients/PatientBanner';
import { summaryOf } from '../../patients/patient-format';
import { billingSetupKeys } from '../setup/money-field';
import { ChargesPanel } from './ChargesPanel';

/** One visit's charges on their own page (billers and the front desk at checkout, who do not open charts). */
export function VisitChargesPage() {
  useDocumentTitle('Visit charges');
  const { id = '' } = useParams();
  const session = useSession();
  const charges = useQuery({
    queryKey: billingSetupKeys.charges(id),
    queryFn: () => call('getVisitCharges', { params: { id } }),
  });
  const patientId = charges.data?.patientId;
  const patient = useQuery({
    queryKey: ['patients', patientId ?? ''],
    queryFn: () => call('getPatient', { params: { id: patientId! } }),
    enabled: !!patientId,
  });
  return (
    <section className="page page-wide">
      {patient.data ? <PatientBanner patient={summaryOf(patient.data)} timeZone={session.clinic.timeZone} /> : null}
      <PageHeader title="Visit charges">
        {charges.data ? <p>Visit of {formatCalendarDate(charges.data.dateOfService)}</p> : null}
      </PageHeader>
      {charges.isPending ? <Loading label="Loading the visit…" /> : null}
      {charges.isError ? <Alert tone="error">{errorMessage(charges.error)}</Alert> : null}
      {charges.data ? <ChargesPanel encounterId={id} /> : null}
    </section>
  );
}
