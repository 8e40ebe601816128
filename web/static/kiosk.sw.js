// SIPAS kiosk service worker (scope /kiosk). It keeps the kiosk shell in
// the Cache API so that the tablet opens the kiosk with no network. It
// never touches answers: those live in the page's IndexedDB queue, and
// requests to /api/ pass straight through.
'use strict';

const CACHE = 'sipas-kiosk-__VERSION__';
const SHELL = [
  '/kiosk',
  '/kiosk/app.js',
  '/kiosk/app.css',
  '/kiosk/manifest.webmanifest',
  '/static/favicon.svg',
];

self.addEventListener('install', (event) => {
  event.waitUntil(
    caches.open(CACHE)
      .then((cache) => cache.addAll(SHELL.map((u) => new Request(u, { cache: 'reload' }))))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches.keys()
      .then((keys) => Promise.all(keys
        .filter((k) => k.startsWith('sipas-kiosk-') && k !== CACHE)
        .map((k) => caches.delete(k))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener('fetch', (event) => {
  const req = event.request;
  if (req.method !== 'GET') {
    return;
  }
  const url = new URL(req.url);
  if (url.origin !== self.location.origin || !SHELL.includes(url.pathname)) {
    return; // the enrolment page and the API: network only
  }
  event.respondWith(fromCache(url.pathname, event));
});

// fromCache answers from the cache at once (a shaky Wi-Fi must not slow
// the kiosk down) and refreshes the cached copy in the background
// (stale-while-revalidate); with nothing cached yet it goes to the network.
async function fromCache(key, event) {
  const cache = await caches.open(CACHE);
  const hit = await cache.match(key, { ignoreSearch: true });
  const update = fetch(key, { cache: 'no-cache' }).then((res) => {
    if (res.ok) {
      return cache.put(key, res.clone()).then(() => res);
    }
    return res;
  });
  if (hit) {
    event.waitUntil(update.catch(() => undefined));
    return hit;
  }
  return update;
}
