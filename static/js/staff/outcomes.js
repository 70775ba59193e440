// Every answer to a queued change, shown and actionable ("Changes on this phone", a view of
// the shell): what still waits; what the server refused, with its reason and what was typed
// in an editable form to send again (nothing is thrown away until the ambassador dismisses
// it); an edit that lost to a later one from another phone, with both values, to apply
// again or accept; a learner registered on the phone, with their sign-in card to print.
import { DATABASE, households, pendingOps, queueOp, vault } from '../households-queue.js';
import { getAll, transaction } from '../idb.js';
import { uuid } from '../uuid.js';
import { problemsOf, showProblems } from './checks.js';
import { MEMBER_FIELDS, opFromForm } from './forms.js';
import { findHousehold } from './model.js';
import { element, fill, formatDate, formatPhone } from './render.js';

const FORM_OF = {
  household_created: ['shell-index', 'household_created'],
  visit_logged: ['shell-household', 'visit_logged'],
  member_added: ['shell-household', 'member_added'],
  household_updated: ['shell-household', 'household_updated'],
  member_updated: ['shell-member-edit', 'member_updated'],
  learner_registered: ['shell-learner-new', 'learner_registered'],
};

/** The refused changes and the answers to show, of `account`, oldest first. */
export async function answersToShow(account) {
  const mine = (record) => record.item && (record.item.account == null || record.item.account === account);
  const refused = (await households.rejected()).filter(mine);
  const answered = (await getAll(DATABASE, 'answered')).filter(mine)
    .sort((a, b) => (a.answered_at < b.answered_at ? -1 : 1));
  return { refused, answered };
}

function forget(store, id) {
  return transaction(DATABASE, store, 'readwrite', (stores) => stores[store].delete(id));
}

function what(item) {
  const payload = item.payload || {};
  const fields = payload.fields || {};
  return payload.address || payload.full_name || fields.address || fields.name || fields.full_name || fields.phone
    || formatDate(payload.visited_on) || '';
}

