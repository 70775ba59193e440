// The text size chooser (templates/_text_size.html): normal, large or larger. The choice is
// applied at once, kept on this phone for this person (text-size-early.js applies it before
// the first paint of every page, lessons too) and sent to their account, so the phones they
// use later show it too; a choice made offline is sent when a page opens online.
import { rememberedSession } from './session.js';

const KEY = 'hue-text-size';
const SIZES = ['normal', 'large', 'larger'];

function account() {
  const root = document.documentElement;
  if (root.dataset.account) return root.dataset.account;
  const session = rememberedSession();
  return session && session.signed_in ? String(session.user_id) : null;
}

function store(key, value) {
  try {
    if (value == null) localStorage.removeItem(key);
    else localStorage.setItem(key, value);
  } catch { /* private mode: this page only */ }
}

/** Show `size` on this page and mark the chooser's buttons. */
export function apply(size) {
  const root = document.documentElement;
  if (size === 'large' || size === 'larger') root.dataset.textSize = size;
  else delete root.dataset.textSize;
  for (const button of document.querySelectorAll('[data-text-size-chooser] [data-size]')) {
    button.setAttribute('aria-pressed', String(button.dataset.size === (size || 'normal')));
  }
}

async function send(who, size) {
  try {
    const response = await fetch('/api/v1/me/text-size', {
      method: 'PUT',
      credentials: 'same-origin',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify({ text_size: size }),
    });
    if (response.ok) store(`${KEY}-unsent:${who}`, null);
    return response.ok;
  } catch {
    return false; // offline: kept as unsent, sent from the next page that opens online
  }
}

export function choose(size) {
  if (!SIZES.includes(size)) return;
  apply(size);
  const who = account();
  store(who ? `${KEY}:${who}` : KEY, size);
  if (who) {
    store(`${KEY}-unsent:${who}`, size);
    send(who, size);
  }
}

function setUp() {
  apply(document.documentElement.dataset.textSize || 'normal');
  for (const button of document.querySelectorAll('[data-text-size-chooser] [data-size]')) {
    button.addEventListener('click', () => choose(button.dataset.size));
  }
  const who = account();
  let unsent = null;
  try { unsent = who && localStorage.getItem(`${KEY}-unsent:${who}`); } catch { /* none */ }
  if (unsent && navigator.onLine) send(who, unsent);
}

setUp();
