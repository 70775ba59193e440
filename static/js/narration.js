// "Listen": the lesson's recorded file when it ships one, else the phone's speech synthesis.

let audio = null;

export function stopNarration() {
  if (audio) { audio.pause(); audio = null; }
  if ('speechSynthesis' in window) speechSynthesis.cancel();
}

function visibleTexts(section) {
  return [...section.querySelectorAll('.say')]
    .filter((el) => !el.closest('[hidden]'))
    .map((el) => el.textContent.replace(/\s+/g, ' ').trim())
    .filter(Boolean);
}

async function findVoice(lang) {
  const prefix = lang.slice(0, 2).toLowerCase();
  const pick = () => speechSynthesis.getVoices()
    .find((voice) => voice.lang.replace('_', '-').toLowerCase().startsWith(prefix));
  if (pick()) return pick();
  // Voices load late on many phones.
  await new Promise((resolve) => {
    speechSynthesis.addEventListener('voiceschanged', resolve, { once: true });
    setTimeout(resolve, 1500);
  });
  return pick();
}

async function speak(section, lang) {
  if (!('speechSynthesis' in window)) return false;
  const voice = await findVoice(lang);
  if (!voice) return false;
  const utterance = new SpeechSynthesisUtterance(visibleTexts(section).join('. '));
  utterance.lang = lang;
  utterance.voice = voice;
  utterance.rate = 0.9; // a little slower than usual
  speechSynthesis.speak(utterance);
  return true;
}

/** Read the step aloud; returns false when the phone has no voice for the language. */
export async function narrate(section, lang) {
  stopNarration();
  if (section.dataset.audio) {
    audio = new Audio(section.dataset.audio);
    try {
      await audio.play();
      return true;
    } catch { audio = null; /* fall back to the synthetic voice */ }
  }
  return speak(section, lang);
}
