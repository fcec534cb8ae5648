import { useEffect, useState } from 'react';
import type { ReminderLink } from '../../../../server/contracts/portal/reminders';
import { Alert } from '../../../ui/Alert';
import { Button } from '../../../ui/Button';
import { portal } from '../../api';
import { useI18n } from '../../i18n';

/** The link's token is in the fragment (#t=…): it never reaches a server log or a Referer. */
const tokenFromHash = () => new URLSearchParams(window.location.hash.slice(1)).get('t');

/**
 * A reminder's link, opened without signing in: the clinic and the time, and one button (confirm, cancel,
 * or stop e-mail reminders). Opening only shows; the button uses the link (once), so a mail scanner that
 * follows links changes nothing. Every outcome says what happened and what to do next.
 */
export function ReminderPage() {
  const { t, lang, errorText } = useI18n();
  const [token] = useState(tokenFromHash);
  const [link, setLink] = useState<ReminderLink | null>(null);
  const [problem, setProblem] = useState<string | null>(token ? null : t('rem.noToken'));
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (!token) return;
    portal('portalReminderLink', { body: { token } })
      .then(setLink)
      .catch((e: unknown) => setProblem(errorText(e)));
    // The link is opened once; errorText follows the language.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [token]);

  const use = async () => {
    if (!token) return;
    setBusy(true);
    setProblem(null);
    try {
      setLink(await portal('portalReminderLinkUse', { body: { token } }));
    } catch (e) {
      setProblem(errorText(e));
    } finally {
      setBusy(false);
    }
  };

  const action = link?.action ?? 'confirm';
  const when = link
    ? new Intl.DateTimeFormat(lang, {
        weekday: 'long',
        month: 'long',
        day: 'numeric',
        hour: 'numeric',
        minute: '2-digit',
        timeZone: link.timeZone,
        timeZoneName: 'short',
      }).format(new Date(link.startsAt))
    : '';
  const clinic = link?.clinicName ?? '';

  return (
    <section className="portal-card" aria-labelledby="rem-title">
      <h1 id="rem-title" className="portal-title">
        {t(`rem.title.${action}`)}
      </h1>
      {problem ? <Alert tone="error">{problem}</Alert> : null}
      {!link && !problem ? <p role="status">{t('rem.busy')}</p> : null}
      {link ? (
        <>
          <p>{t('rem.when', { clinic })}</p>
          <p className="portal-appt-when" data-testid="reminder-when">
            {when}
          </p>
          {link.state === 'ready' ? (
            <>
              {action === 'cancel' ? <p>{t('rem.cancelHelp')}</p> : null}
              {action === 'unsubscribe' ? <p>{t('rem.unsubscribeHelp', { clinic })}</p> : null}
              <div className="portal-actions">
                <Button
                  variant={action === 'cancel' ? 'danger' : 'primary'}
                  busy={busy}
                  busyLabel={t(`rem.${action}Busy`)}
                  onClick={() => void use()}
                >
                  {t(`rem.${action}`)}
                </Button>
              </div>
            </>
          ) : null}
          {link.state === 'done' ? (
            <Alert tone="success" testId="reminder-done">
              {t(`rem.done.${action}`, { clinic })}
            </Alert>
          ) : null}
          {link.state === 'too_late' ? (
            <Alert tone="warning">{t('rem.tooLate', { hours: link.cancelWindowHours })}</Alert>
          ) : null}
          {link.state === 'closed' ? <Alert tone="warning">{t('rem.closed')}</Alert> : null}
        </>
      ) : null}
      <p className="portal-muted">{t('rem.noReply')}</p>
      <p>
        <a href="/portal/login">{t('rem.portal')}</a>
      </p>
    </section>
  );
}
