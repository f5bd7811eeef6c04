// Frontdesk supervisor dashboard: sign in, see help requests live by status, answer them.
// Every caller-supplied string goes into the page through textContent, never as HTML.
import { onAuthStateChanged, signInWithEmailAndPassword, signOut } from 'firebase/auth';
import { initFirebase } from './firebase.js';
import {
  ANSWER_MAX, ANSWERABLE, STATUSES, answerRequest, checkAnswer, describeError, watchStatus,
} from './requests.js';
import { formatAge, formatTime, toMillis } from './time.js';

const $ = (selector, root = document) => root.querySelector(selector);

const views = {
  boot: $('#boot'),
  signIn: $('#sign-in-view'),
  denied: $('#denied-view'),
  requests: $('#requests-view'),
};
const account = $('#account');
const accountEmail = $('#account-email');
const signInForm = $('#sign-in-form');
const signInError = $('#sign-in-error');

const panels = Object.fromEntries(STATUSES.map((status) => {
  const el = $(`#panel-${status}`);
  return [status, {
    el,
    list: $('.requests', el),
    state: $('.state', el),
    count: $(`[data-count="${status}"]`),
    rows: new Map(), // doc id → <li>
  }];
}));

let fb = null;
let unsubscribers = [];
let authGeneration = 0;
let formSeq = 0;
const drafts = new Map();    // doc id → unsent answer text (survives a row being re-created)
const rowErrors = new Map(); // doc id → message of the last failed write

function show(name, bootText) {
  for (const [key, el] of Object.entries(views)) el.hidden = key !== name;
  if (bootText) views.boot.textContent = bootText;
}

// ---- auth -------------------------------------------------------------------------------------

const AUTH_MESSAGES = {
  'auth/invalid-credential': 'Wrong email or password.',
  'auth/wrong-password': 'Wrong email or password.',
  'auth/user-not-found': 'Wrong email or password.',
  'auth/invalid-email': 'Enter a valid email address.',
  'auth/missing-password': 'Enter your password.',
  'auth/too-many-requests': 'Too many attempts; wait a moment and try again.',
  'auth/network-request-failed': 'Cannot reach the sign-in service.',
};

async function onSignIn(event) {
  event.preventDefault();
  const email = signInForm.email.value.trim();
  const password = signInForm.password.value;
  const button = $('button[type="submit"]', signInForm);
  signInError.hidden = true;
  if (!email || !password) {
    signInError.textContent = 'Enter your email and password.';
    signInError.hidden = false;
    return;
  }
  button.disabled = true;
  try {
    await signInWithEmailAndPassword(fb.auth, email, password);
    signInForm.reset();
  } catch (err) {
    signInError.textContent = AUTH_MESSAGES[err.code] || `Sign-in failed: ${err.message}`;
    signInError.hidden = false;
  } finally {
    button.disabled = false;
  }
}

async function onUser(user) {
  const generation = ++authGeneration;
  stopWatching();
  if (!user) {
    account.hidden = true;
    drafts.clear();
    rowErrors.clear();
    show('signIn');
    return;
  }
  account.hidden = false;
  accountEmail.textContent = user.email || user.uid;
  show('boot', 'Checking access…');
  let isSupervisor = false;
  try {
    const { claims } = await user.getIdTokenResult();
    isSupervisor = claims.supervisor === true;
  } catch (err) {
    console.warn('Could not read the ID token', err);
  }
  if (generation !== authGeneration) return; // signed out or switched user meanwhile
  if (!isSupervisor) {
    show('denied');
    return;
  }
  show('requests');
  startWatching();
}

// ---- live lists -------------------------------------------------------------------------------

function startWatching() {
  for (const status of STATUSES) {
    const panel = panels[status];
    setState(panel, 'Loading…');
    unsubscribers.push(watchStatus(
      fb.db, status,
      (snapshot) => renderSnapshot(status, snapshot),
      (err) => {
        console.error(`help_requests (${status})`, err);
        setState(panel, `Cannot load ${status} requests. ${describeError(err)}`, true);
      },
    ));
  }
}

