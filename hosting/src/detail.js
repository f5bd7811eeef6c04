// One help request (#/request/<id>): listens to the request and its follow-up, and hands them to its
// panels — the header (detail-header.js), the answer forms and suggestions (detail-answer.js), the
// group's callers (detail-callers.js) and the call's conversation (detail-conversation.js).
import { $, setState } from './dom.js';
import { createAnswerForms } from './detail-answer.js';
import { createCallers } from './detail-callers.js';
import { createConversation } from './detail-conversation.js';
import { renderHeader } from './detail-header.js';
import { describeListenError, watchFollowup, watchRequest } from './requests.js';

/** The request and its follow-up (its outbox entry, null until queued), live; returns the unsubscribes. */
function watchShown(db, id, { onRequest, onFollowup, onError }) {
  return [
    watchRequest(db, id, onRequest, onError),
    watchFollowup(db, id, (snap) => onFollowup(snap.exists() ? snap.data({ serverTimestamps: 'estimate' }) : null),
      (err) => console.error('followup', err)),
  ];
}

function hide(dv) {
  for (const unsub of dv.unsubs) unsub();
  dv.unsubs = [];
  dv.conversation.stop();
  dv.callers.stop();
  dv.forms.reset();
  Object.assign(dv.shown, { id: null, request: null, followup: null });
}

function onRequest(dv, snap) {
  const { shown } = dv;
  if (!snap.exists()) {
    shown.request = null;
    dv.article.hidden = true;
    setState(dv.state, 'This request does not exist (any more).');
    return;
  }
  shown.request = snap.data({ serverTimestamps: 'estimate' });
  shown.pendingWrite = snap.metadata.hasPendingWrites;
  dv.conversation.follow(shown.db, shown.request.conversationId);
  render(dv);
}

/** Show a request; with focus, its heading takes the focus once it is loaded. */
function show(dv, db, id, { focus = false } = {}) {
  if (id === dv.shown.id && dv.unsubs.length) return;
  hide(dv);
  dv.wantFocus = focus;
  Object.assign(dv.shown, { db, id });
  dv.backLink($('.back', dv.view));
  dv.article.hidden = true;
  setState(dv.state, 'Loading…');
  dv.forms.load(id);
  dv.unsubs = watchShown(db, id, {
    onRequest: (snap) => onRequest(dv, snap),
    onFollowup: (followup) => { dv.shown.followup = followup; render(dv); },
    onError: (err) => {
      dv.article.hidden = true;
      setState(dv.state, describeListenError(err, 'this request'), true);
    },
  });
  dv.callers.watch(db, id);
}

function render(dv) {
  const { shown } = dv;
  if (!shown.request) return;
  setState(dv.state, '');
  dv.article.hidden = false;
  renderHeader(dv.view, { ...shown, uid: dv.getUser()?.uid });
  dv.forms.render(shown.request);
  if (dv.wantFocus) {
    dv.wantFocus = false;
    $('#request-title').focus();
  }
  dv.callers.render(shown.request, shown.followup);
}

export function createDetail({ getUser, backLink, store }) {
  const view = $('#request-view');
  const dv = {
    view, getUser, backLink,
    state: $('.state', view),
    article: $('article', view),
    // What is shown: the request's id and data, its follow-up, whether its own write is not saved yet.
    shown: { db: null, id: null, request: null, followup: null, pendingWrite: false },
    unsubs: [],
    wantFocus: false,
    callers: createCallers(view),
    conversation: createConversation(view),
  };
  dv.forms = createAnswerForms({ view, store, getUser, current: () => dv.shown, onFailed: () => render(dv) });
  store.subscribe(() => { if (dv.shown.request) dv.forms.onStore(dv.shown.request); });
  return { show: (db, id, options) => show(dv, db, id, options), hide: () => hide(dv) };
}
