// "Who is learning?": one large tile per learner of this shared phone (family.js). On the
// sign-in page a tile fills in that learner's phone number, so they confirm with their own
// PIN; on the welcome page a tile leads to the sign-in page for that learner.
import { forgetDeleted, learners } from './family.js';

const section = document.querySelector('[data-family]');

function initial(name) {
  const words = String(name).trim().split(/\s+/);
  return (words[words.length - 1] || '?').charAt(0).toUpperCase(); // the given name comes last
}

function tile(person, onPick) {
  const item = document.createElement('li');
  const button = document.createElement(onPick ? 'button' : 'a');
  button.className = 'family-tile';
  button.dataset.who = String(person.id);
  if (onPick) {
    button.type = 'button';
    button.addEventListener('click', () => onPick(person));
  } else {
    button.href = `${section.dataset.signIn}#who=${person.id}`;
  }
  const badge = document.createElement('span');
  badge.className = 'family-tile__initial';
  badge.setAttribute('aria-hidden', 'true');
  badge.textContent = initial(person.name);
  const name = document.createElement('span');
  name.className = 'family-tile__name';
  name.textContent = person.name;
  button.append(badge, name);
  item.append(button);
  return item;
}

function setUpSignIn(people) {
  const form = document.querySelector('[data-sign-in-form]');
  const phone = form.querySelector('input[name=phone]');
  const phoneField = phone.closest('.field');
  const chosen = form.querySelector('[data-family-chosen]');
  const who = form.querySelector('input[name=who]');
  const pick = (person) => {
    phone.value = person.phone;
    who.value = String(person.id); // the server says so if this account was deleted
    phoneField.hidden = true;
    chosen.querySelector('[data-family-name]').textContent = person.name;
    chosen.hidden = false;
    section.dataset.picked = String(person.id);
    form.querySelector('input[name=pin]').focus();
  };
  chosen.querySelector('[data-family-other]').addEventListener('click', () => {
    phone.value = '';
    who.value = '';
    phoneField.hidden = false;
    chosen.hidden = true;
    delete section.dataset.picked;
    phone.focus();
  });
  section.querySelector('[data-family-tiles]').replaceChildren(...people.map((person) => tile(person, pick)));
  const wanted = /^#who=(\d+)$/.exec(window.location.hash);
  const person = wanted && people.find((item) => String(item.id) === wanted[1]);
  if (wanted) history.replaceState(null, '', window.location.pathname + window.location.search);
  if (person) pick(person);
}

async function setUp() {
  // The sign-in page said the picked tile's account was deleted: its tile and results go.
  const gone = document.querySelector('[data-sign-in-form][data-gone-account]');
  if (gone) await forgetDeleted(Number(gone.dataset.goneAccount));
  const people = learners();
  if (!section || people.length === 0) return;
  if (section.dataset.mode === 'sign-in') setUpSignIn(people);
  else section.querySelector('[data-family-tiles]').replaceChildren(...people.map((person) => tile(person, null)));
  section.hidden = false;
}

// app.js heard from the server that a learner of this phone was deleted: their tile goes.
document.addEventListener('family-forgot', (event) => {
  if (!section) return;
  const tile = section.querySelector(`[data-who="${event.detail.id}"]`);
  if (tile) tile.closest('li').remove();
  if (!section.querySelector('.family-tile')) section.hidden = true;
});

setUp();
