// Loaded on every staff page (base.html): keeps the ambassador's work safe and visible.
// It sends the households' queue at page start and whenever the network returns (the
// service worker's Background Sync sends it when no page is open), shows in the header how
// many changes wait on this phone, queues every household form (forms.js) and shows what the
// server answered (outcomes.js).
import { households, pendingOps } from '../households-queue.js';
import { keepCheckReady } from './check-cache.js';
import { setUpForms } from './forms.js';

const badge = document.getElementById('staff-waiting');
export const account = badge ? Number(badge.dataset.account) : null;

/** Show how many of this account's changes wait on the phone (in the header). */
export async function showWaiting() {
  if (!badge) return 0;
  let waiting = 0;
  try { waiting = (await pendingOps(account)).length; } catch { /* no storage: nothing kept */ }
  badge.textContent = waiting === 1 ? badge.dataset.one : badge.dataset.text.replace('{n}', waiting);
  badge.hidden = waiting === 0;
  badge.dataset.count = String(waiting);
  return waiting;
}

if ('indexedDB' in window && account) {
  households.subscribe(() => showWaiting());
  setUpForms(account);
  showWaiting().then(() => households.keepSending());
}
// "Check a certificate" kept ready for a day with no network (staff phones only).
keepCheckReady().catch(() => undefined);
