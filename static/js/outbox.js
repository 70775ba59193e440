// The learners' outbox: every answer, step and completion is written to IndexedDB first and
// sent to /api/v1/events by the shared queue (queue.js), from the page or by the service
// worker's Background Sync. Only the signed-in learner's own events are sent; events of
// another learner who used this phone wait for that learner. Local progress (shown at once,
// offline too) is kept beside the outbox. No DOM here: the service worker imports it.
import { get, getAll, transaction } from './idb.js';
import { createQueue } from './queue.js';
import { getJson } from './sender.js';
import { uuid } from './uuid.js';

export { uuid };

const DATABASE = {
  name: 'hue-literacy',
  version: 1,
  stores: {
    outbox: { keyPath: 'id', indexes: { by_learner: 'learner_id' } },
    progress: { keyPath: 'key' },
    rejected: { keyPath: 'id' },
  },
};

/** Who may send: the signed-in learner's id, asked from the server at each flush; null when
 * nobody or staff is signed in; undefined when the server cannot be asked (offline). */
async function signedInLearner() {
  const session = await getJson('/api/v1/session', 10000);
  if (!session) return undefined;
  return session.signed_in && session.role === 'learner' ? session.user_id : null;
}

export const outbox = createQueue({
  name: 'outbox',
  database: DATABASE,
  store: 'outbox',
  rejectedStore: 'rejected',
  url: '/api/v1/events',
  key: 'events',
  batchSize: 100,
  retryReasons: ['other_learner'],
  order: (a, b) => (a.occurred_at < b.occurred_at ? -1 : a.occurred_at > b.occurred_at ? 1 : 0),
  async sendable(events) {
    if (!events.length) return events;
    const learner = await signedInLearner();
    if (learner === undefined) return events; // the send itself fails and says why
    return learner == null ? null : events.filter((event) => event.learner_id === learner);
  },
});

/** Queue one event for the signed-in learner; returns the stored event. */
export function record(event, learnerId) {
  return outbox.add({ id: uuid(), occurred_at: new Date().toISOString(), ...event, learner_id: learnerId });
}

export async function pendingEvents(learnerId) {
  const all = await outbox.pending();
  return learnerId == null ? all : all.filter((event) => event.learner_id === learnerId);
}

export async function pendingCount(learnerId) {
  return (await pendingEvents(learnerId)).length;
}

/** Send the signed-in learner's queued events; one flush at a time, never rejects. */
export function flush() {
  return outbox.flush();
}

export function subscribe(listener) {
  return outbox.subscribe(listener);
}

/**
 * Take a learner whose account was deleted on the server off this phone: their waiting
 * events (never accepted now) and their local progress; resolves with how many events waited.
 */
export async function dropLearner(learnerId) {
  const dropped = { events: 0 };
  await transaction(DATABASE, ['outbox', 'progress'], 'readwrite', ({ outbox: events, progress }) => {
    events.index('by_learner').openCursor(IDBKeyRange.only(learnerId)).onsuccess = (read) => {
      const cursor = read.target.result;
      if (!cursor) return;
      cursor.delete();
      dropped.events += 1;
      cursor.continue();
    };
    progress.openCursor().onsuccess = (read) => {
      const cursor = read.target.result;
      if (!cursor) return;
      if (cursor.value.learner_id === learnerId) cursor.delete();
      cursor.continue();
    };
  });
  return dropped.events;
}

/** Local progress: one record per learner and lesson, merged with what was kept before. */
export async function saveProgress(learnerId, lessonId, fields) {
  const key = `${learnerId}:${lessonId}`;
  const saved = {};
  await transaction(DATABASE, 'progress', 'readwrite', ({ progress }) => {
    progress.get(key).onsuccess = (read) => {
      saved.record = { ...(read.target.result || {}), ...fields, key, learner_id: learnerId, lesson_id: lessonId };
      progress.put(saved.record);
    };
  });
  return saved.record;
}

export function loadProgress(learnerId, lessonId) {
  return get(DATABASE, 'progress', `${learnerId}:${lessonId}`);
}

export async function allProgress(learnerId) {
  return (await getAll(DATABASE, 'progress')).filter((item) => item.learner_id === learnerId);
}
