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

export function createDetail({ getUser, backLink, store }) {
  const view = $('#request-view');
  const state = $('.state', view);
  const article = $('article', view);
  // What is shown: the request's id and data, its follow-up, whether its own write is not saved yet.
  const shown = { db: null, id: null, request: null, followup: null, pendingWrite: false };
  let unsubs = [];
  let wantFocus = false;
  const callers = createCallers(view);
  const conversation = createConversation(view);
  const forms = createAnswerForms({ view, store, getUser, current: () => shown, onFailed: render });
  store.subscribe(() => { if (shown.request) forms.onStore(shown.request); });

  function hide() {
    for (const unsub of unsubs) unsub();
    unsubs = [];
    conversation.stop();
    callers.stop();
    forms.reset();
    Object.assign(shown, { id: null, request: null, followup: null });
  }

  function onRequest(snap) {
    if (!snap.exists()) {
      shown.request = null;
      article.hidden = true;
      setState(state, 'This request does not exist (any more).');
      return;
    }
    shown.request = snap.data({ serverTimestamps: 'estimate' });
    shown.pendingWrite = snap.metadata.hasPendingWrites;
    conversation.follow(shown.db, shown.request.conversationId);
    render();
  }

  /** Show a request; with focus, its heading takes the focus once it is loaded. */
  function show(db, id, { focus = false } = {}) {
    if (id === shown.id && unsubs.length) return;
    hide();
    wantFocus = focus;
    Object.assign(shown, { db, id });
    backLink($('.back', view));
    article.hidden = true;
    setState(state, 'Loading…');
    forms.load(id);
    unsubs = watchShown(db, id, {
      onRequest,
      onFollowup: (followup) => { shown.followup = followup; render(); },
      onError: (err) => {
        article.hidden = true;
        setState(state, describeListenError(err, 'this request'), true);
      },
    });
    callers.watch(db, id);
  }

  function render() {
    const { request } = shown;
    if (!request) return;
    setState(state, '');
    article.hidden = false;
    renderHeader(view, { ...shown, uid: getUser()?.uid });
    forms.render(request);
    if (wantFocus) {
      wantFocus = false;
      $('#request-title').focus();
    }
    callers.render(request, shown.followup);
  }

  return { show, hide };
}
