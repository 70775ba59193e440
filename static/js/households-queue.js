// The households' queue: every household change (registrations, edits, members, visits) and
// every learner registered by an ambassador is kept as an op in IndexedDB, in its own
// database `hue-households` (the learners' outbox is not touched), before anything is sent;
// the shared queue (queue.js) then sends the ops to /api/v1/household-ops, from the page or
// by the service worker's Background Sync. Ops go in the order they were made, so a member
// follows the household it was added to. Each op names the staff account that made it and
// is sent only while that account is signed in. No DOM here.
//
// A learner's PIN never waits in plain text: it is sealed with the account's key
// (vault.js) when queued and opened only to be sent over HTTPS; the op, PIN included, is
// deleted once the server stored it.
import { createQueue } from './queue.js';
import { getJson } from './sender.js';
import { createVault } from './vault.js';

export const DATABASE = {
  name: 'hue-households',
  version: 2,
  stores: {
    ops: { keyPath: 'id' },
    rejected: { keyPath: 'id' },
    answered: { keyPath: 'id' }, // answers to show the ambassador: conflicts, learners' cards
    ward: { keyPath: 'account' }, // the ward's households on the phone, sealed (ward.js)
    keys: { keyPath: 'account' },
  },
};

export const vault = createVault(DATABASE, 'keys');

/** The staff account signed in now; null when none; undefined when the server is not reached. */
async function signedInStaff() {
  const session = await getJson('/api/v1/session', 10000);
  if (!session) return undefined;
  return session.signed_in && session.role !== 'learner' ? session.user_id : null;
}

async function toWire({ queued_at: _queuedAt, account, sealed_pin: sealedPin, ...op }) {
  if (!sealedPin) return op;
  const pin = await vault.open(account, sealedPin);
  return { ...op, payload: { ...op.payload, pin: pin == null ? '' : pin } };
}

export const households = createQueue({
  name: 'households',
  database: DATABASE,
  store: 'ops',
  rejectedStore: 'rejected',
  answeredStore: 'answered',
  keepAnswer: (result) => Boolean(result.not_applied || result.learner_id),
  url: '/api/v1/household-ops',
  key: 'ops',
  batchSize: 50,
  order: (a, b) => a.queued_at - b.queued_at,
  toWire,
  async sendable(ops) {
    if (!ops.length) return ops;
    const account = await signedInStaff();
    if (account === undefined) return ops; // the send itself fails and says why
    return account == null ? null : ops.filter((op) => op.account == null || op.account === account);
  },
});

let sequence = 0;

/** Keep one op made by `account` (its id comes from the form, so a form saved twice is
 * stored once); a `pin` in its payload is sealed first. Resolves once it is on the phone. */
export async function queueOp(op, account) {
  const kept = { ...op, account, queued_at: Date.now() * 1000 + (sequence++ % 1000) };
  if (op.payload && op.payload.pin != null) {
    const { pin, ...payload } = op.payload;
    kept.payload = payload;
    kept.sealed_pin = await vault.seal(account, pin);
  }
  return households.add(kept);
}

/** The queued ops of `account` (all when null), in the order they were made. */
export async function pendingOps(account = null) {
  const ops = await households.pending();
  return account == null ? ops : ops.filter((op) => op.account == null || op.account === account);
}

/** Send the queued ops; one flush at a time, never rejects. */
export function flush() {
  return households.flush();
}
