// Service worker: lessons and the app shell precached per language, keyed by a hash of the
// content release and the static files. A new release is downloaded into a new cache beside
// the old one (cache.addAll is all-or-nothing) and the pointer switches only when it is
// complete, so an old cache never mixes with a new one. Both offline queues, the learners'
// outbox and the households' changes, are sent by Background Sync where the browser has it
// (each queue has its own tag), so they go out even after the page is closed.
import { households } from '/static/js/households-queue.js';
import { outbox } from '/static/js/outbox.js';

const QUEUES = { [outbox.tag]: outbox, [households.tag]: households };

const META = 'hue-meta';
const NARRATION = 'hue-narration'; // recordings cached when their lesson opens (narration.js)
const PREFIX = 'hue-content-';
// A staff member's offline shell and scripts (never in the learners' caches): one cache for
// the account signed in last, forgotten on sign-out.
const STAFF_CACHE = 'hue-staff';
const STAFF_POINTER = '/__pointer/staff';
const SHELL_FRESH_MS = 10 * 60 * 1000; // the shell is fetched again at most this often
const STAFF_PAGES = /^\/(households|learners)(\/|$)/;

async function readPointer(lang) {
  const meta = await caches.open(META);
  const response = await meta.match(`/__pointer/${lang}`);
  return response ? response.json() : null;
}

async function writePointer(lang, pointer) {
  const meta = await caches.open(META);
  await meta.put(`/__pointer/${lang}`, new Response(JSON.stringify(pointer), {
    headers: { 'Content-Type': 'application/json' },
  }));
}

async function currentCaches() {
  const names = [];
  for (const lang of ['vi', 'en']) {
    const pointer = await readPointer(lang);
    if (pointer) names.push(pointer.cache);
  }
  return names;
}

const updating = {};

/** Make sure the cache for `lang` matches the server's release; returns the pointer. */
async function updateContent(lang) {
  if (updating[lang]) return updating[lang];
  updating[lang] = (async () => {
    const response = await fetch(`/offline/${lang}/precache.json`, { cache: 'no-store' });
    if (!response.ok) throw new Error(`precache list: ${response.status}`);
    const manifest = await response.json();
    const name = PREFIX + lang + '-' + manifest.cache_key;
    const current = await readPointer(lang);
    if (current && current.cache === name) return current;
    await caches.delete(name); // a half-built cache from an interrupted attempt
    const cache = await caches.open(name);
    try {
      await cache.addAll(manifest.urls.map((url) => new Request(url, { credentials: 'same-origin', cache: 'reload' })));
    } catch (error) {
      await caches.delete(name);
      throw error;
    }
    const pointer = { cache: name, content_hash: manifest.content_hash, lang, at: Date.now() };
    await writePointer(lang, pointer);
    for (const old of await caches.keys()) {
      if (old.startsWith(PREFIX + lang + '-') && old !== name) await caches.delete(old);
    }
    await broadcast({ type: 'content-ready', lang, content_hash: manifest.content_hash });
    return pointer;
  })().finally(() => { delete updating[lang]; });
  return updating[lang];
}

async function readStaffPointer() {
  const response = await (await caches.open(META)).match(STAFF_POINTER);
  return response ? response.json() : null;
}

let updatingStaff = null;

/** Cache the staff member's shell and scripts (again when the scripts changed). */
function updateStaff(account) {
  if (updatingStaff) return updatingStaff;
  updatingStaff = (async () => {
    const response = await fetch('/offline/staff/precache.json', { cache: 'no-store', credentials: 'same-origin' });
    if (!response.ok) throw new Error(`staff precache list: ${response.status}`);
    const manifest = await response.json();
    if (manifest.account !== account) return;
    const current = await readStaffPointer();
    const fresh = new Request(manifest.shell, { credentials: 'same-origin', cache: 'reload' });
    const cache = await caches.open(STAFF_CACHE);
    const pointer = (at) => new Response(JSON.stringify({
      account, cache_key: manifest.cache_key, shell: manifest.shell, shell_at: at,
    }), { headers: { 'Content-Type': 'application/json' } });
    if (current && current.account === account && current.cache_key === manifest.cache_key) {
      if (Date.now() - (current.shell_at || 0) < SHELL_FRESH_MS && await cache.match(manifest.shell)) return;
      await cache.add(fresh); // the shell alone (its words follow the page's language)
      await (await caches.open(META)).put(STAFF_POINTER, pointer(Date.now()));
      return;
    }
    await caches.delete(STAFF_CACHE);
    const rebuilt = await caches.open(STAFF_CACHE);
    await rebuilt.addAll([fresh, ...manifest.urls.filter((url) => url !== manifest.shell)
      .map((url) => new Request(url, { credentials: 'same-origin', cache: 'reload' }))]);
    await (await caches.open(META)).put(STAFF_POINTER, pointer(Date.now()));
  })().finally(() => { updatingStaff = null; });
  return updatingStaff;
}

async function forgetStaff() {
  await caches.delete(STAFF_CACHE);
  await (await caches.open(META)).delete(STAFF_POINTER);
}

/** The cached shell for a staff page opened without network, or null. */
async function staffShell() {
  const pointer = await readStaffPointer();
  if (!pointer) return null;
  return (await caches.open(STAFF_CACHE)).match(pointer.shell);
}

