import { appointmentStatusLabels, type AppointmentStatus } from '../../../server/contracts/scheduling';

/** The visit status in words, coloured by meaning (the word carries it; colour only helps). */
export function StatusBadge({ status }: { status: AppointmentStatus }) {
  return <span className={`badge status-badge status-${status}`}>{appointmentStatusLabels[status]}</span>;
}
