// The catalogue: the signed-in learner's group path first, then every area; marks the
// lessons this learner finished or began (from the phone's records). The page is the same for
// everyone (it is cached for offline use), so it carries every group's path as JSON.
import { allProgress } from './outbox.js';
import { freshSession, learnerOf } from './session.js';

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
  const session = await freshSession();
  const learner = learnerOf(session);
  if (learner == null) {
    const note = document.querySelector('[data-guest-note]');
    if (note) note.hidden = false;
    return;
  }
  showPath(session.group);
  for (const progress of await allProgress(learner)) {
    for (const card of document.querySelectorAll(`[data-lesson="${progress.lesson_id}"]`)) {
      const mark = card.querySelector(progress.completed ? '[data-done]' : '[data-started]');
      if (mark && (progress.completed || progress.step_index > 0)) mark.hidden = false;
    }
  }
}

markProgress();
