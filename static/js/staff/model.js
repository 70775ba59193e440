// The ward as the ambassador sees it on the phone: the ward copy with the changes still
// waiting in the queue laid over it (a household registered offline is in the list, a
// visit logged a minute ago is in its household's visits, an edited name is the heading),
// each marked with the op it waits in. Plain data, no DOM.
import { fold } from './render.js';

function sameRef(household, ref) {
  if (ref == null) return false;
  return household.id === ref || household.id === Number(ref) || (household.client_id && household.client_id === String(ref));
}

/** The ward copy with the queued `ops` laid over it: `{households, learners}`. */
export function withQueued(ward, ops) {
  const households = ((ward && ward.households) || []).map((h) => ({ ...h, members: [...h.members], visits: [...h.visits] }));
  const learners = [...((ward && ward.learners) || [])];
  const find = (ref) => households.find((household) => sameRef(household, ref));
  for (const op of ops) {
    const payload = op.payload || {};
    if (op.type === 'household_created') {
      if (find(op.id)) continue; // already in the copy (stored, copy refreshed)
      households.unshift({
        id: null, client_id: op.id, pending: op.id, address: payload.address, name: payload.name || null,
        members: (payload.members || []).map((member) => ({ ...member, pending: op.id })), visits: [],
        last_visit_on: null, overdue: true, member_stuck: false, digital_family: false,
        consent_status: 'given', consent_on: op.occurred_at.slice(0, 10),
        search: fold([payload.name, payload.address, ...(payload.members || []).map((m) => `${m.full_name} ${m.phone || ''}`)].join(' ')),
      });
    } else if (op.type === 'learner_registered') {
      learners.unshift({ id: null, full_name: payload.full_name, phone: payload.phone, pending: op.id });
    } else {
      const household = find(op.household);
      if (!household) continue;
      if (op.type === 'member_added') household.members.push({ ...payload, pending: op.id });
      if (op.type === 'member_updated') {
        const at = household.members.findIndex((member) => member.id === payload.member);
        const fields = { ...payload.fields };
        if ('phone' in fields) fields.phone = fields.phone.replace(/\D/g, '') || null;
        if (at >= 0) household.members[at] = { ...household.members[at], ...fields, pending_edit: op.id };
      }
      if (op.type === 'visit_logged') {
        household.visits.unshift({ ...payload, by: '', pending: op.id });
        if (!household.last_visit_on || payload.visited_on > household.last_visit_on) household.last_visit_on = payload.visited_on;
        household.overdue = false;
      }
      if (op.type === 'household_updated') {
        Object.assign(household, payload.fields);
        household.pending_edit = op.id;
      }
    }
  }
  return { households, learners };
}

export function findHousehold(households, ref) {
  return households.find((household) => sameRef(household, ref)) || null;
}

/** The digits to look for when a search looks like (part of) a phone number (text.phone_digits). */
function phoneDigits(query) {
  if (!/^[\d\s.\-()+]+$/.test(query)) return null;
  let digits = query.replace(/\D/g, '');
  if (digits.length < 3) return null;
  if (query.replace(/^\(/, '').startsWith('+') || digits.startsWith('0084')) {
    digits = `0${digits.replace(/^00/, '').replace(/^84/, '').replace(/^0+/, '')}`;
  } else if (digits.startsWith('84') && digits.length >= 11) {
    digits = `0${digits.slice(2).replace(/^0+/, '')}`;
  }
  return digits;
}

/** The households matching the list's search and filters, longest without a visit first
 * (the server's listing.home_page rules). */
export function filterHouseholds(households, { q = '', needsVisit = false, family = '', learners = '', mine = false }) {
  const words = fold(q.slice(0, 100)).split(' ').filter(Boolean);
  const digits = phoneDigits(q.trim());
  return households.filter((household) => {
    const text = household.search || '';
    if (words.length && !words.every((word) => text.includes(word)) && !(digits && text.includes(digits))) return false;
    if (needsVisit && !(household.overdue || household.member_stuck)) return false;
    if (mine && !household.mine) return false;
    if (family && household.digital_family !== (family === 'yes')) return false;
    const hasLearner = household.members.some((member) => member.learner_id);
    if (learners && hasLearner !== (learners === 'yes')) return false;
    return true;
  }).sort((a, b) => {
    if (Boolean(a.pending) !== Boolean(b.pending)) return a.pending ? -1 : 1;
    return (a.last_visit_on || '').localeCompare(b.last_visit_on || '') || (a.id || 0) - (b.id || 0);
  });
}

export function filterLearners(learners, q) {
  const words = fold(q).split(' ').filter(Boolean);
  const digits = q.replace(/\D/g, '');
  return learners.filter((learner) => {
    const name = fold(learner.full_name);
    return !words.length || words.every((word) => name.includes(word)) || (digits.length >= 3 && (learner.phone || '').includes(digits));
  });
}
