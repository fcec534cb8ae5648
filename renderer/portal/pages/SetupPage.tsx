import { zodResolver } from '@hookform/resolvers/zod';
import QRCode from 'qrcode';
import { useEffect, useMemo, useState } from 'react';
import { useForm } from 'react-hook-form';
import { z } from 'zod';
import { Alert } from '../../ui/Alert';
import { Button } from '../../ui/Button';
import { TextField } from '../../ui/Field';
import { portal, PortalError } from '../api';
import { useI18n, type Translate } from '../i18n';
import { createPasskey, PasskeyProblem } from '../signin/passkey';

const schemaFor = (t: Translate) =>
  z
    .object({
      password: z.string().min(12, t('err.passwordShort')).max(200),
      confirm: z.string(),
      code: z
        .string()
        .trim()
        .regex(/^\d{6}$/, t('err.code')),
    })
    .refine((v) => v.password === v.confirm, { path: ['confirm'], message: t('err.passwordMatch') });
type Values = z.infer<ReturnType<typeof schemaFor>>;

interface Invitation {
  clinicName: string;
  kind: 'self' | 'proxy';
  totpSecret: string;
  qr: string;
}

/** The invitation token is in the link's fragment (#t=…): it never reaches a server log. */
const tokenFromHash = () => new URLSearchParams(window.location.hash.slice(1)).get('t');

export function SetupPage() {
  const { t, errorText } = useI18n();
  const [token] = useState(tokenFromHash);
  const [invitation, setInvitation] = useState<Invitation | null>(null);
  const [problem, setProblem] = useState<string | null>(token ? null : t('setup.noToken'));
  const [failure, setFailure] = useState<string | null>(null);
  const schema = useMemo(() => schemaFor(t), [t]);
  const form = useForm<Values>({
    resolver: zodResolver(schema),
    defaultValues: { password: '', confirm: '', code: '' },
  });
  const { errors, isSubmitting } = form.formState;
  const [passkeyBusy, setPasskeyBusy] = useState(false);

  useEffect(() => {
    if (!token) return;
    // The token stays in memory only: the address bar no longer shows it.
    window.history.replaceState(null, '', '/portal/setup');
    let live = true;
    portal('portalSetupBegin', { body: { token } })
      .then(async (r) => {
        const svg = await QRCode.toString(r.totpUri, { type: 'svg', margin: 1, errorCorrectionLevel: 'M' });
        if (live) setInvitation({ ...r, qr: `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}` });
      })
      .catch((e: unknown) => live && setProblem(errorText(e)));
    return () => {
      live = false;
    };
    // errorText changes with the language; the link is opened once.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [token]);

  const onSubmit = form.handleSubmit(async (v) => {
    setFailure(null);
    try {
      await portal('portalSetupComplete', { body: { token: token!, password: v.password, code: v.code } });
      window.location.assign('/portal/');
    } catch (err) {
      // Central's sentences sit next to their fields; the code's in the patient's language.
      if (err instanceof PortalError && err.fields.code)
        form.setError('code', { message: t('err.code') }, { shouldFocus: true });
      else if (err instanceof PortalError && err.fields.password)
        form.setError('password', { message: err.fields.password }, { shouldFocus: true });
      else setFailure(errorText(err));
    }
  });

  /** The passkey instead of the app: the password is checked here, the code is not needed. */
  const withPasskey = async () => {
    setFailure(null);
    form.clearErrors('code');
    if (!(await form.trigger(['password', 'confirm']))) return;
    setPasskeyBusy(true);
    try {
      const { options } = await portal('portalSetupPasskeyOptions', { body: { token: token! } });
      const passkey = await createPasskey(options);
      await portal('portalSetupComplete', {
        body: { token: token!, password: form.getValues('password'), passkey },
      });
      window.location.assign('/portal/');
    } catch (err) {
      if (err instanceof PasskeyProblem) setFailure(t(err.key));
      else if (err instanceof PortalError && err.fields.password)
        form.setError('password', { message: err.fields.password }, { shouldFocus: true });
      else setFailure(errorText(err));
    } finally {
      setPasskeyBusy(false);
    }
  };

  if (problem) {
    return (
      <section className="portal-card" aria-labelledby="setup-title">
        <h1 id="setup-title" className="portal-title">
          {t('setup.title')}
        </h1>
        <Alert tone="error">{problem}</Alert>
      </section>
    );
  }
  if (!invitation) return <p role="status">{t('setup.loading')}</p>;
  return (
    <section className="portal-card" aria-labelledby="setup-title">
      <h1 id="setup-title" className="portal-title">
        {t('setup.title')}
      </h1>
      <p>
        {t(invitation.kind === 'proxy' ? 'setup.proxyIntro' : 'setup.intro', {
          clinic: invitation.clinicName,
        })}
      </p>
      <form className="portal-form" noValidate onSubmit={(e) => void onSubmit(e)}>
        <h2 className="portal-subtitle">{t('setup.step1')}</h2>
        <TextField
          label={t('setup.password')}
          hint={t('setup.passwordHint')}
          type="password"
          autoComplete="new-password"
          {...form.register('password')}
          error={errors.password?.message}
        />
        <TextField
          label={t('setup.confirm')}
          type="password"
          autoComplete="new-password"
          {...form.register('confirm')}
          error={errors.confirm?.message}
        />
        <h2 className="portal-subtitle">{t('setup.step2')}</h2>
        <p>{t('setup.step2Help')}</p>
        <img className="portal-qr" src={invitation.qr} alt={t('setup.qrAlt')} width={180} height={180} />
        <p className="portal-key">
          {t('setup.key')}: <code data-testid="totp-key">{invitation.totpSecret}</code>
        </p>
        <TextField
          label={t('setup.code')}
          inputMode="numeric"
          autoComplete="one-time-code"
          maxLength={6}
          {...form.register('code')}
          error={errors.code?.message}
        />
        {failure ? <Alert tone="error">{failure}</Alert> : null}
        <Button type="submit" variant="primary" busy={isSubmitting} busyLabel={t('setup.busy')}>
          {t('setup.submit')}
        </Button>
        <h2 className="portal-subtitle">{t('setup.orPasskey')}</h2>
        <p>{t('setup.passkeyHelp')}</p>
        <Button busy={passkeyBusy} busyLabel={t('setup.passkeyBusy')} onClick={() => void withPasskey()}>
          {t('setup.passkeySubmit')}
        </Button>
      </form>
    </section>
  );
}
