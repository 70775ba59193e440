// "Check a certificate": reads the printed QR (camera or photo, the lesson scanner's
// decoder) and checks its Ed25519 signature in the phone with WebCrypto, against the public
// keys and the list of revoked serials kept on the phone (staff/check-cache.js), so it works
// with no network. The statement's format is in hue_literacy/certificates/statement.py.
import { setUpReader } from './scanner.js';
import { CHECK_URLS, kept, refresh } from './staff/check-cache.js';

const SIGNATURE_BYTES = 64;
const B32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

function base32(text) {
  const bytes = [];
  let bits = 0;
  let value = 0;
  for (const char of text.toUpperCase()) {
    const index = B32.indexOf(char);
    if (index < 0) throw new Error('not base32');
    value = (value << 5) | index;
    bits += 5;
    if (bits >= 8) {
      bits -= 8;
      bytes.push((value >> bits) & 0xff);
    }
  }
  return new Uint8Array(bytes);
}

function base64url(text) {
  const plain = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
  return Uint8Array.from(plain, (char) => char.charCodeAt(0));
}

/** The signed token of a scanned text: {token} for ours, {older} for an HMAC paper, or {}. */
export function tokenOf(text) {
  let url;
  try { url = new URL(text.trim()); } catch { return {}; }
  if (!/\/verify\/[^/]+$/.test(url.pathname)) return {};
  if (url.searchParams.get('t')) return { token: url.searchParams.get('t') };
  return url.searchParams.get('s') ? { older: true } : {};
}

/**
 * Check a token: 'valid' | 'revoked' | 'forged' (bad signature, unknown key, malformed).
 * `keys` is a JWKS, `revoked` the kept list (or null: a revoked paper then shows valid).
 */
export async function checkToken(token, keys, revoked) {
  let signed;
  let fields;
  try {
    signed = base32(token);
    const message = signed.slice(0, -SIGNATURE_BYTES);
    fields = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(message));
  } catch {
    return { status: 'forged' };
  }
  if (!Array.isArray(fields) || fields.length !== 8 || fields[0] !== 1) return { status: 'forged' };
  const [, kid, serial, name, ward, profile, version, day] = fields;
  const jwk = (keys.keys || []).find((key) => key.kid === kid && key.kty === 'OKP' && key.crv === 'Ed25519');
  if (!jwk) return { status: 'forged' };
  let genuine;
  try {
    const publicKey = await crypto.subtle.importKey(
      'raw', base64url(jwk.x), { name: 'Ed25519' }, false, ['verify']);
    genuine = await crypto.subtle.verify(
      { name: 'Ed25519' }, publicKey, signed.slice(-SIGNATURE_BYTES), signed.slice(0, -SIGNATURE_BYTES));
  } catch {
    genuine = false;
  }
  if (!genuine) return { status: 'forged' };
  const statement = { serial, name, ward, profile, version, day };
  const isRevoked = Boolean(revoked && revoked.revoked.includes(serial));
  return { status: isRevoked ? 'revoked' : 'valid', statement };
}

/** The kept copy of `url`, else (no Cache API: plain http on a LAN) the server's answer. */
async function load(url) {
  const copy = await kept(url);
  if (copy) return copy;
  try {
    const response = await fetch(url, { credentials: 'same-origin', cache: 'no-store' });
    return response.ok ? await response.json() : null;
  } catch {
    return null;
  }
}

function setUp(root) {
  const data = root.dataset;
  const lang = document.documentElement.lang || 'vi';
  const profiles = JSON.parse(document.getElementById('check-profiles').textContent);
  const status = root.querySelector('[data-status]');
  const result = root.querySelector('[data-result]');
  const verdict = root.querySelector('[data-verdict]');
  const facts = root.querySelector('[data-facts]');
  const compare = root.querySelector('[data-compare]');
  const listStatus = root.querySelector('[data-list-status]');

  const say = (text) => { status.textContent = text || ''; status.hidden = !text; };

  function age(moment) {
    const minutes = Math.max(0, Math.round((Date.now() - moment) / 60000));
    if (minutes < 120) return data.minutes.replace('{n}', minutes);
    const hours = Math.round(minutes / 60);
    return hours < 48 ? data.hours.replace('{n}', hours) : data.days.replace('{n}', Math.round(hours / 24));
  }

  async function showList() {
    const list = await load(CHECK_URLS.revoked);
    if (!list) {
      listStatus.textContent = data.noList;
      listStatus.dataset.state = 'none';
      return;
    }
    const moment = Date.parse(list.generated_at);
    const when = new Intl.DateTimeFormat(lang, { dateStyle: 'short', timeStyle: 'short' }).format(moment);
    let text = data.listAge.replace('{date}', when).replace('{age}', age(moment));
    if (Date.now() - moment > 7 * 24 * 3600 * 1000) text += ' ' + data.listOld;
    listStatus.textContent = text;
    listStatus.dataset.state = 'kept';
  }

  function show(state, text, statement) {
    say('');
    result.hidden = false;
    result.dataset.state = state;
    verdict.textContent = text;
    verdict.className = `notice ${state === 'valid' ? 'notice--success' : 'notice--error'}`;
    facts.hidden = !statement;
    compare.hidden = !statement;
    if (statement) {
      const day = String(statement.day);
      const date = `${day.slice(6, 8)}/${day.slice(4, 6)}/${day.slice(0, 4)}`;
      const values = {
        name: statement.name || '–', ward: statement.ward, date, serial: statement.serial,
        profile: profiles[`${statement.version}:${statement.profile}`] || statement.profile,
      };
      for (const [key, value] of Object.entries(values)) root.querySelector(`[data-fact="${key}"]`).textContent = value;
    }
    result.scrollIntoView({ block: 'nearest' });
  }

  async function scanned(text) {
    const found = tokenOf(text);
    if (found.older) return show('older', data.older);
    if (!found.token) return show('not-certificate', data.notCertificate);
    const keys = await load(CHECK_URLS.keys);
    if (!keys) return show('no-keys', data.noKeys);
    const outcome = await checkToken(found.token, keys, await load(CHECK_URLS.revoked));
    return show(outcome.status, data[outcome.status], outcome.statement);
  }

  setUpReader(root, { jsQrSrc: data.jsqr, words: data, say, found: scanned });

  // Online, this page brings the keys and the list up to date first; offline it uses the copy.
  (navigator.onLine && 'caches' in window ? refresh() : Promise.resolve())
    .then(showList, showList)
    .then(() => { root.dataset.ready = 'true'; });
}

const root = document.getElementById('cert-check');
if (root) setUp(root);
