// What the phone can check before a change is queued, with the server's own rules (so the
// ambassador hears it at the door, not hours later at sync): required fields (the form's
// `required`), phone numbers (accounts/phone.py), PINs, an address already registered in
// the ward copy on the phone (households/text.py address_key). The server checks again.

/** A Vietnamese mobile number in its 10-digit form, or the problem (phone.normalise_phone). */
export function normalisePhone(raw) {
  const text = (raw || '').trim();
  if (!text) return { problem: 'phone_empty' };
  if (/[^\d\s.\-()+]/.test(text)) return { problem: 'phone_letters' };
  let digits = text.replace(/\D/g, '');
  if (text.replace(/^\(+/, '').startsWith('+') || digits.startsWith('84') || digits.startsWith('0084')) {
    digits = `0${digits.replace(/^00/, '').replace(/^84/, '').replace(/^0+/, '')}`;
  }
  if (digits.length !== 10 || !['03', '05', '07', '08', '09'].some((prefix) => digits.startsWith(prefix))) {
    return { problem: 'phone_digits' };
  }
  return { phone: digits };
}

/** The address as the server compares it (text.address_key). */
export function addressKey(address) {
  return (address || '').normalize('NFC').toLowerCase()
    .replace(/[,.;:!?"'()]+/g, ' ').replace(/\s*([/-])\s*/g, '$1').split(/\s+/).filter(Boolean).join(' ');
}

function addressProblem(address) {
  const tidy = (address || '').split(/\s+/).filter(Boolean).join(' ');
  const letters = [...tidy].filter((ch) => /\p{L}/u.test(ch)).length;
  return tidy.length < 5 || letters < 2 ? 'address_short' : null;
}

function pinProblem(pin) {
  if (!/^\d{4,6}$/.test(pin || '')) return 'pin_rule';
  if (new Set(pin).size === 1 || '0123456789'.includes(pin) || '9876543210'.includes(pin)) return 'pin_easy';
  return null;
}

/** The problems of `op` (`[{field, problem}]`), given the ward as the phone knows it. */
export function problemsOf(op, { households = [], learners = [] } = {}) {
  const payload = op.payload || {};
  const found = [];
  const phone = (field, value, required = false) => {
    if (!required && !(value || '').trim()) return null;
    const checked = normalisePhone(value);
    if (checked.problem) found.push({ field, problem: checked.problem });
    return checked.phone || null;
  };
  const address = (value, except) => {
    const problem = addressProblem(value);
    if (problem) {
      found.push({ field: 'address', problem });
      return;
    }
    const key = addressKey(value);
    const taken = households.some((household) => household !== except
      && (household.address_key || addressKey(household.address)) === key);
    if (taken) found.push({ field: 'address', problem: 'duplicate_address' });
  };
  if (op.type === 'household_created') {
    address(payload.address, null);
    for (const member of payload.members || []) phone('member_phone', member.phone);
  } else if (op.type === 'household_updated' && 'address' in payload.fields) {
    const self = households.find((household) => String(household.id || household.client_id) === String(op.household));
    address(payload.fields.address, self || null);
  } else if (op.type === 'member_added') {
    phone('phone', payload.phone);
  } else if (op.type === 'member_updated' && 'phone' in payload.fields) {
    phone('phone', payload.fields.phone);
  } else if (op.type === 'learner_registered') {
    const number = phone('phone', payload.phone, true);
    if (number && learners.some((learner) => learner.phone === number)) found.push({ field: 'phone', problem: 'phone_taken' });
    const pin = pinProblem(payload.pin);
    if (pin) found.push({ field: 'pin', problem: pin });
    if (!payload.consent) found.push({ field: 'consent', problem: 'learner_consent' });
  }
  return found;
}

/** Show `problems` beside their fields (words: the page's words); focus the first. */
export function showProblems(form, problems, words) {
  for (const old of form.querySelectorAll('[data-phone-check]')) old.remove();
  for (const field of form.querySelectorAll('.field--error[data-checked]')) {
    field.classList.remove('field--error');
    delete field.dataset.checked;
  }
  let first = null;
  for (const { field, problem } of problems) {
    const input = form.elements[field];
    if (!input) continue;
    const box = input.closest('.field') || input.parentElement;
    const message = document.createElement('p');
    message.className = 'field-error';
    message.dataset.phoneCheck = problem;
    message.id = `${input.id}-check`;
    message.textContent = words[problem] || problem;
    box.classList.add('field--error');
    box.dataset.checked = 'true';
    input.before(message);
    input.setAttribute('aria-invalid', 'true');
    input.setAttribute('aria-describedby', message.id);
    first = first || input;
  }
  if (first) first.focus();
  return problems.length === 0;
}
