// Drawing households, members, visits and learners in the page, the same way on pages the
// server drew (a change queued a moment ago is added in place) and on the offline shell
// (everything drawn from the ward copy kept on the phone). Words come from the page
// (offline_words in households/views.py), so nothing here is in one language only.

/** The words of the page: `{roles, competencies, needs_visit, ...}`. */
export function pageWords() {
  const holder = document.getElementById('ward-freshness');
  try { return JSON.parse(holder.dataset.words); } catch { return {}; }
}

export function fill(template, values) {
  return template.replace(/\{(\w+)\}/g, (all, key) => (key in values ? values[key] : all));
}

function plural(words, name, n) {
  return n === 1 ? words[`${name}_one`] : fill(words[`${name}_many`], { n });
}

/** Lower-case without Vietnamese accents, as the server's search text (text.fold). */
export function fold(value) {
  return (value || '').replace(/đ/g, 'd').replace(/Đ/g, 'D').normalize('NFD')
    .replace(/\p{M}/gu, '').toLowerCase().split(/\s+/).filter(Boolean).join(' ');
}

/** `0912345678` as people read it: `0912 345 678`. */
export function formatPhone(phone) {
  return phone && phone.length === 10 ? `${phone.slice(0, 4)} ${phone.slice(4, 7)} ${phone.slice(7)}` : (phone || '');
}

export function formatDate(iso) {
  if (!iso) return '';
  const lang = document.documentElement.lang || 'vi';
  const [year, month, day] = iso.slice(0, 10).split('-').map(Number);
  return new Intl.DateTimeFormat(lang, { dateStyle: 'medium' }).format(new Date(year, month - 1, day));
}

/** "just now", "10 minutes ago", "2 hours ago"... */
export function ago(words, ms) {
  const minutes = Math.floor(Math.max(0, Date.now() - ms) / 60000);
  if (minutes < 1) return words.now;
  if (minutes < 60) return minutes === 1 ? words.minute : fill(words.minutes, { n: minutes });
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return hours === 1 ? words.hour : fill(words.hours, { n: hours });
  const days = Math.floor(hours / 24);
  return days === 1 ? words.day : fill(words.days, { n: days });
}

export function element(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value == null || value === false) continue;
    if (name === 'className') node.className = value;
    else if (name === 'dataset') Object.assign(node.dataset, value);
    else node.setAttribute(name, value === true ? '' : value);
  }
  for (const child of children.flat()) {
    if (child == null || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

function badge(kind, text) {
  return element('span', { className: `badge badge--${kind}` }, text);
}

/** The "waiting / sent / not saved" mark of something queued on the phone. */
export function waitingBadge(words, opId) {
  return element('span', { className: 'badge badge--waiting', dataset: { opMark: opId } }, words.waiting);
}

export function householdHref(household) {
  return household.id ? `/households/${household.id}` : `/households/offline?household=${encodeURIComponent(household.client_id)}`;
}

/** One card of the household list. */
export function householdCard(words, household) {
  const learners = household.members.filter((member) => member.learner_id).length;
  const marks = [
    household.overdue && badge('visit', words.needs_visit),
    household.member_stuck && badge('stuck', words.stuck),
    household.digital_family && badge('family', words.family),
    household.mine && badge('mine', words.mine),
    household.pending && waitingBadge(words, household.pending),
  ].filter(Boolean);
  const link = element('a', { href: householdHref(household), className: 'card-link' },
    element('span', { className: 'card-title', dataset: { slot: 'card-address' } }, household.address),
    household.name && element('span', {}, household.name),
    element('span', {}, plural(words, 'member', household.members.length),
      learners ? ` · ${plural(words, 'learner', learners)}` : ''),
    element('span', {}, household.last_visit_on ? fill(words.last_visit, { date: formatDate(household.last_visit_on) }) : words.never_visited),
    marks.length ? element('span', { className: 'badges' }, marks) : null);
  return element('li', { className: 'card', dataset: { op: household.pending || null } }, link);
}

/** "Head of the family · 0912 345 678" */
export function memberDetails(words, member) {
  const role = (words.roles || {})[member.role] || member.role;
  return `${role}${member.phone ? ` · ${formatPhone(member.phone)}` : ''}`;
}

export function memberCard(words, member) {
  const waiting = member.pending || member.pending_edit;
  return element('li', { className: 'card member', dataset: { op: member.pending || null, member: member.id || null } },
    element('p', { className: 'card-title', dataset: { slot: 'member-name' } }, member.full_name || words.deleted),
    element('p', { dataset: { slot: 'member-details' } }, memberDetails(words, member)),
    waiting ? element('p', { className: 'badges' }, waitingBadge(words, waiting)) : null);
}

export function visitCard(words, visit) {
  const names = words.competencies || {};
  return element('li', { className: 'card visit', dataset: { op: visit.pending || null } },
    element('p', { className: 'card-title' }, formatDate(visit.visited_on)),
    visit.by ? element('p', {}, fill(words.by, { name: visit.by })) : null,
    visit.competencies.length ? element('ul', { className: 'practised' },
      visit.competencies.map((id) => element('li', {}, `${id} · ${names[id] || ''}`))) : null,
    visit.notes ? element('p', { className: 'visit-notes' }, visit.notes) : null,
    visit.pending ? element('p', { className: 'badges' }, waitingBadge(words, visit.pending)) : null);
}

export function learnerCard(learner, words) {
  const inner = [element('span', { className: 'card-title' }, learner.full_name), element('span', {}, formatPhone(learner.phone))];
  if (learner.pending) inner.push(element('span', { className: 'badges' }, waitingBadge(words, learner.pending)));
  const body = learner.id ? element('a', { href: `/learners/${learner.id}`, className: 'card-link' }, inner)
    : element('div', { className: 'card-link' }, inner);
  return element('li', { className: 'card', dataset: { op: learner.pending || null } }, body);
}

/** Put `items` drawn by `draw` into the list `list`; `empty` (a <p>) says when there is none. */
export function drawList(list, items, draw, empty) {
  list.replaceChildren(...items.map(draw));
  list.hidden = items.length === 0;
  if (empty) empty.hidden = items.length > 0;
}
