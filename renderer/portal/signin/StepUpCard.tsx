import { zodResolver } from '@hookform/resolvers/zod';
import { useMemo, useState } from 'react';
import { useForm } from 'react-hook-form';
import { z } from 'zod';
import { Alert } from '../../ui/Alert';
import { Button } from '../../ui/Button';
import { TextField } from '../../ui/Field';
import { portal } from '../api';
import { useI18n, type Translate } from '../i18n';
import { PasskeyProblem, answerWithPasskey } from './passkey';

const schemaFor = (t: Translate) =>
  z.object({
    code: z
      .string()
      .trim()
      .regex(/^\d{6}$/, t('err.code')),
  });
type Values = z.infer<ReturnType<typeof schemaFor>>;

/**
 * Step-up: a session from an e-mailed link confirms the second factor (a code or a passkey) before the
 * entries central marks step-up. Shown in place of what needs it; `onDone` once central accepted it.
 */
export function StepUpCard({ onDone }: { onDone: () => void }) {
  const { t, errorText } = useI18n();
  const schema = useMemo(() => schemaFor(t), [t]);
  const [failure, setFailure] = useState<string | null>(null);
  const [passkeyBusy, setPasskeyBusy] = useState(false);
  const form = useForm<Values>({ resolver: zodResolver(schema), defaultValues: { code: '' } });
  const { errors, isSubmitting } = form.formState;
  const fail = (err: unknown) => setFailure(err instanceof PasskeyProblem ? t(err.key) : errorText(err));
  const onSubmit = form.handleSubmit(async (v) => {
    setFailure(null);
    try {
      await portal('portalStepUp', { body: { code: v.code } });
      onDone();
    } catch (err) {
      form.resetField('code');
      fail(err);
    }
  });
  const withPasskey = async () => {
    setFailure(null);
    setPasskeyBusy(true);
    try {
      const passkey = await answerWithPasskey();
      await portal('portalStepUp', { body: { passkey } });
      onDone();
    } catch (err) {
      fail(err);
    } finally {
      setPasskeyBusy(false);
    }
  };
  return (
    <section className="portal-card" aria-labelledby="stepup-title">
      <h2 id="stepup-title" className="portal-subtitle">
        {t('stepup.title')}
      </h2>
      <p>{t('stepup.intro')}</p>
      <form className="portal-form" noValidate onSubmit={(e) => void onSubmit(e)}>
        <TextField
          label={t('stepup.code')}
          inputMode="numeric"
          autoComplete="one-time-code"
          maxLength={6}
          {...form.register('code')}
          error={errors.code?.message}
        />
        {failure ? <Alert tone="error">{failure}</Alert> : null}
        <div className="portal-actions">
          <Button type="submit" variant="primary" busy={isSubmitting} busyLabel={t('stepup.busy')}>
            {t('stepup.submit')}
          </Button>
          <Button busy={passkeyBusy} busyLabel={t('login.passkeyBusy')} onClick={() => void withPasskey()}>
            {t('stepup.passkey')}
          </Button>
        </div>
      </form>
    </section>
  );
}
