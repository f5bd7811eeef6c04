// The request's answer panels: the answer form (with the closest existing answers and "Find another
// answer…", suggest.js), the near-question choice, and "mark unresolved" with a reason. What was typed
// is kept per request until it is sent; a failed write says why on its form and keeps the text.
import { announce } from './alerts.js';
import { $, setFieldError, showCount, submitOnCtrlEnter } from './dom.js';
import {
  ANSWERABLE, ANSWER_MAX, REASON_MAX, answerRequest, checkAnswer, checkReason, describeError, kindOf, markUnresolved,
} from './requests.js';
import { createSuggestions } from './suggest.js';

/**
 * The knowledge choice for an answer when the supervisor made none: null for a call back or booking
 * (nothing to teach), a link when the text is the near entry's answer, 'ask' when a near entry exists.
 */
export function knowledgeFor(request, text, near) {
  if (kindOf(request) !== 'question') return null;
  if (near && text === near.answer) return { id: near.id, action: 'link' };
  return near ? 'ask' : undefined;
}

/** A request's drafts: what was typed for it, not yet sent. */
function draft(panel, key) {
  if (!panel.drafts.has(key)) panel.drafts.set(key, { answer: '', reason: '' });
  return panel.drafts.get(key);
}

function updateHelp({ forms }) {
  showCount(forms.answer.help, forms.answer.box.value, ANSWER_MAX, ' · Ctrl+Enter to send');
  showCount(forms.reason.help, forms.reason.box.value, REASON_MAX);
}

function wire(panel) {
  for (const [kind, f] of Object.entries(panel.forms)) {
    f.box.addEventListener('input', () => {
      draft(panel, panel.current().id)[kind] = f.box.value;
      if (kind === 'answer') panel.suggestions.hideChoice(); // the question was about the text as it was
      updateHelp(panel);
      if (f.box.getAttribute('aria-invalid') === 'true' && !f.check(f.box.value).error) setFieldError(f.error, f.box, '');
    });
    f.form.addEventListener('submit', (event) => {
      event.preventDefault();
      submit(panel, kind);
    });
  }
  submitOnCtrlEnter(panel.forms.answer.box);
}

/** A write went through: forget the draft; empty the box if that request is still shown. */
function sent(panel, target, f) {
  panel.drafts.delete(target);
  if (target === panel.current().id) {
    f.box.value = '';
    updateHelp(panel);
  }
}

/**
 * Send the answer or the reason. `knowledge` ({ id, action }) is what the supervisor chose about an
 * existing entry; left out, an answer to a question the knowledge base nearly has asks first.
 */
async function submit(panel, kind, knowledge) {
  const { suggestions } = panel;
  const f = panel.forms[kind];
  const isAnswer = kind === 'answer';
  const { text, error } = f.check(f.box.value);
  if (error) {
    suggestions.hideChoice();
    setFieldError(f.error, f.box, error);
    f.box.focus();
    return;
  }
  const { db, id: target, request } = panel.current();
  const user = panel.getUser();
  if (!user || !db) return;
  if (isAnswer && knowledge === undefined) {
    const near = suggestions.near();
    knowledge = knowledgeFor(request, text, near);
    if (knowledge === 'ask') {
      setFieldError(f.error, f.box, '');
      suggestions.askNear(near);
      return;
    }
  }
  setFieldError(f.error, f.box, '');
  panel.errors.delete(target);
  const button = $('button[type="submit"]', f.form);
  button.disabled = true;
  if (isAnswer) suggestions.setBusy(true);
  try {
    await (isAnswer ? answerRequest : markUnresolved)(db, target, text, user.uid, knowledge);
    sent(panel, target, f);
    announce(!isAnswer ? 'Marked unresolved.' : knowledge === null ? 'Closed.' : 'Answer sent.');
  } catch (err) {
    console.error(`${kind} failed`, target, err);
    const message = describeError(err, isAnswer ? 'the answer' : 'the reason');
    panel.errors.set(target, { [kind]: message });
    if (target === panel.current().id) {
      // The listener has rolled the request back to what the server has; say why, keep the text.
      setFieldError(f.error, f.box, message);
      panel.onFailed();
    }
  } finally {
    button.disabled = false;
    if (isAnswer) suggestions.setBusy(false);
  }
}

