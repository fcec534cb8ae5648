import { zodResolver } from '@hookform/resolvers/zod';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { useForm } from 'react-hook-form';
import { z } from 'zod';
import type { PortalMe } from '../../../server/contracts/portal';
import type { PortalPasskey } from '../../../server/contracts/portal/signin';
import { Alert } from '../../ui/Alert';
import { Button } from '../../ui/Button';
import { TextField } from '../../ui/Field';
import { portal } from '../api';
import { useI18n } from '../i18n';
import { createPasskey, PasskeyProblem } from '../signin/passkey';
import { StepUpCard } from '../signin/StepUpCard';

type Factors = { passkeys: PortalPasskey[]; authenticatorApp: boolean };
const schema = z.object({ name: z.string().trim().max(60) });

/**
 * Sign-in methods: the authenticator app and the account's passkeys; add one, remove one (not the last way
 * to sign in). Changing them needs the second factor in this session: after an e-mailed link, the step-up
 * card comes first.
 */
export function SecurityPage({ me }: { me: PortalMe }) {
  const { t, lang, errorText } = useI18n();
  const [factors, setFactors] = useState<Factors | null>(null);
  const [stepped, setStepped] = useState(me.secondFactor);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const form = useForm<z.infer<typeof schema>>({
    resolver: zodResolver(schema),
    defaultValues: { name: '' },
  });
  const load = useCallback(() => {
    portal('portalSecondFactors')
      .then(setFactors)
      .catch((e: unknown) => setError(errorText(e)));
  }, [errorText]);
  useEffect(load, [load]);
  const fail = (err: unknown) => setError(err instanceof PasskeyProblem ? t(err.key) : errorText(err));
  const date = useMemo(() => new Intl.DateTimeFormat(lang, { dateStyle: 'medium' }), [lang]);

  const add = form.handleSubmit(async (v) => {
    setError(null);
    setNotice(null);
    try {
      const { options } = await portal('portalPasskeyAddOptions');
      const passkey = await createPasskey(options);
      await portal('portalPasskeyAdd', { body: { passkey, name: v.name } });
      form.reset();
      setNotice(t('security.addedOk'));
      load();
    } catch (err) {
      fail(err);
    }
  });
  const remove = async (id: string) => {
    setError(null);
    setNotice(null);
    try {
      await portal('portalPasskeyRemove', { params: { id } });
      setNotice(t('security.removedOk'));
      load();
    } catch (err) {
      fail(err);
    }
  };

  return (
    <>
      <section className="portal-card" aria-labelledby="security-title">
        <h1 id="security-title" className="portal-title">
          {t('security.title')}
        </h1>
        <p>{t('security.intro')}</p>
        {notice ? <Alert tone="success">{notice}</Alert> : null}
        {error ? <Alert tone="error">{error}</Alert> : null}
        {!factors && !error ? <p role="status">{t('common.loading')}</p> : null}
        {factors ? (
          <>
            <h2 className="portal-subtitle">{t('security.app')}</h2>
            <p>{factors.authenticatorApp ? t('security.appOn') : t('security.appOff')}</p>
            <h2 className="portal-subtitle">{t('security.passkeys')}</h2>
            {factors.passkeys.length === 0 ? <p>{t('security.none')}</p> : null}
            <ul className="portal-list" aria-label={t('security.passkeys')}>
              {factors.passkeys.map((k) => (
                <li key={k.id} className="portal-activity">
                  <span>
                    <strong>{k.name || t('security.unnamed')}</strong>
                    <br />
                    <span className="portal-muted">
                      {t('security.added', { date: date.format(new Date(k.createdAt)) })},{' '}
                      {k.lastUsedAt
                        ? t('security.used', { date: date.format(new Date(k.lastUsedAt)) })
                        : t('security.neverUsed')}
                    </span>
                  </span>
                  {stepped ? (
                    <Button
                      size="small"
                      aria-label={t('security.removeLabel', { name: k.name || t('security.unnamed') })}
                      onClick={() => void remove(k.id)}
                    >
                      {t('security.remove')}
                    </Button>
                  ) : null}
                </li>
              ))}
            </ul>
          </>
        ) : null}
      </section>
      {stepped ? (
        <section className="portal-card" aria-labelledby="add-title">
          <h2 id="add-title" className="portal-subtitle">
            {t('security.addTitle')}
          </h2>
          <form className="portal-form" noValidate onSubmit={(e) => void add(e)}>
            <TextField
              label={t('security.name')}
              hint={t('security.nameHint')}
              maxLength={60}
              {...form.register('name')}
              error={form.formState.errors.name?.message}
            />
            <Button
              type="submit"
              variant="primary"
              busy={form.formState.isSubmitting}
              busyLabel={t('security.addBusy')}
            >
              {t('security.add')}
            </Button>
          </form>
        </section>
      ) : (
        <StepUpCard
          onDone={() => {
            setStepped(true);
            setNotice(t('stepup.done'));
          }}
        />
      )}
    </>
  );
}
