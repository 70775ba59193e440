// The households' queue: household changes made offline (registrations, edits, members,
// visits), kept as ops in IndexedDB in their own database `hue-households` (the learners'
// outbox is not touched) and sent to /api/v1/household-ops by the shared queue (queue.js),
// from the page or by the service worker's Background Sync. Ops go in the order they were
// made, so a member follows the household it was added to. No DOM here.
import { createQueue } from './queue.js';

const DATABASE = {
  name: 'hue-households',
  version: 1,
  stores: { ops: { keyPath: 'id' }, rejected: { keyPath: 'id' } },
};

export const households = createQueue({
  name: 'households',
  database: DATABASE,
  store: 'ops',
  rejectedStore: 'rejected',
  url: '/api/v1/household-ops',
  key: 'ops',
  batchSize: 50,
  order: (a, b) => a.queued_at - b.queued_at,
  toWire: ({ queued_at: _queuedAt, ...op }) => op,
});

let sequence = 0;

/** Keep one op (its id comes from the form, so a form saved twice is stored once). */
export function queueOp(op) {
  return households.add({ ...op, queued_at: Date.now() * 1000 + (sequence++ % 1000) });
}

/** The queued ops, in the order they were made. */
export function pendingOps() {
  return households.pending();
}

/** Send the queued ops; one flush at a time, never rejects. */
export function flush() {
  return households.flush();
}
