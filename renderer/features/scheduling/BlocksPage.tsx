import { useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  blockKindLabels,
  blockKinds,
  type BlockKind,
  type Recurrence,
} from '../../../server/contracts/scheduling';
import { call, errorMessage } from '../../api/client';
import { keys } from '../../api/keys';
import { isLiveRefresh } from '../../api/live';
import { useCan, useSession } from '../../app/auth';
import { Alert } from '../../ui/Alert';
import { Button } from '../../ui/Button';
import { SelectField, TextField } from '../../ui/Field';
import { formErrorMessage } from '../../ui/form';
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
  const [target, setTarget] = useState('');
  const [kind, setKind] = useState<BlockKind>('lunch');
  const [label, setLabel] = useState('');
  const [startDate, setStartDate] = useState(todayIn(zone));
  const [startTime, setStartTime] = useState('12:00');
  const [endDate, setEndDate] = useState(todayIn(zone));
  const [endTime, setEndTime] = useState('13:00');
  const [repeat, setRepeat] = useState<Repeat>('none');
  const [until, setUntil] = useState('');
  const refresh = () => void queryClient.invalidateQueries({ queryKey: keys.scheduleAll });
  const add = useMutation({
    mutationFn: () => {
      const [kindOf, id] = target.split(':');
      return call('createBlock', {
        body: {
          providerId: kindOf === 'provider' ? id! : null,
          roomId: kindOf === 'room' ? id! : null,
          kind,
          label,
          startsAt: toInstant(startDate, startTime, zone),
          endsAt: toInstant(endDate, endTime, zone),
          recurrence: recurrence(repeat, until),
        },
      });
    },
    onSuccess: () => {
      setNotice({ tone: 'success', text: 'Block added.' });
      setLabel('');
      refresh();
      void queryClient.invalidateQueries({ queryKey: keys.blocks });
    },
    onError: (err) => setNotice({ tone: 'error', text: formErrorMessage(err) }),
  });
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
        <form
          className="form panel"
          onSubmit={(e) => {
            e.preventDefault();
            add.mutate();
          }}
        >
          <h2 className="section-title">Add a block</h2>
          <div className="form-grid form-grid-3">
            <SelectField label="For" value={target} onChange={(e) => setTarget(e.target.value)}>
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
            <SelectField label="Kind" value={kind} onChange={(e) => setKind(e.target.value as BlockKind)}>
              {blockKinds.map((k) => (
                <option key={k} value={k}>
                  {blockKindLabels[k]}
                </option>
              ))}
            </SelectField>
            <TextField label="Label (optional)" value={label} onChange={(e) => setLabel(e.target.value)} />
            <TextField
              label="Starts on"
              type="date"
              value={startDate}
              onChange={(e) => setStartDate(e.target.value)}
            />
            <TextField
              label="at"
              type="time"
              value={startTime}
              onChange={(e) => setStartTime(e.target.value)}
            />
            <span />
            <TextField
              label="Ends on"
              type="date"
              value={endDate}
              onChange={(e) => setEndDate(e.target.value)}
            />
            <TextField label="at" type="time" value={endTime} onChange={(e) => setEndTime(e.target.value)} />
            <span />
            <SelectField label="Repeats" value={repeat} onChange={(e) => setRepeat(e.target.value as Repeat)}>
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
                value={until}
                onChange={(e) => setUntil(e.target.value)}
              />
            ) : null}
          </div>
          <div className="button-row">
            <Button type="submit" variant="primary" busy={add.isPending} busyLabel="Adding…">
              Add block
            </Button>
          </div>
        </form>
      ) : null}
    </section>
  );
}