async function broadcast(message) {
  for (const client of await self.clients.matchAll({ includeUncontrolled: true })) client.postMessage(message);
}

self.addEventListener('install', () => self.skipWaiting());
self.addEventListener('activate', (event) => event.waitUntil(self.clients.claim()));

self.addEventListener('message', (event) => {
  const data = event.data || {};
  if (data.type === 'update-content' && (data.lang === 'vi' || data.lang === 'en')) {
    event.waitUntil(updateContent(data.lang).then(
      (pointer) => event.source && event.source.postMessage({ type: 'content-status', ok: true, ...pointer }),
      (error) => event.source && event.source.postMessage({ type: 'content-status', ok: false, error: String(error) }),
    ));
  } else if (data.type === 'update-staff' && Number.isInteger(data.account)) {
    event.waitUntil(updateStaff(data.account).catch((error) => console.warn('staff shell not cached', error)));
  } else if (data.type === 'forget-staff') {
    event.waitUntil(forgetStaff());
  } else if (data.type === 'flush') {
    event.waitUntil(Promise.all(Object.values(QUEUES).map((queue) => queue.flush())));
  }
});

/** Send one queue; fail the sync event when the network failed, so the browser tries again. */
async function syncQueue(queue) {
  const outcome = await queue.flush();
  // Signed out: trying again would not help; the next page after signing in sends it.
  if (!outcome.ok && outcome.reason !== 'signed_out') {
    throw new Error(`${queue.name} not sent: ${outcome.reason}`);
  }
}

self.addEventListener('sync', (event) => {
  const queue = QUEUES[event.tag];
  if (queue) event.waitUntil(syncQueue(queue));
});

async function fromCaches(request) {
  // Everything in a content cache belongs to one release, so the ?v= of static files and
  // practice codes need not match (modules import each other without it).
  for (const name of [...await currentCaches(), STAFF_CACHE]) {
    const cache = await caches.open(name);
    const hit = await cache.match(request, { ignoreSearch: true });
    if (hit) return hit;
  }
  return null;
}

function offlineFallbackLang(url) {
  const match = url.pathname.match(/^\/learn\/(vi|en)\//);
  return match ? match[1] : 'vi';
}

/** A cached recording, cut to the byte range an <audio> element asks for (206). */
async function narrationAudio(request) {
  const hit = await (await caches.open(NARRATION)).match(request.url);
  if (!hit) return fetch(request);
  const range = /^bytes=(\d*)-(\d*)$/.exec(request.headers.get('Range') || '');
  if (!range) return hit;
  const body = await hit.arrayBuffer();
  const size = body.byteLength;
  const start = range[1] === '' ? Math.max(0, size - Number(range[2])) : Number(range[1]);
  let end = range[1] !== '' && range[2] !== '' ? Math.min(Number(range[2]), size - 1) : size - 1;
  if (start >= size) return new Response(null, { status: 416, headers: { 'Content-Range': `bytes */${size}` } });
  if (end < start) end = start;
  return new Response(body.slice(start, end + 1), {
    status: 206,
    headers: {
      'Content-Type': hit.headers.get('Content-Type') || 'audio/webm',
      'Content-Range': `bytes ${start}-${end}/${size}`,
      'Content-Length': String(end - start + 1),
      'Accept-Ranges': 'bytes',
    },
  });
}

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin || url.pathname.startsWith('/api/')) return;
  if (url.pathname.startsWith('/narration/audio/') || url.pathname.startsWith('/narration/shipped/')) {
    event.respondWith(narrationAudio(request));
    return;
  }
  const precached = url.pathname.startsWith('/learn/') || url.pathname.startsWith('/static/');
  if (precached) {
    // Cache first: lesson pages and assets are versioned by the release the cache was built for.
    event.respondWith(fromCaches(request).then((hit) => hit || fetch(request)));
    return;
  }
  if (request.mode === 'navigate' && STAFF_PAGES.test(url.pathname)) {
    // Households and learners: fresh from the network; without an answer, the shell that
    // draws them from the ward copy on the phone.
    event.respondWith(fetch(request).catch(async () => (await staffShell()) ||
      (await fromCaches(new Request('/learn/vi/'))) ||
      new Response('Offline', { status: 503, headers: { 'Content-Type': 'text/plain; charset=utf-8' } })));
    return;
  }
  if (request.mode === 'navigate') {
    // Other pages (home, sign-in, staff pages) come fresh from the network; offline, the
    // lesson catalogue opens instead so the learner can keep practising, and "My progress"
    // opens from the copy kept on the phone.
    event.respondWith(fetch(request).catch(async () => {
      const lang = offlineFallbackLang(url);
      // "Check a certificate" opens from the copy kept on staff phones (staff/check-cache.js).
      if (url.pathname === '/certificates/check') {
        const kept = await (await caches.open('hue-staff-check')).match('/certificates/check');
        if (kept) return kept;
      }
      // "My progress" opens from the copy the phone kept (it says it is a copy, and how old).
      if (url.pathname === '/progress/') {
        for (const code of [lang, lang === 'vi' ? 'en' : 'vi']) {
          const saved = await fromCaches(new Request(`/learn/${code}/my-progress`));
          if (saved) return saved;
        }
      }
      return (await fromCaches(new Request(`/learn/${lang}/`))) ||
        new Response('Offline', { status: 503, headers: { 'Content-Type': 'text/plain; charset=utf-8' } });
    }));
  }
});
