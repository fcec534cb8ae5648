import { useState } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import {
  appointmentRequestDeclineSchema,
  type AppointmentRequest,
} from '../../../server/contracts/portal/requests';
import { todayIn } from '../../../server/contracts/calendar';
import { call, errorMessage } from '../../api/client';
import { keys } from '../../api/keys';
import { isLiveRefresh } from '../../api/live';
import { useCan, useSession } from '../../app/auth';
import { Alert } from '../../ui/Alert';
import { Button } from '../../ui/Button';
import { Dialog } from '../../ui/Dialog';
import { TextAreaField } from '../../ui/Field';
import { formatCalendarDate, formatShortDateTime } from '../../ui/format';
import { EmptyState, Loading, PageHeader } from '../../ui/Page';
import { useZodForm, ZodForm } from '../../ui/zod-form';
import { BookingDialog, type BookingStart } from './BookingDialog';
import { requestPrefill } from './request-prefill';
import { lookup, patientName, useSchedulingSetup } from './use-scheduling-data';
import './scheduling.css';

const dayWords = {
  mon: 'Mon',
  tue: 'Tue',
  wed: 'Wed',
  thu: 'Thu',
  fri: 'Fri',
  sat: 'Sat',
  sun: 'Sun',
} as const;
const partWords = { morning: 'mornings', afternoon: 'afternoons', evening: 'evenings' } as const;

/**
 * The front desk's queue of appointment requests patients sent from the portal, oldest first. **Book**
 * opens the booking dialog with the request prefilled (patient, type, clinician, a day and time the patient
 * said suit them); booking it answers the request. **Decline** asks for the reason the patient will read.
 */
export function RequestsPage() {
  const session = useSession();
  const zone = session.clinic.timeZone;
  const can = useCan();
  const setup = useSchedulingSetup();
  const names = lookup(setup);
  const queryClient = useQueryClient();
  const [booking, setBooking] = useState<BookingStart | null>(null);
  const [declining, setDeclining] = useState<AppointmentRequest | null>(null);
  const [notice, setNotice] = useState<{ tone: 'success' | 'error'; text: string } | null>(null);
  const list = useQuery({
    queryKey: keys.appointmentRequests,
    queryFn: ({ queryKey, signal }) =>
      call('listAppointmentRequests', { signal, background: isLiveRefresh(queryKey) }),
  });
  const requests = list.data?.requests ?? [];
  const book = (r: AppointmentRequest) =>
    setBooking({
      ...requestPrefill(r, todayIn(zone)),
      providerId: r.providerId,
      appointmentTypeId: r.appointmentTypeId,
      patient: { id: r.patient.id, label: `${patientName(r)} (${r.patient.dateOfBirth})` },
      appointmentRequestId: r.id,
    });
  return (
    <section className="page">
      <PageHeader title="Appointment requests">
        <p>
          What patients asked for in the portal, oldest first. Book one into the schedule, or decline it with
          a reason the patient reads in the portal.
        </p>
      </PageHeader>
      {notice ? <Alert tone={notice.tone}>{notice.text}</Alert> : null}
      {list.isPending ? <Loading /> : null}
      {list.isError ? <Alert tone="error">{errorMessage(list.error)}</Alert> : null}
      {list.isSuccess && requests.length === 0 ? (
        <EmptyState>
          No requests waiting. Requests patients send from the portal appear here after the next sync.
        </EmptyState>
      ) : null}
      {requests.length ? (
        <div className="table-wrap">
          <table className="table" aria-label="Appointment requests">
            <thead>
              <tr>
                <th scope="col">Patient</th>
                <th scope="col">Type</th>
                <th scope="col">Clinician</th>
                <th scope="col">Suits them</th>
                <th scope="col">Note</th>
                <th scope="col">Asked</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {requests.map((r) => (
                <tr key={r.id}>
                  <td>
                    {patientName(r)}{' '}
                    <span className="muted small">{formatCalendarDate(r.patient.dateOfBirth)}</span>
                    {r.requestedBy && r.requestedBy !== r.patient.firstName ? (
                      <span className="muted small"> · asked by {r.requestedBy}</span>
                    ) : null}
                  </td>
                  <td>{names.type(r.appointmentTypeId)?.name ?? 'Type no longer offered'}</td>
                  <td>{r.providerId ? (names.provider(r.providerId)?.name ?? '') : 'Anyone'}</td>
                  <td>
                    {r.preferredDays.length ? r.preferredDays.map((d) => dayWords[d]).join(', ') : 'Any day'}
                    {' · '}
                    {r.preferredTimes.length
                      ? r.preferredTimes.map((p) => partWords[p]).join(', ')
                      : 'any time'}
                  </td>
                  <td>{r.note}</td>
                  <td>{formatShortDateTime(r.createdAt, zone)}</td>
                  <td>
                    {can('schedule.write') ? (
                      <div className="row-actions">
                        <Button
                          size="small"
                          variant="primary"
                          aria-label={`Book ${patientName(r)}`}
                          onClick={() => book(r)}
                        >
                          Book
                        </Button>
                        <Button
                          size="small"
                          aria-label={`Decline the request of ${patientName(r)}`}
                          onClick={() => setDeclining(r)}
                        >
                          Decline
                        </Button>
                      </div>
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      {booking ? (
        <BookingDialog
          setup={setup}
          start={booking}
          onClose={() => setBooking(null)}
          onBooked={(text) => {
            setBooking(null);
            setNotice({
              tone: 'success',
              text: `${text} The patient sees it in the portal after the next sync.`,
            });
            void queryClient.invalidateQueries({ queryKey: keys.scheduleAll });
          }}
        />
      ) : null}
      {declining ? (
        <DeclineDialog
          request={declining}
          onClose={() => setDeclining(null)}
          onDeclined={() => {
            setNotice({ tone: 'success', text: `Declined the request of ${patientName(declining)}.` });
            setDeclining(null);
            void queryClient.invalidateQueries({ queryKey: keys.scheduleAll });
          }}
        />
      ) : null}
    </section>
  );
}

function DeclineDialog({
  request,
  onClose,
  onDeclined,
}: {
  request: AppointmentRequest;
  onClose(): void;
  onDeclined(): void;
}) {
  const decline = useZodForm(appointmentRequestDeclineSchema, {
    defaultValues: { reason: '' } satisfies z.input<typeof appointmentRequestDeclineSchema>,
    fields: ['reason'],
    onValid: async (body) => {
      await call('declineAppointmentRequest', { params: { id: request.id }, body });
      onDeclined();
    },
  });
  const { register, formState } = decline.form;
  return (
    <Dialog title={`Decline the request of ${patientName(request)}`} onClose={onClose}>
      <ZodForm form={decline}>
        <TextAreaField
          label="Reason the patient reads"
          hint="Say what they can do instead (call us, another clinician, the waitlist). No clinical details."
          rows={3}
          data-autofocus
          error={formState.errors.reason?.message}
          {...register('reason')}
        />
        <div className="button-row">
          <Button type="submit" variant="danger" busy={formState.isSubmitting} busyLabel="Declining…">
            Decline request
          </Button>
          <Button onClick={onClose}>Keep it</Button>
        </div>
      </ZodForm>
    </Dialog>
  );
}
