// The offline app shell: the service worker opens this page for the households and learners
// pages when the network does not answer; it draws the page the address asks for from the
// ward copy on the phone (ward.js) with the queued changes laid over it (model.js).
import { pendingOps } from '../households-queue.js';
import { uuid } from '../uuid.js';
import { filterHouseholds, filterLearners, findHousehold, withQueued } from './model.js';
import {
  ago, drawList, element, fill, formatDate, formatPhone, householdCard, learnerCard, memberCard, pageWords, visitCard, waitingBadge,
} from './render.js';
import { drawChanges } from './outcomes.js';
import { loadWard } from './ward.js';

const MAX_CARDS = 50;

/** What the address asks for: `{view, ref, panel, params}`. */
export function route(location) {
  const path = location.pathname.replace(/\/+$/, '');
  const params = new URLSearchParams(location.search);
  if (path === '/learners') return { view: 'learners', params };
  if (path === '/learners/new') return { view: 'learner-new', params };
  if (path === '/households/new') return { view: 'index', panel: 'register-household', params };
  const one = path.match(/^\/households\/(\d+)(?:\/(visits\/new|members\/new|edit|members\/\d+\/edit))?$/);
  if (one) {
    const panel = { 'visits/new': 'log-visit', 'members/new': 'add-member', edit: 'change-household' }[one[2]];
    return { view: 'household', ref: Number(one[1]), panel, params };
  }
  if (path === '/households/offline' && params.get('household')) return { view: 'household', ref: params.get('household'), params };
  if (path === '/households/offline' && params.get('view') === 'changes') return { view: 'changes', params };
  return { view: 'index', params };
}

function slot(root, name) {
  return root.querySelector(`[data-slot="${name}"]`);
}

function today() {
  const now = new Date();
  return new Date(now.getTime() - now.getTimezoneOffset() * 60000).toISOString().slice(0, 10);
}

function freshForms(root) {
  for (const input of root.querySelectorAll('input[name="op_id"]')) input.value = uuid();
  for (const input of root.querySelectorAll('input[name="visited_on"]')) input.value = today();
}

function drawIndex(root, words, households, ward, params) {
  const filters = { q: params.get('q') || '', needsVisit: params.get('needs_visit') === '1',
    family: params.get('family') || '', learners: params.get('learners') || '', mine: params.get('mine') === '1' };
  root.querySelector('#q').value = filters.q;
  root.querySelector('#needs_visit').checked = filters.needsVisit;
  root.querySelector('#family').value = filters.family;
  root.querySelector('#learners').value = filters.learners;
  const mine = root.querySelector('#mine'); // ambassadors only
  if (mine) mine.checked = filters.mine;
  if (filters.needsVisit || filters.family || filters.learners || filters.mine) root.querySelector('details.filters').open = true;
  const wardName = households.find((h) => h.ward) ? households.find((h) => h.ward).ward : '';
  slot(root, 'ward').textContent = wardName ? fill(words.ward, { ward: wardName }) : '';
  const needing = households.filter((h) => h.overdue || h.member_stuck).length;
  const notice = slot(root, 'needs-visit');
  notice.hidden = !needing;
  notice.querySelector('a').textContent = needing === 1 ? words.needs_visit : `${needing} · ${words.needs_visit}`;
  const found = filterHouseholds(households, filters);
  slot(root, 'total').textContent = found.length === 1 ? words.household_one : fill(words.household_many, { n: found.length });
  const cards = slot(root, 'cards');
  drawList(cards, found.slice(0, MAX_CARDS), (household) => householdCard(words, household));
  if (!found.length) cards.after(element('p', {}, ward ? words.none_found : words.not_yet));
  const more = slot(root, 'more');
  more.hidden = found.length <= MAX_CARDS;
  more.textContent = fill(words.more, { n: found.length - MAX_CARDS });
}

