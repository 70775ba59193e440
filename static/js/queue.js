// One offline queue: items are written to IndexedDB first, then sent to the server in batches.
// The learners' outbox (outbox.js) and the households' queue (households-queue.js) are two
// queues of this kind; pages and the service worker both use them (no DOM here).
//
// An item leaves the phone only when the server answered for it: stored or duplicate, it is
// deleted; refused, it moves to the queue's `rejected` store with the reason, in the same
// transaction. Flushes run one at a time (across tabs and the service worker too). A page
// that calls keepSending() sends by itself whenever it can and tries again after a failure,
// waiting longer each time; it also asks the service worker for a Background Sync, so what
// is left is sent after the page is closed. Every change is told to subscribers, in this
// context and (by BroadcastChannel) in the others.
import { getAll, putAll, transaction } from './idb.js';
import { Backoff, oneAtATime, postBatch, sortResults } from './sender.js';

/**
 * A queue described by:
 * - name: names its lock, its Background Sync tag (`hue-<name>`) and its broadcast channel;
 * - database, store, rejectedStore: where items and refused items are kept (see idb.js);
 * - url, key, batchSize: POST `{[key]: [...]}` to `url`, at most `batchSize` items at once;
 * - order(a, b): the order items are sent in; toWire(item): the item as the server gets it;
 * - sendable(items): the items the current session may send, or null when nobody who may
 *   send them is signed in (async; the learners' outbox asks who is signed in);
 * - retryReasons: refusals that a later try may not meet (the item is kept, not rejected).
 */
