// The lesson player: one step per screen, hints, "listen", resume, and progress events.
// Every step is already in the page (it works offline once cached); this module shows one at
// a time and records answers in the outbox when a learner is signed in.
import { loadProgress, record, saveProgress } from './outbox.js';
import { narrate, setupNarration, stopNarration } from './narration.js';
import { keepShowing } from './next.js';
import { setupScan } from './scanner.js';
import { freshSession, learnerOf, rememberedSession } from './session.js';
import { steps as stepTypes } from './steps.js';

const root = document.getElementById('player');
const S = JSON.parse(document.getElementById('player-strings').textContent);
const { lesson: lessonId, lang, voice } = root.dataset;
const version = Number(root.dataset.version);
const sections = [...root.querySelectorAll('[data-step]')];
const practice = sections.filter((section) => section.dataset.type !== 'end');
const back = root.querySelector('[data-back]');
const next = root.querySelector('[data-next]');
const nav = root.querySelector('[data-nav]');
const guestNote = root.querySelector('[data-guest-note]');
const done = new Set();
const hinted = new Set();
let learner = null;
let current = 0;
let writing = Promise.resolve();

// Writes to the phone's storage go one at a time (a progress write reads the one before);
// a failure (storage full or blocked) never stops the lesson.
function write(work) {
  if (learner == null) return writing;
  writing = writing.then(work).catch(() => undefined);
  return writing;
}

function send(event) {
  return write(() => record({ lesson_id: lessonId, lesson_version: version, ...event }, learner));
}

function remember(fields) {
  const changes = { lesson_version: version, updated_at: new Date().toISOString(), ...fields };
  return write(() => saveProgress(learner, lessonId, changes));
}

function isDone(index) {
  const section = sections[index];
  return section.dataset.type === 'info' || done.has(section.dataset.step);
}

function updateNav() {
  const end = sections[current].dataset.type === 'end';
  nav.hidden = end;
  back.hidden = current === 0;
  next.hidden = !isDone(current);
  next.querySelector('span').textContent = current === practice.length - 1 ? S.finish : S.next;
}

function show(index, moveFocus = true) {
  stopNarration();
  const previous = sections[current];
  if (previous !== sections[index]) previous.dispatchEvent(new CustomEvent('step:hide'));
  current = index;
  sections.forEach((section, i) => { section.hidden = i !== index; });
  updateNav();
  if (moveFocus) sections[index].querySelector('h2').focus();
}

async function go(index) {
  if (sections[index].dataset.type === 'end') {
    send({ type: 'lesson_completed' });
    remember({ step_index: 0, step_id: practice[0].dataset.step, completed: true,
      completed_at: new Date().toISOString(), started: false });
    next.disabled = true;
    await writing; // the end screen's links leave the page: finish writing first
    next.disabled = false;
    showNextLesson();
  } else {
    remember({ step_index: index, step_id: sections[index].dataset.step });
  }
  show(index);
}

function context(section) {
  const stepId = section.dataset.step;
  return {
    S,
    lang,
    jsQrSrc: root.dataset.jsqr,
    text(name) {
      const node = section.querySelector(`[data-text="${name}"]`);
      return node ? node.textContent.trim() : '';
    },
    feedback(content, ok) {
      const box = section.querySelector('.feedback');
      box.replaceChildren();
      if (!content) return;
      const note = document.createElement('div');
      note.className = `notice ${ok ? 'notice--success' : 'notice--try'}`;
      note.append(content);
      box.append(note);
    },
    isDone: () => done.has(stepId),
    answered(correct, answer) {
      if (done.has(stepId)) return; // trying again after success is not a new answer
      send({ type: 'step_answered', step_id: stepId, correct, hint_used: hinted.has(stepId), answer });
      if (correct) {
        done.add(stepId);
        updateNav();
      }
    },
  };
}

function setupTools(section) {
  const stepId = section.dataset.step;
  const hintButton = section.querySelector('[data-hint]');
  if (hintButton) {
    hintButton.addEventListener('click', () => {
      const hint = section.querySelector('.hint');
      hint.hidden = !hint.hidden;
      hintButton.setAttribute('aria-expanded', String(!hint.hidden));
      if (!hint.hidden && !hinted.has(stepId)) {
        hinted.add(stepId);
        send({ type: 'hint_used', step_id: stepId });
      }
    });
  }
  const listen = section.querySelector('[data-listen]');
  if (listen) {
    listen.addEventListener('click', async () => {
      const note = section.querySelector('[data-voice-note]');
      const how = await narrate(section, voice);
      note.hidden = how !== 'none';
      if (how !== 'none') listen.querySelector('span').textContent = S.listen_again;
    });
  }
}

/** The end screen names the learner's next lesson from their plan merged with this phone's
 * queue (next.js), the same one home and "My progress" name; a guest gets the lesson's own. */
let nextShown = false;
async function showNextLesson() {
  const box = root.querySelector('[data-next-box]');
  if (learner == null || !box || nextShown) return;
  nextShown = true;
  const found = await keepShowing(box, learner, lang).catch(() => null);
  const fallback = root.querySelector('[data-next-fallback]');
  if (found && fallback) fallback.hidden = true;
}

async function start() {
  setupNarration(root).catch(() => undefined);
  for (const section of practice) {
    setupTools(section);
    const type = section.dataset.type;
    if (type === 'scan') setupScan(section, context(section));
    else if (stepTypes[type]) stepTypes[type](section, context(section));
  }
  back.addEventListener('click', () => go(Math.max(0, current - 1)));
  next.addEventListener('click', () => go(current + 1));

  // Start at once with the session this phone saw last (slow or no network), then check it.
  const remembered = rememberedSession();
  if (!remembered) {
    await begin(learnerOf(await freshSession()));
    return;
  }
  await begin(learnerOf(remembered));
  const fresh = learnerOf(await freshSession());
  if (fresh === learner) return;
  if (current === 0 && done.size === 0) await begin(fresh); // signed in or out since
  else learner = fresh;
  guestNote.hidden = learner != null;
}

async function begin(who) {
  learner = who;
  guestNote.hidden = learner != null;
  let saved = null;
  if (learner != null) saved = await loadProgress(learner, lessonId).catch(() => null);
  const resume = saved && saved.lesson_version === version && saved.step_index > 0
    && saved.step_index < practice.length ? saved.step_index : 0;
  for (let i = 0; i < resume; i += 1) done.add(practice[i].dataset.step);
  if (learner != null && (!saved || !saved.started || saved.lesson_version !== version)) {
    send({ type: 'lesson_started' });
    remember({ started: true, step_index: resume, step_id: practice[resume].dataset.step });
  }
  show(resume, resume > 0);
  root.classList.add('is-ready');
}

start();
