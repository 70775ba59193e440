// Sending queued items to the server, the same way for every queue (no DOM here): one batch as
// a POST, the server's answer sorted per item, one flush at a time, waits that grow after
// each failure. Used by queue.js, in pages and in the service worker.

const TIMEOUT_MS = 30000;

/**
 * POST `{[key]: items}` to `url`. Resolves (never rejects) with `{results}` when the server
 * answered per item, else `{failure, status}`: `offline` (no network, or no answer in time),
 * `signed_out` (401/403: nobody, or the wrong person, is signed in), `server` (5xx, 429, a
 * body that is not an answer: worth another try later) or `refused` (the batch as a whole,
 * e.g. 413: sending the same again would not help).
 */
export async function postBatch(url, key, items, timeoutMs = TIMEOUT_MS) {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  try {
    const response = await fetch(url, {
      method: 'POST',
      credentials: 'same-origin',
      cache: 'no-store',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify({ [key]: items }),
      signal: controller.signal,
    });
    const { status } = response;
    if (status === 401 || status === 403) return { failure: 'signed_out', status };
    if (status >= 500 || status === 429 || status === 408) return { failure: 'server', status };
    if (!response.ok) return { failure: 'refused', status };
    const answer = await response.json().catch(() => null);
    if (!answer || !Array.isArray(answer.results)) return { failure: 'server', status };
    return { results: answer.results };
  } catch {
    return { failure: 'offline', status: 0 };
  } finally {
    clearTimeout(timer);
  }
}

/** GET a JSON answer (at most `timeoutMs`); null when offline, too slow or not 2xx. */
export async function getJson(url, timeoutMs = TIMEOUT_MS) {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  try {
    const response = await fetch(url, { credentials: 'same-origin', cache: 'no-store', signal: controller.signal });
    return response.ok ? await response.json() : null;
  } catch {
    return null;
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Sort the server's per-item answer to `batch`: `done` (stored, or a duplicate of one stored
 * before), `refused` (with the server's reason; never sent again) and `kept` (no answer, or
 * refused for one of `retryReasons`, which a later try may not meet). Each entry is
 * `{item, result}`. The server answers one result per item in the order sent; an answer of
 * another length is matched by id.
 */
export function sortResults(batch, results, retryReasons = []) {
  const same = (a, b) => String(a).toLowerCase() === String(b).toLowerCase();
  const inOrder = results.length === batch.length;
  const byId = new Map();
  for (const result of results) {
    if (result && typeof result.id === 'string') byId.set(result.id.toLowerCase(), result);
  }
  const done = [];
  const refused = [];
  const kept = [];
  batch.forEach((item, index) => {
    let result = inOrder ? results[index] : byId.get(String(item.id).toLowerCase());
    if (result && typeof result.id === 'string' && !same(result.id, item.id)) result = null;
    if (result && (result.status === 'stored' || result.status === 'duplicate')) done.push({ item, result });
    else if (result && result.status === 'refused' && !retryReasons.includes(result.reason)) refused.push({ item, result });
    else kept.push({ item, result: result || null });
  });
  return { done, refused, kept };
}

/**
 * Wrap `work` so that it runs alone: one run at a time in this context and, where the browser
 * has Web Locks, across its pages and the service worker (held under `lockName`). A call made
 * while a run is going gets one more run after it; calls made meanwhile share that run.
 */
export function oneAtATime(lockName, work) {
  let tail = Promise.resolve();
  let waiting = null;
  const locks = globalThis.navigator && navigator.locks;
  const locked = () => (locks ? locks.request(lockName, () => work()) : work());
  return function run() {
    if (waiting) return waiting;
    const mine = tail.catch(() => undefined).then(() => {
      waiting = null;
      return locked();
    });
    waiting = mine;
    tail = mine;
    return mine;
  };
}

/** Waits before the next try after a failure: 2 s, 4 s, 8 s... up to 5 minutes. */
export class Backoff {
  constructor(firstMs = 2000, maxMs = 5 * 60 * 1000) {
    this.firstMs = firstMs;
    this.maxMs = maxMs;
    this.failures = 0;
  }

  /** The wait after one more failure. */
  next() {
    const wait = Math.min(this.maxMs, this.firstMs * 2 ** this.failures);
    this.failures += 1;
    return wait;
  }

  reset() {
    this.failures = 0;
  }
}
