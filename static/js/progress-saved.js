// "My progress" from the copy this phone kept (next.js), merged with the results still
// waiting to be sent: opened by the service worker when /progress/ cannot be reached. It says
// that it is a copy, and how old.
import { current, render } from './next.js';
import { rememberedSession, learnerOf } from './session.js';

const root = document.querySelector('[data-saved-progress]');
const { texts, status } = JSON.parse(document.getElementById('saved-strings').textContent);
const lang = root.dataset.lang;

function age(ms) {
  const minutes = Math.max(0, Math.floor(ms / 60000));
  const hours = Math.floor(minutes / 60);
  const days = Math.floor(hours / 24);
  if (minutes < 1) return texts.just_now;
  if (minutes < 60) return minutes === 1 ? texts.one_minute : texts.minutes.replace('{n}', minutes);
  if (hours < 48) return hours === 1 ? texts.one_hour : texts.hours.replace('{n}', hours);
  return days === 1 ? texts.one_day : texts.days.replace('{n}', days);
}

/** One date style for people: "13 giờ 37, ngày 1 tháng 12 năm 2026" / "13:37, 1 December 2026". */
function when(at) {
  const date = new Date(at);
  const hh = date.getHours();
  const mm = String(date.getMinutes()).padStart(2, '0');
  if (lang === 'vi') {
    return `${hh} giờ ${mm}, ngày ${date.getDate()} tháng ${date.getMonth() + 1} năm ${date.getFullYear()}`;
  }
  const day = date.toLocaleDateString('en-GB', { day: 'numeric', month: 'long', year: 'numeric' });
  return `${String(hh).padStart(2, '0')}:${mm}, ${day}`;
}

async function show() {
  const learner = learnerOf(rememberedSession());
  const found = learner == null ? null : await current(learner, lang, { fetch: false });
  const note = root.querySelector('[data-saved-note]');
  if (!found) {
    note.hidden = true;
    root.querySelector('[data-no-copy]').hidden = false;
    root.dataset.state = 'empty';
    return;
  }
  const { copy, merged } = found;
  const data = copy.data;
  note.textContent = (navigator.onLine ? texts.online : texts.offline)
    .replace('{age}', age(Date.now() - copy.at)).replace('{when}', when(copy.at));
  render(root.querySelector('[data-next-box]'), merged.plan, data.titles || {});
  const known = new Set(Object.keys(data.titles || {}));
  const done = [...merged.done].filter((id) => known.size === 0 || known.has(id)).length;
  root.querySelector('[data-done-count]').textContent = texts.done
    .replace('{done}', done).replace('{total}', data.lessons_total);
  for (const area of root.querySelectorAll('[data-area]')) {
    const items = [...area.querySelectorAll('[data-competency]')];
    let mastered = 0;
    for (const item of items) {
      const state = (data.competencies[item.dataset.competency] || {}).status || 'not_started';
      if (state === 'mastered') mastered += 1;
      item.classList.add(`skill--${state}`);
      item.querySelector('[data-status]').textContent = status[state] || '';
    }
    area.querySelector('[data-area-count]').textContent = texts.mastered
      .replace('{mastered}', mastered).replace('{total}', items.length);
  }
  root.querySelector('[data-copy]').hidden = false;
  root.dataset.state = 'ready';
}

show();
