import { zodResolver } from '@hookform/resolvers/zod';
import { useMemo, useState } from 'react';
import { useForm } from 'react-hook-form';
import { useSearchParams } from 'react-router';
import { z } from 'zod';
import { Alert } from '../../ui/Alert';
import { Button } from '../../ui/Button';
import { TextField } from '../../ui/Field';
import { portal, safeRedirect } from '../api';
import { useI18n, type Translate } from '../i18n';
import { answerWithPasskey, PasskeyProblem } from '../signin/passkey';
import { SignInLinkForm } from '../signin/SignInLinkForm';

const schemaFor = (t: Translate) =>
  z.object({
    email: z
      .string()
      .trim()
      .pipe(z.email(t('err.email'))),
    password: z.string().min(1, t('err.password')),
    code: z
      .string()
      .trim()
      .regex(/^\d{6}$/, t('err.code')),
  });
type Values = z.infer<ReturnType<typeof schemaFor>>;

export function LoginPage() {
  const { t, errorText } = useI18n();
  const [params] = useSearchParams();
  const reason = params.get('reason');
  const schema = useMemo(() => schemaFor(t), [t]);
  const [failure, setFailure] = useState<string | null>(null);
  const form = useForm<Values>({
    resolver: zodResolver(schema),
    defaultValues: { email: '', password: '', code: '' },
  });
  const { errors, isSubmitting } = form.formState;
  const [passkeyBusy, setPasskeyBusy] = useState(false);
  /** Password + passkey instead of password + code: the e-mail and password are checked first. */
  const withPasskey = async () => {
    setFailure(null);
    form.clearErrors('code');
    if (!(await form.trigger(['email', 'password']))) {
      setFailure(t('login.passkeyNeeds'));
      return;
    }
    setPasskeyBusy(true);
    try {
      const passkey = await answerWithPasskey();
      const { email, password } = form.getValues();
      await portal('portalPasskeySignIn', { body: { email, password, passkey } });
      window.location.assign(safeRedirect(params.get('redirect')));
    } catch (err) {
      setFailure(err instanceof PasskeyProblem ? t(err.key) : errorText(err));
    } finally {
      setPasskeyBusy(false);
    }
  };
  const onSubmit = form.handleSubmit(async (v) => {
    setFailure(null);
    try {
      await portal('portalSignIn', { body: v });
      window.location.assign(safeRedirect(params.get('redirect')));
    } catch (err) {
      form.resetField('code');
      setFailure(errorText(err));
    }
  });
  const notice =
    reason === 'no_session'
      ? t('login.noSession')
      : reason === 'idle'
        ? t('login.idle')
        : reason === 'signed_out'
          ? t('login.signedOut')
          : null;
  return (
    <section className="portal-card" aria-labelledby="login-title">
      <h1 id="login-title" className="portal-title">
        {t('login.title')}
      </h1>
      {notice ? <Alert tone="info">{notice}</Alert> : null}
      <form className="portal-form" noValidate onSubmit={(e) => void onSubmit(e)}>
        <TextField
          label={t('login.email')}
          type="email"
          autoComplete="username"
          inputMode="email"
          {...form.register('email')}
          error={errors.email?.message}
        />
        <TextField
          label={t('login.password')}
          type="password"
          autoComplete="current-password"
          {...form.register('password')}
          error={errors.password?.message}
        />
        <TextField
          label={t('login.code')}
          hint={t('login.codeHint')}
          inputMode="numeric"
          autoComplete="one-time-code"
          maxLength={6}
          {...form.register('code')}
          error={errors.code?.message}
        />
        {failure ? <Alert tone="error">{failure}</Alert> : null}
        <div className="portal-actions">
          <Button type="submit" variant="primary" busy={isSubmitting} busyLabel={t('login.busy')}>
            {t('login.submit')}
          </Button>
          <Button busy={passkeyBusy} busyLabel={t('login.passkeyBusy')} onClick={() => void withPasskey()}>
            {t('login.orPasskey')}
          </Button>
        </div>
      </form>
      <p className="portal-help">{t('login.help')}</p>
      <SignInLinkForm />
    </section>
  );
}
