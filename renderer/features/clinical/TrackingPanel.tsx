import { useState } from 'react';
import { queryOptions, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  displayNumber,
  displayUnits,
  formatTracking,
  rangeFlag,
  trackingKinds,
  trackingRangeInputSchema,
  type PatientTracking,
  type TrackingKind,
  type TrackingRange,
} from '../../../server/contracts/portal/tracking';
import { call, errorMessage } from '../../api/client';
import { keys } from '../../api/keys';
import { isLiveRefresh } from '../../api/live';
import { Alert } from '../../ui/Alert';
import { Button } from '../../ui/Button';
import { Dialog } from '../../ui/Dialog';
import { TextField } from '../../ui/Field';
import { formatShortDateTime } from '../../ui/format';
import { TrendChart } from '../../ui/TrendChart';
import { useZodForm, ZodForm } from '../../ui/zod-form';

const kindLabels: Record<TrackingKind, string> = {
  weight: 'Weight',
  blood_pressure: 'Blood pressure',
  glucose: 'Glucose',
  sleep: 'Sleep',
  mood: 'Mood (1–5)',
  exercise: 'Exercise',
  water: 'Water',
};
const flagLabels = { high: '▲ Above range', low: '▼ Below range' } as const;

type Entry = PatientTracking['entries'][number];

/** A stored range end in the unit the clinician types and reads (lb, hours, cups …). */
const endText = (kind: TrackingKind, v: number | null) => (v === null ? '' : String(displayNumber(kind, v)));

function rangeText(kind: TrackingKind, r: TrackingRange | undefined): string {
  if (!r) return 'No range set';
  const span = (lo: number | null, hi: number | null) =>
    lo !== null && hi !== null
      ? `${endText(kind, lo)}–${endText(kind, hi)}`
      : lo !== null
        ? `≥ ${endText(kind, lo)}`
        : hi !== null
          ? `≤ ${endText(kind, hi)}`
          : 'any';
  if (kind === 'blood_pressure') return `${span(r.low, r.high)} / ${span(r.low2, r.high2)} mmHg`;
  return `${span(r.low, r.high)} ${displayUnits[kind]}`;
}

/**
 * The tracking read, one definition for the panel and for the chart page, which waits for it before it
 * shows (ChartPage.tsx): the panel sits above the timeline, so its answer arriving later moved every visit's
 * buttons under the pointer.
 */
export const trackingQuery = (patientId: string) =>
  queryOptions({
    queryKey: keys.tracking(patientId),
    queryFn: ({ queryKey }) =>
      call('patientTracking', { params: { patientId }, background: isLiveRefresh(queryKey) }),
  });

/**
 * Health tracking from the portal on the chart: per kind the latest entry (flagged in words, not colour
 * only, when outside the range this clinician set for this patient), the range, how many entries fall
 * outside it, and the trend with the range drawn; **Set range** per kind. Entries arrive by replication.
 */
export function TrackingPanel({
  patientId,
  canWrite,
  timeZone,
}: {
  patientId: string;
  canWrite: boolean;
  timeZone: string;
}) {
  const key = keys.tracking(patientId);
  const queryClient = useQueryClient();
  const data = useQuery(trackingQuery(patientId));
  const [editing, setEditing] = useState<TrackingKind | null>(null);
  const t = data.data;
  const rangeOf = (k: TrackingKind) => t?.ranges.find((r) => r.kind === k);
  const kinds = trackingKinds.filter((k) => t?.entries.some((e) => e.kind === k) || rangeOf(k));
  const day = (iso: string) => formatShortDateTime(iso, timeZone).split(',')[0]!;
  return (
    <section className="chart-panel" aria-labelledby="chart-tracking-title" data-testid="chart-tracking">
      <header className="chart-panel-header">
        <h2 id="chart-tracking-title" className="section-title">
          Health tracking from the portal
        </h2>
      </header>
      {data.error ? <Alert tone="error">{errorMessage(data.error)}</Alert> : null}
      {t && kinds.length === 0 ? (
        <p className="muted">
          Nothing from the portal yet. What the patient enters there (weight, blood pressure, glucose, sleep,
          mood, exercise, water) shows here after the next sync.
        </p>
      ) : null}
      {t && kinds.length ? (
        <table className="table table-dense tracking-table">
          <thead>
            <tr>
              <th scope="col">Measure</th>
              <th scope="col">Latest</th>
              <th scope="col">Range</th>
              <th scope="col">Outside range</th>
              <th scope="col">Trend</th>
              {canWrite ? <th scope="col">Actions</th> : null}
            </tr>
          </thead>
          <tbody>
            {kinds.map((k) => {
              const mine = t.entries.filter((e) => e.kind === k);
              const range = rangeOf(k);
              const latest = mine[0];
              const flag = latest ? rangeFlag(latest, range) : null;
              const outside = mine.filter((e) => rangeFlag(e, range)).length;
              return (
                <tr key={k} data-testid={`tracking-row-${k}`}>
                  <th scope="row">{kindLabels[k]}</th>
                  <td>
                    {latest ? (
                      <>
                        <strong>{formatTracking(k, latest.value, latest.value2)}</strong>
                        {flag ? (
                          <span className={`tracking-flag tracking-flag-${flag}`}> {flagLabels[flag]}</span>
                        ) : null}
                        <div className="muted small">{formatShortDateTime(latest.observedAt, timeZone)}</div>
                      </>
                    ) : (
                      <span className="muted">No entries</span>
                    )}
                  </td>
                  <td>{rangeText(k, range)}</td>
                  <td>{range ? `${outside} of ${mine.length}` : '—'}</td>
                  <td className="tracking-trend">
                    <TrendChart
                      label={trendLabel(k, mine)}
                      series={seriesOf(k, mine)}
                      range={
                        range
                          ? [
                              { low: range.low, high: range.high },
                              ...(k === 'blood_pressure' ? [{ low: range.low2, high: range.high2 }] : []),
                            ]
                          : undefined
                      }
                      format={(v) => String(displayNumber(k, Math.round(v)))}
                      formatDay={day}
                    />
                  </td>
                  {canWrite ? (
                    <td>
                      <Button
                        size="small"
                        aria-label={`Set range: ${kindLabels[k]}`}
                        onClick={() => setEditing(k)}
                      >
                        Set range
                      </Button>
                    </td>
                  ) : null}
                </tr>
              );
            })}
          </tbody>
        </table>
      ) : null}
      {editing ? (
        <RangeDialog
          patientId={patientId}
          kind={editing}
          range={rangeOf(editing)}
          onClose={() => setEditing(null)}
          onSaved={async () => {
            setEditing(null);
            await queryClient.invalidateQueries({ queryKey: key });
          }}
        />
      ) : null}
    </section>
  );
}

