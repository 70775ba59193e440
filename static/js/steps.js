// The practice steps drawn by the server: choice, tap, order, form and scam. Each setup gets
// the step's <section> and `ctx` from the player: ctx.text(name), ctx.feedback(content, ok),
// ctx.answered(correct, answer), ctx.isDone(), ctx.S (the page's strings).

function mark(button, ok) {
  button.classList.remove('is-right', 'is-wrong');
  button.classList.add(ok ? 'is-right' : 'is-wrong');
}

function choice(section, ctx) {
  for (const button of section.querySelectorAll('[data-option]')) {
    button.addEventListener('click', () => {
      const ok = button.dataset.correct === 'true';
      mark(button, ok);
      ctx.feedback(ctx.text(`option-${button.dataset.option}`), ok);
      if (!ctx.isDone()) ctx.answered(ok, { option: button.dataset.option });
    });
  }
}

function tap(section, ctx) {
  const buttons = section.querySelectorAll('[data-element]');
  for (const button of buttons) {
    button.addEventListener('click', () => {
      const id = button.dataset.element;
      const ok = id === section.dataset.target;
      for (const other of buttons) other.classList.remove('is-wrong');
      mark(button, ok);
      // A wrong element may say what it is ("that is only information"); else the step's text.
      const said = ok ? ctx.text('success') : (ctx.text(`element-${id}`) || ctx.text('feedback'));
      ctx.feedback(said, ok);
      if (!ctx.isDone()) ctx.answered(ok, { element: id });
    });
  }
}

function order(section, ctx) {
  const correct = section.dataset.order.split(' ');
  const answer = section.querySelector('[data-answer]');
  const empty = section.querySelector('[data-answer-empty]');
  const poolLabel = section.querySelector('[data-pool-label]');
  const pool = [...section.querySelectorAll('[data-item]')];
  const undo = section.querySelector('[data-undo]');
  const reset = section.querySelector('[data-reset]');
  let chosen = [];

  function draw() {
    answer.replaceChildren(...chosen.map((button) => {
      const item = document.createElement('li');
      item.textContent = button.textContent;
      item.dataset.id = button.dataset.item;
      return item;
    }));
    empty.hidden = chosen.length > 0;
    poolLabel.hidden = chosen.length === pool.length;
    for (const button of pool) button.closest('li').hidden = chosen.includes(button);
    undo.disabled = reset.disabled = chosen.length === 0 || ctx.isDone();
  }

  function check() {
    const ids = chosen.map((button) => button.dataset.item);
    const ok = ids.join(' ') === correct.join(' ');
    ctx.answered(ok, { order: ids });
    draw();
    // Show which places are already right, so the next try is easier.
    [...answer.children].forEach((item, index) => item.classList.add(
      ids[index] === correct[index] ? 'is-right' : 'is-wrong'));
    ctx.feedback(ctx.text(ok ? 'success' : 'feedback'), ok);
    if (ok) answer.focus(); // the tapped item is gone: keep the focus in the step
    else reset.focus();
  }

  for (const button of pool) {
    button.addEventListener('click', () => {
      chosen.push(button);
      draw();
      const next = pool.find((other) => !chosen.includes(other));
      if (next) next.focus();
      if (chosen.length === pool.length) check();
    });
  }
  undo.addEventListener('click', () => { chosen.pop(); ctx.feedback(''); draw(); });
  reset.addEventListener('click', () => {
    chosen = [];
    ctx.feedback('');
    draw();
    pool[0].focus();
  });
  draw();
}

const compact = (text) => text.replace(/[\s.]/g, '');
const plain = (text) => text.trim().toLowerCase().replace(/\s+/g, ' ');

/** 'shape' when the field is empty or malformed, 'value' when it differs from the task's. */
function fieldProblem(field, input) {
  const value = input.value.trim();
  const { kind, min, length, expected } = field.dataset;
  if (!value) return ('required' in field.dataset || expected !== undefined) ? 'shape' : null;
  const digits = compact(value);
  if ((kind === 'digits' || kind === 'tel') && !/^\+?\d+$/.test(digits)) return 'shape';
  if (length && digits.replace('+', '').length !== Number(length)) return 'shape';
  if (min && value.length < Number(min)) return 'shape';
  if (expected !== undefined) {
    // Digits compare without spaces and dots: 60.000, 60 000 and 60000 are the same.
    const numeric = kind === 'digits' || kind === 'tel';
    const same = numeric ? digits === compact(expected) : plain(value) === plain(expected);
    if (!same) return 'value';
  }
  return null;
}

function form(section, ctx) {
  const element = section.querySelector('form');
  element.addEventListener('submit', (event) => {
    event.preventDefault();
    const wrong = [];
    for (const field of element.querySelectorAll('[data-field]')) {
      const input = field.querySelector('input, select, textarea');
      const problem = fieldProblem(field, input);
      const shapeError = field.querySelector('[data-error="shape"]');
      const valueError = field.querySelector('[data-error="value"]') || shapeError;
      const shown = problem === 'value' ? valueError : shapeError;
      for (const error of field.querySelectorAll('.field-error')) error.hidden = error !== shown || !problem;
      const bad = problem !== null;
      field.classList.toggle('field--error', bad);
      input.setAttribute('aria-invalid', String(bad));
      if (bad) {
        input.setAttribute('aria-describedby', shown.id);
        wrong.push(field.dataset.field);
      } else {
        input.removeAttribute('aria-describedby');
      }
    }
    const ok = wrong.length === 0;
    // Typed values stay on the phone: they may be real personal data.
    ctx.feedback(ok ? ctx.text('success') : ctx.S.form_check, ok);
    ctx.answered(ok, { wrong_fields: wrong });
    if (!ok) element.querySelector(`[data-field="${wrong[0]}"] .input`).focus();
  });
}

function scam(section, ctx) {
  const need = Number(section.dataset.find);
  const counter = section.querySelector('[data-found]');
  const found = new Set();
  const showCount = () => {
    counter.textContent = ctx.S.found.replace('{n}', found.size).replace('{total}', need);
  };
  for (const button of section.querySelectorAll('[data-line]')) {
    button.addEventListener('click', () => {
      const id = button.dataset.line;
      if (button.dataset.flag !== 'true') {
        ctx.feedback(ctx.text('safe'), false);
        if (!ctx.isDone()) ctx.answered(false, { line: id });
        return;
      }
      const why = section.querySelector(`[data-why="${id}"]`);
      why.hidden = false;
      button.setAttribute('aria-pressed', 'true');
      button.classList.remove('bubble--missed');
      found.add(id);
      showCount();
      const done = found.size >= need;
      ctx.feedback(done ? ctx.text('success') : why.textContent, true);
      if (done) revealMissed(section, found);
      if (done && !ctx.isDone()) ctx.answered(true, { found: [...found] });
    });
  }
  showCount();
}

/** At the end of a scam step, show every warning sign the learner did not tap, with why. */
function revealMissed(section, found) {
  for (const button of section.querySelectorAll('[data-line][data-flag="true"]')) {
    const id = button.dataset.line;
    if (found.has(id)) continue;
    button.classList.add('bubble--missed');
    section.querySelector(`[data-why="${id}"]`).hidden = false;
    section.querySelector(`[data-missed="${id}"]`).hidden = false;
  }
}

export const steps = { choice, tap, order, form, scam };
