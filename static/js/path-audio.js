// "Download the audio of my path": every approved recording of the learner's path into the
// narration cache, on Wi-Fi. Where the browser tells the connection (navigator.connection)
// Wi-Fi goes ahead at once and mobile data asks first; elsewhere the page asks.
import { NARRATION_CACHE, cacheFiles } from './narration.js';

function size(bytes) {
  return bytes >= 1e6 ? `${(bytes / 1e6).toFixed(1)} MB` : `${Math.max(1, Math.round(bytes / 1e3))} kB`;
}

function fill(text, values) {
  return text.replace(/\{(\w+)\}/g, (_, name) => String(values[name]));
}

async function download(root, S, plan) {
  const status = root.querySelector('[data-path-audio-status]');
  const items = plan.lessons.flatMap((lesson) => Object.values(lesson.steps));
  const cache = await caches.open(NARRATION_CACHE);
  status.hidden = false;
  let done = 0;
  let failed = false;
  for (const lesson of plan.lessons) {
    // Each lesson's list too, so the player knows its recordings offline.
    try { await cache.add(new Request(lesson.list, { credentials: 'same-origin' })); } catch { failed = true; }
    for (const item of Object.values(lesson.steps)) {
      status.textContent = fill(S.working, { done, total: items.length });
      await cacheFiles(cache, [item]);
      if (!(await cache.match(item.url))) failed = true;
      done += 1;
    }
  }
  status.className = `notice ${failed ? 'notice--error' : 'notice--success'}`;
  status.textContent = failed ? S.failed : fill(S.done, { total: items.length, size: size(plan.bytes) });
}

function start(root) {
  const S = JSON.parse(document.getElementById('path-audio-strings').textContent);
  const ask = root.querySelector('[data-path-audio-ask]');
  const status = root.querySelector('[data-path-audio-status]');
  let plan = null;
  root.querySelector('[data-path-audio-start]').addEventListener('click', async () => {
    const response = await fetch(root.dataset.pathAudio, { credentials: 'same-origin' }).catch(() => null);
    if (!response || !response.ok) {
      status.hidden = false;
      status.className = 'notice notice--error';
      status.textContent = S.failed;
      return;
    }
    plan = await response.json();
    if (plan.lessons.every((lesson) => Object.keys(lesson.steps).length === 0)) {
      status.hidden = false;
      status.className = 'notice';
      status.textContent = S.nothing;
      return;
    }
    const type = navigator.connection && navigator.connection.type;
    if (type === 'wifi' || type === 'ethernet') {
      await download(root, S, plan);
      return;
    }
    root.querySelector('[data-path-audio-question]').textContent = fill(
      type === 'cellular' ? S.ask_cellular : S.ask_unknown, { size: size(plan.bytes) });
    ask.hidden = false;
    root.querySelector('[data-path-audio-yes]').focus();
  });
  root.querySelector('[data-path-audio-yes]').addEventListener('click', async () => {
    ask.hidden = true;
    if (plan) await download(root, S, plan);
  });
  root.querySelector('[data-path-audio-no]').addEventListener('click', () => { ask.hidden = true; });
}

const root = document.getElementById('path-audio');
if (root && 'caches' in window) start(root);
else if (root) root.hidden = true;
