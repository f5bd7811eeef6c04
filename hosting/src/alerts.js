// New-request alert: the page title, a short chime (Web Audio, no file) and a polite announcement
// for screen readers. The title keeps saying "New request" until the supervisor touches the page.
const BASE_TITLE = 'Frontdesk · Supervisor';
const SOUND_KEY = 'frontdesk.sound';

let pendingCount = 0;
let unseen = 0;
let audio = null;
let soundButton = null;
let announcer = null;

function renderTitle() {
  const count = pendingCount ? `(${pendingCount}) ` : '';
  document.title = unseen
    ? `New request${unseen > 1 ? `s (${unseen})` : ''} · ${count}${BASE_TITLE}`
    : `${count}${BASE_TITLE}`;
}

function soundOn() {
  return localStorage.getItem(SOUND_KEY) !== 'off';
}

function renderSoundButton() {
  const on = soundOn();
  soundButton.setAttribute('aria-pressed', String(on));
  soundButton.textContent = on ? 'Sound on' : 'Sound off';
}

// Browsers allow audio only after a user gesture: create (or resume) the context on the first one.
function unlockAudio() {
  try {
    audio = audio || new AudioContext();
    if (audio.state === 'suspended') audio.resume();
  } catch (err) {
    console.info('No audio:', err.message);
  }
}

function chime() {
  if (!soundOn() || !audio) return false;
  const t = audio.currentTime;
  for (const [i, freq] of [880, 1320].entries()) {
    const osc = audio.createOscillator();
    const gain = audio.createGain();
    osc.frequency.value = freq;
    gain.gain.setValueAtTime(0.0001, t + i * 0.15);
    gain.gain.exponentialRampToValueAtTime(0.2, t + i * 0.15 + 0.02);
    gain.gain.exponentialRampToValueAtTime(0.0001, t + i * 0.15 + 0.3);
    osc.connect(gain).connect(audio.destination);
    osc.start(t + i * 0.15);
    osc.stop(t + i * 0.15 + 0.32);
  }
  return true;
}

export function initAlerts(button, liveRegion) {
  soundButton = button;
  announcer = liveRegion;
  renderSoundButton();
  button.addEventListener('click', () => {
    localStorage.setItem(SOUND_KEY, soundOn() ? 'off' : 'on');
    renderSoundButton();
  });
  // Any interaction means the supervisor has seen the page.
  for (const type of ['pointerdown', 'keydown']) {
    document.addEventListener(type, () => {
      unlockAudio();
      if (unseen) {
        unseen = 0;
        renderTitle();
      }
    }, { capture: true });
  }
}

export function setPendingCount(n) {
  pendingCount = n;
  renderTitle();
}

/** One or more new pending requests arrived (after the first snapshot). */
export function newRequests(items) {
  if (!items.length) return;
  unseen += items.length;
  renderTitle();
  const first = items[0];
  announce(items.length === 1
    ? `New request from ${first.customerPhone || 'a caller'}: ${first.question || ''}`
    : `${items.length} new requests`);
  if (chime()) soundButton.dataset.chimes = String(Number(soundButton.dataset.chimes || 0) + 1);
}

export function announce(text) {
  if (announcer) announcer.textContent = text;
}

export function resetAlerts() {
  pendingCount = 0;
  unseen = 0;
  renderTitle();
  announce('');
}
