import { useCallback, useEffect, useState } from 'react';
import type { PortalRequest, PortalRequestList } from '../../../../server/contracts/portal/requests';
import { Alert } from '../../../ui/Alert';
import { Button } from '../../../ui/Button';
import { portal } from '../../api';
import { useI18n, type MessageKey } from '../../i18n';
import { RequestForm } from './RequestForm';

/**
 * "Request an appointment" on the appointments page: the patient's requests (newest first) with the clinic's
 * answer, and the form to ask for a new one. Shown to accounts whose scope allows requesting.
 */
export function RequestsSection() {
  const { t, errorText } = useI18n();
  const [list, setList] = useState<PortalRequestList | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [asking, setAsking] = useState(false);
  const [sent, setSent] = useState(false);
  const load = useCallback(() => {
    portal('portalAppointmentRequests').then(setList).catch(setError);
  }, []);
  useEffect(load, [load]);
  const canAsk = !!list && list.mayRequest && list.types.length > 0;
  return (
    <section className="portal-card" aria-labelledby="requests-title">
      <h2 id="requests-title" className="portal-subtitle">
        {t('rq.title')}
      </h2>
      {error ? <Alert tone="error">{errorText(error)}</Alert> : null}
      {!list && !error ? <p role="status">{t('common.loading')}</p> : null}
      {sent ? <Alert tone="success">{t('rq.sent')}</Alert> : null}
      {list && !list.mayRequest ? <p className="portal-muted">{t('rq.noScope')}</p> : null}
      {list && list.mayRequest && !list.types.length ? (
        <p className="portal-muted">{t('rq.nothingToAsk')}</p>
      ) : null}
      {list && canAsk && asking ? (
        <RequestForm
          list={list}
          onCancel={() => setAsking(false)}
          onSent={() => {
            setAsking(false);
            setSent(true);
            load();
          }}
        />
      ) : null}
      {list && canAsk && !asking ? (
        <>
          <p>{t('rq.intro')}</p>
          <div className="portal-actions">
            <Button
              variant="primary"
              onClick={() => {
                setSent(false);
                setAsking(true);
              }}
            >
              {t('rq.start')}
            </Button>
          </div>
        </>
      ) : null}
      {list && !asking ? (
        <>
          <h3 className="portal-subtitle">{t('rq.yours')}</h3>
          {list.requests.length === 0 ? <p>{t('rq.none')}</p> : null}
          <ul className="portal-list">
            {list.requests.map((r) => (
              <RequestItem key={r.id} r={r} />
            ))}
          </ul>
        </>
      ) : null}
    </section>
  );
}

function RequestItem({ r }: { r: PortalRequest }) {
  const { t, lang } = useI18n();
  const day = new Intl.DateTimeFormat(lang, { month: 'long', day: 'numeric', timeZone: r.timeZone });
  const when = new Intl.DateTimeFormat(lang, {
    weekday: 'long',
    month: 'long',
    day: 'numeric',
    hour: 'numeric',
    minute: '2-digit',
    timeZone: r.timeZone,
    timeZoneName: 'short',
  });
  const days = r.preferredDays.length
    ? r.preferredDays.map((d) => t(`rq.day.${d}` as MessageKey)).join(', ')
    : t('rq.anyDay');
  const times = r.preferredTimes.length
    ? r.preferredTimes.map((p) => t(`rq.part.${p}` as MessageKey)).join(', ')
    : t('rq.anyTime');
  const status =
    r.status === 'booked'
      ? r.bookedStartsAt
        ? t('rq.status.booked', { time: when.format(new Date(r.bookedStartsAt)) })
        : t('rq.status.bookedNoTime')
      : t(`rq.status.${r.status}` as MessageKey);
  return (
    <li className="portal-appt" data-testid="portal-request">
      <p className="portal-appt-when">
        {r.typeName}
        {r.providerName ? ` ${t('appts.with', { provider: r.providerName })}` : ''}
      </p>
      <p className="portal-muted">
        {days} · {times} · {t('rq.asked', { time: day.format(new Date(r.createdAt)) })}
      </p>
      {/* The status is said in words (and marked by a badge's text), never by colour alone. */}
      <p>
        <span className={`portal-status portal-status-${r.status}`}>{status}</span>
      </p>
      {r.status === 'declined' && r.declineReason ? (
        <p>{t('rq.reason', { reason: r.declineReason })}</p>
      ) : null}
    </li>
  );
}
