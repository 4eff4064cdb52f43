// The till's service worker: it keeps the app shell (every file of this build) in the Cache
// Storage, so the till opens with the network off (docs/pos-client.md, "The service worker").
//
// Plain JavaScript, copied into dist/sw.js by vite.config.ts, which fills in the two values
// below: the build's files and a version made from their content-hashed names. A new build is a
// new sw.js (the gateway serves it `no-store`, so the browser sees it at the next load): it
// installs beside the running one, keeps the new files, then takes over and drops old caches.
//
// Only the shell is cached here. The API's answers are never touched (/v1/... goes to the
// network as it is); what the till keeps of its data lives in IndexedDB, written by the app.
const FILES = self.__SHELL_FILES__;
const CACHE = `halopos-pos-shell-${self.__SHELL_VERSION__}`;
const SCOPE = new URL("./", self.location.href).pathname; // "/pos/"

self.addEventListener("install", (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(CACHE);
      // `reload`: past the HTTP cache, so the files kept are this build's.
      await cache.addAll(FILES.map((file) => new Request(file, { cache: "reload" })));
      // The till runs one page, loaded whole at start: the new shell may take over at once.
      await self.skipWaiting();
    })(),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    (async () => {
      for (const name of await caches.keys()) {
        if (name.startsWith("halopos-pos-shell-") && name !== CACHE) await caches.delete(name);
      }
      // The page that installed the worker is served by it from now on, so the very first
      // load is enough for the next one to open offline.
      await self.clients.claim();
    })(),
  );
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin || !url.pathname.startsWith(SCOPE)) return;
  if (request.mode === "navigate") {
    // Every page of the till is the one shell (it routes in the browser): the kept one, so
    // the till opens at once whether or not the network is there; a new build arrives with
    // the new sw.js.
    event.respondWith(
      caches.match(SCOPE, { cacheName: CACHE }).then((kept) => kept ?? fetch(request)),
    );
    return;
  }
  event.respondWith(
    caches.match(request, { cacheName: CACHE, ignoreSearch: true }).then((kept) => kept ?? fetch(request)),
  );
});