function onNearChoice(panel, action, near) {
  if (action === 'cancel' || !near) {
    panel.forms.answer.box.focus();
    return;
  }
  submit(panel, 'answer', { id: near.id, action });
}

/** "Use this answer": resolve with the entry's current answer, linked to it. */
async function useSuggestion(panel, s) {
  const { suggestions } = panel;
  const { db, id: target, request } = panel.current();
  const user = panel.getUser();
  if (!user || !db || !request) return;
  panel.errors.delete(target);
  suggestions.setError('');
  suggestions.hideChoice();
  suggestions.setBusy(true);
  try {
    await answerRequest(db, target, s.answer, user.uid, { id: s.id, action: 'link' });
    sent(panel, target, panel.forms.answer);
    announce('Answered with an existing answer.');
  } catch (err) {
    console.error('link failed', target, err);
    // A denied link usually means the entry's answer changed or it was deleted meanwhile.
    const message = err && err.code === 'permission-denied'
      ? 'Permission denied: the answer was not saved (the entry may have just changed; check it and try again).'
      : describeError(err, 'the answer');
    panel.errors.set(target, { link: message });
    if (target === panel.current().id) {
      suggestions.setError(message);
      panel.onFailed();
    }
  } finally {
    suggestions.setBusy(false);
  }
}

/** A request is shown: what was typed for it, and the error of its last failed write. */
function load(panel, id) {
  const { forms } = panel;
  const d = draft(panel, id);
  forms.answer.box.value = d.answer;
  forms.reason.box.value = d.reason;
  const e = panel.errors.get(id) || {};
  setFieldError(forms.answer.error, forms.answer.box, e.answer || '');
  setFieldError(forms.reason.error, forms.reason.box, e.reason || '');
  panel.suggestions.setError(e.link || '');
  updateHelp(panel);
}

/** Which forms the request's status allows, worded for its kind (a call back is closed with a note). */
function render({ forms, suggestions }, request) {
  const status = request.status;
  const question = kindOf(request) === 'question';
  const { form } = forms.answer;
  form.hidden = !ANSWERABLE.has(status);
  forms.reason.form.hidden = status !== 'pending';
  if (!ANSWERABLE.has(status) || !question) suggestions.hideChoice();
  suggestions.render(request, ANSWERABLE.has(status) && question);
  $('label', form).textContent = !question ? 'Your note (what you did)'
    : status === 'unresolved' ? 'Your answer (late answers still reach the caller)' : 'Your answer';
  $('.note-help', form).hidden = question;
  $('button[type="submit"]', form).textContent = question ? 'Send answer' : 'Close with note';
}

/** `current()` → { db, id, request } shown now; `onFailed()` redraws after a write the server refused. */
export function createAnswerForms({ view, store, getUser, current, onFailed }) {
  const panel = {
    forms: {
      answer: { form: $('.answer-form', view), box: $('#answer-text'), help: $('#answer-help'),
        error: $('#answer-error'), check: checkAnswer },
      reason: { form: $('.unresolved-form', view), box: $('#reason-text'), help: $('#reason-help'),
        error: $('#reason-error'), check: checkReason },
    },
    drafts: new Map(), // request id → { answer, reason } not yet sent
    errors: new Map(), // request id → { answer, reason, link } of the last failed write
    getUser,
    current,
    onFailed,
  };
  panel.suggestions = createSuggestions({
    view, store, onUse: (s) => useSuggestion(panel, s), onNearChoice: (action, near) => onNearChoice(panel, action, near),
  });
  wire(panel);
  return {
    load: (id) => load(panel, id),
    render: (request) => render(panel, request),
    /** The knowledge base changed: the suggestions show each entry's current answer. */
    onStore: (request) => panel.suggestions.render(request, ANSWERABLE.has(request.status)),
    reset: () => panel.suggestions.reset(),
  };
}
