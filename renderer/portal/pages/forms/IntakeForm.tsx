import { zodResolver } from '@hookform/resolvers/zod';
import { useState } from 'react';
import { Controller, useForm, type UseFormReturn } from 'react-hook-form';
import { contactRelationships, intakeDemographicFields } from '../../../../server/contracts/forms';
import { Button } from '../../../ui/Button';
import { Fieldset, SelectField, TextAreaField, TextField } from '../../../ui/Field';
import { SendBar } from '../SendBar';
import { portal, PortalError } from '../../api';
import { useI18n, type MessageKey } from '../../i18n';
import { FilePicker } from '../uploads/FilePicker';
import { intakeFormSchema, type IntakeFormValues } from './intake-schema';

type Form = UseFormReturn<IntakeFormValues>;
type Tr = (m: string | undefined) => string | undefined;

const inputType: Partial<Record<(typeof intakeDemographicFields)[number], string>> = {
  phoneMobile: 'tel',
  phoneHome: 'tel',
  email: 'email',
};
const autoComplete: Record<(typeof intakeDemographicFields)[number], string> = {
  firstNameToUse: 'given-name',
  addressLine1: 'address-line1',
  addressLine2: 'address-line2',
  city: 'address-level2',
  state: 'address-level1',
  postalCode: 'postal-code',
  phoneMobile: 'tel',
  phoneHome: 'tel',
  email: 'email',
};

/**
 * The intake: what the clinic has on file (prefilled; a change goes to staff review, not straight onto the
 * record), an emergency contact, and a few questions about the patient's health. A blank or half-filled
 * form is not sent: each missing answer is named under its own field and the first one gets the focus.
 */
export function IntakeForm({
  formId,
  prefill,
  onBack,
  onSent,
}: {
  formId: string;
  prefill: Record<string, string | null>;
  onBack: () => void;
  onSent: () => void;
}) {
  const { t, errorText } = useI18n();
  const [failure, setFailure] = useState<string | null>(null);
  const form = useForm<IntakeFormValues>({
    resolver: zodResolver(intakeFormSchema),
    shouldFocusError: true,
    defaultValues: {
      demographics: Object.fromEntries(intakeDemographicFields.map((f) => [f, prefill[f] ?? ''])),
      emergencyContact: { name: '', phone: '' },
      history: { reason: '', medicines: '', allergies: '', otherHistory: '' },
      insuranceCard: { front: null, back: null },
    } as IntakeFormValues,
  });
  const tr: Tr = (m) => (m ? (m.startsWith('f.') ? t(m as MessageKey) : m) : undefined);
  const onSubmit = form.handleSubmit(async (v) => {
    setFailure(null);
    try {
      const insuranceCard = {
        front: v.insuranceCard.front?.base64 ?? null,
        back: v.insuranceCard.back?.base64 ?? null,
      };
      await portal('portalSubmitIntake', { params: { id: formId }, body: { ...v, insuranceCard } });
      onSent();
    } catch (err) {
      const fields = err instanceof PortalError ? Object.entries(err.fields) : [];
      // Central's own sentence (in English) under the field it concerns, when the page's check let it by.
      for (const [field, message] of fields)
        form.setError(field as 'history.reason', { message }, { shouldFocus: true });
      if (!fields.length) setFailure(errorText(err));
    }
  });
  return (
    <section className="portal-card" aria-labelledby="intake-title">
      <div>
        <Button variant="link" onClick={onBack}>
          ← {t('f.back')}
        </Button>
      </div>
      <h1 id="intake-title" className="portal-title">
        {t('f.intake')}
      </h1>
      <p className="portal-help">{t('f.required')}</p>
      <form className="portal-form" noValidate onSubmit={(e) => void onSubmit(e)}>
        <AboutYou form={form} tr={tr} />
        <EmergencyContact form={form} tr={tr} />
        <History form={form} tr={tr} />
        <InsuranceCard form={form} tr={tr} />
        <SendBar
          failure={failure}
          busy={form.formState.isSubmitting}
          label={t('f.send')}
          busyLabel={t('f.sending')}
        />
      </form>
    </section>
  );
}

function AboutYou({ form, tr }: { form: Form; tr: Tr }) {
  const { t } = useI18n();
  const errors = form.formState.errors.demographics;
  return (
    <fieldset className="portal-form-section">
      <legend className="portal-subtitle">{t('f.about')}</legend>
      <p className="portal-help">{t('f.aboutHelp')}</p>
      {intakeDemographicFields.map((f) => (
        <TextField
          key={f}
          label={t(`f.${f}` as MessageKey)}
          type={inputType[f] ?? 'text'}
          autoComplete={autoComplete[f]}
          error={tr(errors?.[f]?.message)}
          {...form.register(`demographics.${f}`)}
        />
      ))}
    </fieldset>
  );
}

