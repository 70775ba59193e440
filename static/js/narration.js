// "Listen": the step's approved human recording, else the phone's voice reading the step's
// speech-friendly text; when neither exists the player says so at once. A lesson's recordings
// are put in the 'hue-narration' cache when the lesson opens (the service worker plays them
// from there offline); they are not part of the first precache.

export const NARRATION_CACHE = 'hue-narration';
let player = null; // the page's <audio data-narration-player>
let recordings = {}; // step id -> { url, sha256, bytes }
let voices = [];
let listed = Promise.resolve();

export function stopNarration() {
  if (player) player.pause();
  if ('speechSynthesis' in window) speechSynthesis.cancel();
}

function readVoices() {
  voices = speechSynthesis.getVoices();
}

function voiceFor(lang) {
  const prefix = lang.slice(0, 2).toLowerCase();
  return voices.find((voice) => voice.lang.replace('_', '-').toLowerCase().startsWith(prefix));
}

/** Fetch a lesson's list of recordings (or the cached one offline) and cache its files. */
async function loadRecordings(listUrl) {
  const cache = 'caches' in window ? await caches.open(NARRATION_CACHE).catch(() => null) : null;
  let list = null;
  try {
    const response = await fetch(listUrl, { credentials: 'same-origin' });
    if (response.ok) {
      if (cache) await cache.put(listUrl, response.clone());
      list = await response.json();
    }
  } catch { /* offline: the cached list below */ }
  if (!list && cache) {
    const cached = await cache.match(listUrl);
    if (cached) list = await cached.json();
  }
  recordings = (list && list.steps) || {};
  return cache;
}

/** Put recordings in the cache unless already there; a failure leaves the phone's voice. */
export async function cacheFiles(cache, items) {
  let bytes = 0;
  for (const item of items) {
    if (!(await cache.match(item.url))) {
      try { await cache.add(new Request(item.url, { credentials: 'same-origin' })); } catch { continue; }
    }
    bytes += item.bytes || 0;
  }
  return bytes;
}

/** Get ready before the first tap: the page's audio element, the voices, the recordings. */
export function setupNarration(root) {
  player = root.querySelector('[data-narration-player]');
  if ('speechSynthesis' in window) {
    readVoices();
    speechSynthesis.addEventListener('voiceschanged', readVoices);
  }
  listed = loadRecordings(root.dataset.narration).catch(() => null);
  // The files are cached after the list is known; the page marks when they are all there.
  return listed.then(async (cache) => {
    if (cache) await cacheFiles(cache, Object.values(recordings));
    root.dataset.narrationCached = String(Object.keys(recordings).length);
  });
}

function spokenText(section) {
  // The step's speech-friendly text, then the hint and feedback the learner opened.
  const extra = [...section.querySelectorAll('.hint.say, .feedback.say')]
    .filter((el) => !el.hidden && !el.closest('[hidden]'))
    .map((el) => el.textContent.replace(/\s+/g, ' ').trim())
    .filter(Boolean);
  return [section.dataset.speech, ...extra].filter(Boolean).join(' ');
}

function speak(section, lang) {
  if (!('speechSynthesis' in window)) return false;
  const voice = voiceFor(lang);
  if (!voice) return false;
  const utterance = new SpeechSynthesisUtterance(spokenText(section));
  utterance.lang = lang;
  utterance.voice = voice;
  utterance.rate = 0.9; // a little slower than usual
  speechSynthesis.speak(utterance);
  return true;
}

/** Read the step aloud: 'recording', 'voice', or 'none' (say so at once). */
export async function narrate(section, lang) {
  stopNarration();
  await listed;
  const recording = recordings[section.dataset.step];
  const url = recording ? recording.url : section.dataset.audio;
  if (url && player) {
    if (player.getAttribute('src') !== url) player.src = url;
    player.currentTime = 0;
    try {
      await player.play();
      return 'recording';
    } catch { /* cannot play here: the phone's voice instead */ }
  }
  return speak(section, lang) ? 'voice' : 'none';
}