export function createQueue(spec) {
  const {
    name, database, store, rejectedStore, url, key, batchSize,
    order = () => 0, toWire = (item) => item, sendable = async (items) => items, retryReasons = [],
    answeredStore = null, keepAnswer = () => false,
  } = spec;
  const tag = `hue-${name}`;
  const listeners = new Set();
  const channel = typeof BroadcastChannel === 'undefined' ? null : new BroadcastChannel(`hue-queue-${name}`);
  const backoff = new Backoff();
  let sending = false;
  let last = null;
  let keeping = false;
  let retryTimer = null;

  function notify(change, remote = false) {
    if (change.outcome) last = change.outcome;
    if (!remote && channel) channel.postMessage(change);
    for (const listener of listeners) {
      try { listener({ ...change, remote }); } catch (error) { console.warn('queue listener failed', error); }
    }
  }
  if (channel) {
    channel.onmessage = (message) => {
      const change = message.data || {};
      // Sent elsewhere (another tab, the service worker): no need to wait for a planned retry.
      if (keeping && change.outcome && change.outcome.ok) planNext(change.outcome);
      notify(change, true);
    };
  }

  async function pending() {
    return (await getAll(database, store)).sort(order);
  }

  /** Delete what the server answered for and keep what it refused aside, in one transaction. */
  function settle({ done, refused }) {
    const at = new Date().toISOString();
    const names = answeredStore ? [store, rejectedStore, answeredStore] : [store, rejectedStore];
    return transaction(database, names, 'readwrite', (stores) => {
      for (const { item, result } of done) {
        stores[store].delete(item.id);
        if (answeredStore && keepAnswer(result)) stores[answeredStore].put({ ...result, id: item.id, item, answered_at: at });
      }
      for (const { item, result } of refused) {
        stores[store].delete(item.id);
        stores[rejectedStore].put({ ...result, id: item.id, item, rejected_at: at });
      }
    });
  }

  async function sendAll() {
    const outcome = { ok: true, reason: null, sent: 0, done: [], refused: [], left: 0 };
    const items = await sendable(await pending());
    if (items === null) {
      outcome.ok = false;
      outcome.reason = 'signed_out';
    } else {
      let size = batchSize;
      for (let start = 0; start < items.length;) {
        const batch = items.slice(start, start + size);
        const answer = await postBatch(url, key, await Promise.all(batch.map(toWire)));
        if (answer.failure === 'refused' && answer.status === 413 && size > 1) {
          size = Math.ceil(size / 2); // too big for the server: the same items in smaller batches
          continue;
        }
        if (answer.failure) {
          outcome.ok = false;
          outcome.reason = answer.failure;
          break;
        }
        const sorted = sortResults(batch, answer.results, retryReasons);
        await settle(sorted);
        outcome.sent += sorted.done.length;
        outcome.done.push(...sorted.done.map(({ item, result }) => ({ ...result, id: item.id, item })));
        outcome.refused.push(...sorted.refused.map(({ item, result }) => ({ ...result, id: item.id, item })));
        start += batch.length;
      }
    }
    outcome.left = (await getAll(database, store)).length;
    return outcome;
  }

  const flushAlone = oneAtATime(`hue-queue-${name}`, async () => {
    sending = true;
    notify({ kind: 'sending' });
    let outcome;
    try {
      outcome = await sendAll();
    } catch (error) {
      console.warn(`could not send the ${name} queue`, error); // storage failed: try later
      outcome = { ok: false, reason: 'storage', sent: 0, done: [], refused: [], left: null };
    } finally {
      sending = false;
    }
    outcome.at = Date.now();
    notify({ kind: 'flushed', outcome });
    if (keeping) planNext(outcome);
    return outcome;
  });

  /** A page that keeps sending: try again later when something could not be sent. */
  function planNext(outcome) {
    clearTimeout(retryTimer);
    retryTimer = null;
    if (outcome.ok) {
      backoff.reset();
      return;
    }
    requestSync(); // the service worker sends it if the page is closed first
    if (outcome.reason === 'signed_out') return; // signing in loads a page, which sends
    if (outcome.reason === 'offline' && !navigator.onLine) return; // the 'online' event sends
    retryTimer = setTimeout(flush, backoff.next());
  }

  /** Send every item that may be sent now; resolves with what happened (never rejects). */
  function flush() {
    return flushAlone();
  }

  /** Ask the service worker to send the queue when the network is back (where it can). */
  async function requestSync() {
    try {
      // In a page, getRegistration() answers at once (`ready` would wait for ever for a
      // worker that never comes); in the service worker, its own registration.
      const inWorker = Boolean(globalThis.ServiceWorkerGlobalScope) && self instanceof globalThis.ServiceWorkerGlobalScope;
      const container = !inWorker && globalThis.navigator && navigator.serviceWorker;
      const registration = inWorker ? self.registration : container && await container.getRegistration();
      if (registration && registration.sync && registration.active) await registration.sync.register(tag);
    } catch {
      // No Background Sync here (or refused): the page sends by itself meanwhile.
    }
  }

  return {
    name,
    tag,

    /** Keep `item` (it must have a string `id`) and send it as soon as possible. */
    async add(item) {
      await putAll(database, store, [item]);
      notify({ kind: 'added' });
      // A page sends at once, unless it is waiting to try again after a failure (then the
      // new item goes with that try, so a server in trouble is not asked at every answer).
      if (keeping && navigator.onLine && !retryTimer) flush();
      else requestSync();
      return item;
    },

    pending,

    async count() {
      return (await getAll(database, store)).length;
    },

    /** What the server refused, with its reasons, oldest first. */
    async rejected() {
      return (await getAll(database, rejectedStore)).sort((a, b) => (a.rejected_at < b.rejected_at ? -1 : 1));
    },

    flush,
    requestSync,

    /** `sending`: a flush is going on here; `last`: the outcome of the latest flush seen. */
    state() {
      return { sending, last };
    },

    /** Call `listener({kind, outcome?, remote})` on every change; returns the unsubscribe. */
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },

    /** In a page: send now and whenever the network returns, and retry failures with backoff. */
    keepSending() {
      if (keeping) return;
      keeping = true;
      globalThis.addEventListener('online', () => { backoff.reset(); flush(); });
      if (navigator.onLine) flush();
      else requestSync();
    },
  };
}
