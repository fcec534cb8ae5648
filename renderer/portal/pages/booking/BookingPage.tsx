import { zodResolver } from '@hookform/resolvers/zod';
import { useCallback, useEffect, useState } from 'react';
import { useForm, useWatch } from 'react-hook-form';
import { Link } from 'react-router';
import { z } from 'zod';
import type { PortalAppointment } from '../../../../server/contracts/portal';
import type { SelfBookingOptions } from '../../../../server/contracts/portal/self-booking';
import { Alert } from '../../../ui/Alert';
import { Button } from '../../../ui/Button';
import { PortalError, portal } from '../../api';
import { useI18n, type MessageKey } from '../../i18n';
import { ChoiceStep } from './ChoiceStep';
import { slotsByDay, type Slot } from './slots';

// Messages are catalogue keys, translated where they are shown (the page speaks English or Spanish).
const bookingSchema = z.object({
  appointmentTypeId: z.string().min(1, 'bk.typeRequired'),
  providerId: z.string().min(1, 'bk.providerRequired'),
  day: z.string().min(1, 'bk.dayRequired'),
  startsAt: z.string().min(1, 'bk.timeRequired'),
});
type Booking = z.infer<typeof bookingSchema>;
const STEPS = ['appointmentTypeId', 'providerId', 'day', 'startsAt', 'confirm'] as const;
type Step = (typeof STEPS)[number];

/**
 * "Book online": the patient picks the kind of visit → the clinician → the day → the time, checks and books.
 * Central books it at once (or says the time was just taken; the times are then fetched again). Reached from
 * the appointments page when the clinic allows self-booking.
 */
export function BookingPage() {
  const { t, errorText } = useI18n();
  const [options, setOptions] = useState<SelfBookingOptions | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [booked, setBooked] = useState<PortalAppointment | null>(null);
  useEffect(() => {
    portal('portalSelfBookingOptions').then(setOptions).catch(setError);
  }, []);
  const open = !!options && options.mayBook && options.types.length > 0;
  return (
    <section className="portal-card" aria-labelledby="book-title">
      <h1 id="book-title" className="portal-title">
        {t('bk.title')}
      </h1>
      {error ? <Alert tone="error">{errorText(error)}</Alert> : null}
      {!options && !error ? <p role="status">{t('common.loading')}</p> : null}
      {options && !open ? <p>{t('bk.off')}</p> : null}
      {booked ? <Booked a={booked} /> : null}
      {options && open && !booked ? <BookingSteps options={options} onBooked={setBooked} /> : null}
      {!booked ? (
        <p>
          <Link to="/">{t('bk.toAppointments')}</Link>
        </p>
      ) : null}
    </section>
  );
}

