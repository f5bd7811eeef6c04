// Frontdesk supervisor dashboard: sign in, then a live support inbox (pending / resolved /
// unresolved, request detail), learned answers, review (conflicting answers, due entries) and stats.
// Routes live in the URL hash (routes.js):
//   #/pending  #/resolved  #/unresolved  #/request/<id>  #/learned  #/learned/<id> (edit it)
//   #/review  #/stats
// Every caller-supplied string goes into the page through textContent, never as HTML.
import {
  onAuthStateChanged, signInWithEmailAndPassword, signOut,
} from 'firebase/auth';
import { initAlerts, resetAlerts } from './alerts.js';
import { createDetail } from './detail.js';
import { $, $$, el, refreshAges } from './dom.js';
import { initFirebase } from './firebase.js';
import { createInbox } from './inbox.js';
import { createKnowledgeStore } from './kbstore.js';
import { createLearned } from './learned.js';
import { createReview } from './review.js';
import { matchRoute } from './routes.js';
import { createStats } from './stats.js';

const boot = $('#boot');
const nav = $('#nav');
const account = $('#account');
const accountEmail = $('#account-email');
const signInForm = $('#sign-in-form');
const signInError = $('#sign-in-error');
const offlineBanner = $('#offline');
const PAGES = { signIn: $('#sign-in-view'), denied: $('#denied-view') }; // shown outside the routes

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
  for (const [key, node] of Object.entries(PAGES)) node.hidden = key !== name;
  for (const [key, view] of Object.entries(VIEWS)) view.section.hidden = key !== name;
}

// ---- offline ----------------------------------------------------------------------------------

function renderOffline() {
  offlineBanner.hidden = navigator.onLine && !(user && isSupervisor && serverUnreachable);
}
window.addEventListener('online', renderOffline);
window.addEventListener('offline', renderOffline);

// ---- routing ----------------------------------------------------------------------------------
// Every view has one interface: `section` (its page part), `show(db, params, { focus })` returning the
// element to focus (or null when the view focuses itself once loaded), `hide()`; `nav` says which nav
// link is current. routes.js maps the URL hash to a view: a new view is one module and one table row.

const listView = (status) => ({
  section: $(`#list-${status}`),
  show: () => { lastList = status; return $(`#title-${status}`); },
});

const VIEWS = {
  pending: listView('pending'),
  resolved: listView('resolved'),
  unresolved: listView('unresolved'),
  request: {
    section: $('#request-view'),
    nav: () => lastList,
    show: (db, { id }, { focus }) => { detail.show(db, id, { focus }); return null; }, // focuses once loaded
    hide: () => detail.hide(),
  },
  learned: {
    section: $('#learned-view'),
    show: (db, { id }) => {
      learned.start(db);
      if (!id) return learned.focusTarget();
      learned.openEdit(id); // focuses the entry's form once it is loaded
      history.replaceState(null, '', '#/learned'); // a reload shows the list, not the editor again
      return null;
    },
  },
  review: { section: $('#review-view'), show: () => review.focusTarget() },
  stats: { section: $('#stats-view'), show: (db) => { stats.start(db); return stats.focusTarget(); } },
};
let shown = null;

// A view added since is a module of its own, `view-<name>.js`, found at build time, plus its row in
// routes.js: nothing else to edit. It exports `view` = { name, nav (its link's label, optional),
// create({ getUser, store }) → { section (built by the module), show, hide?, stop? } }.
const ADDED = Object.values(import.meta.glob('./view-*.js', { eager: true })).map((m) => m.view);
for (const { name, nav: label, create } of ADDED) {
  const view = create({ getUser, store });
  view.section.hidden = true;
  $('#main').append(view.section);
  if (label) {
    const link = el('a', null, label);
    link.href = `#/${name}`;
    link.dataset.route = name;
    nav.append(link);
  }
  VIEWS[name] = view;
}

function route({ focus = true } = {}) {
  if (!user || !isSupervisor) return;
  const { view: name, params } = matchRoute(location.hash);
  const view = VIEWS[name];
  if (shown && shown !== view && shown.hide) shown.hide();
  shown = view;
  showOnly(name);
  const current = view.nav ? view.nav() : name;
  for (const link of $$('a[data-route]', nav)) {
    if (link.dataset.route === current) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
  const target = view.show(fb.db, params, { focus });
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
  shown = null;
  inbox.stop();
  detail.hide();
  review.stop();
  store.stop();
  learned.stop();
  stats.stop();
  for (const { name } of ADDED) VIEWS[name].stop?.();
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
