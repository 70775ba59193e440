// Household forms that keep working without network. Online, the forms are plain POSTs.
// Offline, a submitted form becomes an op (its op id comes from the form, so a form saved
// twice is stored once) kept in IndexedDB, in this module's own database `hue-households`
// (the learners' outbox database is not touched), and sent to /api/v1/household-ops when the
// network returns or a page loads. An op leaves the phone only when the server answered
// stored, duplicate or refused; refused ones are kept in `rejected` and shown.
import { uuid } from './outbox.js';

const DB_NAME = 'hue-households';
const DB_VERSION = 1;
const BATCH_SIZE = 50;
const statusLine = document.getElementById('household-outbox');

function openDb() {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(DB_NAME, DB_VERSION);
    request.onupgradeneeded = () => {
      const db = request.result;
      if (!db.objectStoreNames.contains('ops')) db.createObjectStore('ops', { keyPath: 'id' });
      if (!db.objectStoreNames.contains('rejected')) db.createObjectStore('rejected', { keyPath: 'id' });
    };
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

async function withStore(name, mode, work) {
  const db = await openDb();
  return new Promise((resolve, reject) => {
    const tx = db.transaction(name, mode);
    const request = work(tx.objectStore(name));
    tx.oncomplete = () => { db.close(); resolve(request ? request.result : undefined); };
    tx.onerror = () => { db.close(); reject(tx.error); };
  });
}

/** The queued ops, in the order they were made (a member may follow its household). */
export async function pendingOps() {
  const all = (await withStore('ops', 'readonly', (store) => store.getAll())) || [];
  return all.sort((a, b) => a.queued_at - b.queued_at);
}

let sequence = 0;

export async function queue(op) {
  const full = { ...op, queued_at: Date.now() * 1000 + (sequence++ % 1000) };
  await withStore('ops', 'readwrite', (store) => store.put(full));
  return full;
}

function text(data, name) {
  return (data.get(name) || '').toString().trim();
}

/** The op a household form stands for, with the API's payload field names. */
function opFromForm(form) {
  const data = new FormData(form);
  const type = form.dataset.householdOp;
  const op = { id: text(data, 'op_id') || uuid(), type, occurred_at: new Date().toISOString() };
  if (form.dataset.household) op.household = Number(form.dataset.household);
  if (type === 'visit_logged') {
    op.payload = { visited_on: text(data, 'visited_on'), competencies: data.getAll('competencies'),
      notes: text(data, 'notes') };
  } else if (type === 'member_added') {
    op.payload = { full_name: text(data, 'full_name'), role: text(data, 'role'),
      phone: text(data, 'phone') };
  } else if (type === 'household_created') {
    const members = text(data, 'member_name') ? [{ full_name: text(data, 'member_name'),
      role: text(data, 'member_role'), phone: text(data, 'member_phone') }] : [];
    op.payload = { address: text(data, 'address'), name: text(data, 'name'),
      consent: form.elements.consent ? form.elements.consent.checked : false, members };
    if (data.get('ward')) op.payload.ward_id = Number(data.get('ward'));
  } else if (type === 'household_updated') {
    const fields = {};
    for (const name of ['address', 'name']) {
      if (text(data, name) !== text(data, `was_${name}`)) fields[name] = text(data, name);
    }
    if (!Object.keys(fields).length) return null;
    op.payload = { fields };
  } else {
    return null;
  }
  return op;
}

function say(message) {
  if (!statusLine) return;
  statusLine.textContent = message;
  statusLine.hidden = !message;
}

async function showWaiting() {
  if (!statusLine) return;
  const waiting = (await pendingOps()).length;
  if (waiting) say(statusLine.dataset.waiting.replace('{n}', waiting));
}

async function onSubmit(event) {
  const form = event.currentTarget;
  if (navigator.onLine) return; // online: the plain POST, checked and answered by the server
  event.preventDefault();
  if (!form.reportValidity()) return;
  const op = opFromForm(form);
  if (!op) return;
  try {
    await queue(op);
  } catch (error) {
    console.warn('could not keep the form on this phone', error);
    form.submit(); // storage unavailable: try the network after all
    return;
  }
  // The next entry in the same form is a new op.
  if (op.type !== 'household_updated') form.reset();
  form.elements.op_id.value = uuid();
  if (op.type === 'household_updated') {
    for (const name of ['address', 'name']) form.elements[`was_${name}`].value = form.elements[name].value;
  }
  const panel = form.closest('details');
  if (panel) panel.open = false;
  say(statusLine ? statusLine.dataset.queued : '');
}

async function postOps(ops) {
  try {
    const response = await fetch('/api/v1/household-ops', {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ ops: ops.map(({ queued_at, ...op }) => op) }),
    });
    return response.ok ? await response.json() : null; // signed out: keep the ops for later
  } catch {
    return null; // offline
  }
}

let flushing = null;

/** Send the queued ops; safe to call often, one flush at a time. */
export function flush() {
  if (!flushing) flushing = doFlush().finally(() => { flushing = null; });
  return flushing;
}

async function doFlush() {
  const ops = await pendingOps();
  if (!ops.length) return { sent: 0 };
  let sent = 0;
  const refused = [];
  for (let start = 0; start < ops.length; start += BATCH_SIZE) {
    const answer = await postOps(ops.slice(start, start + BATCH_SIZE));
    if (!answer) break;
    const results = answer.results || [];
    await withStore('ops', 'readwrite', (store) => {
      for (const result of results) if (typeof result.id === 'string') store.delete(result.id);
    });
    const rejected = results.filter((result) => result.status === 'refused');
    if (rejected.length) {
      await withStore('rejected', 'readwrite', (store) => {
        for (const result of rejected) store.put({ ...result, rejected_at: new Date().toISOString() });
      });
    }
    refused.push(...rejected);
    sent += results.length - rejected.length;
  }
  if (statusLine) {
    const left = (await pendingOps()).length;
    if (refused.length) {
      say(refused.map((result) => statusLine.dataset.refused.replace('{message}', result.message)).join(' '));
    } else if (left) {
      await showWaiting();
    } else if (sent) {
      say(statusLine.dataset.sent);
    }
  }
  return { sent, refused: refused.length };
}

if ('indexedDB' in window) {
  for (const form of document.querySelectorAll('form[data-household-op]')) {
    form.addEventListener('submit', onSubmit);
  }
  window.addEventListener('online', flush);
  window.addEventListener('offline', showWaiting);
  showWaiting().then(() => (navigator.onLine ? flush() : null));
}
