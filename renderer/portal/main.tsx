import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import '../ui/styles.css';
import './portal.css';
import { PortalApp } from './PortalApp';

// The patient portal: its own Vite entry (vite.portal.config.ts), served by central from dist/portal/ under
// /portal. The service worker caches the app shell only (never the API), so the portal installs as an app.
const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');
createRoot(root).render(
  <StrictMode>
    <PortalApp />
  </StrictMode>,
);

if ('serviceWorker' in navigator) {
  window.addEventListener('load', () => {
    navigator.serviceWorker.register('/portal/sw.js', { scope: '/portal/' }).catch(() => {
      // Installing is a convenience; the portal works without it.
    });
  });
}
