// The scan step: the camera (BarcodeDetector where the phone has it, else jsQR, loaded only
// then), a photo of the code, or typing the short code printed under it.

const PRACTICE_BIN = '000000';

export function normaliseCode(text) {
  return text.toUpperCase().replace(/[\s_.\-\u2013\u2014]/g, '');
}

function tlv(text) {
  const fields = {};
  for (let pos = 0; pos + 4 <= text.length;) {
    const length = Number(text.slice(pos + 2, pos + 4));
    fields[text.slice(pos, pos + 2)] = text.slice(pos + 4, pos + 4 + length);
    pos += 4 + length;
  }
  return fields;
}

/** Read what the practice bank app shows from a VietQR payload (EMVCo ID-length-value). */
export function readVietQr(payload) {
  const top = tlv(payload);
  const beneficiary = tlv(tlv(top['38'] || '')['01'] || '');
  return {
    bin: beneficiary['00'] || '',
    account: beneficiary['01'] || '',
    amount: top['54'] ? Number(top['54']) : null,
    purpose: tlv(top['62'] || '')['08'] || '',
  };
}

let jsQrLoading = null;
function loadJsQr(src) {
  if (!jsQrLoading) {
    jsQrLoading = new Promise((resolve, reject) => {
      const script = document.createElement('script');
      script.src = src;
      script.onload = () => resolve(window.jsQR);
      script.onerror = () => { jsQrLoading = null; reject(new Error('jsQR did not load')); };
      document.head.append(script);
    });
  }
  return jsQrLoading;
}

let native;
async function nativeDetector() {
  if (native === undefined) {
    native = null;
    try {
      if ('BarcodeDetector' in window
          && (await BarcodeDetector.getSupportedFormats()).includes('qr_code')) {
        native = new BarcodeDetector({ formats: ['qr_code'] });
      }
    } catch { /* no detector: jsQR */ }
  }
  return native;
}

let canvas = null; // made on the first decode: nothing touches the page at import

/** The text of the QR code in an image or video frame, or null. */
export async function decode(source, jsQrSrc, thorough) {
  const detector = await nativeDetector();
  if (detector) {
    try {
      const found = await detector.detect(source);
      if (found.length) return found[0].rawValue;
    } catch { /* try jsQR below on photos */ }
    if (!thorough) return null;
  }
  const jsQR = await loadJsQr(jsQrSrc);
  canvas = canvas || document.createElement('canvas');
  const width = source.videoWidth || source.naturalWidth || source.width;
  const height = source.videoHeight || source.naturalHeight || source.height;
  // A camera frame is read small (fast, many a second). A photo first at 1200 px; where the
  // code is small in it (a whole page photographed) its modules are then under 3 pixels, so
  // it is read again at up to 2400 px before saying there is no code.
  for (const side of thorough ? [1200, 2400] : [640]) {
    const scale = Math.min(1, side / Math.max(width, height));
    canvas.width = Math.round(width * scale);
    canvas.height = Math.round(height * scale);
    const context = canvas.getContext('2d', { willReadFrequently: true });
    context.drawImage(source, 0, 0, canvas.width, canvas.height);
    const image = context.getImageData(0, 0, canvas.width, canvas.height);
    const code = jsQR(image.data, image.width, image.height,
      { inversionAttempts: thorough ? 'attemptBoth' : 'dontInvert' });
    if (code) return code.data;
    if (scale === 1) break; // read at its full size already
  }
  return null;
}

export async function imageOf(file) {
  if ('createImageBitmap' in window) return createImageBitmap(file);
  const image = new Image();
  image.src = URL.createObjectURL(file);
  await image.decode();
  return image;
}

/**
 * Read a QR code with the camera or from a photo, in a box holding a <video>, the buttons
 * [data-camera] and [data-camera-stop], the [data-camera-box] shown while the camera is on and
 * a [data-photo] file input: the lesson's scan step and the certificate check use it alike.
 * `found(text, method)` gets what was read ('camera' or 'photo'); `say(text)` tells the user,
 * with `words` {cameraOn, noCamera, readerMissing, reading, photoNone}. Returns `{stop}`.
 */
