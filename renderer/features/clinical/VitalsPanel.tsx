import { useState } from 'react';
import { z } from 'zod';
import { vitalsCreateSchema, type Vitals } from '../../../server/contracts/clinical';
import { call } from '../../api/client';
import { Button } from '../../ui/Button';
import { Dialog } from '../../ui/Dialog';
import { SelectField, TextField } from '../../ui/Field';
import { formatShortDateTime } from '../../ui/format';
import { vitalMeasures } from './clinical-format';
import { Sparkline } from './Sparkline';
import { useZodForm, ZodForm } from '../../ui/zod-form';

/**
 * Vital signs: the latest reading with units, and a simple trend per measure over the recent readings
 * (oldest to newest). Readings entered in error leave the trend.
 */
export function VitalsPanel({
  patientId,
  vitals,
  canWrite,
  timeZone,
  onChanged,
}: {
  patientId: string;
  vitals: Vitals[];
  canWrite: boolean;
  timeZone: string;
  onChanged: () => void;
}) {
  const [recording, setRecording] = useState(false);
  const latest = vitals[0];
  const chronological = [...vitals].reverse();
  return (
    <section className="chart-panel" aria-labelledby="chart-vitals-title" data-testid="chart-vitals">
      <header className="chart-panel-header">
        <h2 id="chart-vitals-title" className="section-title">
          Vitals
        </h2>
        {canWrite ? (
          <Button size="small" onClick={() => setRecording(true)}>
            Record vitals
          </Button>
        ) : null}
      </header>
      {latest ? (
        <>
          <p className="muted small">
            Latest {formatShortDateTime(latest.takenAt, timeZone)} by {latest.recordedBy.name} ·{' '}
            {vitals.length} reading
            {vitals.length === 1 ? '' : 's'}
          </p>
          <table className="table table-dense vitals-table">
            <thead>
              <tr>
                <th scope="col">Measure</th>
                <th scope="col">Latest</th>
                <th scope="col">Trend</th>
              </tr>
            </thead>
            <tbody>
              {vitalMeasures.map((m) => {
                const series = chronological.map(m.value).filter((v): v is number => v !== null);
                const last = vitals.find((v) => m.value(v) !== null);
                if (!last) return null;
                return (
                  <tr key={m.key}>
                    <th scope="row">{m.label}</th>
                    <td className="nowrap">{m.show(last)}</td>
                    <td>
                      <Sparkline values={series} label={m.label} />
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </>
      ) : (
        <p className="muted small">No vitals recorded yet.</p>
      )}
      {recording ? (
        <VitalsDialog
          patientId={patientId}
          onClose={() => setRecording(false)}
          onSaved={() => {
            setRecording(false);
            onChanged();
          }}
        />
      ) : null}
    </section>
  );
}

/** A typed measurement: empty (not taken) or a number. */
const reading = z
  .string()
  .refine((s) => s.trim() === '' || Number.isFinite(Number(s)), 'Enter a number, for example 120 or 98.6.');
const num = (s: string): number | null => (s.trim() === '' ? null : Number(s));
const withUnit = <U extends string>(value: string, unit: U) =>
  num(value) === null ? null : { value: num(value)!, unit };

/**
 * What the dialog holds (the text typed, each unit picked), turned into the contract's body and checked by
 * the contract itself: its ranges and "enter both blood pressure numbers" land under their fields.
 */
const vitalsFormSchema = z
  .object({
    systolic: reading,
    diastolic: reading,
    heartRate: reading,
    respiratoryRate: reading,
    temperature: reading,
    temperatureUnit: z.enum(['F', 'C']),
    weight: reading,
    weightUnit: z.enum(['lb', 'kg']),
    height: reading,
    heightUnit: z.enum(['in', 'cm']),
    spo2: reading,
    painScore: reading,
  })
  .transform((v): z.input<typeof vitalsCreateSchema> => ({
    systolic: num(v.systolic),
    diastolic: num(v.diastolic),
    heartRate: num(v.heartRate),
    respiratoryRate: num(v.respiratoryRate),
    temperature: withUnit(v.temperature, v.temperatureUnit),
    weight: withUnit(v.weight, v.weightUnit),
    height: withUnit(v.height, v.heightUnit),
    spo2: num(v.spo2),
    painScore: num(v.painScore),
  }))
  .pipe(vitalsCreateSchema);

function VitalsDialog({
  patientId,
  onClose,
  onSaved,
}: {
  patientId: string;
  onClose: () => void;
  onSaved: () => void;
}) {
  const vitals = useZodForm(vitalsFormSchema, {
    defaultValues: {
      systolic: '',
      diastolic: '',
      heartRate: '',
      respiratoryRate: '',
      temperature: '',
      temperatureUnit: 'F',
      weight: '',
      weightUnit: 'lb',
      height: '',
      heightUnit: 'in',
      spo2: '',
      painScore: '',
    },
    fields: [
      'systolic',
      'diastolic',
      'heartRate',
      'respiratoryRate',
      'temperature',
      'weight',
      'height',
      'spo2',
      'painScore',
    ],
    aliases: {
      'temperature.value': 'temperature',
      'temperature.unit': 'temperatureUnit',
      'weight.value': 'weight',
      'weight.unit': 'weightUnit',
      'height.value': 'height',
      'height.unit': 'heightUnit',
    },
    onValid: async (body) => {
      await call('recordVitals', { params: { id: patientId }, body });
      onSaved();
    },
  });
  const { register, formState } = vitals.form;
  const { errors } = formState;
  /** The error under a measure whose contract value is an object ({ value, unit }). */
  const measureError = (e: unknown) =>
    (e as { message?: string; value?: { message?: string } } | undefined)?.message ??
    (e as { value?: { message?: string } } | undefined)?.value?.message;

  return (
    <Dialog title="Record vitals" onClose={onClose}>
      <ZodForm form={vitals}>
        <div className="form-grid">
          <TextField
            label="Systolic (mmHg)"
            inputMode="numeric"
            data-autofocus
            error={errors.systolic?.message}
            {...register('systolic')}
          />
          <TextField
            label="Diastolic (mmHg)"
            inputMode="numeric"
            error={errors.diastolic?.message}
            {...register('diastolic')}
          />
          <TextField
            label="Pulse (/min)"
            inputMode="numeric"
            error={errors.heartRate?.message}
            {...register('heartRate')}
          />
          <TextField
            label="Respirations (/min)"
            inputMode="numeric"
            error={errors.respiratoryRate?.message}
            {...register('respiratoryRate')}
          />
          <div className="field-pair">
            <TextField
              label="Temperature"
              inputMode="decimal"
              error={measureError(errors.temperature)}
              {...register('temperature')}
            />
            <SelectField label="Unit" {...register('temperatureUnit')}>
              <option value="F">°F</option>
              <option value="C">°C</option>
            </SelectField>
          </div>
          <TextField
            label="SpO₂ (%)"
            inputMode="numeric"
            error={errors.spo2?.message}
            {...register('spo2')}
          />
          <div className="field-pair">
            <TextField
              label="Weight"
              inputMode="decimal"
              error={measureError(errors.weight)}
              {...register('weight')}
            />
            <SelectField label="Unit" {...register('weightUnit')}>
              <option value="lb">lb</option>
              <option value="kg">kg</option>
            </SelectField>
          </div>
          <div className="field-pair">
            <TextField
              label="Height"
              inputMode="decimal"
              error={measureError(errors.height)}
              {...register('height')}
            />
            <SelectField label="Unit" {...register('heightUnit')}>
              <option value="in">in</option>
              <option value="cm">cm</option>
            </SelectField>
          </div>
          <TextField
            label="Pain (0–10)"
            inputMode="numeric"
            error={errors.painScore?.message}
            {...register('painScore')}
          />
        </div>
        <div className="button-row">
          <Button type="submit" variant="primary" busy={formState.isSubmitting} busyLabel="Saving…">
            Save vitals
          </Button>
          <Button onClick={onClose}>Cancel</Button>
        </div>
      </ZodForm>
    </Dialog>
  );
}
