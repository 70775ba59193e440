// Keeps "check a certificate" ready on staff phones for a day with no network: the page
// itself, the public keys (JWKS) and the last list of revoked serials, in one cache of their
// own. Loaded by staff.js only, so learners' phones never keep them. The service worker
// opens the kept page when the network is gone (sw.js).
export const CHECK_CACHE = 'hue-staff-check';
export const CHECK_URLS = {
  page: '/certificates/check',
  keys: '/.well-known/jwks.json',
  revoked: '/certificates/revocations.json',
};
const FRESH_MS = 15 * 60 * 1000; // other staff pages refresh the copy at most this often

/** Fetch and keep each URL; a failed one keeps its older copy. */
export async function refresh(urls = Object.values(CHECK_URLS)) {
  const cache = await caches.open(CHECK_CACHE);
  await Promise.all(urls.map(async (url) => {
    try {
      const response = await fetch(url, { credentials: 'same-origin', cache: 'no-store' });
      if (response.ok) await cache.put(url, response);
    } catch { /* offline: the kept copy stays */ }
  }));
}

/** The kept JSON of `url`, or null. */
export async function kept(url) {
  if (!('caches' in window)) return null;
  const response = await (await caches.open(CHECK_CACHE)).match(url);
  if (!response) return null;
  try { return await response.json(); } catch { return null; }
}

/** On any staff page: bring the copy up to date when it is missing or older than FRESH_MS. */
export async function keepCheckReady() {
  if (!('caches' in window) || !navigator.onLine) return;
  const cache = await caches.open(CHECK_CACHE);
  const list = await kept(CHECK_URLS.revoked);
  const page = await cache.match(CHECK_URLS.page);
  const age = list ? Date.now() - Date.parse(list.generated_at) : Infinity;
  if (page && age < FRESH_MS) return;
  await refresh();
}
