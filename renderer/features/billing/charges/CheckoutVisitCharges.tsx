import { useQuery } from '@tanstack/react-query';
import { ApiError, call, errorMessage } from '../../../api/client';
import { Alert } from '../../../ui/Alert';
import { ChargesPanel } from './ChargesPanel';

/**
 * Checkout's view of the visit's charge lines: review, adjust and close the visit (posting its charges) before
 * collecting. Nothing shows for an appointment whose visit has no encounter yet.
 */
export function CheckoutVisitCharges({ appointmentId, onPosted }: { appointmentId: string; onPosted: () => void }) {
  const visit = useQuery({
    queryKey: ['billing-charges', 'appointment', appointmentId],
    queryFn: () => call('getAppointmentCharges', { params: { id: appointmentId } }),
    retry: false,
  });
  if (visit.isPending) return null;
  if (visit.isError)
    return visit.error instanceof ApiError && visit.error.status === 404 ? null : (
      <Alert tone="error">{errorMessage(visit.error)}</Alert>
    );
  return <ChargesPanel encounterId={visit.data.encounterId} onPosted={onPosted} />;
}