/** A copy of the shell's form for `item`'s kind, filled with what was typed. */
async function editableForm(item, account, ward) {
  const [templateId, kind] = FORM_OF[item.type] || [];
  const template = templateId && document.getElementById(templateId);
  const source = template && template.content.querySelector(`form[data-household-op="${kind}"]`);
  if (!source) return null;
  const form = source.cloneNode(true);
  form.dataset.resend = item.id;
  for (const node of form.querySelectorAll('[id]')) node.id = `${node.id}-${item.id.slice(0, 8)}`;
  for (const label of form.querySelectorAll('label[for]')) label.htmlFor = `${label.htmlFor}-${item.id.slice(0, 8)}`;
  if (item.household != null) form.dataset.household = String(item.household);
  const set = (name, value) => { if (form.elements[name] && value != null) form.elements[name].value = value; };
  const payload = item.payload || {};
  set('op_id', uuid());
  if (item.type === 'household_created') {
    set('address', payload.address);
    set('name', payload.name);
    const member = (payload.members || [])[0] || {};
    set('member_name', member.full_name);
    set('member_role', member.role);
    set('member_phone', member.phone);
    if (form.elements.consent) form.elements.consent.checked = Boolean(payload.consent);
  } else if (item.type === 'visit_logged') {
    set('visited_on', payload.visited_on);
    set('notes', payload.notes);
    for (const box of form.querySelectorAll('input[name="competencies"]')) box.checked = (payload.competencies || []).includes(box.value);
  } else if (item.type === 'member_added') {
    for (const name of ['full_name', 'role', 'phone']) set(name, payload[name]);
  } else if (item.type === 'household_updated') {
    for (const name of ['address', 'name']) {
      set(name, payload.fields[name] ?? '');
      set(`was_${name}`, '\u0000'); // every field shown is sent again
    }
  } else if (item.type === 'member_updated') {
    // what was typed, over the member as the phone knows them; only what was typed is sent
    const household = findHousehold(ward.households || [], item.household) || { members: [] };
    const member = household.members.find((one) => one.id === payload.member) || {};
    set('member', payload.member);
    for (const name of MEMBER_FIELDS) {
      const typed = name in payload.fields;
      set(name, typed ? payload.fields[name] : (name === 'phone' ? formatPhone(member.phone) : member[name]));
      set(`was_${name}`, typed ? payload.was[name] : (member[name] || ''));
    }
    if (household.id) form.action = form.action.replace(/\/households\/0\/members\/0\//, `/households/${household.id}/members/${payload.member}/`);
  } else if (item.type === 'learner_registered') {
    for (const name of ['full_name', 'phone', 'group', 'birth_date']) set(name, payload[name]);
    set('pin', item.sealed_pin ? await vault.open(account, item.sealed_pin) : '');
    if (form.elements.consent) form.elements.consent.checked = Boolean(payload.consent);
  }
  return form;
}

function button(text, onClick, primary = false) {
  const node = element('button', { type: 'button', className: `button${primary ? ' button--primary' : ''}` }, text);
  node.addEventListener('click', onClick);
  return node;
}

function shown(words, field, value) {
  if (field === 'role') return (words.roles || {})[value] || value || '—';
  if (field === 'phone') return formatPhone(value) || '—';
  return value || '—';
}

/** A member edit another phone overtook: both values; use mine (on the kept values) or keep. */
function memberConflict(record, { account, words, again }) {
  const item = record.item;
  const kept = record.kept || {};
  const card = element('li', { className: 'card outcome outcome--conflict', dataset: { outcome: 'not_applied', op: record.id } },
    element('p', { className: 'card-title' }, words.member_conflict));
  for (const field of record.not_applied) {
    card.append(element('p', {}, fill(words.yours, { value: shown(words, field, item.payload.fields[field]) })),
      element('p', {}, fill(words.kept, { value: shown(words, field, kept[field]) })));
  }
  card.append(element('div', { className: 'member-actions' },
    button(words.apply_again, async () => {
      const fields = Object.fromEntries(record.not_applied.map((field) => [field, item.payload.fields[field]]));
      const was = Object.fromEntries(record.not_applied.map((field) => [field, kept[field] ?? '']));
      await queueOp({ id: uuid(), type: 'member_updated', household: item.household, occurred_at: new Date().toISOString(),
        payload: { member: item.payload.member, fields, was } }, account);
      await forget('answered', record.id);
      again();
    }, true),
    button(words.accept, async () => { await forget('answered', record.id); again(); })));
  return card;
}

/** Draw the "Changes on this phone" view into `root`; `again()` redraws it. */
export async function drawChanges(root, { account, words, ward, again }) {
  const waiting = await pendingOps(account);
  const { refused, answered } = await answersToShow(account);
  const list = root.querySelector('[data-slot="waiting"]');
  list.replaceChildren(...waiting.map((op) => element('li', { className: 'card', dataset: { op: op.id } },
    element('p', { className: 'card-title' }, words[`op_${op.type}`] || op.type), element('p', {}, what(op)))));
  root.querySelector('[data-slot="waiting-none"]').hidden = waiting.length > 0;

  const problems = root.querySelector('[data-slot="refused"]');
  for (const record of refused) {
    const card = element('li', { className: 'card outcome outcome--refused', dataset: { outcome: 'refused', op: record.id } },
      element('p', { className: 'card-title' }, `${words[`op_${record.item.type}`] || record.item.type}: ${what(record.item)}`),
      element('p', { className: 'notice notice--error' }, fill(words.refused, { message: record.message || record.reason })));
    const form = await editableForm(record.item, account, ward);
    if (form) {
      form.addEventListener('submit', async (event) => {
        event.preventDefault();
        event.stopPropagation();
        const op = opFromForm(form);
        if (!op || !form.reportValidity()) return;
        if (!showProblems(form, problemsOf(op, ward), words)) return;
        await queueOp(op, account);
        await forget('rejected', record.id); // sent again: what was typed is in the queue now
        again();
      }, { capture: true });
      card.append(form);
    }
    card.append(button(words.dismiss, async () => { await forget('rejected', record.id); again(); }));
    problems.append(card);
  }

  const others = root.querySelector('[data-slot="answered"]');
  for (const record of answered) {
    const item = record.item;
    if (record.not_applied && item.type === 'member_updated') {
      others.append(memberConflict(record, { account, words, again }));
    } else if (record.not_applied) {
      const household = findHousehold(ward.households || [], item.household) || {};
      const card = element('li', { className: 'card outcome outcome--conflict', dataset: { outcome: 'not_applied', op: record.id } },
        element('p', { className: 'card-title' }, words.conflict));
      for (const field of record.not_applied) {
        card.append(element('p', {}, fill(words.yours, { value: item.payload.fields[field] || '—' })),
          element('p', {}, fill(words.kept, { value: household[field] || '—' })));
      }
      card.append(element('div', { className: 'member-actions' },
        button(words.apply_again, async () => {
          const fields = Object.fromEntries(record.not_applied.map((field) => [field, item.payload.fields[field]]));
          await queueOp({ id: uuid(), type: 'household_updated', household: item.household,
            occurred_at: new Date().toISOString(), payload: { fields } }, account);
          await forget('answered', record.id);
          again();
        }, true),
        button(words.accept, async () => { await forget('answered', record.id); again(); })));
      others.append(card);
    } else if (record.learner_id) {
      others.append(element('li', { className: 'card outcome', dataset: { outcome: 'learner', op: record.id } },
        element('p', { className: 'card-title' }, fill(words.learner_ready, { name: item.payload.full_name })),
        element('div', { className: 'member-actions' },
          element('a', { className: 'button button--primary', href: `/learners/${record.learner_id}/card` }, words.print_card),
          button(words.dismiss, async () => { await forget('answered', record.id); again(); }))));
    }
  }
  root.querySelector('[data-slot="nothing"]').hidden = Boolean(refused.length || answered.length);
}

/** How many answers wait for the ambassador (refused changes, conflicts, cards to print). */
export async function attentionCount(account) {
  const { refused, answered } = await answersToShow(account);
  return refused.length + answered.length;
}
