import { useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useForm, useWatch } from 'react-hook-form';
import { zodResolver } from '@hookform/resolvers/zod';
import { z } from 'zod';
import { blockKindLabels, blockKinds, type Recurrence } from '../../../server/contracts/scheduling';
import { call, errorMessage } from '../../api/client';
import { keys } from '../../api/keys';
import { isLiveRefresh } from '../../api/live';
import { useCan, useSession } from '../../app/auth';
import { Alert } from '../../ui/Alert';
import { Button } from '../../ui/Button';
import { SelectField, TextField } from '../../ui/Field';
import { useServerErrors } from '../../ui/form';
import { formatShortDateTime } from '../../ui/format';
import { EmptyState, Loading, PageHeader } from '../../ui/Page';
import { toInstant } from './clinic-time';
import { lookup, useSchedulingSetup } from './use-scheduling-data';
import './scheduling.css';
import { todayIn } from '../../../server/contracts/calendar';

type Repeat = 'none' | 'weekdays' | 'daily' | 'weekly' | 'monthly';

function recurrence(repeat: Repeat, until: string): Recurrence | null {
  const end = until ? { until } : {};
  switch (repeat) {
    case 'none':
      return null;
    case 'weekdays':
      return { frequency: 'daily', interval: 1, weekdays: ['MO', 'TU', 'WE', 'TH', 'FR'], ...end };
    case 'daily':
      return { frequency: 'daily', interval: 1, ...end };
    case 'weekly':
      return { frequency: 'weekly', interval: 1, ...end };
    case 'monthly':
      return { frequency: 'monthly', interval: 1, ...end };
  }
}

/**
 * Blocks: lunch, meetings and time off for a provider, a room or the whole clinic, one-time or repeating.
 * Booking into a block is refused unless overridden.
 */