/** A member's "Edit" form (the shell's template), opened with their details as the phone knows them. */
export function memberEditForm(household, member) {
  const template = document.getElementById('shell-member-edit');
  if (!template || !member.id || !member.full_name || member.pending) return null;
  const panel = template.content.firstElementChild.cloneNode(true);
  for (const node of panel.querySelectorAll('[id]')) node.id = node.id.replace(/^member-0-/, `member-${member.id}-`);
  for (const label of panel.querySelectorAll('label[for]')) label.htmlFor = label.htmlFor.replace(/^member-0-/, `member-${member.id}-`);
  const form = panel.querySelector('form');
  form.dataset.household = String(household.id || household.client_id);
  form.action = form.action.replace(/\/households\/0\/members\/0\//, `/households/${household.id}/members/${member.id}/`);
  const values = { member: member.id, full_name: member.full_name, role: member.role, phone: member.phone || '' };
  for (const [name, value] of Object.entries(values)) {
    if (form.elements[name]) form.elements[name].value = name === 'phone' ? formatPhone(value) : value;
    if (form.elements[`was_${name}`]) form.elements[`was_${name}`].value = value;
  }
  return panel;
}

function drawHousehold(root, words, household) {
  slot(root, 'address').textContent = household.address;
  const name = slot(root, 'name');
  name.textContent = household.name || '';
  name.hidden = !household.name;
  if (household.pending_edit) slot(root, 'address').append(' ', waitingBadge(words, household.pending_edit));
  const badges = slot(root, 'badges');
  badges.replaceChildren(...[
    household.overdue && element('span', { className: 'badge badge--visit' }, words.needs_visit),
    household.member_stuck && element('span', { className: 'badge badge--stuck' }, words.stuck),
    household.digital_family && element('span', { className: 'badge badge--family' }, words.family),
  ].filter(Boolean));
  slot(root, 'consent').textContent = household.consent_status === 'to_confirm' ? words.to_confirm
    : fill(words.consent, { date: formatDate(household.consent_on) });
  const ref = household.id || household.client_id;
  for (const form of root.querySelectorAll('form[data-household-op]')) {
    form.dataset.household = String(ref);
    if (household.id) form.action = form.action.replace(/\/households\/0\//, `/households/${household.id}/`);
  }
  const edit = root.querySelector('form[data-household-op="household_updated"]');
  edit.elements.address.value = household.address;
  edit.elements.was_address.value = household.address;
  edit.elements.name.value = household.name || '';
  edit.elements.was_name.value = household.name || '';
  drawList(slot(root, 'members'), household.members, (member) => {
    const card = memberCard(words, member);
    const form = memberEditForm(household, member);
    if (form) card.append(form);
    return card;
  }, slot(root, 'members-none'));
  drawList(slot(root, 'visits'), household.visits, (visit) => visitCard(words, visit), slot(root, 'visits-none'));
  slot(root, 'history').textContent = words.offline_history;
  document.title = `${household.address} · ${document.title.split(' · ').pop()}`;
}

function drawLearners(root, words, learners, params) {
  const q = params.get('q') || '';
  root.querySelector('#q').value = q;
  const found = filterLearners(learners, q);
  drawList(slot(root, 'cards'), found.slice(0, MAX_CARDS * 4), (learner) => learnerCard(learner, words));
  if (!found.length) slot(root, 'cards').after(element('p', {}, words.no_learner));
}

/** Draw the page `where` asks for into the shell; resolves once it is drawn. */
export async function drawShell(account, where = route(window.location)) {
  const shell = document.getElementById('staff-shell');
  const words = pageWords();
  const ward = await loadWard(account).catch(() => null);
  const { households, learners } = withQueued(ward, await pendingOps(account).catch(() => []));
  const template = document.getElementById(`shell-${where.view}`);
  const root = template.content.cloneNode(true);
  if (where.view === 'index') drawIndex(root, words, households, ward, where.params);
  if (where.view === 'household') {
    const household = findHousehold(households, where.ref);
    if (!household) {
      shell.replaceChildren(element('h1', {}, words.no_household));
      return;
    }
    drawHousehold(root, words, household);
  }
  if (where.view === 'learners') drawLearners(root, words, learners, where.params);
  if (where.view === 'changes') {
    await drawChanges(root, { account, words, ward: { households, learners }, again: () => drawShell(account, where) });
  }
  const panel = where.panel && root.querySelector(`#${where.panel}`);
  if (panel) panel.open = true;
  freshForms(root);
  shell.replaceChildren(root);
  const freshness = document.getElementById('ward-freshness');
  freshness.textContent = ward ? fill(words.updated, { ago: ago(words, ward.fetched_at) }) : words.not_yet;
  freshness.hidden = false;
  shell.dataset.view = where.view;
}
