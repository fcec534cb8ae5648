import { useState } from 'react';
import type { Vitals } from '../../../server/contracts/clinical';
import { ApiError, call } from '../../api/client';
import { Alert } from '../../ui/Alert';
import { Button } from '../../ui/Button';
import { Dialog } from '../../ui/Dialog';
import { SelectField, TextField } from '../../ui/Field';
import { formErrorMessage } from '../../ui/form';
import { formatShortDateTime } from '../../ui/format';
import { vitalMeasures } from './clinical-format';
import { Sparkline } from './Sparkline';

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

const num = (s: string): number | null => (s.trim() === '' ? null : Number(s));

function VitalsDialog({
  patientId,
  onClose,
  onSaved,
}: {
  patientId: string;
  onClose: () => void;
  onSaved: () => void;
}) {
  const [v, setV] = useState({
    systolic: '',
    diastolic: '',
    heartRate: '',
    respiratoryRate: '',
    temperature: '',
    temperatureUnit: 'F' as 'F' | 'C',
    weight: '',
    weightUnit: 'lb' as 'lb' | 'kg',
    height: '',
    heightUnit: 'in' as 'in' | 'cm',
    spo2: '',
    painScore: '',
  });
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [serverError, setServerError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const set = (k: keyof typeof v) => (e: { target: { value: string } }) =>
    setV({ ...v, [k]: e.target.value });

  const submit = async () => {
    setServerError(null);
    setErrors({});
    const values = [
      v.systolic,
      v.diastolic,
      v.heartRate,
      v.respiratoryRate,
      v.temperature,
      v.weight,
      v.height,
      v.spo2,
      v.painScore,
    ];
    if (values.some((x) => x.trim() !== '' && !Number.isFinite(Number(x)))) {
      setServerError('Enter numbers only (for example 120 or 98.6).');
      return;
    }
    setBusy(true);
    try {
      await call('recordVitals', {
        params: { id: patientId },
        body: {
          systolic: num(v.systolic),
          diastolic: num(v.diastolic),
          heartRate: num(v.heartRate),
          respiratoryRate: num(v.respiratoryRate),
          temperature:
            num(v.temperature) === null ? null : { value: num(v.temperature)!, unit: v.temperatureUnit },
          weight: num(v.weight) === null ? null : { value: num(v.weight)!, unit: v.weightUnit },
          height: num(v.height) === null ? null : { value: num(v.height)!, unit: v.heightUnit },
          spo2: num(v.spo2),
          painScore: num(v.painScore),
        },
      });
      onSaved();
    } catch (err) {
      if (err instanceof ApiError) setErrors(err.fields);
      setServerError(formErrorMessage(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog title="Record vitals" onClose={onClose}>
      <form
        className="form"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        {serverError ? <Alert tone="error">{serverError}</Alert> : null}
        <div className="form-grid">
          <TextField
            label="Systolic (mmHg)"
            inputMode="numeric"
            data-autofocus
            value={v.systolic}
            onChange={set('systolic')}
            error={errors.systolic}
          />
          <TextField
            label="Diastolic (mmHg)"
            inputMode="numeric"
            value={v.diastolic}
            onChange={set('diastolic')}
            error={errors.diastolic}
          />
          <TextField
            label="Pulse (/min)"
            inputMode="numeric"
            value={v.heartRate}
            onChange={set('heartRate')}
            error={errors.heartRate}
          />
          <TextField
            label="Respirations (/min)"
            inputMode="numeric"
            value={v.respiratoryRate}
            onChange={set('respiratoryRate')}
            error={errors.respiratoryRate}
          />
          <div className="field-pair">
            <TextField
              label="Temperature"
              inputMode="decimal"
              value={v.temperature}
              onChange={set('temperature')}
              error={errors.temperature}
            />
            <SelectField label="Unit" value={v.temperatureUnit} onChange={set('temperatureUnit')}>
              <option value="F">°F</option>
              <option value="C">°C</option>
            </SelectField>
          </div>
          <TextField
            label="SpO₂ (%)"
            inputMode="numeric"
            value={v.spo2}
            onChange={set('spo2')}
            error={errors.spo2}
          />
          <div className="field-pair">
            <TextField
              label="Weight"
              inputMode="decimal"
              value={v.weight}
              onChange={set('weight')}
              error={errors.weight}
            />
            <SelectField label="Unit" value={v.weightUnit} onChange={set('weightUnit')}>
              <option value="lb">lb</option>
              <option value="kg">kg</option>
            </SelectField>
          </div>
          <div className="field-pair">
            <TextField
              label="Height"
              inputMode="decimal"
              value={v.height}
              onChange={set('height')}
              error={errors.height}
            />
            <SelectField label="Unit" value={v.heightUnit} onChange={set('heightUnit')}>
              <option value="in">in</option>
              <option value="cm">cm</option>
            </SelectField>
          </div>
          <TextField
            label="Pain (0–10)"
            inputMode="numeric"
            value={v.painScore}
            onChange={set('painScore')}
            error={errors.painScore}
          />
        </div>
        <div className="button-row">
          <Button type="submit" variant="primary" busy={busy} busyLabel="Saving…">
            Save vitals
          </Button>
          <Button onClick={onClose}>Cancel</Button>
        </div>
      </form>
    </Dialog>
  );
}
