// Loaded on every staff page (base.html): keeps the ambassador's work safe and visible.
// It sends the households' queue at page start and whenever the network returns (the
// service worker's Background Sync sends it when no page is open), shows in the header how
// many changes wait on this phone, queues every household form (forms.js), keeps the ward
// copy on the phone fresh (ward.js) and the offline shell drawn from it (shell.js), shows a
// queued change at once where it belongs (optimistic.js) and clears the phone on sign-out.
import { households, pendingOps } from '../households-queue.js';
import { keepCheckReady } from './check-cache.js';
import { setUpForms } from './forms.js';
import { followOutcomes, showQueued } from './optimistic.js';
import { attentionCount } from './outcomes.js';
import { ago, fill, pageWords } from './render.js';
import { drawShell } from './shell.js';
import { forgetWards, loadWard, refreshWard } from './ward.js';

const badge = document.getElementById('staff-waiting');
const account = badge ? Number(badge.dataset.account) : null;
const inShell = Boolean(document.getElementById('staff-shell'));

/** Say on household pages when answers wait for the ambassador (refused, conflicts...). */
async function showAttention() {
  const line = document.getElementById('household-attention');
  if (!line) return;
  const count = await attentionCount(account).catch(() => 0);
  const link = line.querySelector('a');
  link.textContent = count === 1 ? link.dataset.one : link.dataset.many.replace('{n}', count);
  line.hidden = count === 0;
}

/** Show how many of this account's changes wait on the phone (in the header). */
async function showWaiting() {
  showAttention();
  if (!badge) return 0;
  let waiting = 0;
  try { waiting = (await pendingOps(account)).length; } catch { /* no storage: nothing kept */ }
  badge.textContent = waiting === 1 ? badge.dataset.one : badge.dataset.text.replace('{n}', waiting);
  badge.hidden = waiting === 0;
  badge.dataset.count = String(waiting);
  return waiting;
}

function showFreshness(ward) {
  const line = document.getElementById('ward-freshness');
  if (!line || !ward) return;
  const words = pageWords();
  line.textContent = fill(words.updated, { ago: ago(words, ward.fetched_at) });
  line.hidden = false;
}

async function redraw() {
  if (inShell) await drawShell(account);
  else await showQueued(await pendingOps(account));
}

async function refresh(force = false) {
  const ward = await refreshWard(account, { force }).catch(() => null);
  showFreshness(ward);
  return ward;
}

/** Ask the service worker to keep this account's offline shell (or to forget it). */
async function tellWorker(message) {
  if (!('serviceWorker' in navigator)) return;
  const registration = await navigator.serviceWorker.getRegistration().catch(() => null);
  const worker = registration && registration.active;
  if (worker) worker.postMessage(message);
}

/** Signing out deletes the ward copy and the keys, and the cached shell, before leaving. */
function clearOnSignOut() {
  for (const form of document.querySelectorAll('form[data-sign-out]')) {
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      await forgetWards().catch((error) => console.warn('could not clear the ward copy', error));
      await tellWorker({ type: 'forget-staff' });
      form.submit();
    }, { once: true });
  }
}

async function start() {
  clearOnSignOut();
  households.subscribe(async (change) => {
    await showWaiting();
    if (change.kind === 'flushed' && change.outcome.done.length) {
      await refresh(true);
      if (inShell) await redraw();
    }
  });
  document.addEventListener('household-op-queued', (event) => {
    // A learner registered in the shell: on to the learners, where they wait to be sent.
    if (inShell && event.detail.type === 'learner_registered') window.history.replaceState(null, '', '/learners/');
    showWaiting();
    redraw();
  });
  setUpForms(account);
  followOutcomes();
  await forgetWards(account).catch(() => undefined); // another account's copy is not for this one
  if (inShell) await drawShell(account);
  await showWaiting();
  households.keepSending();
  if (!inShell) {
    await showQueued(await pendingOps(account));
    showFreshness(await loadWard(account).catch(() => null));
  }
  if (navigator.onLine) {
    const before = await loadWard(account).catch(() => null);
    const ward = await refresh();
    if (inShell && ward && (!before || ward.fetched_at !== before.fetched_at)) await drawShell(account);
  }
  document.documentElement.dataset.staffReady = 'true';
  const registration = navigator.onLine && 'serviceWorker' in navigator
    && await navigator.serviceWorker.getRegistration().catch(() => null);
  if (registration) {
    await navigator.serviceWorker.ready;
    tellWorker({ type: 'update-staff', account }); // the offline shell, for this account
  }
}

if ('indexedDB' in window && account) start();
// "Check a certificate" kept ready for a day with no network (staff phones only).
keepCheckReady().catch(() => undefined);
