import { useEffect, type ReactNode } from 'react';
import { useNavigate } from 'react-router';
import { useConfirm } from './ConfirmDialog';

export const LEAVE_MESSAGE = 'You have changes that are not saved. If you leave this page, they are lost.';

/**
 * While `active` (a long form with unsaved changes), leaving asks first: a reload or window close gets the
 * browser's own "leave site?" prompt (in the desktop app, main's Leave / Stay dialog), and a click on any
 * in-app link is held and asked about in the app's dialog ("Leave page" / "Stay on this page") before the
 * router sees it. Render the returned element. Notes do not need this: they autosave.
 */
export function useLeaveGuard(active: boolean, message: string = LEAVE_MESSAGE): ReactNode {
  const [dialog, confirm] = useConfirm();
  const navigate = useNavigate();
  useEffect(() => {
    if (!active) return;
    const onBeforeUnload = (event: BeforeUnloadEvent) => {
      event.preventDefault();
      // Older engines (and Electron) look at returnValue.
      event.returnValue = '';
    };
    // Capture phase on the document runs before React Router's link handler on the app root.
    const onClick = (event: MouseEvent) => {
      if (event.defaultPrevented || event.button !== 0) return;
      if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
      const target = event.target instanceof Element ? event.target : null;
      const link = target?.closest<HTMLAnchorElement>('a[href]');
      if (!link || link.target === '_blank' || link.hasAttribute('download')) return;
      const url = new URL(link.href, window.location.href);
      if (url.origin !== window.location.origin) return;
      event.preventDefault();
      event.stopPropagation();
      void confirm({
        title: 'Leave this page?',
        message,
        confirmLabel: 'Leave page',
        cancelLabel: 'Stay on this page',
        danger: true,
      }).then((leave) => {
        if (leave) void navigate(`${url.pathname}${url.search}${url.hash}`);
      });
    };
    window.addEventListener('beforeunload', onBeforeUnload);
    document.addEventListener('click', onClick, true);
    return () => {
      window.removeEventListener('beforeunload', onBeforeUnload);
      document.removeEventListener('click', onClick, true);
    };
  }, [active, message, confirm, navigate]);
  return dialog;
}