function seriesOf(kind: TrackingKind, entries: Entry[]) {
  const points = entries.map((e) => ({ at: e.observedAt, value: e.value }));
  if (kind !== 'blood_pressure') return [{ name: kindLabels[kind], points }];
  return [
    { name: 'Systolic', points },
    {
      name: 'Diastolic',
      dashed: true,
      points: entries.map((e) => ({ at: e.observedAt, value: e.value2 ?? e.value })),
    },
  ];
}

function trendLabel(kind: TrackingKind, entries: Entry[]): string {
  const values = entries.map((e) => formatTracking(kind, e.value, e.value2));
  return `${kindLabels[kind]}, oldest to newest: ${values.reverse().join(', ')}`;
}

function RangeDialog({
  patientId,
  kind,
  range,
  onClose,
  onSaved,
}: {
  patientId: string;
  kind: TrackingKind;
  range: TrackingRange | undefined;
  onClose: () => void;
  onSaved: () => Promise<void>;
}) {
  const bp = kind === 'blood_pressure';
  const unit = displayUnits[kind];
  const { form, server, submit } = useZodForm(trackingRangeInputSchema, {
    defaultValues: {
      low: endText(kind, range?.low ?? null),
      high: endText(kind, range?.high ?? null),
      low2: endText(kind, range?.low2 ?? null),
      high2: endText(kind, range?.high2 ?? null),
    },
    fields: ['low', 'high', 'low2', 'high2'],
    onValid: async (values) => {
      await call('trackingRangeSet', { params: { patientId, kind }, body: values });
      await onSaved();
    },
  });
  const errors = form.formState.errors;
  return (
    <Dialog
      title={`Range for ${kindLabels[kind].toLowerCase()}`}
      onClose={onClose}
      description="Entries outside this range are flagged on this patient's chart. Leave an end empty for no limit."
    >
      <ZodForm form={{ server, submit }} className="form">
        <div className="form-grid">
          <TextField
            label={bp ? 'Systolic low (mmHg)' : `Low (${unit})`}
            inputMode="decimal"
            data-autofocus
            error={errors.low?.message}
            {...form.register('low')}
          />
          <TextField
            label={bp ? 'Systolic high (mmHg)' : `High (${unit})`}
            inputMode="decimal"
            error={errors.high?.message}
            {...form.register('high')}
          />
        </div>
        {bp ? (
          <div className="form-grid">
            <TextField
              label="Diastolic low (mmHg)"
              inputMode="numeric"
              error={errors.low2?.message}
              {...form.register('low2')}
            />
            <TextField
              label="Diastolic high (mmHg)"
              inputMode="numeric"
              error={errors.high2?.message}
              {...form.register('high2')}
            />
          </div>
        ) : null}
        <div className="button-row">
          <Button type="submit" variant="primary" busy={form.formState.isSubmitting} busyLabel="Saving…">
            Save range
          </Button>
          <Button onClick={onClose}>Cancel</Button>
        </div>
      </ZodForm>
    </Dialog>
  );
}
