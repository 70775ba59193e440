// The catalogue: the signed-in learner's group path first, then every area; marks the
// lessons this learner finished or began (the server's record merged with the phone's). The page is the same for
// everyone (it is cached for offline use), so it carries every group's path as JSON.
import { current } from './next.js';
import { allProgress } from './outbox.js';
import { freshSession, learnerOf, rememberedSession } from './session.js';

function showPath(group) {
  const data = JSON.parse(document.getElementById('group-paths').textContent);
  const path = data.groups[group];
  const section = document.querySelector('[data-path]');
  if (!path || !section) return;
  const list = section.querySelector('[data-path-list]');
  const cards = path.lessons
    .map((id) => document.querySelector(`.catalogue section:not([data-path]) [data-lesson="${id}"]`))
    .filter(Boolean)
    .map((card) => card.cloneNode(true));
  if (cards.length === 0) return;
  list.replaceChildren(...cards);
  section.querySelector('[data-path-title]').textContent = data.title.replace('{group}', path.name);
  section.hidden = false;
}

async function markProgress() {
  // Before the first paint (this script blocks rendering): the path of the learner this
  // phone saw last, so the lessons below do not move down once the server answers.
  const seen = rememberedSession();
  if (learnerOf(seen) != null) showPath(seen.group);
  const session = await freshSession();
  const learner = learnerOf(session);
  if (learner == null) {
    const note = document.querySelector('[data-guest-note]');
    if (note) note.hidden = false;
    const section = document.querySelector('[data-path]');
    if (section) section.hidden = true;
    return;
  }
  showPath(session.group);
  const done = new Set();
  const begun = new Set();
  for (const progress of await allProgress(learner)) {
    if (progress.completed) done.add(progress.lesson_id);
    else if (progress.step_index > 0) begun.add(progress.lesson_id);
  }
  mark(done, begun);
  // What the server has (done on another phone or a ward tablet), merged with this phone's
  // queue; offline, the last copy the phone kept.
  const lang = document.documentElement.lang === 'en' ? 'en' : 'vi';
  const found = await current(learner, lang, { fetch: navigator.onLine }).catch(() => null);
  if (!found) return;
  for (const id of found.merged.done) done.add(id);
  for (const id of found.merged.begun) begun.add(id);
  mark(done, begun);
}

function mark(done, begun) {
  for (const card of document.querySelectorAll('[data-lesson]')) {
    const id = card.dataset.lesson;
    card.querySelector('[data-done]').hidden = !done.has(id);
    card.querySelector('[data-started]').hidden = done.has(id) || !begun.has(id);
  }
  document.querySelector('.catalogue').dataset.marked = String(done.size + begun.size);
}

markProgress();
