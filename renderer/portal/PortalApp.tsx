import { useCallback, useEffect, useState, type ReactNode } from 'react';
import { BrowserRouter, NavLink, Route, Routes, useNavigate } from 'react-router';
import type { PortalMe } from '../../server/contracts/portal';
import { Alert } from '../ui/Alert';
import { Button } from '../ui/Button';
import { loginUrl, portal } from './api';
import { I18nProvider, useI18n } from './i18n';
import { ActivityPage } from './pages/ActivityPage';
import { AppointmentsPage } from './pages/AppointmentsPage';
import { BookingPage } from './pages/booking/BookingPage';
import { LinkPage } from './pages/LinkPage';
import { LoginPage } from './pages/LoginPage';
import { SecurityPage } from './pages/SecurityPage';
import { MessagesPage } from './pages/messages/MessagesPage';
import { QuestionnairesPage } from './pages/questionnaires/QuestionnairesPage';
import { FormsPage } from './pages/forms/FormsPage';
import { BillingPage } from './pages/billing/BillingPage';
import { DocumentsPage } from './pages/billing/DocumentsPage';
import { UploadsPage } from './pages/uploads/UploadsPage';
import { TrackingPage } from './pages/tracking/TrackingPage';
import { SetupPage } from './pages/SetupPage';
import { ReminderPage } from './pages/reminders/ReminderPage';
import { MessagesNavLabel, RefreshUnread, useUnreadTitle } from './unread';

/**
 * The patient portal (served by central under /portal). Sign-in and set-up are open; every other page
 * loads who is signed in first (central already redirected a visit without a session) and signs out after
 * the clinic's idle minutes, as central's session does.
 */
export function PortalApp() {
  return (
    <I18nProvider>
      <BrowserRouter basename="/portal">
        <Routes>
          <Route
            path="/login"
            element={
              <Frame>
                <LoginPage />
              </Frame>
            }
          />
          <Route
            path="/setup"
            element={
              <Frame>
                <SetupPage />
              </Frame>
            }
          />
          <Route
            path="/link"
            element={
              <Frame>
                <LinkPage />
              </Frame>
            }
          />
          <Route
            path="/reminder"
            element={
              <Frame>
                <ReminderPage />
              </Frame>
            }
          />
          <Route path="/activity" element={<SignedIn>{() => <ActivityPage />}</SignedIn>} />
          <Route path="/security" element={<SignedIn>{(me) => <SecurityPage me={me} />}</SignedIn>} />
          <Route path="/messages" element={<SignedIn>{() => <MessagesPage />}</SignedIn>} />
          <Route path="/questionnaires" element={<SignedIn>{() => <QuestionnairesPage />}</SignedIn>} />
          <Route path="/forms" element={<SignedIn>{() => <FormsPage />}</SignedIn>} />
          <Route path="/billing" element={<SignedIn>{(me) => <BillingPage me={me} />}</SignedIn>} />
          <Route path="/documents" element={<SignedIn>{() => <DocumentsPage />}</SignedIn>} />
          <Route path="/uploads" element={<SignedIn>{() => <UploadsPage />}</SignedIn>} />
          <Route path="/tracking" element={<SignedIn>{() => <TrackingPage />}</SignedIn>} />
          <Route path="/book" element={<SignedIn>{() => <BookingPage />}</SignedIn>} />
          <Route path="/appointments" element={<SignedIn>{(me) => <AppointmentsPage me={me} />}</SignedIn>} />
          <Route path="/" element={<SignedIn>{(me) => <AppointmentsPage me={me} />}</SignedIn>} />
          <Route
            path="*"
            element={
              <Frame>
                <NotFound />
              </Frame>
            }
          />
        </Routes>
      </BrowserRouter>
    </I18nProvider>
  );
}

function LanguageSwitch() {
  const { lang, setLang, t } = useI18n();
  const other = lang === 'en' ? 'es' : 'en';
  return (
    <button
      type="button"
      className="portal-lang"
      lang={other}
      onClick={() => setLang(other)}
      aria-label={t('lang.switchLabel')}
    >
      {t('lang.switch')}
    </button>
  );
}

