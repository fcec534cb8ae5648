import { zodResolver } from '@hookform/resolvers/zod';
import { useCallback, useEffect, useState } from 'react';
import { useForm } from 'react-hook-form';
import { z } from 'zod';
import type { PortalAppointment, PortalMe } from '../../../server/contracts/portal';
import { Alert } from '../../ui/Alert';
import { Button } from '../../ui/Button';
import { TextField } from '../../ui/Field';
import { SettledGate } from '../../ui/ShowWhenSettled';
import { portal, portalReads } from '../api';
import { useI18n, type MessageKey } from '../i18n';
import { JoinVideo } from './appointments/JoinVideo';
import { RequestsSection } from './appointments/RequestsSection';
import { BookOnlineCard } from './booking/BookOnlineCard';

interface Lists {
  upcoming: PortalAppointment[];
  past: PortalAppointment[];
  cancelWindowHours: number;
}

/**
 * Upcoming and past appointments; an upcoming one outside the clinic's window can be cancelled here, and an
 * upcoming video visit joined around its start.
 */
export function AppointmentsPage({ me }: { me: PortalMe }) {
  const { t, errorText } = useI18n();
  const [lists, setLists] = useState<Lists | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState(false);
  const load = useCallback(() => {
    portal('portalAppointments').then(setLists).catch(setError);
  }, []);
  useEffect(load, [load]);
  // The lists, online booking and requests answer separately: shown together, once, so the "Request an
  // appointment" button does not move down under a finger as the appointments land above it.
  return (
    <SettledGate label={t('common.loading')} reads={portalReads}>
      <section className="portal-card" aria-labelledby="appts-title">
        <h1 id="appts-title" className="portal-title">
          {t('appts.title')}
        </h1>
        <p>
          {me.kind === 'proxy'
            ? t('appts.helloProxy', { proxy: me.proxyName ?? '', name: me.firstName })
            : t('appts.hello', { name: me.firstName })}
        </p>
        {done ? <Alert tone="success">{t('appts.cancelled')}</Alert> : null}
        {error ? <Alert tone="error">{errorText(error)}</Alert> : null}
        {lists ? (
          <>
            <h2 className="portal-subtitle">{t('appts.upcoming')}</h2>
            {lists.upcoming.length === 0 ? <p>{t('appts.noneUpcoming')}</p> : null}
            <ul className="portal-list">
              {lists.upcoming.map((a) => (
                <AppointmentItem
                  key={a.id}
                  a={a}
                  onCancelled={() => {
                    setDone(true);
                    load();
                  }}
                />
              ))}
            </ul>
            <p className="portal-help">{t('appts.policy', { hours: lists.cancelWindowHours })}</p>
          </>
        ) : null}
      </section>
      <BookOnlineCard />
      <RequestsSection />
      {lists ? (
        <section className="portal-card" aria-labelledby="past-title">
          <h2 id="past-title" className="portal-subtitle">
            {t('appts.past')}
          </h2>
          {lists.past.length === 0 ? <p>{t('appts.nonePast')}</p> : null}
          <ul className="portal-list">
            {lists.past.map((a) => (
              <AppointmentItem key={a.id} a={a} />
            ))}
          </ul>
        </section>
      ) : null}
    </SettledGate>
  );
}

const cancelSchema = z.object({ reason: z.string().trim().max(300) });

function AppointmentItem({ a, onCancelled }: { a: PortalAppointment; onCancelled?: () => void }) {
  const { t, lang, errorText } = useI18n();
  const [confirming, setConfirming] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const form = useForm<{ reason: string }>({
    resolver: zodResolver(cancelSchema),
    defaultValues: { reason: '' },
  });
  const when = new Intl.DateTimeFormat(lang, {
    weekday: 'long',
    month: 'long',
    day: 'numeric',
    hour: 'numeric',
    minute: '2-digit',
    timeZone: a.timeZone,
    timeZoneName: 'short',
  });
  const statusKey = `appts.status.${a.status}` as MessageKey;
  const onSubmit = form.handleSubmit(async (v) => {
    setFailure(null);
    try {
      await portal('portalCancelAppointment', { params: { id: a.id }, body: { reason: v.reason } });
      setConfirming(false);
      onCancelled?.();
    } catch (err) {
      setFailure(errorText(err));
    }
  });
  return (
    <li className="portal-appt" data-testid="portal-appointment">
      <p className="portal-appt-when">{when.format(new Date(a.startsAt))}</p>
      <p>
        {a.typeName}
        {a.providerName ? ` ${t('appts.with', { provider: a.providerName })}` : ''}
      </p>
      <p className="portal-muted">
        {a.modality === 'telehealth'
          ? t('appts.video')
          : `${t('appts.inPerson')}${a.locationName ? ` · ${a.locationName}` : ''}`}
        {a.status !== 'scheduled' ? ` · ${t(statusKey)}` : ''}
      </p>
      {onCancelled ? <JoinVideo a={a} /> : null}
      {onCancelled ? (
        a.canCancel ? (
          confirming ? (
            <form className="portal-form portal-confirm" noValidate onSubmit={(e) => void onSubmit(e)}>
              <p className="portal-subtitle">{t('appts.confirmTitle')}</p>
              <TextField
                label={t('appts.reason')}
                {...form.register('reason')}
                error={form.formState.errors.reason?.message}
              />
              {failure ? <Alert tone="error">{failure}</Alert> : null}
              <div className="portal-actions">
                <Button type="submit" variant="danger" busy={form.formState.isSubmitting}>
                  {t('appts.confirm')}
                </Button>
                <Button onClick={() => setConfirming(false)}>{t('appts.keep')}</Button>
              </div>
            </form>
          ) : (
            <>
              <p className="portal-muted">
                {t('appts.cancelBy', { time: when.format(new Date(a.cancelBy)) })}
              </p>
              <Button onClick={() => setConfirming(true)}>{t('appts.cancel')}</Button>
            </>
          )
        ) : (
          <p className="portal-muted">{t('appts.cannotCancel')}</p>
        )
      ) : null}
    </li>
  );
}
