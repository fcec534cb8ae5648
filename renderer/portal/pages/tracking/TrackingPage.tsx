import { zodResolver } from '@hookform/resolvers/zod';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { useForm, useWatch } from 'react-hook-form';
import type { z } from 'zod';
import {
  displayNumber,
  trackingEntrySchemaWith,
  trackingErrors,
  trackingKinds,
  weightUnits,
  type PortalMedications,
  type TrackingEntry,
  type TrackingErrorKey,
  type TrackingKind,
} from '../../../../server/contracts/portal/tracking';
import type { AdherenceReport, PortalAdherence } from '../../../../server/contracts/portal/adherence';
import { Alert } from '../../../ui/Alert';
import { Button } from '../../../ui/Button';
import { SelectField, TextField } from '../../../ui/Field';
import { TrendChart } from '../../../ui/TrendChart';
import { portal } from '../../api';
import { useI18n, type MessageKey, type Translate } from '../../i18n';
import { MedicineAdherence } from './Adherence';

/** The shared rules (server/contracts/portal/tracking.ts) with the catalogue's keys as their messages. */
const errorKeys = Object.fromEntries(Object.keys(trackingErrors).map((k) => [k, `tr.err.${k}`])) as Record<
  TrackingErrorKey,
  string
>;
const formSchema = trackingEntrySchemaWith(errorKeys);
type FormValues = z.input<typeof formSchema>;

/** "165.2 lb", "128/82 mmHg", "7.5 horas" in the patient's language. */
export function formatEntry(t: Translate, e: Pick<TrackingEntry, 'kind' | 'value' | 'value2'>): string {
  const unit = t(`tr.unit.${e.kind}` as MessageKey);
  if (e.kind === 'blood_pressure') return `${e.value}/${e.value2 ?? '?'} ${unit}`;
  return `${displayNumber(e.kind, e.value)} ${unit}`;
}

/**
 * Health tracking: the patient writes down a measurement (checked by the same rules central applies, each
 * refusal under its field in the patient's language) and sees, per kind, the latest value, a small chart
 * and the recent entries as text. What is entered goes to the care team's chart with the next sync.
 */
