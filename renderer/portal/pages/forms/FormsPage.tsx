import { useCallback, useEffect, useState } from 'react';
import type { z } from 'zod';
import { consents } from '../../../../server/contracts/forms/consents';
import type { portalFormListSchema, PortalForm } from '../../../../server/contracts/forms';
import { Alert } from '../../../ui/Alert';
import { Button } from '../../../ui/Button';
import { portal } from '../../api';
import { useI18n } from '../../i18n';
import { ConsentForm } from './ConsentForm';
import { IntakeForm } from './IntakeForm';

type Lists = z.infer<typeof portalFormListSchema>;
type Item = { kind: 'intake' | 'consent'; consentId: keyof typeof consents | null };

/**
 * Forms the clinic asked for (the intake, consents to sign): those due now, one at a time, and those
 * already sent. A form opens from central (the intake prefilled from the record, a consent's current
 * version); after sending, the list shows it under "Already sent".
 */
export function FormsPage() {
  const { t, lang, errorText } = useI18n();
  const [lists, setLists] = useState<Lists | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [open, setOpen] = useState<PortalForm | null>(null);
  const [sent, setSent] = useState<'f.sent' | 'f.signed' | null>(null);
  const load = useCallback(() => {
    portal('portalForms').then(setLists).catch(setError);
  }, []);
  useEffect(load, [load]);
  const when = new Intl.DateTimeFormat(lang, { dateStyle: 'medium', timeStyle: 'short' });
  const title = (f: Item) =>
    f.kind === 'intake' || !f.consentId ? t('f.intake') : consents[f.consentId].title[lang];
  const start = (id: string) => {
    setError(null);
    setSent(null);
    portal('portalForm', { params: { id } }).then(setOpen).catch(setError);
  };
  const done = (message: 'f.sent' | 'f.signed') => {
    setOpen(null);
    setSent(message);
    load();
  };

  if (open?.kind === 'intake' && open.demographics)
    return (
      <IntakeForm
        formId={open.id}
        prefill={open.demographics}
        onBack={() => setOpen(null)}
        onSent={() => done('f.sent')}
      />
    );
  if (open?.kind === 'consent' && open.consentId && open.consentVersion)
    return (
      <ConsentForm
        formId={open.id}
        consentId={open.consentId}
        version={open.consentVersion}
        clinicName={open.clinicName}
        onBack={() => setOpen(null)}
        onSent={() => done('f.signed')}
      />
    );
  return (
    <section className="portal-card" aria-labelledby="forms-title">
      <h1 id="forms-title" className="portal-title">
        {t('f.title')}
      </h1>
      {sent ? (
        <Alert tone="success" testId="portal-form-sent">
          {t(sent)}
        </Alert>
      ) : null}
      {error ? <Alert tone="error">{errorText(error)}</Alert> : null}
      {!lists && !error ? <p role="status">{t('common.loading')}</p> : null}
      {lists ? (
        <>
          <p>{lists.due.length ? t('f.intro') : t('f.none')}</p>
          <ul className="portal-list">
            {lists.due.map((d) => (
              <li key={d.id} className="portal-appt" data-testid="portal-form">
                <p className="portal-appt-when">{title(d)}</p>
                <div className="portal-actions">
                  <Button variant="primary" onClick={() => start(d.id)}>
                    {d.kind === 'intake' ? t('f.start') : t('f.sign')}
                  </Button>
                </div>
              </li>
            ))}
          </ul>
          {lists.done.length ? (
            <>
              <h2 className="portal-subtitle">{t('f.done')}</h2>
              <ul className="portal-list">
                {lists.done.map((d) => (
                  <li key={d.id} className="portal-activity" data-testid="portal-form-done">
                    <span>{title(d)}</span>
                    <time dateTime={d.submittedAt}>
                      {t('f.sentOn', { time: when.format(new Date(d.submittedAt)) })}
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
