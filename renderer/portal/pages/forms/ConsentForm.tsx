import { zodResolver } from '@hookform/resolvers/zod';
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { z } from 'zod';
import { consentText, type ConsentId } from '../../../../server/contracts/forms/consents';
import { Button } from '../../../ui/Button';
import { Checkbox, TextField } from '../../../ui/Field';
import { SendBar } from '../SendBar';
import { portal, PortalError } from '../../api';
import { useI18n, type MessageKey } from '../../i18n';
import { SignaturePad } from './SignaturePad';

const schema = z.object({
  signedName: z.string().trim().min(2, 'f.err.signedName').max(120, 'f.err.tooLong'),
  agree: z.boolean().refine((v) => v, 'f.err.agree'),
  /** The drawing (a PNG data URL); empty until something is drawn. */
  signature: z.string().min(1, 'f.err.signature'),
});
type Values = z.input<typeof schema>;

/**
 * A consent to read and sign: the clinic's text in the patient's language (the version the clinic uses
 * now), "I agree", the typed full name and a drawn signature; all three are needed. Central records the
 * time and address and keeps the exact text signed.
 */
export function ConsentForm({
  formId,
  consentId,
  version,
  clinicName,
  onBack,
  onSent,
}: {
  formId: string;
  consentId: ConsentId;
  version: number;
  clinicName: string;
  onBack: () => void;
  onSent: () => void;
}) {
  const { t, lang, errorText } = useI18n();
  const [failure, setFailure] = useState<string | null>(null);
  const form = useForm<Values>({
    resolver: zodResolver(schema),
    defaultValues: { signedName: '', agree: false, signature: '' },
  });
  const errors = form.formState.errors;
  const tr = (m: string | undefined) => (m ? t(m as MessageKey) : undefined);
  const { title, text } = consentText(consentId, lang, clinicName);
  const onSubmit = form.handleSubmit(async (v) => {
    setFailure(null);
    try {
      await portal('portalSignConsent', {
        params: { id: formId },
        body: {
          signedName: v.signedName,
          signature: v.signature,
          language: lang,
          agree: true,
          consentVersion: version,
        },
      });
      onSent();
    } catch (err) {
      if (err instanceof PortalError && err.fields.signature)
        form.setError('signature', { message: 'f.err.signature' });
      else setFailure(errorText(err));
    }
  });
  return (
    <section className="portal-card" aria-labelledby="consent-title">
      <div>
        <Button variant="link" onClick={onBack}>
          ← {t('f.back')}
        </Button>
      </div>
      <h1 id="consent-title" className="portal-title">
        {title}
      </h1>
      <p className="portal-muted">{t('f.consentVersion', { v: version })}</p>
      <div className="portal-consent-text" data-testid="consent-text">
        {text.split('\n\n').map((p, i) => (
          <p key={i}>{p}</p>
        ))}
      </div>
      <form className="portal-form" noValidate onSubmit={(e) => void onSubmit(e)}>
        <Checkbox label={t('f.agree')} error={tr(errors.agree?.message)} {...form.register('agree')} />
        <TextField
          label={t('f.signedName')}
          autoComplete="name"
          maxLength={120}
          error={tr(errors.signedName?.message)}
          {...form.register('signedName')}
        />
        <SignaturePad
          error={tr(errors.signature?.message)}
          onChange={(image) =>
            form.setValue('signature', image ?? '', { shouldValidate: form.formState.isSubmitted })
          }
        />
        <p className="portal-help">{t('f.signedNote')}</p>
        <SendBar
          failure={failure}
          busy={form.formState.isSubmitting}
          label={t('f.signButton')}
          busyLabel={t('f.signing')}
        />
      </form>
    </section>
  );
}
