// Metapers' service worker (issue 5, item 7). Served by /metapers/sw.js with a first line
// `const CONFIG = {...}` (mpp/metapers/views_pwa.py): the cache version, the offline page, the
// files to keep from the start and the static URL prefix.
//
// - Metapers pages and scene JSON: stale-while-revalidate (the visitor sees the last copy at
//   once, the network refreshes it for next time); offline, a page never visited gets the
//   offline page, which says what needs a connection.
// - Static files: cache-first when the name carries a content hash (it never changes),
//   stale-while-revalidate otherwise.
// - Never cached: anything but GET (taking a number, sending a chat), the API (tickets, board
//   snapshots), websockets, officers' pages, chats, and any response marked no-store/private.
/* global CONFIG */
const PAGES = `metapers-pages-${CONFIG.version}`;
const STATIC = `metapers-static-${CONFIG.version}`;
const HASHED = /\.[0-9a-f]{12}\.[A-Za-z0-9]+$/;
const NEVER = [/^\/api\//, /^\/ws\//, /^\/admin\//, /\/petugas\//, /\/tanya\//, /\/pesan\.json$/];

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches.open(PAGES).then((cache) => cache.addAll(CONFIG.precache)).then(() => self.skipWaiting()),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys()
      .then((keys) => Promise.all(
        keys.filter((k) => k.startsWith("metapers-") && k !== PAGES && k !== STATIC)
          .map((k) => caches.delete(k)),
      ))
      .then(() => self.clients.claim()),
  );
});

function storable(response) {
  if (!response || !response.ok || response.type !== "basic") return false;
  const control = response.headers.get("Cache-Control") || "";
  return !/no-store|private/i.test(control);
}

async function cacheFirst(request, name) {
  const cached = await caches.match(request, { cacheName: name });
  if (cached) return cached;
  const response = await fetch(request);
  if (storable(response)) (await caches.open(name)).put(request, response.clone());
  return response;
}

function staleWhileRevalidate(event, name, fallback) {
  const { request } = event;
  const network = fetch(request).then(async (response) => {
    if (storable(response)) await (await caches.open(name)).put(request, response.clone());
    return response;
  });
  event.waitUntil(network.then(() => undefined, () => undefined));
  return caches.match(request, { cacheName: name }).then((cached) => {
    if (cached) return cached;
    return network.catch(() => (fallback ? fallback() : Response.error()));
  });
}

const offlinePage = () => caches.match(CONFIG.offline, { cacheName: PAGES })
  .then((r) => r || Response.error());

self.addEventListener("fetch", (event) => {
  const { request } = event;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  const path = url.pathname;
  if (NEVER.some((re) => re.test(path))) {
    if (request.mode === "navigate") event.respondWith(fetch(request).catch(offlinePage));
    return;
  }
  if (path.startsWith(CONFIG.static)) {
    event.respondWith(HASHED.test(path)
      ? cacheFirst(request, STATIC)
      : staleWhileRevalidate(event, STATIC));
    return;
  }
  if (/^\/mal\/[^/]+\/logo\.svg$/.test(path)) { // the mall's logo in every page's header
    event.respondWith(staleWhileRevalidate(event, STATIC));
    return;
  }
  if (path.startsWith(CONFIG.scope)) {
    event.respondWith(staleWhileRevalidate(event, PAGES, request.mode === "navigate" ? offlinePage : null));
  }
});