function BookingSteps({
  options,
  onBooked,
}: {
  options: SelfBookingOptions;
  onBooked: (a: PortalAppointment) => void;
}) {
  const { t, lang, errorText } = useI18n();
  const [step, setStep] = useState<Step>('appointmentTypeId');
  const [slots, setSlots] = useState<{ key: string; list: Slot[] } | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const only = <T,>(list: T[], id: (x: T) => string) => (list.length === 1 ? id(list[0]!) : '');
  const form = useForm<Booking>({
    resolver: zodResolver(bookingSchema),
    defaultValues: {
      appointmentTypeId: only(options.types, (x) => x.id),
      providerId: only(options.types[0]?.providers ?? [], (x) => x.id),
      day: '',
      startsAt: '',
    },
  });
  const [appointmentTypeId, providerId, day, startsAt] = useWatch({
    control: form.control,
    name: ['appointmentTypeId', 'providerId', 'day', 'startsAt'],
  });
  const v = { appointmentTypeId, providerId, day, startsAt };
  const type = options.types.find((x) => x.id === v.appointmentTypeId);
  const provider = type?.providers.find((p) => p.id === v.providerId);
  const tz = options.timeZone;
  const fmt = (o: Intl.DateTimeFormatOptions) => new Intl.DateTimeFormat(lang, { ...o, timeZone: tz });
  const tr = (m: string | undefined) => (m ? t(m as MessageKey) : undefined);
  const errors = form.formState.errors;

  const days = slots ? slotsByDay(slots.list, tz) : [];
  const loadSlots = useCallback(async (typeId: string, providerId: string) => {
    const key = `${typeId}/${providerId}`;
    setSlots((s) => (s?.key === key ? s : null));
    const got = await portal('portalSelfBookingSlots', { params: { typeId, providerId } });
    setSlots({ key, list: got.slots });
    return got.slots;
  }, []);

  const go = (next: Step) => {
    setStep(next);
    // The new question is read out and the thumb starts at its top.
    requestAnimationFrame(() => document.getElementById('book-step')?.focus());
  };

  const next = async () => {
    if (step === 'confirm') return;
    setFailure(null);
    if (!(await form.trigger(step))) return;
    if (step === 'appointmentTypeId') {
      const providers = type?.providers ?? [];
      if (!providers.some((p) => p.id === v.providerId))
        form.setValue(
          'providerId',
          only(providers, (p) => p.id),
        );
    }
    if (step === 'providerId') {
      const key = `${v.appointmentTypeId}/${v.providerId}`;
      if (slots?.key !== key) {
        form.setValue('day', '');
        form.setValue('startsAt', '');
      }
      try {
        await loadSlots(v.appointmentTypeId, v.providerId);
      } catch (err) {
        setFailure(errorText(err));
        return;
      }
    }
    // A different day: the time is chosen again.
    if (step === 'day' && !days.find((d) => d.key === v.day)?.slots.some((s) => s.startsAt === v.startsAt))
      form.setValue('startsAt', '');
    go(STEPS[STEPS.indexOf(step) + 1]!);
  };

  const back = () => {
    setFailure(null);
    go(STEPS[Math.max(0, STEPS.indexOf(step) - 1)]!);
  };

  const onSubmit = form.handleSubmit(async (b) => {
    setFailure(null);
    try {
      const a = await portal('portalSelfBook', {
        body: { appointmentTypeId: b.appointmentTypeId, providerId: b.providerId, startsAt: b.startsAt },
      });
      onBooked(a);
    } catch (err) {
      setFailure(errorText(err));
      if (err instanceof PortalError && err.status === 409) {
        // Someone else got it: fresh times, and the patient chooses again on the same day if it still has any.
        form.setValue('startsAt', '');
        const fresh = await loadSlots(b.appointmentTypeId, b.providerId).catch(() => null);
        const stillOpen = fresh && slotsByDay(fresh, tz).some((d) => d.key === b.day);
        if (!stillOpen) form.setValue('day', '');
        go(stillOpen ? 'startsAt' : 'day');
      }
    }
  });

  const dayLabel = fmt({ weekday: 'long', month: 'long', day: 'numeric' });
  const timeLabel = fmt({ hour: 'numeric', minute: '2-digit' });
  const zoneName =
    fmt({ timeZoneName: 'long' })
      .formatToParts(new Date())
      .find((p) => p.type === 'timeZoneName')?.value ?? tz;
  const chosenDay = days.find((d) => d.key === v.day);
  const slot = chosenDay?.slots.find((s) => s.startsAt === v.startsAt);
  const n = STEPS.indexOf(step) + 1;

  return (
    <form className="portal-form" noValidate onSubmit={(e) => void onSubmit(e)} aria-label={t('bk.title')}>
      {n === 1 ? <p>{t('bk.intro')}</p> : null}
      <div id="book-step" tabIndex={-1} className="portal-booking-current">
        <p className="portal-muted">{t('bk.step', { n })}</p>
        {failure ? <Alert tone="error">{failure}</Alert> : null}
        {step === 'appointmentTypeId' ? (
          <ChoiceStep
            legend={t('bk.type')}
            error={tr(errors.appointmentTypeId?.message)}
            register={form.register('appointmentTypeId')}
            choices={options.types.map((ty) => ({
              value: ty.id,
              label: ty.name,
              detail: `${t('bk.minutes', { n: ty.durationMinutes })} · ${t(
                ty.modality === 'telehealth' ? 'bk.video' : 'bk.inPerson',
              )}`,
            }))}
          />
        ) : null}
        {step === 'providerId' ? (
          <ChoiceStep
            legend={t('bk.provider')}
            error={tr(errors.providerId?.message)}
            register={form.register('providerId')}
            choices={(type?.providers ?? []).map((p) => ({ value: p.id, label: p.name }))}
          />
        ) : null}
        {step === 'day' ? (
          !slots ? (
            <p role="status">{t('bk.loadingTimes')}</p>
          ) : days.length === 0 ? (
            <p>{t('bk.noTimes')}</p>
          ) : (
            <ChoiceStep
              legend={t('bk.day')}
              error={tr(errors.day?.message)}
              register={form.register('day')}
              columns="days"
              choices={days.map((d) => ({
                value: d.key,
                label: dayLabel.format(new Date(d.slots[0]!.startsAt)),
                detail: d.slots.length === 1 ? t('bk.oneTime') : t('bk.times', { n: d.slots.length }),
              }))}
            >
              <p className="portal-muted">{t('bk.zone', { zone: zoneName })}</p>
            </ChoiceStep>
          )
        ) : null}
        {step === 'startsAt' ? (
          <ChoiceStep
            legend={`${t('bk.time')} ${chosenDay ? dayLabel.format(new Date(chosenDay.slots[0]!.startsAt)) : ''}`}
            error={tr(errors.startsAt?.message)}
            register={form.register('startsAt')}
            columns="times"
            choices={(chosenDay?.slots ?? []).map((s) => ({
              value: s.startsAt,
              label: timeLabel.format(new Date(s.startsAt)),
            }))}
          />
        ) : null}
        {step === 'confirm' && type && provider && slot ? (
          <div className="portal-booking-summary">
            <h2 className="portal-subtitle">{t('bk.confirmTitle')}</h2>
            <dl>
              <dt>{t('bk.what')}</dt>
              <dd>
                {type.name} · {t('bk.minutes', { n: type.durationMinutes })}
              </dd>
              <dt>{t('bk.with')}</dt>
              <dd>{provider.name}</dd>
              <dt>{t('bk.when')}</dt>
              <dd>
                {fmt({
                  weekday: 'long',
                  month: 'long',
                  day: 'numeric',
                  hour: 'numeric',
                  minute: '2-digit',
                  timeZoneName: 'short',
                }).format(new Date(slot.startsAt))}
              </dd>
            </dl>
          </div>
        ) : null}
      </div>
      <div className="portal-actions portal-sticky-actions">
        {step === 'confirm' ? (
          // Its own key: reusing the Continue button's element would submit on the very click that showed it.
          <Button
            key="book"
            type="submit"
            variant="primary"
            busy={form.formState.isSubmitting}
            busyLabel={t('bk.booking')}
          >
            {t('bk.book')}
          </Button>
        ) : step === 'day' && slots && days.length === 0 ? null : (
          <Button key="next" variant="primary" onClick={() => void next()}>
            {t('bk.next')}
          </Button>
        )}
        {n > 1 ? <Button onClick={back}>{t('bk.back')}</Button> : null}
      </div>
    </form>
  );
}

/** After booking: when, and the way back to the list where it now shows. */
function Booked({ a }: { a: PortalAppointment }) {
  const { t, lang } = useI18n();
  const when = new Intl.DateTimeFormat(lang, {
    weekday: 'long',
    month: 'long',
    day: 'numeric',
    hour: 'numeric',
    minute: '2-digit',
    timeZone: a.timeZone,
    timeZoneName: 'short',
  }).format(new Date(a.startsAt));
  return (
    <>
      <Alert tone="success" testId="booked">
        {t('bk.done', { time: when })}
      </Alert>
      <p>{t('bk.doneHelp')}</p>
      <div className="portal-actions">
        <Link className="btn btn-primary" to="/">
          {t('bk.toAppointments')}
        </Link>
      </div>
    </>
  );
}
