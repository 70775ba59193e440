// Loaded on every page: registers the service worker, keeps the lessons of the page's
// language cached, sends queued progress (from this page itself, so answers go out even when
// the service worker is blocked, failed or missing) and shows the "offline / sending N /
// not sent yet / all sent" line in words an older person understands.
import { outbox, pendingCount } from './outbox.js';
import { forgetDeleted, remember } from './family.js';
import { freshSession, learnerOf } from './session.js';

const statusLine = document.getElementById('sync-status');
const lang = document.documentElement.lang === 'en' ? 'en' : 'vi';
let userId = null;
let known = false; // until the server (or the phone's last copy) has said who is signed in

/** Say plainly that a learner of this phone was deleted and is taken off it. */
function tellDeleted(name) {
  const notice = document.getElementById('account-deleted');
  if (!notice || !name) return;
  notice.textContent = notice.dataset.text.replace('{name}', name);
  notice.hidden = false;
}

async function whoIsSignedIn() {
  const session = await freshSession();
  remember(session); // a shared phone's "who is learning?" tiles
  if (session.gone_account) {
    tellDeleted(await forgetDeleted(session.gone_account));
    document.dispatchEvent(new CustomEvent('family-forgot', { detail: { id: session.gone_account } }));
  }
  userId = learnerOf(session);
  known = true;
  return userId;
}

/** The line's state and words; "sending" only while a send is going on or about to start. */
function describe(waiting) {
  const { sending, last } = outbox.state();
  const data = statusLine.dataset;
  if (!navigator.onLine) {
    if (waiting) return ['offline', data.offlineWaiting.replace('{n}', waiting)];
    return ['offline', userId ? data.offline : data.offlineStaff];
  }
  if (!waiting) return ['sent', data.sent];
  if (sending || !last || last.ok) return ['waiting', data.waiting.replace('{n}', waiting)];
  if (last.reason === 'signed_out') return ['signed-out', data.signedOut.replace('{n}', waiting)];
  return ['retrying', data.retrying.replace('{n}', waiting)];
}

async function showStatus() {
  if (!statusLine || !('indexedDB' in window)) return;
  const waiting = userId ? await pendingCount(userId).catch(() => 0) : 0;
  const [state, text] = describe(waiting);
  statusLine.textContent = text;
  statusLine.dataset.state = state;
  // Until the session is known the line keeps the place first-state.js gave it.
  const guest = known ? !userId : document.documentElement.dataset.who !== 'learner';
  statusLine.hidden = guest && state === 'sent';
}

async function setUpServiceWorker() {
  // Browsers keep a service worker only on https (or 127.0.0.1): on a ward PC's plain
  // http://192.168.x.x address nothing works offline, so the page says so instead of failing
  // silently.
  if (!window.isSecureContext || !('serviceWorker' in navigator)) {
    const notice = document.getElementById('offline-off');
    if (notice) notice.hidden = false;
    return;
  }
  try {
    const registration = await navigator.serviceWorker.register('/sw.js', {
      type: 'module', scope: '/', updateViaCache: 'none', // its imported queue modules checked too
    });
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

/** The header menu is a <details>: Escape or a tap elsewhere folds it away again. */
function setUpMenu() {
  const menu = document.querySelector('details[data-menu]');
  if (!menu) return;
  menu.addEventListener('keydown', (event) => {
    if (event.key !== 'Escape' || !menu.open) return;
    menu.open = false;
    menu.querySelector('summary').focus();
  });
  document.addEventListener('click', (event) => {
    if (menu.open && !menu.contains(event.target)) menu.open = false;
  });
}

setUpMenu();
outbox.subscribe(showStatus);
window.addEventListener('online', showStatus);
window.addEventListener('offline', showStatus);
whoIsSignedIn().then(showStatus);
outbox.keepSending();
setUpServiceWorker();
setUpInstallHint();
