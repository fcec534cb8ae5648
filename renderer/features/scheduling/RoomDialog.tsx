import { z } from 'zod';
import type { Appointment } from '../../../server/contracts/scheduling';
import { Button } from '../../ui/Button';
import { Dialog } from '../../ui/Dialog';
import { SelectField } from '../../ui/Field';
import { useZodForm, ZodForm } from '../../ui/zod-form';
import { patientName } from './use-scheduling-data';

/** Any of the location's active rooms, or none ('' in the select). */
const roomFormSchema = z.object({ roomId: z.string() });

/**
 * Rooming from the front-desk board: pick the room (the appointment's own, else the first active one);
 * the board sends the status change and reports its outcome in the page notice.
 */
export function RoomDialog({
  appointment,
  rooms,
  onClose,
  onRoom,
}: {
  appointment: Appointment;
  rooms: { id: string; name: string }[];
  onClose(): void;
  onRoom(roomId: string | null): void;
}) {
  const room = useZodForm(roomFormSchema, {
    defaultValues: { roomId: appointment.roomId ?? rooms[0]?.id ?? '' },
    fields: ['roomId'],
    onValid: async ({ roomId }) => onRoom(roomId || null),
  });
  const { register, formState } = room.form;
  return (
    <Dialog title={`Room ${patientName(appointment)}`} onClose={onClose} testId="room-dialog">
      <ZodForm form={room}>
        <SelectField
          label="Room"
          data-autofocus
          error={formState.errors.roomId?.message}
          {...register('roomId')}
        >
          <option value="">No room</option>
          {rooms.map((r) => (
            <option key={r.id} value={r.id}>
              {r.name}
            </option>
          ))}
        </SelectField>
        <div className="button-row">
          <Button type="submit" variant="primary">
            Room the patient
          </Button>
          <Button onClick={onClose}>Cancel</Button>
        </div>
      </ZodForm>
    </Dialog>
  );
}
