// Who uses this phone: asked from the server, remembered for offline use and slow networks.

const KEY = 'hue-session';
const WAIT_MS = 5000;

/** The session this phone saw last, or null. */
export function rememberedSession() {
  try { return JSON.parse(localStorage.getItem(KEY)); } catch { return null; }
}

/** Ask the server (at most a few seconds); the last known session when that fails. */
export async function freshSession() {
  const controller = 'AbortController' in window ? new AbortController() : null;
  const timer = controller && setTimeout(() => controller.abort(), WAIT_MS);
  try {
    const response = await fetch('/api/v1/session', {
      credentials: 'same-origin', cache: 'no-store', signal: controller && controller.signal,
    });
    if (response.ok) {
      const session = await response.json();
      try { localStorage.setItem(KEY, JSON.stringify(session)); } catch { /* private mode */ }
      markWho(session);
      return session;
    }
  } catch { /* offline or too slow */ } finally { clearTimeout(timer); }
  return rememberedSession() || {};
}

/** Correct the marks first-state.js set before the first paint (only when they changed). */
function markWho(session) {
  const root = document.documentElement;
  const who = !session.signed_in ? 'guest' : (session.role === 'learner' ? 'learner' : 'staff');
  if (root.dataset.who !== who) root.dataset.who = who;
  if (session.group && root.dataset.group !== session.group) root.dataset.group = session.group;
}

/** The learner's id when a learner is signed in, else null (practice without saving). */
export function learnerOf(session) {
  return session && session.signed_in && session.role === 'learner' ? session.user_id : null;
}
