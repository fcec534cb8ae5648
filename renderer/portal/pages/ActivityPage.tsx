import { useEffect, useState } from 'react';
import { Alert } from '../../ui/Alert';
import { portal } from '../api';
import { useI18n, type MessageKey } from '../i18n';

type Entry = { action: string; outcome: 'ok' | 'refused'; at: string };

/** The account's own activity history: every sign-in, view and change, newest first. */
export function ActivityPage() {
  const { t, lang, errorText } = useI18n();
  const [entries, setEntries] = useState<Entry[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    portal('portalActivity')
      .then((r) => setEntries(r.entries))
      .catch(setError);
  }, []);
  const when = new Intl.DateTimeFormat(lang, { dateStyle: 'medium', timeStyle: 'short' });
  return (
    <section className="portal-card" aria-labelledby="activity-title">
      <h1 id="activity-title" className="portal-title">
        {t('activity.title')}
      </h1>
      <p>{t('activity.intro')}</p>
      {error ? <Alert tone="error">{errorText(error)}</Alert> : null}
      {!entries && !error ? <p role="status">{t('common.loading')}</p> : null}
      {entries && entries.length === 0 ? <p>{t('activity.none')}</p> : null}
      {entries && entries.length > 0 ? (
        <ul className="portal-list">
          {entries.map((e, i) => {
            const key = `action.${e.action}` as MessageKey;
            return (
              <li key={`${e.at}-${i}`} className="portal-activity">
                <span>
                  {t(key)}
                  {e.outcome === 'refused' ? ` (${t('activity.refused')})` : ''}
                </span>
                <time dateTime={e.at}>{when.format(new Date(e.at))}</time>
              </li>
            );
          })}
        </ul>
      ) : null}
    </section>
  );
}
