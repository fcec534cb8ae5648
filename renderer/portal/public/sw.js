/* global self, caches, fetch, URL, Response */
/*
 * The portal's service worker: caches the app shell (the page, its scripts, styles and icons) so the
 * portal installs and opens quickly. It never caches the API (/v1/…) or anything outside /portal/, and
 * never a redirect or an error: patient data is only ever fetched from central, live.
 */
const CACHE = 'tessera-portal-shell-v1';
const SHELL = ['/portal/login', '/portal/manifest.webmanifest', '/portal/icon.svg'];

self.addEventListener('install', (event) => {
  event.waitUntil(
    caches
      .open(CACHE)
      .then((c) => c.addAll(SHELL))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) => Promise.all(keys.filter((k) => k !== CACHE).map((k) => caches.delete(k))))
      .then(() => self.clients.claim()),
  );
});

const isShellAsset = (url) =>
  url.origin === self.location.origin &&
  url.pathname.startsWith('/portal/') &&
  (url.pathname.startsWith('/portal/assets/') || SHELL.includes(url.pathname));

self.addEventListener('fetch', (event) => {
  const req = event.request;
  if (req.method !== 'GET') return;
  const url = new URL(req.url);
  if (url.origin !== self.location.origin || !url.pathname.startsWith('/portal/')) return; // the API included
  if (req.mode === 'navigate') {
    // Pages: always the network (central decides about the session); offline, the cached shell.
    event.respondWith(
      fetch(req).catch(() => caches.match('/portal/login').then((r) => r || Response.error())),
    );
    return;
  }
  if (!isShellAsset(url)) return;
  // Hashed assets: cache first, filled on first use; only plain successful answers are kept.
  event.respondWith(
    caches.match(req).then(
      (hit) =>
        hit ||
        fetch(req).then((res) => {
          if (res.ok && res.type === 'basic') {
            const copy = res.clone();
            void caches.open(CACHE).then((c) => c.put(req, copy));
          }
          return res;
        }),
    ),
  );
});
