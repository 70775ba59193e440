// Household forms that keep working without network. Online, the forms are plain POSTs,
// checked and answered by the server. Offline, a submitted form becomes an op in the
// households' queue (households-queue.js), sent when the network returns, while this page is
// open or, after it is closed, by the service worker's Background Sync. The status line says
// what is waiting, what was sent and what the server refused.
import { households, queueOp } from './households-queue.js';
import { uuid } from './uuid.js';

const statusLine = document.getElementById('household-outbox');

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

async function showWaiting(signedOut = false) {
  if (!statusLine) return;
  const waiting = await households.count();
  const words = signedOut ? statusLine.dataset.signedOut : statusLine.dataset.waiting;
  if (waiting) say(words.replace('{n}', waiting));
}

/** Tell what the latest flush did (here or in the service worker). */
async function showOutcome(outcome) {
  if (!statusLine || !outcome) return;
  if (outcome.reason === 'offline' && !outcome.sent && !outcome.refused.length) return; // nothing new
  if (outcome.refused.length) {
    say(outcome.refused.map((result) => statusLine.dataset.refused.replace('{message}', result.message)).join(' '));
  } else if (await households.count()) {
    await showWaiting(outcome.reason === 'signed_out');
  } else if (outcome.sent) {
    say(statusLine.dataset.sent);
  }
}

async function onSubmit(event) {
  const form = event.currentTarget;
  if (navigator.onLine) return; // online: the plain POST
  event.preventDefault();
  if (!form.reportValidity()) return;
  const op = opFromForm(form);
  if (!op) return;
  try {
    await queueOp(op);
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

if ('indexedDB' in window) {
  for (const form of document.querySelectorAll('form[data-household-op]')) {
    form.addEventListener('submit', onSubmit);
  }
  households.subscribe((change) => { if (change.kind === 'flushed') showOutcome(change.outcome); });
  window.addEventListener('offline', () => showWaiting());
  showWaiting().then(() => households.keepSending());
}
