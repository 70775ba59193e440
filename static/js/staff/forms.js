// Household forms, queue first: a submitted form becomes an op in the households' queue
// (households-queue.js) before any request is made, whatever navigator.onLine says; sending
// only drains the queue, so a request that fails or never answers (a weak signal in an
// alley) loses nothing. The status line says what waits, what was sent, what was refused.
import { households, pendingOps, queueOp } from '../households-queue.js';
import { uuid } from '../uuid.js';
import { normalisePhone, problemsOf, showProblems } from './checks.js';
import { withQueued } from './model.js';
import { pageWords } from './render.js';
import { loadWard } from './ward.js';

function text(data, name) {
  return (data.get(name) || '').toString().trim();
}

/** A member's field as it is compared with the value the form was opened with. */
function memberValue(name, value) {
  return name === 'phone' ? (normalisePhone(value).phone || value) : value;
}

export const MEMBER_FIELDS = ['full_name', 'role', 'phone'];

/** The op a household form stands for, with the API's payload field names. */
export function opFromForm(form) {
  const data = new FormData(form);
  const type = form.dataset.householdOp;
  const op = { id: text(data, 'op_id') || uuid(), type, occurred_at: new Date().toISOString() };
  if (form.dataset.household) {
    const ref = form.dataset.household;
    op.household = /^\d+$/.test(ref) ? Number(ref) : ref; // a server id, or the op that made it
  }
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
  } else if (type === 'learner_registered') {
    op.payload = { full_name: text(data, 'full_name'), phone: text(data, 'phone'), pin: text(data, 'pin'),
      group: text(data, 'group'), birth_date: text(data, 'birth_date') || null,
      consent: form.elements.consent ? form.elements.consent.checked : false };
    if (data.get('ward')) op.payload.ward_id = Number(data.get('ward'));
  } else if (type === 'household_updated') {
    const fields = {};
    for (const name of ['address', 'name']) {
      if (text(data, name) !== text(data, `was_${name}`)) fields[name] = text(data, name);
    }
    if (!Object.keys(fields).length) return null;
    op.payload = { fields };
  } else if (type === 'member_updated') {
    const fields = {};
    const was = {};
    for (const name of MEMBER_FIELDS) {
      if (memberValue(name, text(data, name)) !== text(data, `was_${name}`)) {
        fields[name] = text(data, name);
        was[name] = text(data, `was_${name}`);
      }
    }
    if (!Object.keys(fields).length) return null;
    op.payload = { member: Number(text(data, 'member')), fields, was };
  } else {
    return null;
  }
  return op;
}

function statusLine() {
  return document.getElementById('household-outbox');
}

export function say(message) {
  const line = statusLine();
  if (!line) return;
  line.textContent = message;
  line.hidden = !message;
}

/** Tell what the latest flush did (here or in the service worker). */
async function showOutcome(outcome) {
  const line = statusLine();
  if (!line || !outcome) return;
  const waiting = await households.count();
  if (outcome.refused.length) {
    say(outcome.refused.map((result) => line.dataset.refused.replace('{message}', result.message)).join(' '));
  } else if (waiting) {
    const words = outcome.reason === 'signed_out' ? line.dataset.signedOut : line.dataset.waiting;
    say(words.replace('{n}', waiting));
  } else if (outcome.sent) {
    say(line.dataset.sent);
  }
}

/** The ward as this phone knows it (the copy with the queued changes), for the checks. */
export async function knownWard(account) {
  const ward = await loadWard(account).catch(() => null);
  return withQueued(ward, await pendingOps(account).catch(() => []));
}

/** Put the form back to a fresh entry: the next save is a new op. */
function renew(form, op) {
  const edit = op.type === 'household_updated' || op.type === 'member_updated';
  if (!edit) form.reset();
  form.elements.op_id.value = uuid();
  if (op.type === 'household_updated') {
    for (const name of ['address', 'name']) form.elements[`was_${name}`].value = form.elements[name].value;
  }
  if (op.type === 'member_updated') {
    for (const name of MEMBER_FIELDS) form.elements[`was_${name}`].value = memberValue(name, form.elements[name].value.trim());
  }
  const panel = form.closest('details');
  if (panel) panel.open = false;
}

function submitted(account) {
  return async (event) => {
    const form = event.target;
    event.preventDefault(); // never a plain POST: the queue first, always
    if (!form.reportValidity()) return;
    const op = opFromForm(form);
    if (!op) return;
    if (!showProblems(form, problemsOf(op, await knownWard(account)), pageWords())) return;
    try {
      await queueOp(op, account);
    } catch (error) {
      console.warn('could not keep the form on this phone', error);
      form.submit(); // no storage on this phone: the network is the only way left
      return;
    }
    renew(form, op);
    const line = statusLine();
    say(line ? line.dataset.queued : '');
    form.dispatchEvent(new CustomEvent('household-op-queued', { bubbles: true, detail: op }));
  };
}

/** Queue every household form of the page (also those drawn later); show each flush's outcome. */
export function setUpForms(account) {
  const onSubmit = submitted(account);
  document.addEventListener('submit', (event) => {
    if (event.target.matches('form[data-household-op]:not([data-resend])')) onSubmit(event);
  });
  households.subscribe((change) => { if (change.kind === 'flushed') showOutcome(change.outcome); });
}
