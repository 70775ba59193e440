// "What next" and "done" on every device: the server ranks the lessons (progress/next.py, its
// plan comes with /api/v1/progress and with the home and progress pages); this module keeps
// the learner's last copy of it on the phone (for offline use, one copy per learner of a
// shared phone) and merges into it the events still waiting in the phone's queue, so a lesson
// finished or begun here counts before the server has heard of it.
import { pendingEvents, subscribe } from './outbox.js';
import { getJson } from './sender.js';

const KEY = 'hue-progress:';

/** The last copy of the learner's progress this phone kept: {at, data}, or null. */
export function savedCopy(learnerId) {
  try { return JSON.parse(localStorage.getItem(KEY + learnerId)); } catch { return null; }
}

export function saveCopy(learnerId, data) {
  const copy = { at: Date.now(), data };
  try { localStorage.setItem(KEY + learnerId, JSON.stringify(copy)); } catch { /* full or private */ }
  return copy;
}

/** Ask the server for the learner's progress (titles in `lang`); the new copy, or null. */
export async function fetchCopy(learnerId, lang) {
  const data = await getJson(`/api/v1/progress?lang=${encodeURIComponent(lang)}`, 10000);
  return data && data.learner_id === learnerId ? saveCopy(learnerId, data) : null;
}

/**
 * The server's progress `data` with the queued events `pending` of the same learner merged:
 * `plan` (best first, as the server will rank it once the events arrive), `done` and `begun`
 * (sets of lesson ids, for the catalogue's ticks).
 */
export function merge(data, pending) {
  const here = new Map();
  const ordered = [...pending].sort((a, b) => (a.occurred_at < b.occurred_at ? -1 : 1));
  for (const event of ordered) {
    const state = here.get(event.lesson_id) || { completed: false, answeredAt: null };
    if (event.type === 'lesson_completed') {
      state.completed = true;
      state.answeredAt = null;
    } else if (event.type === 'step_answered') {
      state.answeredAt = event.occurred_at;
    }
    here.set(event.lesson_id, state);
  }
  const server = (data && data.plan) || [];
  const onPath = new Map(server.map((item) => [item.lesson_id, item.on_path]));
  const begunHere = [...here].filter(([, state]) => state.answeredAt)
    .sort((a, b) => (a[1].answeredAt > b[1].answeredAt ? -1 : 1))
    .map(([id]) => ({ lesson_id: id, reason: 'continue', on_path: Boolean(onPath.get(id)) }));
  const begunIds = new Set(begunHere.map((item) => item.lesson_id));
  const doneHere = new Set([...here].filter(([, state]) => state.completed && !state.answeredAt).map(([id]) => id));
  const rest = server.filter((item) => !begunIds.has(item.lesson_id));
  const plan = [
    ...begunHere,
    ...rest.filter((item) => !doneHere.has(item.lesson_id)),
    // Done here, not yet judged by the server: last, as a lesson to practise again.
    ...rest.filter((item) => doneHere.has(item.lesson_id)).map((item) => ({ ...item, reason: 'practise' })),
  ];
  const lessons = (data && data.lessons) || {};
  const done = new Set([...Object.keys(lessons).filter((id) => lessons[id].completed), ...doneHere]);
  const begun = new Set([...Object.keys(lessons).filter((id) => lessons[id].half_done), ...begunIds]);
  for (const id of doneHere) begun.delete(id);
  return { plan, done, begun };
}

/** The words for one suggestion: [line, button], as progress/labels.py's next_texts(). */
export function texts(strings, item, title) {
  const label = { continue: 'label_continue', new: 'label_new' }[item.reason] || 'label_again';
  const why = item.reason === 'new' ? (item.on_path ? 'why_path' : 'why_new') : `why_${item.reason}`;
  return [strings[why], strings[label].replace('{title}', title)];
}

/** Show the first suggestion of `plan` in a [data-next-box] (or "all done" when empty). */
export function render(box, plan, titles) {
  const strings = JSON.parse(box.dataset.strings);
  const link = box.querySelector('[data-next-link]');
  const why = box.querySelector('[data-next-why]');
  const allDone = box.querySelector('[data-next-done]');
  const first = plan.find((item) => titles[item.lesson_id]) || null;
  link.hidden = !first;
  why.hidden = !first;
  allDone.hidden = Boolean(first);
  if (first) {
    const [line, label] = texts(strings, first, titles[first.lesson_id]);
    why.textContent = line;
    link.querySelector('[data-next-label]').textContent = label;
    link.href = box.dataset.lessonUrl.replace('__lesson__', encodeURIComponent(first.lesson_id));
    link.dataset.lesson = first.lesson_id;
  }
  box.dataset.state = 'ready';
  return first;
}

/** The learner's progress merged with their queue, from the server when it answers, else from
 * the phone's last copy: {copy, merged, fresh}; null when no copy exists. */
export async function current(learnerId, lang, { fetch = true } = {}) {
  const copy = (fetch && await fetchCopy(learnerId, lang)) || savedCopy(learnerId);
  if (!copy) return null;
  const pending = await pendingEvents(learnerId).catch(() => []);
  return { copy, merged: merge(copy.data, pending), fresh: fetch && copy.at > Date.now() - 60000 };
}

/**
 * Keep a [data-next-box] of a page right for the learner: the page's own data first (the home
 * and progress pages carry the server's answer), merged with the queue; again whenever queued
 * events reach the server.
 */
export async function keepShowing(box, learnerId, lang, embedded = null) {
  if (embedded) saveCopy(learnerId, embedded);
  const show = async (fetch) => {
    const found = await current(learnerId, lang, { fetch });
    if (found) render(box, found.merged.plan, found.copy.data.titles || {});
    return found;
  };
  // At once from the page's data or the phone's copy, then (when the page has none) from the
  // server: a slow network never leaves the box empty.
  let first = await show(false);
  if (!embedded) first = (await show(true)) || first;
  subscribe((change) => {
    if (change.kind === 'flushed' && change.outcome && change.outcome.sent > 0) show(true);
  });
  return first;
}
