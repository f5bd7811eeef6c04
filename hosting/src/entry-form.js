// The knowledge entry form (index.html's <template id="entry-form-template">), one template for adding
// an entry and for editing one: each copy gets its own ids, length counters, the review date's hint
// and clear button, Ctrl+Enter to save; readEntryForm checks it the way firestore.rules will.
import { $, setFieldError, showCount, submitOnCtrlEnter } from './dom.js';
import { ENTRY_ANSWER_MAX, QUESTION_MAX, checkEntry, checkReviewDate, dateInputValue } from './knowledge.js';

const FIELDS = { question: 'question', answer: 'answer', review: 'reviewBy' }; // data-field → control name
const LIMITS = { question: QUESTION_MAX, answer: ENTRY_ANSWER_MAX };

/**
 * A copy of the form with ids `<prefix>-question|answer|review` (and `-help`), filled with `values`
 * ({ question, answer, reviewBy: 'YYYY-MM-DD' }); `submit` names its button, `hint` its foot, `cancel`
 * shows the Cancel button, `rows` sizes the answer box.
 */
export function entryForm(prefix, { submit = 'Save', hint = null, cancel = false, rows = 3, values = {} } = {}) {
  const form = document.getElementById('entry-form-template').content.firstElementChild.cloneNode(true);
  for (const [field, name] of Object.entries(FIELDS)) {
    const id = `${prefix}-${field}`;
    $(`label[data-field="${field}"]`, form).htmlFor = id;
    const control = form[name];
    control.id = id;
    control.value = values[name] || '';
    const help = $(`[data-help="${field}"]`, form);
    help.id = `${id}-help`;
    control.setAttribute('aria-describedby', help.id);
  }
  form.answer.rows = rows;
  $('button[type="submit"]', form).textContent = submit;
  if (hint) $('.hint', form).textContent = hint;
  $('.cancel', form).hidden = !cancel;
  for (const name of ['question', 'answer']) {
    wireCounter(form, name, LIMITS[name]);
    submitOnCtrlEnter(form[name]);
  }
  wireReviewDate(form);
  return form;
}

/** The first problem of a checked entry and its review date: { message, field } or null. */
export function entryProblem(check, review) {
  if (check.question.error) return { message: check.question.error, field: 'question' };
  if (check.answer.error) return { message: check.answer.error, field: 'answer' };
  if (review.error) return { message: review.error, field: 'reviewBy' };
  return null;
}

/**
 * Check the form: { value: { question, answer, reviewBy } } or null after showing the first problem
 * on its error line and focusing that control. `previous`: the review date the entry had (kept as is).
 */
export function readEntryForm(form, { previous = null } = {}) {
  const check = checkEntry(form.question.value, form.answer.value);
  const review = checkReviewDate(form.reviewBy.value, { previous });
  form.reviewBy.setAttribute('aria-invalid', review.error ? 'true' : 'false');
  const problem = entryProblem(check, review);
  setFieldError($('.error', form), null, problem ? problem.message : '');
  if (problem) {
    form[problem.field].focus();
    return null;
  }
  return { value: { question: check.question.text, answer: check.answer.text, reviewBy: review.value } };
}

function wireCounter(form, name, max) {
  const control = form[name];
  const help = form.querySelector(`#${CSS.escape(control.getAttribute('aria-describedby'))}`);
  const update = () => showCount(help, control.value, max);
  control.addEventListener('input', update);
  control._updateCounter = update;
  update();
}

/** Redraw the counters and the review hint after the form's values were set from code. */
export function refreshCounters(form) {
  for (const control of form.querySelectorAll('input, textarea')) control._updateCounter?.();
}

/** The review date's hint, and its clear button (a date input has no clear control of its own here). */
function wireReviewDate(form) {
  const input = form.reviewBy;
  const help = form.querySelector(`#${CSS.escape(input.getAttribute('aria-describedby'))}`);
  const clear = form.querySelector('.clear-review');
  const update = () => {
    help.textContent = input.value
      ? 'Listed under Review from that day, to check the answer is still right.'
      : 'Optional: when to check this answer again (prices, seasonal hours).';
    clear.hidden = !input.value;
  };
  input.addEventListener('input', update);
  input.addEventListener('change', update);
  clear.addEventListener('click', () => {
    input.value = '';
    input.dispatchEvent(new Event('input', { bubbles: true }));
    input.setAttribute('aria-invalid', 'false');
    input.focus();
  });
  input._updateCounter = update;
  const min = new Date();
  min.setDate(min.getDate() + 1);
  input.min = dateInputValue(min);
  update();
}
