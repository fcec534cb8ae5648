import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useFieldArray, useForm, useWatch } from 'react-hook-form';
import { zodResolver } from '@hookform/resolvers/zod';
import { type z } from 'zod';
import { workingHoursUpdateSchema, type WorkingHoursEntry } from '../../../../server/contracts/scheduling';
import { call } from '../../../api/client';
import { keys } from '../../../api/keys';
import { isLiveRefresh } from '../../../api/live';
import { Alert } from '../../../ui/Alert';
import { Button } from '../../../ui/Button';
import { SelectField, TextField } from '../../../ui/Field';
import { useServerErrors } from '../../../ui/form';
import { useLeaveGuard } from '../../../ui/use-leave-guard';
import { Loading } from '../../../ui/Page';
import type { Notify, Setup } from './setup-form';

const WEEKDAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];

export function HoursSection({
  setup,
  notify,
  selected,
  onSelect,
}: {
  setup: Setup;
  notify: Notify;
  selected: string;
  onSelect: (providerId: string) => void;
}) {
  // The chosen provider once the set-up lists have them; until then (or with none chosen) the first one.
  const providerId = setup.providers.some((p) => p.id === selected)
    ? selected
    : (setup.providers[0]?.id ?? '');
  const hours = useQuery({
    queryKey: keys.providerHours(providerId),
    queryFn: ({ queryKey, signal }) =>
      call('getProviderHours', { params: { id: providerId }, signal, background: isLiveRefresh(queryKey) }),
    enabled: !!providerId,
  });
  if (!setup.providers.length) return null;
  return (
    <section aria-labelledby="setup-hours" className="setup-section">
      <h2 id="setup-hours" className="section-title">
        Working hours
      </h2>
      <SelectField
        label="Provider"
        value={providerId}
        onChange={(e) => onSelect(e.target.value)}
        fieldClassName="field-inline"
      >
        {setup.providers.map((p) => (
          <option key={p.id} value={p.id}>
            {p.name}
          </option>
        ))}
      </SelectField>
      {hours.isPending && providerId ? <Loading /> : null}
      {hours.data ? (
        <HoursEditor
          key={providerId}
          providerId={providerId}
          initial={hours.data.hours}
          setup={setup}
          notify={notify}
        />
      ) : null}
    </section>
  );
}

/** A provider's week, edited as a whole and saved at once (a fresh editor per provider). */
function HoursEditor({
  providerId,
  initial,
  setup,
  notify,
}: {
  providerId: string;
  initial: WorkingHoursEntry[];
  setup: Setup;
  notify: Notify;
}) {
  const queryClient = useQueryClient();
  const form = useForm<z.input<typeof workingHoursUpdateSchema>>({
    resolver: zodResolver(workingHoursUpdateSchema),
    defaultValues: { hours: initial },
  });
  const { control, register, handleSubmit, formState } = form;
  const { fields, append, remove } = useFieldArray({ control, name: 'hours' });
  // The intervals as typed (the field array's own entries keep the values they were added with).
  const current = useWatch({ control, name: 'hours' });
  const server = useServerErrors(form, (path) => path === 'hours' || path.startsWith('hours.'));
  // A week half-changed is not lost to a stray click.
  useLeaveGuard(formState.isDirty && !formState.isSubmitSuccessful);
  const location = setup.locations.find((l) => l.active)?.id ?? '';
  const save = handleSubmit(async (body) => {
    server.clear();
    try {
      await call('setProviderHours', { params: { id: providerId }, body });
      form.reset(body);
      notify('Working hours saved.');
      void queryClient.invalidateQueries({ queryKey: keys.schedulingSetupAll });
    } catch (err) {
      server.report(err);
    }
  });
  const errorsAt = (i: number) => formState.errors.hours?.[i];
  return (
    <form className="form" noValidate onSubmit={(e) => void save(e)}>
      {server.banner ? <Alert tone="error">{server.banner}</Alert> : null}
      {formState.errors.hours?.message ? <Alert tone="error">{formState.errors.hours.message}</Alert> : null}
      <table className="table table-dense hours-table" aria-label="Weekly working hours">
        <thead>
          <tr>
            <th scope="col">Day</th>
            <th scope="col">Intervals</th>
          </tr>
        </thead>
        <tbody>
          {WEEKDAYS.map((day, index) => {
            const weekday = index + 1;
            return (
              <tr key={day}>
                <th scope="row">{day}</th>
                <td>
                  {fields.map((h, i) =>
                    h.weekday === weekday ? (
                      <div key={h.id} className="hours-interval">
                        <SelectField
                          label={`${day} location`}
                          error={errorsAt(i)?.locationId?.message}
                          fieldClassName="field-inline"
                          {...register(`hours.${i}.locationId`)}
                        >
                          {setup.locations.map((l) => (
                            <option key={l.id} value={l.id}>
                              {l.name}
                            </option>
                          ))}
                        </SelectField>
                        <TextField
                          label="from"
                          type="time"
                          error={errorsAt(i)?.start?.message}
                          fieldClassName="field-inline"
                          {...register(`hours.${i}.start`)}
                        />
                        <TextField
                          label="to"
                          type="time"
                          error={errorsAt(i)?.end?.message}
                          fieldClassName="field-inline"
                          {...register(`hours.${i}.end`)}
                        />
                        <Button
                          size="small"
                          onClick={() => remove(i)}
                          aria-label={`Remove ${day} ${current[i]?.start ?? h.start}–${current[i]?.end ?? h.end}`}
                        >
                          Remove hours
                        </Button>
                      </div>
                    ) : null,
                  )}
                  <Button
                    size="small"
                    variant="link"
                    disabled={!location}
                    onClick={() => append({ locationId: location, weekday, start: '08:00', end: '17:00' })}
                  >
                    Add hours on {day}
                  </Button>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <div className="button-row">
        <Button type="submit" variant="primary" busy={formState.isSubmitting} busyLabel="Saving…">
          Save working hours
        </Button>
      </div>
    </form>
  );
}
