// Loaded on every page: registers the service worker, keeps the lessons of the page's
// language cached, sends queued progress when the network returns, and shows the
// "offline / waiting to send N / all sent" line in words an older person understands.
import { flush, pendingCount, subscribe } from './outbox.js';
import { freshSession, learnerOf } from './session.js';

const statusLine = document.getElementById('sync-status');
const lang = document.documentElement.lang === 'en' ? 'en' : 'vi';
let userId = null;

async function whoIsSignedIn() {
  userId = learnerOf(await freshSession());
  return userId;
}

async function showStatus() {
  if (!statusLine || !('indexedDB' in window)) return;
  const waiting = userId ? await pendingCount(userId) : 0;
  let text;
  let state;
  if (!navigator.onLine) {
    state = 'offline';
    if (waiting) text = statusLine.dataset.offlineWaiting.replace('{n}', waiting);
    else text = userId ? statusLine.dataset.offline : statusLine.dataset.offlineStaff;
  } else if (waiting) {
    state = 'waiting';
    text = statusLine.dataset.waiting.replace('{n}', waiting);
  } else {
    state = 'sent';
    text = statusLine.dataset.sent;
  }
  statusLine.textContent = text;
  statusLine.dataset.state = state;
  statusLine.hidden = !userId && state === 'sent';
}

async function sendQueued() {
  if (navigator.onLine) await flush();
  await showStatus();
}

async function setUpServiceWorker() {
  if (!('serviceWorker' in navigator)) return;
  try {
    const registration = await navigator.serviceWorker.register('/sw.js', { type: 'module', scope: '/' });
    await navigator.serviceWorker.ready;
    const worker = navigator.serviceWorker.controller || registration.active;
    if (worker && navigator.onLine) worker.postMessage({ type: 'update-content', lang });
    if (navigator.storage && navigator.storage.persist) navigator.storage.persist();
  } catch (error) {
    console.warn('service worker not available', error);
  }
}

function setUpInstallHint() {
  const hint = document.getElementById('install-hint');
  if (!hint) return;
  window.addEventListener('beforeinstallprompt', (event) => {
    event.preventDefault();
    hint.hidden = false;
    hint.querySelector('button').addEventListener('click', async () => {
      hint.hidden = true;
      await event.prompt();
    }, { once: true });
  });
}

subscribe(showStatus);
window.addEventListener('online', sendQueued);
window.addEventListener('offline', showStatus);
whoIsSignedIn().then(sendQueued);
setUpServiceWorker();
setUpInstallHint();
