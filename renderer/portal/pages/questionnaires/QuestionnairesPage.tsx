import { useCallback, useEffect, useState } from 'react';
import { instruments, type InstrumentId } from '../../../../server/contracts/questionnaires/instruments';
import { Alert } from '../../../ui/Alert';
import { Button } from '../../../ui/Button';
import { portal } from '../../api';
import { useI18n } from '../../i18n';
import { QuestionnaireForm } from './QuestionnaireForm';

type Due = {
  id: string;
  instrument: InstrumentId;
  schedule: string;
  sentAt: string;
  /** A questionnaire asked every few weeks: the end of this round (the next one is asked after it). */
  dueUntil: string | null;
};
type Done = { id: string; instrument: InstrumentId; submittedAt: string };

/**
 * Questionnaires the clinic asked for (PHQ-9, GAD-7): those due now, one at a time, and those already
 * sent. Scores stay with the care team. After a sheet with thoughts of self-harm the crisis numbers are
 * shown at once, whatever the clinic does next.
 */
export function QuestionnairesPage() {
  const { t, lang, errorText } = useI18n();
  const [lists, setLists] = useState<{ due: Due[]; done: Done[] } | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [filling, setFilling] = useState<Due | null>(null);
  const [sent, setSent] = useState<{ crisis: boolean } | null>(null);
  const load = useCallback(() => {
    portal('portalQuestionnaires').then(setLists).catch(setError);
  }, []);
  useEffect(load, [load]);
  const when = new Intl.DateTimeFormat(lang, { dateStyle: 'medium', timeStyle: 'short' });

  if (filling)
    return (
      <QuestionnaireForm
        assignmentId={filling.id}
        instrument={filling.instrument}
        onBack={() => setFilling(null)}
        onSent={(crisis) => {
          setFilling(null);
          setSent({ crisis });
          load();
        }}
      />
    );
  return (
    <section className="portal-card" aria-labelledby="q-title">
      <h1 id="q-title" className="portal-title">
        {t('q.title')}
      </h1>
      {sent ? (
        <Alert tone="success" testId="portal-questionnaire-sent">
          {t('q.sent')}
        </Alert>
      ) : null}
      {sent?.crisis ? (
        <Alert tone="error" testId="portal-crisis">
          {t('q.crisis')}
        </Alert>
      ) : null}
      {error ? <Alert tone="error">{errorText(error)}</Alert> : null}
      {!lists && !error ? <p role="status">{t('common.loading')}</p> : null}
      {lists ? (
        <>
          {lists.due.length ? <p>{t('q.intro')}</p> : <p>{t('q.none')}</p>}
          <ul className="portal-list">
            {lists.due.map((d) => (
              <li key={d.id} className="portal-appt" data-testid="portal-questionnaire">
                <p className="portal-appt-when">{instruments[d.instrument].title[lang]}</p>
                <p className="portal-muted">{t('q.count', { n: instruments[d.instrument].items.length })}</p>
                {d.dueUntil ? (
                  <p className="portal-muted">
                    {t('q.dueUntil', { time: when.format(new Date(d.dueUntil)) })}
                  </p>
                ) : null}
                <div className="portal-actions">
                  <Button variant="primary" onClick={() => setFilling(d)}>
                    {t('q.start')}
                  </Button>
                </div>
              </li>
            ))}
          </ul>
          {lists.done.length ? (
            <>
              <h2 className="portal-subtitle">{t('q.done')}</h2>
              <ul className="portal-list">
                {lists.done.map((d) => (
                  <li key={d.id} className="portal-activity">
                    <span>{instruments[d.instrument].title[lang]}</span>
                    <time dateTime={d.submittedAt}>
                      {t('q.sentOn', { time: when.format(new Date(d.submittedAt)) })}
                    </time>
                  </li>
                ))}
              </ul>
            </>
          ) : null}
        </>
      ) : null}
    </section>
  );
}
