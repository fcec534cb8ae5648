import { useEffect } from 'react';

export const LEAVE_MESSAGE = 'You have changes that are not saved. Leave this page and lose them?';

/**
 * While `active` (a long form with unsaved changes), leaving asks first: a reload or window close gets the
 * browser's own "leave site?" prompt, and a click on any in-app link is confirmed before the router sees it.
 * Notes do not need this: they autosave.
 */
export function useLeaveGuard(active: boolean, message: string = LEAVE_MESSAGE): void {
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
      if (window.confirm(message)) return;
      event.preventDefault();
      event.stopPropagation();
    };
    window.addEventListener('beforeunload', onBeforeUnload);
    document.addEventListener('click', onClick, true);
    return () => {
      window.removeEventListener('beforeunload', onBeforeUnload);
      document.removeEventListener('click', onClick, true);
    };
  }, [active, message]);
}