export function setUpReader(box, { jsQrSrc, words, say, found }) {
  const video = box.querySelector('video');
  const cameraBox = box.querySelector('[data-camera-box]');
  const cameraButton = box.querySelector('[data-camera]');
  const photo = box.querySelector('[data-photo]');
  let stream = null;
  let timer = null;

  function stop() {
    clearTimeout(timer);
    if (stream) for (const track of stream.getTracks()) track.stop();
    stream = null;
    video.srcObject = null;
    cameraBox.hidden = true;
    cameraButton.hidden = false;
  }

  // One frame every 300 ms until a code is read, the camera is turned off or the reader fails.
  async function look() {
    if (!stream) return;
    if (video.readyState >= 2) {
      let text;
      try {
        text = await decode(video, jsQrSrc, false);
      } catch {
        stop();
        say(words.readerMissing);
        return;
      }
      if (text && stream) {
        stop();
        await found(text, 'camera');
        return;
      }
    }
    timer = setTimeout(look, 300);
  }

  cameraButton.addEventListener('click', async () => {
    say('');
    try {
      stream = await navigator.mediaDevices.getUserMedia(
        { video: { facingMode: { ideal: 'environment' } }, audio: false });
    } catch {
      say(words.noCamera);
      return;
    }
    video.srcObject = stream;
    cameraBox.hidden = false;
    cameraButton.hidden = true;
    video.play().catch(() => undefined);
    say(words.cameraOn);
    look();
  });
  box.querySelector('[data-camera-stop]').addEventListener('click', () => {
    stop();
    say('');
    cameraButton.focus();
  });

  photo.addEventListener('change', async () => {
    const file = photo.files[0];
    if (!file) return;
    say(words.reading);
    let text = null;
    try {
      text = await decode(await imageOf(file), jsQrSrc, true);
    } catch { /* unreadable picture */ }
    photo.value = '';
    if (text) await found(text, 'photo');
    else say(words.photoNone);
  });
  return { stop };
}

function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text != null) node.textContent = text;
  return node;
}

export function setupScan(section, ctx) {
  const S = ctx.S;
  const box = section.querySelector('[data-scan]');
  const { kind, code, payload, name } = box.dataset;
  const status = box.querySelector('[data-status]');
  const typeButton = box.querySelector('[data-type-code]');
  const codeForm = box.querySelector('[data-code-form]');
  const codeInput = codeForm.querySelector('input');
  const codeError = codeForm.querySelector('.field-error');

  const say = (text) => { status.textContent = text; status.hidden = !text; };

  function money(amount) {
    return S.money.replace('{n}', new Intl.NumberFormat(ctx.lang).format(amount));
  }

  function bankScreen(info) {
    const screen = el('div', 'phone bank-confirm');
    screen.append(el('p', 'phone-bar', S.bank_title));
    const rows = el('dl', 'bank-rows');
    for (const [label, value] of [
      [S.bank, info.bin === PRACTICE_BIN ? S.practice_bank : info.bin],
      [S.account_name, name],
      [S.account_number, info.account],
      [S.amount, info.amount ? money(info.amount) : S.amount_open],
      [S.message, info.purpose],
    ]) rows.append(el('dt', '', label), el('dd', 'say', value));
    screen.append(rows);
    return screen;
  }

  function matches(text) {
    const value = text.trim();
    if (kind !== 'link') return value === payload;
    const found = /\/p\/([A-Za-z0-9-]+)\/?$/.exec(value);
    return Boolean(found) && normaliseCode(found[1]) === normaliseCode(code);
  }

  // The answer carries what was read (the practice code's content) so the server can judge
  // it too; what a wrong scan read is not sent: a real QR code may hold personal data.
  function success(method, evidence) {
    camera.stop();
    say('');
    const result = el('div', 'scan-result');
    result.append(el('p', 'scan-result__title', S.scan_read));
    if (kind === 'vietqr') result.append(bankScreen(readVietQr(payload)));
    result.append(el('p', 'say', ctx.text('result')));
    ctx.feedback(result, true);
    ctx.answered(true, { method, ...evidence });
  }

  function scanned(text, method) {
    if (matches(text)) {
      success(method, { text: text.trim() });
    } else {
      say(S.scan_other);
      ctx.answered(false, { method });
    }
  }

  const camera = setUpReader(box, {
    jsQrSrc: ctx.jsQrSrc,
    words: { cameraOn: S.camera_on, noCamera: S.no_camera, readerMissing: S.reader_missing,
      reading: S.reading, photoNone: S.photo_none },
    say,
    found: scanned,
  });
  section.addEventListener('step:hide', camera.stop);

  typeButton.addEventListener('click', () => {
    codeForm.hidden = !codeForm.hidden;
    typeButton.setAttribute('aria-expanded', String(!codeForm.hidden));
    if (!codeForm.hidden) codeInput.focus();
  });
  codeForm.addEventListener('submit', (event) => {
    event.preventDefault();
    const ok = normaliseCode(codeInput.value) === normaliseCode(code);
    codeError.hidden = ok;
    codeInput.setAttribute('aria-invalid', String(!ok));
    if (ok) {
      codeInput.removeAttribute('aria-describedby');
      success('typed', { code: normaliseCode(codeInput.value) });
    } else {
      codeInput.setAttribute('aria-describedby', codeError.id);
      ctx.answered(false, { method: 'typed' });
      codeInput.focus();
    }
  });
}
