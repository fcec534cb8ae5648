import { zodResolver } from '@hookform/resolvers/zod';
import { useMemo, useState } from 'react';
import { useForm } from 'react-hook-form';
import { z } from 'zod';
import { Alert } from '../../ui/Alert';
import { Button } from '../../ui/Button';
import { TextField } from '../../ui/Field';
import { portal } from '../api';
import { useI18n, type Translate } from '../i18n';

const schemaFor = (t: Translate) =>
  z.object({
    email: z
      .string()
      .trim()
      .pipe(z.email(t('err.email'))),
  });
type Values = z.infer<ReturnType<typeof schemaFor>>;

/**
 * "E-mail me a sign-in link": central answers the same whether or not the address has an account, so the
 * page says "if this address has portal access" rather than "sent".
 */
export function SignInLinkForm() {
  const { t, errorText } = useI18n();
  const schema = useMemo(() => schemaFor(t), [t]);
  const [sent, setSent] = useState<number | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const form = useForm<Values>({ resolver: zodResolver(schema), defaultValues: { email: '' } });
  const { errors, isSubmitting } = form.formState;
  const onSubmit = form.handleSubmit(async (v) => {
    setFailure(null);
    setSent(null);
    try {
      const r = await portal('portalSignInLinkRequest', { body: v });
      setSent(r.minutes);
    } catch (err) {
      setFailure(errorText(err));
    }
  });
  return (
    <div className="portal-form">
      <h2 id="link-request-title" className="portal-subtitle">
        {t('login.linkTitle')}
      </h2>
      <p className="portal-help">{t('login.linkHelp')}</p>
      <form className="portal-form" noValidate onSubmit={(e) => void onSubmit(e)}>
        <TextField
          label={t('login.linkEmail')}
          type="email"
          autoComplete="username"
          inputMode="email"
          {...form.register('email')}
          error={errors.email?.message}
        />
        {sent !== null ? <Alert tone="success">{t('login.linkSent', { minutes: sent })}</Alert> : null}
        {failure ? <Alert tone="error">{failure}</Alert> : null}
        <Button type="submit" busy={isSubmitting} busyLabel={t('login.linkBusy')}>
          {t('login.linkSubmit')}
        </Button>
      </form>
    </div>
  );
}
