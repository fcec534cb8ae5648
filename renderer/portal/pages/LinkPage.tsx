import { useEffect, useState } from 'react';
import { Alert } from '../../ui/Alert';
import { portal } from '../api';
import { useI18n } from '../i18n';

/** The token of an e-mailed sign-in link is in the fragment (#t=…): it never reaches a server log. */
const tokenFromHash = () => new URLSearchParams(window.location.hash.slice(1)).get('t');

/**
 * Opening an e-mailed sign-in link: central uses it up and starts a session without second factor (the
 * security page and other step-up entries will ask for the code or passkey), then the appointments page.
 */
export function LinkPage() {
  const { t, errorText } = useI18n();
  const [token] = useState(tokenFromHash);
  const [problem, setProblem] = useState<string | null>(token ? null : t('link.noToken'));
  useEffect(() => {
    if (!token) return;
    window.history.replaceState(null, '', '/portal/link');
    portal('portalSignInWithLink', { body: { token } })
      .then(() => window.location.assign('/portal/'))
      .catch((e: unknown) => setProblem(errorText(e)));
    // The link is opened once; errorText follows the language.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [token]);
  return (
    <section className="portal-card" aria-labelledby="link-title">
      <h1 id="link-title" className="portal-title">
        {t('link.title')}
      </h1>
      {problem ? (
        <>
          <Alert tone="error">{problem}</Alert>
          <p>
            <a href="/portal/login">{t('link.signIn')}</a>
          </p>
        </>
      ) : (
        <p role="status">{t('link.busy')}</p>
      )}
    </section>
  );
}
