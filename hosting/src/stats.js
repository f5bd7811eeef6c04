// Stats: the functions keep `stats/summary` up to date; this view only listens to it.
import { $, el, setState, setTime } from './dom.js';
import { describeListenError } from './requests.js';
import { formatDuration, formatTime, toMillis } from './time.js';
import { doc, onSnapshot } from 'firebase/firestore';

const RATE_NOTE = 'Questions the AI answered itself, of all questions asked (last 30 days)';

/** The summary's words, by data-stat name (topUnanswered: its lines; null when nothing is unanswered). */
export function statTexts(s) {
  const rate = typeof s.deflectionRate === 'number' ? s.deflectionRate : null;
  const asked = s.questionsAsked ?? null;
  const top = (Array.isArray(s.topUnanswered) ? s.topUnanswered : []).map((t) => `${t.question ?? ''} — ${t.count ?? 0}×`);
  const updated = toMillis(s.updatedAt);
  return {
    deflectionRate: rate === null ? '—' : `${Math.round(rate * 100)} %`,
    deflectionDetail: asked === null ? 'no calls yet' : `${s.answeredByAI ?? 0} of ${asked} questions answered by the AI`,
    medianSecondsToAnswer: formatDuration(s.medianSecondsToAnswer) ?? '— (nothing answered yet)',
    openCount: String(s.openCount ?? 0),
    answeredToday: String(s.answeredToday ?? 0),
    topUnanswered: top.length ? top : null,
    updated: updated ? `Updated ${formatTime(updated)} by the Cloud Functions.` : '',
  };
}

function renderStats(view, s) {
  const texts = statTexts(s);
  const put = (name) => { $(`[data-stat="${name}"]`, view).textContent = texts[name]; };
  ['deflectionRate', 'deflectionDetail', 'medianSecondsToAnswer', 'openCount', 'answeredToday'].forEach(put);
  $('[data-stat="deflectionRate"]', view).title = RATE_NOTE;
  const oldest = toMillis(s.oldestPendingAt);
  const oldestNode = $('[data-stat="oldestPendingAt"]', view);
  oldestNode.replaceChildren();
  if (oldest) {
    const time = el('time');
    setTime(time, oldest, '');
    oldestNode.append(time);
  } else {
    oldestNode.textContent = 'none waiting';
  }
  $('.top-unanswered', view).replaceChildren(...(texts.topUnanswered
    ? texts.topUnanswered.map((line) => el('li', null, line)) : [el('li', 'muted', 'Nothing unanswered.')]));
  $('.updated', view).textContent = texts.updated;
}

/** Listens to the summary; returns the unsubscribe. */
function watchSummary(db, view) {
  const state = $('.state', view);
  const body = $('.stats-body', view);
  setState(state, 'Loading…');
  body.hidden = true;
  return onSnapshot(doc(db, 'stats', 'summary'), (snap) => {
    if (!snap.exists()) {
      body.hidden = true;
      setState(state, 'No statistics yet: the Cloud Functions compute them as calls come in.');
      return;
    }
    setState(state, '');
    body.hidden = false;
    renderStats(view, snap.data({ serverTimestamps: 'estimate' }));
  }, (err) => {
    console.error('stats', err);
    body.hidden = true;
    setState(state, describeListenError(err, 'the stats'), true);
  });
}

export function createStats() {
  const view = $('#stats-view');
  let unsub = null;
  return {
    start(db) { unsub ??= watchSummary(db, view); },
    stop() {
      unsub?.();
      unsub = null;
    },
    focusTarget: () => $('#stats-title'),
  };
}
