import { createContext, useContext, useEffect } from 'react';
import { useI18n } from './i18n';

/**
 * The unread-messages badge: the count comes with who is signed in (portalMe, read on every page), and a
 * page that changes it (opening a conversation marks the care team's messages read) asks for a fresh count.
 */
export const RefreshUnread = createContext<() => void>(() => undefined);
export const useRefreshUnread = () => useContext(RefreshUnread);

/** "Messages" with the count as text (a number and, for screen readers, the word), never colour alone. */
export function MessagesNavLabel({ unread }: { unread: number }) {
  const { t } = useI18n();
  return (
    <>
      {t('nav.messages')}
      {unread > 0 ? (
        <span className="portal-nav-count" data-testid="portal-unread-badge">
          {unread}
          <span className="visually-hidden"> {t('nav.unread')}</span>
        </span>
      ) : null}
    </>
  );
}

/** The browser tab says "(2) Patient portal" while there are unread messages, so a background tab shows it. */
export function useUnreadTitle(unread: number | null) {
  const { t } = useI18n();
  useEffect(() => {
    const base = t('app.title');
    document.title = unread ? `(${unread}) ${base}` : base;
  }, [unread, t]);
}
