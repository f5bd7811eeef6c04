// Stats: the functions keep `stats/summary` up to date; this view only listens to it.
import { $, el, setState, setTime } from './dom.js';
import { describeListenError } from './requests.js';
import { formatDuration, formatTime, toMillis } from './time.js';
import { doc, onSnapshot } from 'firebase/firestore';

export function createStats() {
  const view = $('#stats-view');
  const state = $('.state', view);
  const body = $('.stats-body', view);
  let unsub = null;

  const put = (name, text, note) => {
    const node = $(`[data-stat="${name}"]`, view);
    node.textContent = text;
    if (note !== undefined) node.title = note;
  };

  function render(s) {
    const rate = typeof s.deflectionRate === 'number' ? s.deflectionRate : null;
    put('deflectionRate', rate === null ? '—' : `${Math.round(rate * 100)} %`,
      'Questions the AI answered itself, of all questions asked (last 30 days)');
    const asked = s.questionsAsked ?? null;
    put('deflectionDetail', asked === null ? 'no calls yet'
      : `${s.answeredByAI ?? 0} of ${asked} questions answered by the AI`);
    put('medianSecondsToAnswer', formatDuration(s.medianSecondsToAnswer) ?? '— (nothing answered yet)');
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
    put('openCount', String(s.openCount ?? 0));
    put('answeredToday', String(s.answeredToday ?? 0));
    const top = $('.top-unanswered', view);
    const rows = (Array.isArray(s.topUnanswered) ? s.topUnanswered : [])
      .map((t) => el('li', null, `${t.question ?? ''} — ${t.count ?? 0}×`));
    if (!rows.length) rows.push(el('li', 'muted', 'Nothing unanswered.'));
    top.replaceChildren(...rows);
    const updated = toMillis(s.updatedAt);
    $('.updated', view).textContent = updated ? `Updated ${formatTime(updated)} by the Cloud Functions.` : '';
  }

  function start(db) {
    if (unsub) return;
    setState(state, 'Loading…');
    body.hidden = true;
    unsub = onSnapshot(doc(db, 'stats', 'summary'), (snap) => {
      if (!snap.exists()) {
        body.hidden = true;
        setState(state, 'No statistics yet: the Cloud Functions compute them as calls come in.');
        return;
      }
      setState(state, '');
      body.hidden = false;
      render(snap.data({ serverTimestamps: 'estimate' }));
    }, (err) => {
      console.error('stats', err);
      body.hidden = true;
      setState(state, describeListenError(err, 'the stats'), true);
    });
  }

  function stop() {
    unsub?.();
    unsub = null;
  }

  return { start, stop, focusTarget: () => $('#stats-title') };
}