export function TrackingPage() {
  const { t, lang, errorText } = useI18n();
  const [entries, setEntries] = useState<TrackingEntry[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const load = useCallback(() => {
    portal('portalTracking')
      .then((r) => setEntries(r.entries))
      .catch(setError);
  }, []);
  useEffect(load, [load]);
  const day = useMemo(() => new Intl.DateTimeFormat(lang, { month: 'short', day: 'numeric' }), [lang]);
  const when = useMemo(
    () => new Intl.DateTimeFormat(lang, { dateStyle: 'medium', timeStyle: 'short' }),
    [lang],
  );
  const kinds = trackingKinds.filter((k) => entries?.some((e) => e.kind === k));

  return (
    <section className="portal-card" aria-labelledby="tr-title">
      <h1 id="tr-title" className="portal-title">
        {t('tr.title')}
      </h1>
      <p className="portal-help">{t('tr.intro')}</p>
      {notice ? <Alert tone="success">{notice}</Alert> : null}
      <EntryForm
        onSaved={() => {
          setNotice(t('tr.saved'));
          load();
        }}
        onEditing={() => setNotice(null)}
      />
      {error ? <Alert tone="error">{errorText(error)}</Alert> : null}
      {!entries && !error ? <p role="status">{t('common.loading')}</p> : null}
      {entries && entries.length === 0 ? <p>{t('tr.none')}</p> : null}
      <Medicines />
      {kinds.map((kind) => {
        const mine = entries!.filter((e) => e.kind === kind);
        const latest = mine[0]!;
        const name = t(`tr.kind.${kind}` as MessageKey);
        const shown = mine.map((e) => displayNumber(kind, e.value));
        return (
          <section
            key={kind}
            className="portal-tracking-kind"
            aria-labelledby={`tr-${kind}`}
            data-testid={`tracking-${kind}`}
          >
            <h2 id={`tr-${kind}`} className="portal-subtitle">
              {name}
            </h2>
            <p>
              {t('tr.latest', {
                value: formatEntry(t, latest),
                date: when.format(new Date(latest.observedAt)),
              })}
            </p>
            {mine.length > 1 ? (
              <TrendChart
                label={t('tr.chart', {
                  kind: name,
                  count: mine.length,
                  from: day.format(new Date(mine.at(-1)!.observedAt)),
                  to: day.format(new Date(latest.observedAt)),
                  min: Math.min(...shown),
                  max: Math.max(...shown),
                })}
                series={seriesOf(kind, mine, t)}
                format={(v) => String(displayNumber(kind, Math.round(v)))}
                formatDay={(iso) => day.format(new Date(iso))}
              />
            ) : (
              <p className="portal-help">{t('tr.chartOne')}</p>
            )}
            <table className="portal-table">
              <caption className="visually-hidden">{t('tr.recent', { kind: name })}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('tr.when')}</th>
                  <th scope="col">{t('tr.value')}</th>
                </tr>
              </thead>
              <tbody>
                {mine.slice(0, 5).map((e) => (
                  <tr key={e.id}>
                    <td>{when.format(new Date(e.observedAt))}</td>
                    <td>{formatEntry(t, e)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
        );
      })}
    </section>
  );
}

function seriesOf(kind: TrackingKind, entries: TrackingEntry[], t: Translate) {
  if (kind !== 'blood_pressure')
    return [
      {
        name: t(`tr.kind.${kind}` as MessageKey),
        points: entries.map((e) => ({ at: e.observedAt, value: e.value })),
      },
    ];
  return [
    { name: t('tr.field.systolic'), points: entries.map((e) => ({ at: e.observedAt, value: e.value })) },
    {
      name: t('tr.field.diastolic'),
      dashed: true,
      points: entries.map((e) => ({ at: e.observedAt, value: e.value2 ?? e.value })),
    },
  ];
}

function EntryForm({ onSaved, onEditing }: { onSaved: () => void; onEditing: () => void }) {
  const { t, errorText } = useI18n();
  const [failure, setFailure] = useState<string | null>(null);
  const form = useForm<FormValues, unknown, z.output<typeof formSchema>>({
    resolver: zodResolver(formSchema),
    defaultValues: { kind: 'weight', value: '', value2: '', unit: 'lb' },
  });
  const errors = form.formState.errors;
  const tr = (m: string | undefined) => (m ? t(m as MessageKey) : undefined);
  const kind = useWatch({ control: form.control, name: 'kind' });
  const onSubmit = form.handleSubmit(async () => {
    setFailure(null);
    try {
      // Central applies the same rules to what was typed and stores the integers.
      await portal('portalAddTracking', { body: form.getValues() });
      form.reset({ ...form.getValues(), value: '', value2: '' });
      onSaved();
    } catch (err) {
      setFailure(errorText(err));
    }
  });
  const valueLabel: Record<TrackingKind, MessageKey> = {
    weight: 'tr.field.weight',
    blood_pressure: 'tr.field.systolic',
    glucose: 'tr.field.glucose',
    sleep: 'tr.field.sleep',
    mood: 'tr.field.mood',
    exercise: 'tr.field.exercise',
    water: 'tr.field.water',
  };
  return (
    <form
      className="portal-form portal-tracking-form"
      noValidate
      onSubmit={(e) => void onSubmit(e)}
      onChange={onEditing}
      aria-labelledby="tr-add"
    >
      <h2 id="tr-add" className="portal-subtitle">
        {t('tr.add')}
      </h2>
      <SelectField label={t('tr.kind')} {...form.register('kind')}>
        {trackingKinds.map((k) => (
          <option key={k} value={k}>
            {t(`tr.kind.${k}` as MessageKey)}
          </option>
        ))}
      </SelectField>
      {kind === 'mood' ? (
        <SelectField label={t('tr.field.mood')} error={tr(errors.value?.message)} {...form.register('value')}>
          <option value="">—</option>
          {[1, 2, 3, 4, 5].map((n) => (
            <option key={n} value={String(n)}>
              {t(`tr.mood.${n}` as MessageKey)}
            </option>
          ))}
        </SelectField>
      ) : (
        <TextField
          label={t(valueLabel[kind])}
          inputMode="decimal"
          autoComplete="off"
          error={tr(errors.value?.message)}
          {...form.register('value')}
        />
      )}
      {kind === 'weight' ? (
        <SelectField label={t('tr.field.unit')} {...form.register('unit')}>
          {weightUnits.map((u) => (
            <option key={u} value={u}>
              {u}
            </option>
          ))}
        </SelectField>
      ) : null}
      {kind === 'blood_pressure' ? (
        <TextField
          label={t('tr.field.diastolic')}
          inputMode="numeric"
          autoComplete="off"
          error={tr(errors.value2?.message)}
          {...form.register('value2')}
        />
      ) : null}
      {failure ? <Alert tone="error">{failure}</Alert> : null}
      <div className="portal-actions">
        <Button type="submit" variant="primary" busy={form.formState.isSubmitting} busyLabel={t('tr.saving')}>
          {t('tr.save')}
        </Button>
      </div>
    </form>
  );
}

/** The clinic's medication list for the patient, read-only (corrections go through a message). */
function Medicines() {
  const { t, errorText } = useI18n();
  const [meds, setMeds] = useState<PortalMedications['medications'] | null>(null);
  const [adherence, setAdherence] = useState<PortalAdherence | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    portal('portalMedications')
      .then((r) => setMeds(r.medications))
      .catch(setError);
    portal('portalAdherence').then(setAdherence).catch(setError);
  }, []);
  const replace = (r: AdherenceReport) =>
    setAdherence((a) =>
      a
        ? {
            ...a,
            reports: [r, ...a.reports.filter((x) => !(x.medicationId === r.medicationId && x.day === r.day))],
          }
        : a,
    );
  return (
    <section className="portal-tracking-kind" aria-labelledby="tr-meds" data-testid="portal-medications">
      <h2 id="tr-meds" className="portal-subtitle">
        {t('tr.meds')}
      </h2>
      <p className="portal-help">{t('tr.medsIntro')}</p>
      {meds?.length ? <p className="portal-help">{t('adh.intro')}</p> : null}
      {error ? <Alert tone="error">{errorText(error)}</Alert> : null}
      {meds && meds.length === 0 ? <p>{t('tr.medsNone')}</p> : null}
      {meds?.length ? (
        <ul className="portal-list">
          {meds.map((m) => (
            <li key={m.id}>
              <strong>{m.name}</strong>
              {[m.dose, m.route, m.frequency].filter(Boolean).length ? (
                <span> · {[m.dose, m.route, m.frequency].filter(Boolean).join(' · ')}</span>
              ) : null}
              {adherence ? (
                <MedicineAdherence
                  medicationId={m.id}
                  name={m.name}
                  today={adherence.today}
                  reports={adherence.reports.filter((r) => r.medicationId === m.id)}
                  onSaved={replace}
                />
              ) : null}
            </li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}
