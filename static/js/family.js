// A shared family phone: the learners who signed in on this phone, for the "who is learning?"
// tiles (name and phone number, to sign in again with the PIN alone). Kept in this phone's
// storage only; each one's queued results stay theirs (outbox.js keys them by account).
// No DOM here: app.js calls remember() on every page.
import { dropLearner } from './outbox.js';

const KEY = 'hue-family';
const MAX = 8;

/** The learners of this phone, the latest first. */
export function learners() {
  try {
    const list = JSON.parse(localStorage.getItem(KEY) || '[]');
    return Array.isArray(list) ? list.filter((item) => item && item.id && item.phone) : [];
  } catch {
    return [];
  }
}

/** Keep the signed-in learner of `session` (from /api/v1/session) at the top of the list. */
export function remember(session) {
  if (!session || !session.signed_in || session.role !== 'learner' || !session.phone) return;
  const entry = { id: session.user_id, name: session.name || session.phone, phone: session.phone };
  const list = [entry, ...learners().filter((item) => item.id !== entry.id)].slice(0, MAX);
  try { localStorage.setItem(KEY, JSON.stringify(list)); } catch { /* full or private */ }
}

/** Take a learner off this phone's tiles (their queued results stay until they are sent). */
export function forget(id) {
  const list = learners().filter((item) => item.id !== id);
  try { localStorage.setItem(KEY, JSON.stringify(list)); } catch { /* full or private */ }
}

/**
 * The server said the account `id` was deleted (at sign-in, or in the session a page asks
 * for): take its tile and its waiting results off this phone. Resolves with the name the
 * tile showed (to tell the user), or null when this phone showed no tile of it.
 */
export async function forgetDeleted(id) {
  const person = learners().find((item) => item.id === id);
  if (person) forget(id);
  await dropLearner(id).catch(() => 0);
  return person ? person.name : null;
}
