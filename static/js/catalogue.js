// The catalogue: mark the lessons this learner finished or began (from the phone's records).
import { allProgress } from './outbox.js';
import { freshSession, learnerOf } from './session.js';

async function markProgress() {
  const learner = learnerOf(await freshSession());
  if (learner == null) {
    const note = document.querySelector('[data-guest-note]');
    if (note) note.hidden = false;
    return;
  }
  for (const progress of await allProgress(learner)) {
    const card = document.querySelector(`[data-lesson="${progress.lesson_id}"]`);
    if (!card) continue;
    const mark = card.querySelector(progress.completed ? '[data-done]' : '[data-started]');
    if (mark && (progress.completed || progress.step_index > 0)) mark.hidden = false;
  }
}

markProgress();