export function BlocksPage() {
  const zone = useSession().clinic.timeZone;
  const can = useCan();
  const setup = useSchedulingSetup();
  const names = lookup(setup);
  const queryClient = useQueryClient();
  const blocks = useQuery({
    queryKey: keys.blocks,
    queryFn: ({ queryKey, signal }) => call('listBlocks', { signal, background: isLiveRefresh(queryKey) }),
  });
  const [notice, setNotice] = useState<{ tone: 'success' | 'error'; text: string } | null>(null);
  const refresh = () => void queryClient.invalidateQueries({ queryKey: keys.scheduleAll });
  const remove = useMutation({
    mutationFn: (id: string) => call('removeBlock', { params: { id } }),
    onSuccess: () => {
      setNotice({ tone: 'success', text: 'Block removed.' });
      refresh();
      void queryClient.invalidateQueries({ queryKey: keys.blocks });
    },
    onError: (err) => setNotice({ tone: 'error', text: errorMessage(err) }),
  });
  const whoFor = (b: { providerId: string | null; roomId: string | null }) =>
    b.providerId
      ? (names.provider(b.providerId)?.name ?? 'Provider')
      : b.roomId
        ? names.roomName(b.roomId)
        : 'Whole clinic';
  return (
    <section className="page">
      <PageHeader title="Blocks">
        <p>Lunch, meetings and time off. Nobody can be booked into a block without an override.</p>
      </PageHeader>
      {notice ? <Alert tone={notice.tone}>{notice.text}</Alert> : null}
      {blocks.isPending ? <Loading /> : null}
      {blocks.isError ? <Alert tone="error">{errorMessage(blocks.error)}</Alert> : null}
      {blocks.data && blocks.data.blocks.length === 0 ? (
        <EmptyState>No blocks yet. Add lunch breaks and time off below.</EmptyState>
      ) : null}
      {blocks.data && blocks.data.blocks.length ? (
        <table className="table table-dense" aria-label="Blocks">
          <thead>
            <tr>
              <th scope="col">For</th>
              <th scope="col">What</th>
              <th scope="col">When</th>
              <th scope="col">Repeats</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {blocks.data.blocks.map((b) => (
              <tr key={b.id}>
                <td>{whoFor(b)}</td>
                <td>
                  {blockKindLabels[b.kind]}
                  {b.label ? ` — ${b.label}` : ''}
                </td>
                <td>
                  {formatShortDateTime(b.startsAt, zone)} – {formatShortDateTime(b.endsAt, zone)}
                </td>
                <td>{b.recurrenceText ?? 'Once'}</td>
                <td>
                  {can('schedule.write') ? (
                    <Button
                      size="small"
                      onClick={() => remove.mutate(b.id)}
                      aria-label={`Remove ${blockKindLabels[b.kind]} for ${whoFor(b)}`}
                    >
                      Remove block
                    </Button>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {can('schedule.write') ? (
        <AddBlockForm
          setup={setup}
          zone={zone}
          onAdded={() => {
            setNotice({ tone: 'success', text: 'Block added.' });
            refresh();
            void queryClient.invalidateQueries({ queryKey: keys.blocks });
          }}
        />
      ) : null}
    </section>
  );
}

/** The add-a-block form: who, what, from when to when (end after start), and how it repeats. */
export const blockFormSchema = z
  .object({
    target: z.string(),
    kind: z.enum(blockKinds),
    label: z.string().trim().max(200, 'At most 200 characters.'),
    startDate: z.string().min(1, 'Enter the date the block starts.'),
    startTime: z.string().min(1, 'Enter the time the block starts.'),
    endDate: z.string().min(1, 'Enter the date the block ends.'),
    endTime: z.string().min(1, 'Enter the time the block ends.'),
    repeat: z.enum(['none', 'weekdays', 'daily', 'weekly', 'monthly']),
    until: z.string(),
  })
  .refine((b) => `${b.endDate}T${b.endTime}` > `${b.startDate}T${b.startTime}`, {
    message: 'The block must end after it starts.',
    path: ['endTime'],
  })
  .refine((b) => b.repeat === 'none' || !b.until || b.until >= b.startDate, {
    message: 'The repeat cannot end before the block starts.',
    path: ['until'],
  });
type BlockValues = z.infer<typeof blockFormSchema>;
const blockFields = [
  'target',
  'kind',
  'label',
  'startDate',
  'startTime',
  'endDate',
  'endTime',
  'repeat',
  'until',
] as const;

function AddBlockForm({
  setup,
  zone,
  onAdded,
}: {
  setup: ReturnType<typeof useSchedulingSetup>;
  zone: string;
  onAdded(): void;
}) {
  const { register, handleSubmit, setError, watch, reset, getValues, control, formState } =
    useForm<BlockValues>({
      resolver: zodResolver(blockFormSchema),
      defaultValues: {
        target: '',
        kind: 'lunch',
        label: '',
        startDate: todayIn(zone),
        startTime: '12:00',
        endDate: todayIn(zone),
        endTime: '13:00',
        repeat: 'none',
        until: '',
      },
    });
  const { errors } = formState;
  const server = useServerErrors({ setError, watch }, blockFields, {
    providerId: 'target',
    roomId: 'target',
    startsAt: 'startDate',
    endsAt: 'endTime',
    recurrence: 'repeat',
    'recurrence.until': 'until',
  });
  const repeat = useWatch({ control, name: 'repeat' });
  const submit = handleSubmit(async (v) => {
    server.clear();
    const [kindOf, id] = v.target.split(':');
    try {
      await call('createBlock', {
        body: {
          providerId: kindOf === 'provider' ? id! : null,
          roomId: kindOf === 'room' ? id! : null,
          kind: v.kind,
          label: v.label,
          startsAt: toInstant(v.startDate, v.startTime, zone),
          endsAt: toInstant(v.endDate, v.endTime, zone),
          recurrence: recurrence(v.repeat, v.until),
        },
      });
      // Ready for the next block of the same kind: only the label is cleared.
      reset({ ...getValues(), label: '' });
      onAdded();
    } catch (err) {
      server.report(err);
    }
  });
  return (
    <form className="form panel" noValidate onSubmit={(e) => void submit(e)}>
      <h2 className="section-title">Add a block</h2>
      {server.banner ? <Alert tone="error">{server.banner}</Alert> : null}
      <div className="form-grid form-grid-3">
        <SelectField label="For" error={errors.target?.message} {...register('target')}>
          <option value="">The whole clinic</option>
          <optgroup label="Providers">
            {setup.providers.map((p) => (
              <option key={p.id} value={`provider:${p.id}`}>
                {p.name}
              </option>
            ))}
          </optgroup>
          <optgroup label="Rooms">
            {setup.locations.flatMap((l) =>
              l.rooms.map((r) => (
                <option key={r.id} value={`room:${r.id}`}>
                  {l.name} — {r.name}
                </option>
              )),
            )}
          </optgroup>
        </SelectField>
        <SelectField label="Kind" error={errors.kind?.message} {...register('kind')}>
          {blockKinds.map((k) => (
            <option key={k} value={k}>
              {blockKindLabels[k]}
            </option>
          ))}
        </SelectField>
        <TextField label="Label (optional)" error={errors.label?.message} {...register('label')} />
        <TextField
          label="Starts on"
          type="date"
          error={errors.startDate?.message}
          {...register('startDate')}
        />
        <TextField label="at" type="time" error={errors.startTime?.message} {...register('startTime')} />
        <span />
        <TextField label="Ends on" type="date" error={errors.endDate?.message} {...register('endDate')} />
        <TextField label="at" type="time" error={errors.endTime?.message} {...register('endTime')} />
        <span />
        <SelectField label="Repeats" error={errors.repeat?.message} {...register('repeat')}>
          <option value="none">Does not repeat</option>
          <option value="weekdays">Every weekday (Mon–Fri)</option>
          <option value="daily">Every day</option>
          <option value="weekly">Weekly</option>
          <option value="monthly">Monthly</option>
        </SelectField>
        {repeat !== 'none' ? (
          <TextField
            label="Until (optional)"
            type="date"
            error={errors.until?.message}
            {...register('until')}
          />
        ) : null}
      </div>
      <div className="button-row">
        <Button type="submit" variant="primary" busy={formState.isSubmitting} busyLabel="Adding…">
          Add block
        </Button>
      </div>
    </form>
  );
}
