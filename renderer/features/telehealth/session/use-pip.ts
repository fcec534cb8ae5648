import { useCallback, useEffect, useState } from 'react';

interface DocumentPictureInPicture {
  requestWindow(options?: { width?: number; height?: number }): Promise<Window>;
  window: Window | null;
}

function documentPip(): DocumentPictureInPicture | null {
  return (window as unknown as { documentPictureInPicture?: DocumentPictureInPicture }).documentPictureInPicture ?? null;
}

/**
 * Picture-in-picture so the clinician can write the note beside the video. Document Picture-in-Picture
 * (Chromium 116+) moves the whole video stage, controls included, into an always-on-top window (the caller
 * portals into `pipWindow.document.body`); elsewhere the large video alone goes into the browser's video PiP.
 */
export function usePictureInPicture() {
  const [pipWindow, setPipWindow] = useState<Window | null>(null);
  const supported = typeof window !== 'undefined' && (documentPip() !== null || document.pictureInPictureEnabled === true);

  const close = useCallback(() => {
    pipWindow?.close();
    setPipWindow(null);
    if (document.pictureInPictureElement) void document.exitPictureInPicture().catch(() => undefined);
  }, [pipWindow]);

  const open = useCallback(
    async (fallbackVideo: () => HTMLVideoElement | null) => {
      const api = documentPip();
      if (api) {
        const win = await api.requestWindow({ width: 480, height: 320 });
        // The app's stylesheets (all same-origin files under the CSP) go with it.
        for (const link of document.querySelectorAll<HTMLLinkElement>('link[rel="stylesheet"]')) {
          const copy = win.document.createElement('link');
          copy.rel = 'stylesheet';
          copy.href = link.href;
          win.document.head.append(copy);
        }
        for (const style of document.querySelectorAll('style')) win.document.head.append(style.cloneNode(true));
        win.document.body.className = 'pip-body';
        win.addEventListener('pagehide', () => setPipWindow(null), { once: true });
        setPipWindow(win);
        return;
      }
      const video = fallbackVideo();
      if (video && document.pictureInPictureEnabled) await video.requestPictureInPicture();
    },
    [],
  );

  useEffect(() => () => pipWindow?.close(), [pipWindow]);
  return { supported, pipWindow, open, close };
}
