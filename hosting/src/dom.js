// Small DOM helpers. Every string that comes from data goes in through textContent, never as HTML.
import { formatAge, formatTime } from './time.js';

export const $ = (selector, root = document) => root.querySelector(selector);
export const $$ = (selector, root = document) => [...root.querySelectorAll(selector)];

export function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined && text !== null) node.textContent = text;
  return node;
}

/** A <time> that keeps showing a live age ("asked 2 min ago"); refreshAges() updates every one. */
export function setTime(node, millis, prefix = '') {
  if (millis == null) {
    node.textContent = '';
    node.removeAttribute('datetime');
    node.removeAttribute('title');
    delete node.dataset.ms;
    return;
  }
  node.dateTime = new Date(millis).toISOString();
  node.title = formatTime(millis);
  node.dataset.ms = String(millis);
  node.dataset.prefix = prefix;
  node.textContent = `${prefix} ${formatAge(millis)}`.trim();
}

export function refreshAges(root = document) {
  for (const node of root.querySelectorAll('time[data-ms]')) {
    node.textContent = `${node.dataset.prefix || ''} ${formatAge(Number(node.dataset.ms))}`.trim();
  }
}

/** A status line: loading, empty or error; an empty text hides it. */
export function setState(node, text, isError = false) {
  node.textContent = text || '';
  node.hidden = !text;
  node.classList.toggle('error', Boolean(isError));
}

/** Show a form's error (or clear it) and mark the control invalid for assistive tech. */
export function setFieldError(errorNode, control, message) {
  errorNode.textContent = message || '';
  errorNode.hidden = !message;
  if (control) control.setAttribute('aria-invalid', message ? 'true' : 'false');
}

/** A length counter: "12 / 500" and `suffix`, marked when over; trimmed, counted as the rules count. */
export function showCount(help, value, max, suffix = '') {
  const n = value.trim().length;
  help.textContent = `${n} / ${max}${suffix}`;
  help.classList.toggle('over', n > max);
}

/** Ctrl+Enter (Cmd+Enter) in a control submits its form. */
export function submitOnCtrlEnter(control) {
  control.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      control.form.requestSubmit();
    }
  });
}
