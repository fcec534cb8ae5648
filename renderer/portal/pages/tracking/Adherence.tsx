import { useId, useMemo, useState } from 'react';
import {
  ADHERENCE_NOTE_MAX,
  adherenceStatuses,
  lastDays,
  type AdherenceReport,
  type AdherenceStatus,
} from '../../../../server/contracts/portal/adherence';
import { Alert } from '../../../ui/Alert';
import { portal } from '../../api';
import { useI18n, type MessageKey } from '../../i18n';

/** The symbol beside each answer (the word is always there too, so colour and shape are never alone). */
export const ADHERENCE_MARK: Record<AdherenceStatus, string> = { taken: '✓', partial: '◐', missed: '✕' };

/**
 * One medicine's answer for today (three toggle buttons: the pressed one is today's answer, announced as
 * "pressed" by screen readers; pressing another replaces it) with an optional short note, and the last seven
 * days as a row of days with the answer as a mark and a word.
 */
export function MedicineAdherence({
  medicationId,
  name,
  today,
  reports,
  onSaved,
}: {
  medicationId: string;
  name: string;
  today: string;
  reports: AdherenceReport[];
  onSaved: (r: AdherenceReport) => void;
}) {
  const { t, lang, errorText } = useI18n();
  const id = useId();
  const todays = reports.find((r) => r.day === today) ?? null;
  const [note, setNote] = useState(todays?.note ?? '');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [saved, setSaved] = useState(false);
  const weekday = useMemo(() => new Intl.DateTimeFormat(lang, { weekday: 'short', timeZone: 'UTC' }), [lang]);
  const longDay = useMemo(
    () => new Intl.DateTimeFormat(lang, { weekday: 'long', month: 'long', day: 'numeric', timeZone: 'UTC' }),
    [lang],
  );
  const noteTooLong = note.trim().length > ADHERENCE_NOTE_MAX;

  const answer = async (status: AdherenceStatus) => {
    if (noteTooLong) return;
    setBusy(true);
    setError(null);
    setSaved(false);
    try {
      onSaved(await portal('portalReportAdherence', { body: { medicationId, status, note } }));
      setSaved(true);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="portal-adh" data-testid={`adherence-${medicationId}`}>
      <div role="group" aria-labelledby={`${id}-q`} className="portal-adh-buttons">
        <span id={`${id}-q`} className="portal-adh-question">
          {t('adh.today', { name })}
        </span>
        {adherenceStatuses.map((s) => (
          <button
            key={s}
            type="button"
            className="portal-adh-button"
            aria-pressed={todays?.status === s}
            disabled={busy}
            onClick={() => void answer(s)}
          >
            <span aria-hidden="true">{ADHERENCE_MARK[s]} </span>
            {t(`adh.${s}` as MessageKey)}
          </button>
        ))}
      </div>
      <label className="portal-adh-note">
        <span>{t('adh.note')}</span>
        <input
          type="text"
          value={note}
          maxLength={ADHERENCE_NOTE_MAX + 50}
          aria-invalid={noteTooLong}
          aria-describedby={noteTooLong ? `${id}-noteerr` : undefined}
          onChange={(e) => {
            setNote(e.target.value);
            setSaved(false);
          }}
        />
      </label>
      {noteTooLong ? (
        <p id={`${id}-noteerr`} className="field-error">
          {t('adh.noteTooLong', { max: String(ADHERENCE_NOTE_MAX) })}
        </p>
      ) : null}
      <p role="status" className="portal-help">
        {saved && todays ? t('adh.saved', { answer: t(`adh.${todays.status}` as MessageKey) }) : ''}
      </p>
      {error ? <Alert tone="error">{errorText(error)}</Alert> : null}
      <h3 className="visually-hidden">{t('adh.week', { name })}</h3>
      <ol className="portal-adh-week" aria-label={t('adh.week', { name })}>
        {lastDays(today, 7).map((day) => {
          const r = reports.find((x) => x.day === day);
          const when = longDay.format(new Date(`${day}T00:00:00Z`));
          return (
            <li key={day} className={`portal-adh-day${r ? ` is-${r.status}` : ''}`}>
              <span aria-hidden="true" className="portal-adh-weekday">
                {weekday.format(new Date(`${day}T00:00:00Z`))}
              </span>
              <span aria-hidden="true" className="portal-adh-mark">
                {r ? ADHERENCE_MARK[r.status] : '·'}
              </span>
              <span className="visually-hidden">
                {when}: {r ? t(`adh.${r.status}` as MessageKey) : t('adh.noAnswer')}
              </span>
            </li>
          );
        })}
      </ol>
    </div>
  );
}
