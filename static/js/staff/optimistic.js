// A change queued on the phone appears at once where the ambassador expects it, on the pages
// the server drew: the new visit at the top of the visits, the new member in the members,
// the edited address in the heading, the new household at the top of the list; each with a
// "waiting to be sent" mark that turns to "sent" when the server stored it.
import { households } from '../households-queue.js';
import { normalisePhone } from './checks.js';
import { element, householdCard, memberCard, memberDetails, pageWords, visitCard } from './render.js';

/** The edited member's card shows the new details at once, marked as waiting. */
function showMemberEdit(words, op) {
  const card = document.querySelector(`[data-member="${op.payload.member}"]`);
  if (!card) return;
  const { fields } = op.payload;
  const name = card.querySelector('[data-slot="member-name"]');
  if ('full_name' in fields) name.textContent = fields.full_name;
  const form = card.querySelector('form[data-household-op="member_updated"]');
  if (form) { // a next edit starts from this one (what the server will have), not from before
    for (const [field, value] of Object.entries(fields)) {
      form.elements[field].value = value;
      form.elements[`was_${field}`].value = field === 'phone' ? (normalisePhone(value).phone || '') : value;
    }
    card.querySelector('[data-slot="member-details"]').textContent = memberDetails(words,
      { role: form.elements.was_role.value, phone: form.elements.was_phone.value });
  }
  if (!name.querySelector(`[data-op-mark="${op.id}"]`)) {
    name.append(' ', element('span', { className: 'badge badge--waiting', dataset: { opMark: op.id } }, words.waiting));
  }
}

function sameHousehold(op, page) {
  return page != null && String(op.household) === page;
}

function addOnce(list, op, draw, atTop) {
  if (!list || list.querySelector(`[data-op="${op.id}"]`)) return;
  const card = draw();
  if (atTop) list.prepend(card);
  else list.append(card);
  list.hidden = false;
  const empty = list.parentElement.querySelector(`[data-slot="${list.dataset.slot}-none"]`);
  if (empty) empty.hidden = true;
}

/** Lay the queued `ops` over the page the server drew (each at most once). */
export async function showQueued(ops) {
  const words = pageWords();
  const heading = document.querySelector('[data-household-page]');
  const page = heading ? heading.dataset.householdPage : null;
  for (const op of ops) {
    const payload = op.payload || {};
    if (op.type === 'household_created') {
      const household = { id: null, client_id: op.id, pending: op.id, address: payload.address, name: payload.name,
        members: payload.members || [], visits: [], last_visit_on: null };
      addOnce(document.querySelector('[data-slot="cards"]'), op, () => householdCard(words, household), true);
    } else if (!sameHousehold(op, page)) {
      continue;
    } else if (op.type === 'visit_logged') {
      addOnce(document.querySelector('[data-slot="visits"]'), op, () => visitCard(words, { ...payload, pending: op.id }), true);
    } else if (op.type === 'member_added') {
      addOnce(document.querySelector('[data-slot="members"]'), op, () => memberCard(words, { ...payload, pending: op.id }), false);
    } else if (op.type === 'member_updated') {
      showMemberEdit(words, op);
    } else if (op.type === 'household_updated') {
      const { fields } = payload;
      if ('address' in fields) heading.textContent = fields.address;
      const name = document.querySelector('[data-slot="name"]');
      if (name && 'name' in fields) {
        name.textContent = fields.name || '';
        name.hidden = !fields.name;
      }
      if (!heading.querySelector(`[data-op-mark="${op.id}"]`)) {
        heading.append(' ', element('span', { className: 'badge badge--waiting', dataset: { opMark: op.id } }, words.waiting));
      }
    }
  }
}

/** Turn the marks of what the server stored into "sent". */
function markSent(done) {
  const words = pageWords();
  for (const result of done) {
    for (const mark of document.querySelectorAll(`[data-op-mark="${result.id}"]`)) {
      mark.textContent = words.sent;
      mark.className = 'badge badge--sent';
    }
    if (result.household_id) {
      for (const link of document.querySelectorAll(`[data-op="${result.id}"] a.card-link`)) {
        link.href = `/households/${result.household_id}`;
      }
    }
  }
}

/** Follow the queue: marks turn to "sent" as the server stores the changes. */
export function followOutcomes() {
  households.subscribe((change) => {
    if (change.kind === 'flushed' && change.outcome.done.length) markSent(change.outcome.done);
  });
}
