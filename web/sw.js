// BrainPlay's service worker: after one visit the whole course works offline.
//
// `cargo xtask dist` writes the build's file list and a version (a hash of the files) into this
// script. Installing caches every file of the build under that version; every request of the
// site is then answered from the cache of the version in charge (a page is the app, index.html),
// so a visit never mixes the files of two builds. A new build installs beside the old one and
// takes over on the next visit, when no page of the old one is open; the old cache is removed.

const VERSION = "__BRAINPLAY_VERSION__";
const FILES = __BRAINPLAY_FILES__;
const CACHE = `brainplay-${VERSION}`;

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(FILES)));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) =>
        Promise.all(
          keys
            .filter((key) => key.startsWith("brainplay-") && key !== CACHE)
            .map((key) => caches.delete(key)),
        ),
      )
      .then(() => self.clients.claim()),
  );
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET" || new URL(request.url).origin !== self.location.origin) {
    return;
  }
  const app = new URL("index.html", self.registration.scope).href;
  const wanted = request.mode === "navigate" ? app : request;
  event.respondWith(
    caches
      .open(CACHE)
      .then((cache) => cache.match(wanted, { ignoreSearch: request.mode === "navigate" }))
      .then((hit) => hit || fetch(request)),
  );
});