function EmergencyContact({ form, tr }: { form: Form; tr: Tr }) {
  const { t } = useI18n();
  const errors = form.formState.errors.emergencyContact;
  return (
    <fieldset className="portal-form-section">
      <legend className="portal-subtitle">{t('f.contact')}</legend>
      <TextField
        label={t('f.contactName')}
        autoComplete="off"
        error={tr(errors?.name?.message)}
        {...form.register('emergencyContact.name')}
      />
      <SelectField
        label={t('f.contactRelationship')}
        error={tr(errors?.relationship?.message)}
        defaultValue=""
        {...form.register('emergencyContact.relationship')}
      >
        <option value="">{t('f.choose')}</option>
        {contactRelationships.map((r) => (
          <option key={r} value={r}>
            {t(`rel.${r}` as MessageKey)}
          </option>
        ))}
      </SelectField>
      <TextField
        label={t('f.contactPhone')}
        type="tel"
        autoComplete="off"
        error={tr(errors?.phone?.message)}
        {...form.register('emergencyContact.phone')}
      />
    </fieldset>
  );
}

function YesNo({
  form,
  name,
  label,
  error,
}: {
  form: Form;
  name: 'takesMedicines' | 'hasAllergies' | 'priorCounseling';
  label: string;
  error: string | undefined;
}) {
  const { t } = useI18n();
  return (
    <Fieldset legend={label} error={error}>
      <div className="portal-choices portal-choices-row" data-testid={`yesno-${name}`}>
        {(['yes', 'no'] as const).map((v) => (
          <label key={v} className="portal-choice">
            <input type="radio" value={v} {...form.register(`history.${name}`)} />
            <span>{t(v === 'yes' ? 'f.yes' : 'f.no')}</span>
          </label>
        ))}
      </div>
    </Fieldset>
  );
}

function History({ form, tr }: { form: Form; tr: Tr }) {
  const { t } = useI18n();
  const errors = form.formState.errors.history;
  const takes = form.watch('history.takesMedicines');
  const allergic = form.watch('history.hasAllergies');
  return (
    <fieldset className="portal-form-section">
      <legend className="portal-subtitle">{t('f.history')}</legend>
      <TextAreaField
        label={t('f.reason')}
        rows={3}
        error={tr(errors?.reason?.message)}
        {...form.register('history.reason')}
      />
      <YesNo
        form={form}
        name="takesMedicines"
        label={t('f.takesMedicines')}
        error={tr(errors?.takesMedicines?.message)}
      />
      {takes === 'yes' ? (
        <TextAreaField
          label={t('f.medicines')}
          rows={3}
          error={tr(errors?.medicines?.message)}
          {...form.register('history.medicines')}
        />
      ) : null}
      <YesNo
        form={form}
        name="hasAllergies"
        label={t('f.hasAllergies')}
        error={tr(errors?.hasAllergies?.message)}
      />
      {allergic === 'yes' ? (
        <TextAreaField
          label={t('f.allergies')}
          rows={3}
          error={tr(errors?.allergies?.message)}
          {...form.register('history.allergies')}
        />
      ) : null}
      <YesNo
        form={form}
        name="priorCounseling"
        label={t('f.priorCounseling')}
        error={tr(errors?.priorCounseling?.message)}
      />
      <TextAreaField
        label={t('f.otherHistory')}
        rows={3}
        error={tr(errors?.otherHistory?.message)}
        {...form.register('history.otherHistory')}
      />
    </fieldset>
  );
}

/** The insurance card, front and back: a photo each from the camera (or the phone's photos); optional. */
function InsuranceCard({ form, tr }: { form: Form; tr: Tr }) {
  const { t } = useI18n();
  return (
    <fieldset className="portal-form-section">
      <legend className="portal-subtitle">{t('f.card')}</legend>
      <p className="portal-help">{t('f.cardHelp')}</p>
      {(['front', 'back'] as const).map((side) => (
        <Controller
          key={side}
          control={form.control}
          name={`insuranceCard.${side}`}
          render={({ field, fieldState }) => (
            <FilePicker
              label={t(side === 'front' ? 'f.cardFront' : 'f.cardBack')}
              value={field.value ?? null}
              onChange={field.onChange}
              error={tr(fieldState.error?.message)}
              photosOnly
              testId={`card-${side}`}
            />
          )}
        />
      ))}
    </fieldset>
  );
}
