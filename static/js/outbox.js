// The outbox: every answer, step and completion is written to IndexedDB first, then sent to
// /api/v1/events in batches when the network allows. Used by pages and by the service worker
// (no DOM access here). An event is removed only when the server said stored or duplicate.

const DB_NAME = 'hue-literacy';
const DB_VERSION = 1;
const BATCH_SIZE = 100;
const listeners = new Set();

function openDb() {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(DB_NAME, DB_VERSION);
    request.onupgradeneeded = () => {
      const db = request.result;
      if (!db.objectStoreNames.contains('outbox')) {
        db.createObjectStore('outbox', { keyPath: 'id' }).createIndex('by_learner', 'learner_id');
      }
      if (!db.objectStoreNames.contains('progress')) db.createObjectStore('progress', { keyPath: 'key' });
      if (!db.objectStoreNames.contains('rejected')) db.createObjectStore('rejected', { keyPath: 'id' });
    };
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

async function withStore(name, mode, work) {
  const db = await openDb();
  return new Promise((resolve, reject) => {
    const tx = db.transaction(name, mode);
    const result = work(tx.objectStore(name));
    tx.oncomplete = () => { db.close(); resolve(result && 'result' in result ? result.result : result); };
    tx.onerror = () => { db.close(); reject(tx.error); };
  });
}

export function uuid() {
  if (globalThis.crypto && crypto.randomUUID) return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16)); // works on plain HTTP too
  bytes[6] = (bytes[6] & 0x0f) | 0x40;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** Queue one event for the signed-in learner; returns the stored event. */
export async function record(event, learnerId) {
  const full = { id: uuid(), occurred_at: new Date().toISOString(), ...event, learner_id: learnerId };
  await withStore('outbox', 'readwrite', (store) => store.put(full));
  notify();
  requestSync();
  return full;
}

export async function pendingEvents(learnerId) {
  const all = await withStore('outbox', 'readonly', (store) => store.getAll());
  return learnerId == null ? all : all.filter((event) => event.learner_id === learnerId);
}

export async function pendingCount(learnerId) {
  return (await pendingEvents(learnerId)).length;
}

/** Local progress (shown at once, offline too): one record per learner and lesson. */
export async function saveProgress(learnerId, lessonId, fields) {
  const key = `${learnerId}:${lessonId}`;
  const current = (await withStore('progress', 'readonly', (store) => store.get(key))) || {};
  const next = { ...current, ...fields, key, learner_id: learnerId, lesson_id: lessonId };
  await withStore('progress', 'readwrite', (store) => store.put(next));
  return next;
}

export async function loadProgress(learnerId, lessonId) {
  return withStore('progress', 'readonly', (store) => store.get(`${learnerId}:${lessonId}`));
}

export async function allProgress(learnerId) {
  const all = await withStore('progress', 'readonly', (store) => store.getAll());
  return all.filter((item) => item.learner_id === learnerId);
}

let flushing = null;

/** Send the signed-in learner's queued events. Safe to call often; one flush at a time. */
export function flush() {
  if (!flushing) flushing = doFlush().finally(() => { flushing = null; notify(); });
  return flushing;
}

async function doFlush() {
  const session = await fetchJson('/api/v1/session');
  if (!session || !session.signed_in || session.role !== 'learner') return { sent: 0, reason: 'signed_out' };
  const mine = await pendingEvents(session.user_id);
  let sent = 0;
  for (let start = 0; start < mine.length; start += BATCH_SIZE) {
    const batch = mine.slice(start, start + BATCH_SIZE);
    const answer = await postJson('/api/v1/events', { events: batch.map(withoutLocalFields) });
    if (!answer) return { sent, reason: 'offline' };
    const done = [];
    const rejected = [];
    for (const result of answer.results || []) {
      if (result.status === 'stored' || result.status === 'duplicate') done.push(result.id);
      else if (result.status === 'refused' && result.reason !== 'other_learner') rejected.push(result);
    }
    await withStore('outbox', 'readwrite', (store) => {
      for (const id of done) store.delete(id);
      for (const result of rejected) store.delete(result.id);
    });
    if (rejected.length) {
      await withStore('rejected', 'readwrite', (store) => {
        for (const result of rejected) store.put({ ...result, rejected_at: new Date().toISOString() });
      });
    }
    sent += done.length;
  }
  return { sent };
}

function withoutLocalFields(event) {
  const { key, ...rest } = event;
  return rest;
}

async function fetchJson(url) {
  try {
    const response = await fetch(url, { credentials: 'same-origin', cache: 'no-store' });
    return response.ok ? await response.json() : null;
  } catch {
    return null;
  }
}

async function postJson(url, body) {
  try {
    const response = await fetch(url, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    });
    return response.ok ? await response.json() : null;
  } catch {
    return null;
  }
}

function requestSync() {
  if (typeof navigator === 'undefined' || !navigator.serviceWorker) { flush(); return; }
  navigator.serviceWorker.ready
    .then((registration) => (registration.sync ? registration.sync.register('hue-outbox') : Promise.reject()))
    .catch(() => undefined)
    .finally(() => flush());
}

export function subscribe(listener) {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

function notify() {
  for (const listener of listeners) listener();
}
