import { zodResolver } from '@hookform/resolvers/zod';
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { z } from 'zod';
import {
  requestDayParts,
  requestWeekdays,
  type PortalRequestList,
} from '../../../../server/contracts/portal/requests';
import { Alert } from '../../../ui/Alert';
import { Button } from '../../../ui/Button';
import { Fieldset, SelectField, TextAreaField } from '../../../ui/Field';
import { PortalError, portal } from '../../api';
import { useI18n, type MessageKey } from '../../i18n';

// Messages are catalogue keys, translated where they are shown (the page speaks English or Spanish).
const requestFormSchema = z.object({
  appointmentTypeId: z.string().min(1, 'rq.typeRequired'),
  providerId: z.string(),
  preferredDays: z.array(z.enum(requestWeekdays)),
  preferredTimes: z.array(z.enum(requestDayParts)),
  note: z.string().trim().max(500, 'rq.noteTooLong'),
});
type RequestFormValues = z.infer<typeof requestFormSchema>;
const FIELDS = ['appointmentTypeId', 'providerId', 'preferredDays', 'preferredTimes', 'note'] as const;

/** Ask the clinic for an appointment: the kind of visit, a clinician or anyone, days and times, a note. */
export function RequestForm({
  list,
  onCancel,
  onSent,
}: {
  list: PortalRequestList;
  onCancel: () => void;
  onSent: () => void;
}) {
  const { t, errorText } = useI18n();
  const [failure, setFailure] = useState<string | null>(null);
  const form = useForm<RequestFormValues>({
    resolver: zodResolver(requestFormSchema),
    defaultValues: {
      appointmentTypeId: list.types.length === 1 ? list.types[0]!.id : '',
      providerId: '',
      preferredDays: [],
      preferredTimes: [],
      note: '',
    },
  });
  const errors = form.formState.errors;
  // Client messages are catalogue keys; central's field sentences arrive already written out.
  const tr = (m: string | undefined) => (m ? (m.startsWith('rq.') ? t(m as MessageKey) : m) : undefined);
  const onSubmit = form.handleSubmit(async (v) => {
    setFailure(null);
    try {
      await portal('portalRequestAppointment', {
        body: { ...v, providerId: v.providerId || null },
      });
      onSent();
    } catch (err) {
      const fields = err instanceof PortalError ? Object.entries(err.fields) : [];
      const known = fields.filter(([f]) => (FIELDS as readonly string[]).includes(f));
      for (const [f, message] of known) form.setError(f as (typeof FIELDS)[number], { message });
      if (!known.length) setFailure(errorText(err));
    }
  });
  return (
    <form className="portal-form" noValidate onSubmit={(e) => void onSubmit(e)} aria-label={t('rq.title')}>
      <SelectField
        label={t('rq.type')}
        error={tr(errors.appointmentTypeId?.message)}
        {...form.register('appointmentTypeId')}
      >
        <option value="">{t('rq.typePick')}</option>
        {list.types.map((ty) => (
          <option key={ty.id} value={ty.id}>
            {ty.name}
          </option>
        ))}
      </SelectField>
      <SelectField
        label={t('rq.provider')}
        error={tr(errors.providerId?.message)}
        {...form.register('providerId')}
      >
        <option value="">{t('rq.anyone')}</option>
        {list.providers.map((p) => (
          <option key={p.id} value={p.id}>
            {p.name}
          </option>
        ))}
      </SelectField>
      <Fieldset legend={t('rq.days')} error={tr(errors.preferredDays?.message)}>
        <p className="portal-muted">{t('rq.daysHelp')}</p>
        <div className="portal-choices portal-choices-days">
          {requestWeekdays.map((d) => (
            <label key={d} className="portal-choice">
              <input type="checkbox" value={d} {...form.register('preferredDays')} />
              <span>{t(`rq.day.${d}` as MessageKey)}</span>
            </label>
          ))}
        </div>
      </Fieldset>
      <Fieldset legend={t('rq.times')} error={tr(errors.preferredTimes?.message)}>
        <p className="portal-muted">{t('rq.timesHelp')}</p>
        <div className="portal-choices portal-choices-parts">
          {requestDayParts.map((p) => (
            <label key={p} className="portal-choice">
              <input type="checkbox" value={p} {...form.register('preferredTimes')} />
              <span>{t(`rq.part.${p}` as MessageKey)}</span>
            </label>
          ))}
        </div>
      </Fieldset>
      <TextAreaField
        label={t('rq.note')}
        hint={t('rq.noteHelp')}
        rows={3}
        maxLength={500}
        error={tr(errors.note?.message)}
        {...form.register('note')}
      />
      {failure ? <Alert tone="error">{failure}</Alert> : null}
      <div className="portal-actions">
        <Button
          type="submit"
          variant="primary"
          busy={form.formState.isSubmitting}
          busyLabel={t('rq.sending')}
        >
          {t('rq.send')}
        </Button>
        <Button onClick={onCancel}>{t('rq.cancel')}</Button>
      </div>
    </form>
  );
}