function stopWatching() {
  for (const unsubscribe of unsubscribers) unsubscribe();
  unsubscribers = [];
  for (const panel of Object.values(panels)) {
    panel.list.replaceChildren();
    panel.rows.clear();
    panel.count.textContent = '0';
  }
}

function setState(panel, text, isError = false) {
  panel.state.textContent = text;
  panel.state.hidden = !text;
  panel.state.classList.toggle('error', isError);
}

function renderSnapshot(status, snapshot) {
  const panel = panels[status];
  const seen = new Set();
  snapshot.docs.forEach((snap, index) => {
    seen.add(snap.id);
    let li = panel.rows.get(snap.id);
    if (!li) {
      li = createRow(snap.id, status);
      panel.rows.set(snap.id, li);
    }
    updateRow(li, snap.data({ serverTimestamps: 'estimate' }), snap.metadata.hasPendingWrites);
    const current = panel.list.children[index];
    if (current !== li) panel.list.insertBefore(li, current || null);
  });
  for (const [id, li] of panel.rows) {
    if (!seen.has(id)) {
      li.remove();
      panel.rows.delete(id);
    }
  }
  panel.count.textContent = String(snapshot.size);
  setState(panel, snapshot.empty ? `No ${status} requests` : '');
}

function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

function createRow(id, status) {
  const li = el('li', 'request');
  li.dataset.id = id;
  li.dataset.status = status;

  const meta = el('div', 'meta');
  const phone = el('span', 'phone');
  const asked = el('time', 'age asked');
  meta.append(phone, asked);
  li.append(meta, el('p', 'question'));

  if (status === 'resolved') {
    const resolution = el('div', 'resolution');
    const answerMeta = el('div', 'meta');
    answerMeta.append(el('span', 'label', 'Answer'), el('time', 'age answered'));
    resolution.append(answerMeta, el('p', 'answer'), el('p', 'followup badge'));
    li.append(resolution);
  }
  if (status === 'unresolved') li.append(el('p', 'reason muted'));
  if (ANSWERABLE.has(status)) li.append(createAnswerForm(id));
  return li;
}

function createAnswerForm(id) {
  const n = ++formSeq;
  const form = el('form', 'answer-form');
  form.noValidate = true;
  const label = el('label', null, 'Your answer');
  label.htmlFor = `answer-${n}`;
  const textarea = el('textarea');
  textarea.id = `answer-${n}`;
  textarea.name = 'answer';
  textarea.rows = 3;
  textarea.value = drafts.get(id) || '';
  textarea.setAttribute('aria-describedby', `answer-${n}-help answer-${n}-error`);
  const foot = el('div', 'form-foot');
  const help = el('span', 'muted help');
  help.id = `answer-${n}-help`;
  const button = el('button', null, 'Send answer');
  button.type = 'submit';
  foot.append(help, button);
  const error = el('p', 'error');
  error.id = `answer-${n}-error`;
  error.setAttribute('role', 'alert');
  form.append(label, textarea, foot, error);
  updateHelp(textarea, help);
  setFormError(form, rowErrors.get(id) || '');

  textarea.addEventListener('input', () => {
    drafts.set(id, textarea.value);
    updateHelp(textarea, help);
    if (textarea.getAttribute('aria-invalid') === 'true' && !checkAnswer(textarea.value).error) {
      setFormError(form, '');
    }
  });
  textarea.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      form.requestSubmit();
    }
  });
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    submitAnswer(id, form);
  });
  return form;
}

function updateHelp(textarea, help) {
  const length = [...textarea.value.trim()].length;
  help.textContent = `${length} / ${ANSWER_MAX} · Ctrl+Enter to send`;
  help.classList.toggle('over', length > ANSWER_MAX);
}

function setFormError(form, message) {
  const error = $('.error', form);
  error.textContent = message;
  error.hidden = !message;
  $('textarea', form).setAttribute('aria-invalid', message ? 'true' : 'false');
}