/** Header with the portal's name and the language switch; the page in one column below. */
function Frame({ children, nav }: { children: ReactNode; nav?: ReactNode }) {
  const { t } = useI18n();
  return (
    <div className="portal">
      <header className="portal-header">
        <span className="portal-brand">{t('app.title')}</span>
        <LanguageSwitch />
      </header>
      {nav}
      <main className="portal-main" id="main">
        {children}
      </main>
    </div>
  );
}

function NotFound() {
  const { t } = useI18n();
  return (
    <section className="portal-card">
      <h1 className="portal-title">404</h1>
      <p>
        <a href="/portal/">{t('nav.appointments')}</a>
      </p>
    </section>
  );
}

function SignedIn({ children }: { children: (me: PortalMe) => ReactNode }) {
  const { t, errorText } = useI18n();
  const [me, setMe] = useState<PortalMe | null>(null);
  const [error, setError] = useState<unknown>(null);
  const navigate = useNavigate();
  useEffect(() => {
    let live = true;
    portal('portalMe')
      .then((m) => live && setMe(m))
      .catch((e: unknown) => live && setError(e));
    return () => {
      live = false;
    };
  }, []);
  // A fresh unread count after a page changed it; a failure leaves the badge as it was.
  const refreshUnread = useCallback(() => {
    portal('portalMe')
      .then(setMe)
      .catch(() => undefined);
  }, []);
  useIdleSignOut(me?.idleMinutes ?? null);
  useUnreadTitle(me?.unreadMessages ?? null);
  const signOut = async () => {
    await portal('portalSignOut').catch(() => undefined);
    navigate('/login?reason=signed_out', { replace: true });
  };
  const nav = me ? (
    <nav className="portal-nav" aria-label={t('nav.main')}>
      <NavLink to="/" end>
        {t('nav.appointments')}
      </NavLink>
      <NavLink to="/messages">
        <MessagesNavLabel unread={me.unreadMessages} />
      </NavLink>
      <NavLink to="/questionnaires">{t('nav.questionnaires')}</NavLink>
      <NavLink to="/forms">{t('nav.forms')}</NavLink>
      <NavLink to="/billing">{t('nav.billing')}</NavLink>
      <NavLink to="/documents">{t('nav.documents')}</NavLink>
      <NavLink to="/uploads">{t('nav.uploads')}</NavLink>
      <NavLink to="/tracking">{t('nav.tracking')}</NavLink>
      <NavLink to="/activity">{t('nav.activity')}</NavLink>
      <NavLink to="/security">{t('nav.security')}</NavLink>
      <Button variant="link" onClick={() => void signOut()}>
        {t('nav.signOut')}
      </Button>
    </nav>
  ) : null;
  return (
    <Frame nav={nav}>
      {error ? (
        <Alert tone="error">{errorText(error)}</Alert>
      ) : me ? (
        <RefreshUnread.Provider value={refreshUnread}>{children(me)}</RefreshUnread.Provider>
      ) : (
        <p role="status">{t('common.loading')}</p>
      )}
    </Frame>
  );
}

/** Signs out after the session's idle minutes without a touch, key or scroll (privacy on a shared phone). */
function useIdleSignOut(minutes: number | null) {
  useEffect(() => {
    if (!minutes) return;
    let timer = 0;
    const arm = () => {
      window.clearTimeout(timer);
      timer = window.setTimeout(() => {
        void portal('portalSignOut')
          .catch(() => undefined)
          .finally(() => window.location.assign(loginUrl('idle')));
      }, minutes * 60_000);
    };
    const events = ['pointerdown', 'keydown', 'scroll', 'touchstart'] as const;
    for (const e of events) window.addEventListener(e, arm, { passive: true });
    arm();
    return () => {
      window.clearTimeout(timer);
      for (const e of events) window.removeEventListener(e, arm);
    };
  }, [minutes]);
}
