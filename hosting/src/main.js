// Frontdesk supervisor dashboard: sign in, then a live support inbox (pending / resolved /
// unresolved, request detail), learned answers, review (conflicting answers, due entries) and stats.
// Routes live in the URL hash:
//   #/pending  #/resolved  #/unresolved  #/request/<id>  #/learned  #/learned/<id> (edit it)
//   #/review  #/stats
// Every caller-supplied string goes into the page through textContent, never as HTML.
import {
  onAuthStateChanged, signInWithEmailAndPassword, signOut,
} from 'firebase/auth';
import { initAlerts, resetAlerts } from './alerts.js';
import { createDetail } from './detail.js';
import { $, $$, refreshAges } from './dom.js';
import { initFirebase } from './firebase.js';
import { createInbox } from './inbox.js';
import { createKnowledgeStore } from './kbstore.js';
import { createLearned } from './learned.js';
import { STATUSES } from './requests.js';
import { createReview } from './review.js';
import { createStats } from './stats.js';

const boot = $('#boot');
const nav = $('#nav');
const account = $('#account');
const accountEmail = $('#account-email');
const signInForm = $('#sign-in-form');
const signInError = $('#sign-in-error');
const offlineBanner = $('#offline');
const VIEWS = {
  signIn: $('#sign-in-view'),
  denied: $('#denied-view'),
  pending: $('#list-pending'),
  resolved: $('#list-resolved'),
  unresolved: $('#list-unresolved'),
  request: $('#request-view'),
  learned: $('#learned-view'),
  review: $('#review-view'),
  stats: $('#stats-view'),
};

let fb = null;
let user = null;
let isSupervisor = false;
let authGeneration = 0;
let lastList = 'pending';
let serverUnreachable = false;

const getUser = () => user;
const store = createKnowledgeStore();
const inbox = createInbox({ onConnectivity: (fromCache) => { serverUnreachable = fromCache; renderOffline(); } });
const detail = createDetail({
  getUser,
  store,
  backLink: (link) => {
    link.href = `#/${lastList}`;
    link.textContent = `← Back to ${lastList}`;
  },
});
const learned = createLearned({ getUser, store });
const review = createReview({ getUser, store, badge: $('[data-count="review"]', nav) });
const stats = createStats();

function showOnly(name) {
  boot.hidden = name !== 'boot';
  for (const [key, node] of Object.entries(VIEWS)) node.hidden = key !== name;
}

// ---- offline ----------------------------------------------------------------------------------

function renderOffline() {
  offlineBanner.hidden = navigator.onLine && !(user && isSupervisor && serverUnreachable);
}
window.addEventListener('online', renderOffline);
window.addEventListener('offline', renderOffline);

// ---- routing ----------------------------------------------------------------------------------

function parseRoute() {
  const [, name = '', ...rest] = location.hash.split('/');
  if (name === 'request' && rest.length) return { name: 'request', id: decodeURIComponent(rest.join('/')) };
  if (name === 'learned' && rest.length && rest[0]) return { name: 'learned', id: decodeURIComponent(rest.join('/')) };
  if ([...STATUSES, 'learned', 'review', 'stats'].includes(name)) return { name };
  return { name: 'pending' };
}

function route({ focus = true } = {}) {
  if (!user || !isSupervisor) return;
  const r = parseRoute();
  if (STATUSES.includes(r.name)) lastList = r.name;
  if (r.name !== 'request') detail.hide();
  showOnly(r.name);
  for (const link of $$('a[data-route]', nav)) {
    const current = link.dataset.route === r.name || (r.name === 'request' && link.dataset.route === lastList);
    if (current) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
  let target;
  if (r.name === 'request') {
    detail.show(fb.db, r.id, { focus }); // focuses its heading once the request is loaded
  } else if (r.name === 'learned') {
    learned.start(fb.db);
    if (r.id) {
      learned.openEdit(r.id); // focuses the entry's form once it is loaded
      history.replaceState(null, '', '#/learned'); // a reload shows the list, not the editor again
      return;
    }
    target = learned.focusTarget();
  } else if (r.name === 'review') {
    target = review.focusTarget();
  } else if (r.name === 'stats') {
    stats.start(fb.db);
    target = stats.focusTarget();
  } else {
    target = $(`#title-${r.name}`);
  }
  // Keyboard and screen-reader users land on the new view's heading.
  if (focus && target) target.focus();
}
window.addEventListener('hashchange', () => route());

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
    (email ? signInForm.password : signInForm.email).focus();
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

function stopEverything() {
  inbox.stop();
  detail.hide();
  review.stop();
  store.stop();
  learned.stop();
  stats.stop();
  resetAlerts();
}

async function onUser(nextUser, { forceRefresh = false } = {}) {
  const generation = ++authGeneration;
  stopEverything();
  user = nextUser;
  isSupervisor = false;
  nav.hidden = true;
  renderOffline();
  if (!user) {
    account.hidden = true;
    showOnly('signIn');
    return;
  }
  account.hidden = false;
  accountEmail.textContent = user.email || user.uid;
  showOnly('boot');
  boot.textContent = 'Checking access…';
  let claims = {};
  try {
    ({ claims } = await user.getIdTokenResult(forceRefresh));
  } catch (err) {
    console.warn('Could not read the ID token', err);
  }
  if (generation !== authGeneration) return; // signed out or switched user meanwhile
  // The rules decide what is readable; this only avoids showing views that would all be denied.
  isSupervisor = claims.supervisor === true;
  if (!isSupervisor) {
    showOnly('denied');
    return;
  }
  nav.hidden = false;
  inbox.start(fb.db);
  store.start(fb.db);
  review.start(fb.db);
  route();
}

// ---- start ------------------------------------------------------------------------------------

async function start() {
  initAlerts($('#sound'), $('#announcer'));
  try {
    fb = await initFirebase();
  } catch (err) {
    console.error(err);
    boot.textContent = `The dashboard could not start: ${err.message}`;
    boot.classList.add('error');
    return;
  }
  signInForm.addEventListener('submit', onSignIn);
  $('#sign-out').addEventListener('click', () => signOut(fb.auth));
  $('#check-again').addEventListener('click', () => onUser(fb.auth.currentUser, { forceRefresh: true }));
  onAuthStateChanged(fb.auth, (u) => onUser(u));
  setInterval(refreshAges, 1000);
}

start();