function findRow(id) {
  for (const panel of Object.values(panels)) {
    const li = panel.rows.get(id);
    if (li) return li;
  }
  return null;
}

async function submitAnswer(id, form) {
  const textarea = $('textarea', form);
  const button = $('button[type="submit"]', form);
  const { text, error } = checkAnswer(textarea.value);
  if (error) {
    setFormError(form, error);
    textarea.focus();
    return;
  }
  const user = fb.auth.currentUser;
  if (!user) return;
  setFormError(form, '');
  rowErrors.delete(id);
  button.disabled = true;
  button.textContent = 'Sending…';
  try {
    await answerRequest(fb.db, id, text, user.uid);
    drafts.delete(id);
  } catch (err) {
    console.error('answer failed', id, err);
    const message = describeError(err);
    rowErrors.set(id, message);
    // The optimistic update may have moved the row away and back: show the error where it is now.
    const form2 = $('.answer-form', findRow(id) || form) || form;
    setFormError(form2, message);
  } finally {
    button.disabled = false;
    button.textContent = 'Send answer';
  }
}

function setTime(node, millis, prefix) {
  if (millis == null) {
    node.textContent = '';
    node.removeAttribute('datetime');
    delete node.dataset.ms;
    return;
  }
  node.dateTime = new Date(millis).toISOString();
  node.title = formatTime(millis);
  node.dataset.ms = String(millis);
  node.dataset.prefix = prefix;
  node.textContent = `${prefix} ${formatAge(millis)}`;
}

function updateRow(li, data, pendingWrite) {
  $('.phone', li).textContent = data.customerPhone || 'Unknown caller';
  $('.question', li).textContent = data.question || '';
  setTime($('.asked', li), toMillis(data.timestamp), 'asked');
  li.classList.toggle('saving', pendingWrite);

  if (li.dataset.status === 'resolved') {
    $('.answer', li).textContent = data.responseText || '';
    setTime($('.answered', li), toMillis(data.respondedAt), 'answered');
    const followup = $('.followup', li);
    const sent = data.followupSent === true;
    followup.textContent = pendingWrite ? 'Saving…' : sent ? 'Follow-up sent' : 'Follow-up not sent yet';
    followup.classList.toggle('ok', sent && !pendingWrite);
  }
  if (li.dataset.status === 'unresolved') {
    const reason = $('.reason', li);
    reason.textContent = data.unresolvedReason ? `Unresolved: ${data.unresolvedReason}` : '';
    reason.hidden = !data.unresolvedReason;
  }
}

function refreshAges() {
  for (const node of document.querySelectorAll('time.age[data-ms]')) {
    node.textContent = `${node.dataset.prefix} ${formatAge(Number(node.dataset.ms))}`;
  }
}

// ---- tabs -------------------------------------------------------------------------------------

const tabs = [...document.querySelectorAll('[role="tab"]')];

function selectTab(tab, focus = false) {
  for (const other of tabs) {
    const selected = other === tab;
    other.setAttribute('aria-selected', String(selected));
    other.tabIndex = selected ? 0 : -1;
    panels[other.dataset.status].el.hidden = !selected;
  }
  if (focus) tab.focus();
}

for (const tab of tabs) {
  tab.addEventListener('click', () => selectTab(tab));
  tab.addEventListener('keydown', (event) => {
    const step = { ArrowRight: 1, ArrowLeft: -1 }[event.key];
    if (!step) return;
    event.preventDefault();
    selectTab(tabs[(tabs.indexOf(tab) + step + tabs.length) % tabs.length], true);
  });
}

// ---- start ------------------------------------------------------------------------------------

async function start() {
  try {
    fb = await initFirebase();
  } catch (err) {
    console.error(err);
    show('boot', `The dashboard could not start: ${err.message}`);
    return;
  }
  signInForm.addEventListener('submit', onSignIn);
  $('#sign-out').addEventListener('click', () => signOut(fb.auth));
  onAuthStateChanged(fb.auth, onUser);
  setInterval(refreshAges, 30_000);
}

start();
