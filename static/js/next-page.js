// The home and progress pages: the server's "what next" (carried by the page) merged with the
// events still waiting on this phone, and kept right as they reach the server.
import { keepShowing } from './next.js';

const box = document.querySelector('[data-next-box][data-learner]');
const data = document.getElementById('progress-data');
if (box && data) {
  const payload = JSON.parse(data.textContent);
  keepShowing(box, payload.learner_id, payload.lang, payload);
}
