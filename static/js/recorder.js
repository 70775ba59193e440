// Recording a lesson step's narration in the browser: record, listen back, record again, send.
// Opus in WebM where the browser has it (Chrome, Firefox, Android), else AAC in MP4 (Safari);
// mono at the page's bitrate (24 kbit/s: speech-grade, about 180 kB a minute).
const root = document.getElementById('recorder');
const S = JSON.parse(document.getElementById('recorder-strings').textContent);
const support = document.querySelector('[data-recorder-support]');
const maxSeconds = Number(root.dataset.maxSeconds);
const TYPES = ['audio/webm;codecs=opus', 'audio/mp4;codecs=mp4a.40.2', 'audio/mp4'];

function chosenType() {
  if (!('MediaRecorder' in window) || !navigator.mediaDevices) return null;
  return TYPES.find((type) => MediaRecorder.isTypeSupported(type)) ?? null;
}

function say(item, text, kind = '') {
  const status = item.querySelector('[data-status]');
  status.textContent = text;
  status.className = `notice ${kind}`;
  status.hidden = !text;
}

let active = null; // the one recording going on: { item, recorder, stream, timer }

function stopActive() {
  if (active && active.recorder.state !== 'inactive') active.recorder.stop();
}

async function record(item, type) {
  stopActive();
  let stream;
  try {
    stream = await navigator.mediaDevices.getUserMedia({
      audio: { channelCount: 1, echoCancellation: true, noiseSuppression: true },
    });
  } catch {
    say(item, S.no_mic, 'notice--error');
    return;
  }
  const recorder = new MediaRecorder(stream, {
    mimeType: type, audioBitsPerSecond: Number(root.dataset.bitrate),
  });
  const chunks = [];
  let left = maxSeconds;
  const buttons = { record: item.querySelector('[data-record]'), stop: item.querySelector('[data-stop]') };
  recorder.addEventListener('dataavailable', (event) => { if (event.data.size) chunks.push(event.data); });
  recorder.addEventListener('stop', () => {
    clearInterval(active.timer);
    stream.getTracks().forEach((track) => track.stop());
    active = null;
    buttons.stop.hidden = true;
    buttons.record.hidden = false;
    buttons.record.textContent = S.again;
    const blob = new Blob(chunks, { type: recorder.mimeType || type });
    keep(item, blob);
  });
  active = { item, recorder, stream, timer: 0 };
  item.querySelector('[data-take]').hidden = true;
  buttons.record.hidden = true;
  buttons.stop.hidden = false;
  buttons.stop.focus();
  say(item, S.recording.replace('{n}', left));
  // The countdown shows the time left; at the limit the recording stops by itself.
  active.timer = setInterval(() => {
    left -= 1;
    say(item, S.recording.replace('{n}', left));
    if (left <= 0) stopActive();
  }, 1000);
  recorder.start();
}

function keep(item, blob) {
  const take = item.querySelector('[data-take]');
  const player = item.querySelector('[data-take-audio]');
  if (player.src) URL.revokeObjectURL(player.src);
  player.src = URL.createObjectURL(blob);
  take.hidden = false;
  take.blob = blob;
  say(item, '');
}

async function send(item) {
  const take = item.querySelector('[data-take]');
  const button = item.querySelector('[data-send]');
  button.disabled = true;
  say(item, S.sending);
  try {
    const response = await fetch(item.dataset.upload, {
      method: 'POST',
      body: take.blob,
      credentials: 'same-origin',
      headers: { 'Content-Type': take.blob.type.split(';')[0], 'X-CSRFToken': root.dataset.csrf },
    });
    const answer = await response.json().catch(() => ({}));
    if (!response.ok) {
      say(item, answer.message || S.failed, 'notice--error');
      return;
    }
    say(item, S.sent, 'notice--success');
    item.dataset.sent = String(answer.id);
    take.hidden = true;
  } catch {
    say(item, S.failed, 'notice--error');
  } finally {
    button.disabled = false;
  }
}

const type = chosenType();
if (!type) {
  support.textContent = S.unsupported;
  support.hidden = false;
}
for (const item of root.querySelectorAll('[data-step]')) {
  const recordButton = item.querySelector('[data-record]');
  recordButton.disabled = !type;
  recordButton.addEventListener('click', () => record(item, type));
  item.querySelector('[data-stop]').addEventListener('click', stopActive);
  item.querySelector('[data-send]').addEventListener('click', () => send(item));
}
