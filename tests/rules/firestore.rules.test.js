// firestore.rules, case by case: each right allowed, each wrong denied.
//
//   tools/emulators-exec.sh "node --test tests/rules/"      (inside the Emulator Suite; `make test` runs it)
//
// Runs against the Firestore emulator named by FIRESTORE_EMULATOR_HOST, in a project of its own
// (demo-rules-test), so the rules it loads and the data it clears never touch the other suites' project.
import { after, before, beforeEach, describe, test } from 'node:test';
import { readFileSync } from 'node:fs';
import {
  assertFails, assertSucceeds, initializeTestEnvironment,
} from '@firebase/rules-unit-testing';
import {
  addDoc, collection, deleteDoc, deleteField, doc, getDoc, getDocs, limit, orderBy, query,
  serverTimestamp, setDoc, setLogLevel, Timestamp, updateDoc, where, writeBatch,
} from 'firebase/firestore';

setLogLevel('silent'); // denied writes are the point here; the SDK would log each one
const RULES = readFileSync(new URL('../../firestore.rules', import.meta.url), 'utf8');
const PROJECT = process.env.FRONTDESK_RULES_PROJECT || 'demo-rules-test';
const SUPERVISOR = 'sup-1';
const OTHER_SUPERVISOR = 'sup-2';
const STYLIST = 'stylist-1';

function emulatorHost() {
  const hostPort = process.env.FIRESTORE_EMULATOR_HOST;
  if (!hostPort) {
    throw new Error('FIRESTORE_EMULATOR_HOST is not set: run inside the Emulator Suite '
      + '(tools/emulators-exec.sh "node --test tests/rules/")');
  }
  const i = hostPort.lastIndexOf(':');
  return { host: hostPort.slice(0, i), port: Number(hostPort.slice(i + 1)) };
}

let env;
const at = (minutesAgo) => Timestamp.fromMillis(Date.now() - minutesAgo * 60_000);

const pending = () => ({
  customerPhone: '+15550100',
  question: 'Do you do eyelash extensions?',
  timestamp: at(5),
  status: 'pending',
  responseText: null,
  respondedAt: null,
  followupSent: false,
  conversationId: 'conv-1',
});

const SEED = {
  'help_requests/pending': pending(),
  'help_requests/unresolved': {
    ...pending(), status: 'unresolved', unresolvedReason: 'No answer in time', unresolvedAt: at(1),
  },
  'help_requests/resolved': {
    ...pending(), status: 'resolved', responseText: 'Yes.', respondedAt: at(2), answeredBy: OTHER_SUPERVISOR,
    followupSent: true,
  },
  'knowledge_base/kb-1': {
    question: 'Do you sell gift cards?', answer: 'Yes, from $25.', createdAt: at(60),
    originatingRequestId: 'resolved', source: 'supervisor',
  },
  'conversations/conv-1': {
    customerPhone: '+15550100', channel: 'text', room: null, startedAt: at(6), endedAt: at(5),
    turns: [{ role: 'caller', text: 'Do you do eyelash extensions?', at: at(6) }], helpRequestIds: ['pending'],
  },
  'followups/resolved': {
    helpRequestId: 'resolved', to: '+15550100', body: 'About your question…', channel: 'log', status: 'sent',
    attempts: 1, error: null, createdAt: at(2), sentAt: at(2),
  },
  'notifications/pending': {
    helpRequestId: 'pending', message: 'Hey, I need help answering: …', customerPhone: '+15550100',
    channel: 'log', createdAt: at(5),
  },
  'stats/summary': { openCount: 1, questionsAsked: 3, answeredByAI: 2, deflectionRate: 0.67, updatedAt: at(0) },
  'salon/profile': { name: 'Lumen & Co. Hair Studio' },
  'salon/secrets': { note: 'not for browsers' },
  'users/sup-1': { email: 'supervisor@lumen.example' },
};

// One Firestore client per identity for the whole run (a new context per call is a new connection).
const clients = new Map();
function as(uid, claims) {
  const key = JSON.stringify([uid, claims]);
  if (!clients.has(key)) {
    const ctx = uid === null ? env.unauthenticatedContext() : env.authenticatedContext(uid, claims);
    clients.set(key, ctx.firestore());
  }
  return clients.get(key);
}
const supervisor = () => as(SUPERVISOR, { supervisor: true });
const stylist = () => as(STYLIST, {});
const stranger = () => as(null);

const answer = (text = 'Yes, classic and volume sets.', uid = SUPERVISOR) => ({
  status: 'resolved', responseText: text, respondedAt: serverTimestamp(), answeredBy: uid,
});
const markUnresolved = (reason = 'We need to ask the owner.', uid = SUPERVISOR) => ({
  status: 'unresolved', unresolvedReason: reason, unresolvedAt: serverTimestamp(), answeredBy: uid,
});
const newEntry = (overrides = {}) => ({
  question: 'Is there parking?', answer: 'Yes, behind the salon.', createdAt: serverTimestamp(),
  originatingRequestId: null, source: 'supervisor', createdBy: SUPERVISOR, ...overrides,
});
const edit = (overrides = {}) => ({
  question: 'Do you sell gift cards?', answer: 'Yes, from $25, at the desk or online.',
  updatedAt: serverTimestamp(), updatedBy: SUPERVISOR, ...overrides,
});

before(async () => {
  env = await initializeTestEnvironment({ projectId: PROJECT, firestore: { rules: RULES, ...emulatorHost() } });
});

beforeEach(async () => {
  await env.clearFirestore();
  await env.withSecurityRulesDisabled(async (ctx) => {
    const db = ctx.firestore();
    const batch = writeBatch(db);
    for (const [path, data] of Object.entries(SEED)) batch.set(doc(db, path), data);
    await batch.commit();
  });
});

after(async () => {
  await env?.cleanup();
});

describe('who may read', () => {
  test('signed out: no help request, by id or by query', async () => {
    await assertFails(getDoc(doc(stranger(), 'help_requests/pending')));
    await assertFails(getDocs(collection(stranger(), 'help_requests')));
  });

  test('signed in without the supervisor claim: no help request', async () => {
    await assertFails(getDoc(doc(stylist(), 'help_requests/pending')));
    await assertFails(getDocs(query(collection(stylist(), 'help_requests'), where('status', '==', 'pending'))));
  });

  test('signed in without the claim: no conversation, learned answer, follow-up, stats or salon', async () => {
    for (const path of ['conversations/conv-1', 'knowledge_base/kb-1', 'followups/resolved',
      'notifications/pending', 'stats/summary', 'salon/profile']) {
      await assertFails(getDoc(doc(stylist(), path)));
    }
  });

  test('a claim that is not boolean true does not count', async () => {
    for (const claims of [{ supervisor: 'true' }, { supervisor: 1 }, { supervisor: false }, { admin: true }]) {
      await assertFails(getDoc(doc(as('x', claims), 'help_requests/pending')));
    }
  });

  test('supervisor: a help request by id', async () => {
    await assertSucceeds(getDoc(doc(supervisor(), 'help_requests/pending')));
  });

  test("supervisor: the dashboard's queries (status + timestamp, group members)", async () => {
    const requests = collection(supervisor(), 'help_requests');
    await assertSucceeds(getDocs(query(requests, where('status', '==', 'pending'), orderBy('timestamp', 'asc'))));
    await assertSucceeds(getDocs(query(requests, where('status', '==', 'resolved'),
      orderBy('timestamp', 'desc'), limit(100))));
    await assertSucceeds(getDocs(query(requests, where('groupId', '==', 'pending'))));
  });

  test('supervisor: conversations, learned answers, follow-ups, notifications, stats, salon profile', async () => {
    for (const path of ['conversations/conv-1', 'knowledge_base/kb-1', 'followups/resolved',
      'notifications/pending', 'stats/summary', 'salon/profile']) {
      await assertSucceeds(getDoc(doc(supervisor(), path)));
    }
    await assertSucceeds(getDocs(query(collection(supervisor(), 'knowledge_base'), orderBy('createdAt', 'desc'))));
  });

  test('supervisor: nothing outside the named collections', async () => {
    await assertFails(getDoc(doc(supervisor(), 'users/sup-1')));
    await assertFails(getDoc(doc(supervisor(), 'salon/secrets')));
    await assertFails(getDocs(collection(supervisor(), 'salon')));
    await assertFails(getDoc(doc(supervisor(), 'help_requests/pending/notes/n1')));
  });
});

describe('answering a help request', () => {
  test('supervisor answers a pending request', async () => {
    await assertSucceeds(updateDoc(doc(supervisor(), 'help_requests/pending'), answer()));
  });

  test('supervisor answers an unresolved request late', async () => {
    await assertSucceeds(updateDoc(doc(supervisor(), 'help_requests/unresolved'), answer()));
  });

  test('a resolved request is final', async () => {
    await assertFails(updateDoc(doc(supervisor(), 'help_requests/resolved'), answer('Changed my mind.')));
  });

  test('signed out or without the claim: cannot answer', async () => {
    await assertFails(updateDoc(doc(stranger(), 'help_requests/pending'), answer('x', 'anon')));
    await assertFails(updateDoc(doc(stylist(), 'help_requests/pending'), answer('Yes.', STYLIST)));
  });

  test('empty or whitespace-only answer is denied', async () => {
    await assertFails(updateDoc(doc(supervisor(), 'help_requests/pending'), answer('')));
    await assertFails(updateDoc(doc(supervisor(), 'help_requests/pending'), answer('   \n ')));
  });

  test('untrimmed answer is denied (the dashboard trims)', async () => {
    await assertFails(updateDoc(doc(supervisor(), 'help_requests/pending'), answer(' Yes.')));
    await assertFails(updateDoc(doc(supervisor(), 'help_requests/pending'), answer('Yes.\n')));
  });

  test('2000 characters allowed, 2001 denied', async () => {
    await assertFails(updateDoc(doc(supervisor(), 'help_requests/pending'), answer('a'.repeat(2001))));
    await assertSucceeds(updateDoc(doc(supervisor(), 'help_requests/pending'), answer('a'.repeat(2000))));
  });

  // Rules count a string's size in UTF-16 code units (as JavaScript's .length does): an emoji is 2.
  test('the limit counts UTF-16 units: 1000 emoji allowed, 1001 denied; multi-line text allowed', async () => {
    await assertFails(updateDoc(doc(supervisor(), 'help_requests/pending'), answer('💇'.repeat(1001))));
    await assertSucceeds(updateDoc(doc(supervisor(), 'help_requests/pending'), answer('💇'.repeat(1000))));
    await assertSucceeds(updateDoc(doc(supervisor(), 'help_requests/unresolved'),
      answer('Yes:\n- classic\n- volume <b>sets</b> ✨')));
  });

  test('answer that is not a string is denied', async () => {
    await assertFails(updateDoc(doc(supervisor(), 'help_requests/pending'), answer(42)));
    await assertFails(updateDoc(doc(supervisor(), 'help_requests/pending'), answer(['Yes'])));
    await assertFails(updateDoc(doc(supervisor(), 'help_requests/pending'), answer(null)));
  });

  test("respondedAt must be the server's time", async () => {
    await assertFails(updateDoc(doc(supervisor(), 'help_requests/pending'),
      { ...answer(), respondedAt: Timestamp.fromMillis(Date.now() - 3_600_000) }));
    const { respondedAt, ...noTime } = answer();
    await assertFails(updateDoc(doc(supervisor(), 'help_requests/pending'), noTime));
  });

  test("answeredBy must be the supervisor's own uid", async () => {
    await assertFails(updateDoc(doc(supervisor(), 'help_requests/pending'), answer('Yes.', OTHER_SUPERVISOR)));
    const { answeredBy, ...anonymous } = answer();
    await assertFails(updateDoc(doc(supervisor(), 'help_requests/pending'), anonymous));
  });

  test('an answer may not touch other fields', async () => {
    for (const extra of [{ followupSent: true }, { question: 'Something else?' }, { customerPhone: '+15550199' },
      { groupId: 'other' }, { conversationId: 'conv-2' }, { timestamp: serverTimestamp() },
      { conversationId: deleteField() }, { unresolvedReason: 'x' }]) {
      await assertFails(updateDoc(doc(supervisor(), 'help_requests/pending'), { ...answer(), ...extra }));
    }
  });

  test('unknown or illegal status is denied', async () => {
    for (const status of ['done', 'RESOLVED', 'pending', '', null]) {
      await assertFails(updateDoc(doc(supervisor(), 'help_requests/pending'), { ...answer(), status }));
    }
    await assertFails(updateDoc(doc(supervisor(), 'help_requests/unresolved'), { status: 'pending' }));
  });

  test('a whole-document overwrite is denied', async () => {
    await assertFails(setDoc(doc(supervisor(), 'help_requests/pending'), { ...pending(), ...answer() }));
  });
});

describe('marking a help request unresolved', () => {
  test('supervisor marks a pending request unresolved with a reason', async () => {
    await assertSucceeds(updateDoc(doc(supervisor(), 'help_requests/pending'), markUnresolved()));
  });

  test('only from pending: not from resolved, not again from unresolved', async () => {
    await assertFails(updateDoc(doc(supervisor(), 'help_requests/resolved'), markUnresolved()));
    await assertFails(updateDoc(doc(supervisor(), 'help_requests/unresolved'), markUnresolved('Still no idea.')));
  });

  test('the reason is required: 1–500 characters, text', async () => {
    const ref = doc(supervisor(), 'help_requests/pending');
    await assertFails(updateDoc(ref, markUnresolved('')));
    await assertFails(updateDoc(ref, markUnresolved('  ')));
    await assertFails(updateDoc(ref, markUnresolved('r'.repeat(501))));
    await assertFails(updateDoc(ref, markUnresolved(7)));
    const { unresolvedReason, ...noReason } = markUnresolved();
    await assertFails(updateDoc(ref, noReason));
    await assertSucceeds(updateDoc(ref, markUnresolved('r'.repeat(500))));
  });

  test('stamped by the server and the supervisor; nothing else', async () => {
    const ref = doc(supervisor(), 'help_requests/pending');
    await assertFails(updateDoc(ref, { ...markUnresolved(), unresolvedAt: at(0) }));
    await assertFails(updateDoc(ref, markUnresolved('No idea.', OTHER_SUPERVISOR)));
    await assertFails(updateDoc(ref, { ...markUnresolved(), responseText: 'half an answer' }));
    await assertFails(updateDoc(ref, { ...markUnresolved(), followupSent: true }));
  });

  test('without the claim: cannot mark unresolved', async () => {
    await assertFails(updateDoc(doc(stylist(), 'help_requests/pending'), markUnresolved('No.', STYLIST)));
  });
});

describe('help requests are never created or deleted from a browser', () => {
  test('supervisor cannot create one', async () => {
    await assertFails(setDoc(doc(supervisor(), 'help_requests/new'), pending()));
    await assertFails(addDoc(collection(supervisor(), 'help_requests'), pending()));
  });

  test('signed out cannot create one', async () => {
    await assertFails(addDoc(collection(stranger(), 'help_requests'), pending()));
  });

  test('supervisor cannot delete one', async () => {
    await assertFails(deleteDoc(doc(supervisor(), 'help_requests/pending')));
    await assertFails(deleteDoc(doc(supervisor(), 'help_requests/resolved')));
  });
});

describe('learned answers (knowledge_base)', () => {
  test('supervisor creates an entry with exactly the allowed fields', async () => {
    await assertSucceeds(addDoc(collection(supervisor(), 'knowledge_base'), newEntry()));
  });

  test('create: question 1–500 and answer 1–2000 characters, trimmed text', async () => {
    const kb = collection(supervisor(), 'knowledge_base');
    await assertFails(addDoc(kb, newEntry({ question: '' })));
    await assertFails(addDoc(kb, newEntry({ question: 'q'.repeat(501) })));
    await assertFails(addDoc(kb, newEntry({ answer: ' ' })));
    await assertFails(addDoc(kb, newEntry({ answer: 'a'.repeat(2001) })));
    await assertFails(addDoc(kb, newEntry({ answer: 12 })));
    await assertSucceeds(addDoc(kb, newEntry({ question: 'q'.repeat(500), answer: 'a'.repeat(2000) })));
  });

  test('create: no embedding, no extra or missing field', async () => {
    const kb = collection(supervisor(), 'knowledge_base');
    await assertFails(addDoc(kb, newEntry({ embedding: [0.1, 0.2, 0.3] })));
    await assertFails(addDoc(kb, newEntry({ updatedAt: serverTimestamp() })));
    const { createdBy, ...missing } = newEntry();
    await assertFails(addDoc(kb, missing));
  });

  test('create: server time, own uid, source supervisor, no originating request', async () => {
    const kb = collection(supervisor(), 'knowledge_base');
    await assertFails(addDoc(kb, newEntry({ createdAt: at(10) })));
    await assertFails(addDoc(kb, newEntry({ createdBy: OTHER_SUPERVISOR })));
    await assertFails(addDoc(kb, newEntry({ source: 'seed' })));
    await assertFails(addDoc(kb, newEntry({ originatingRequestId: 'pending' })));
  });

  test('create: not without the claim, not signed out', async () => {
    await assertFails(addDoc(collection(stylist(), 'knowledge_base'), newEntry({ createdBy: STYLIST })));
    await assertFails(addDoc(collection(stranger(), 'knowledge_base'), newEntry()));
  });

  test('supervisor edits question and answer', async () => {
    await assertSucceeds(updateDoc(doc(supervisor(), 'knowledge_base/kb-1'), edit()));
  });

  test('edit: only question, answer, updatedAt, updatedBy', async () => {
    const ref = doc(supervisor(), 'knowledge_base/kb-1');
    for (const extra of [{ embedding: [0, 1] }, { source: 'seed' }, { createdAt: serverTimestamp() },
      { originatingRequestId: null }, { createdBy: SUPERVISOR }, { answer: 'a'.repeat(2001) },
      { question: '' }]) {
      await assertFails(updateDoc(ref, edit(extra)));
    }
  });

  test('edit: stamped with the server time and own uid', async () => {
    const ref = doc(supervisor(), 'knowledge_base/kb-1');
    await assertFails(updateDoc(ref, edit({ updatedAt: at(5) })));
    await assertFails(updateDoc(ref, edit({ updatedBy: OTHER_SUPERVISOR })));
    await assertFails(updateDoc(ref, { answer: 'Yes, from $30.' }));
  });

  test('edit: not without the claim', async () => {
    await assertFails(updateDoc(doc(stylist(), 'knowledge_base/kb-1'), edit({ updatedBy: STYLIST })));
  });

  test('supervisor deletes an entry; others cannot', async () => {
    await assertFails(deleteDoc(doc(stylist(), 'knowledge_base/kb-1')));
    await assertFails(deleteDoc(doc(stranger(), 'knowledge_base/kb-1')));
    await assertSucceeds(deleteDoc(doc(supervisor(), 'knowledge_base/kb-1')));
  });
});

describe('read-only for supervisors: outbox, notifications, conversations, stats, salon', () => {
  test('the follow-up outbox cannot be written', async () => {
    await assertFails(updateDoc(doc(supervisor(), 'followups/resolved'), { status: 'queued' }));
    await assertFails(setDoc(doc(supervisor(), 'followups/pending'), { helpRequestId: 'pending', to: '+1555', body: 'x' }));
    await assertFails(deleteDoc(doc(supervisor(), 'followups/resolved')));
  });

  test('notifications cannot be written', async () => {
    await assertFails(setDoc(doc(supervisor(), 'notifications/x'), { message: 'spam' }));
    await assertFails(deleteDoc(doc(supervisor(), 'notifications/pending')));
  });

  test('conversations cannot be written', async () => {
    await assertFails(updateDoc(doc(supervisor(), 'conversations/conv-1'), { endedAt: serverTimestamp() }));
    await assertFails(setDoc(doc(supervisor(), 'conversations/conv-2'), { customerPhone: '+15550100' }));
  });

  test('stats and the salon profile cannot be written', async () => {
    await assertFails(updateDoc(doc(supervisor(), 'stats/summary'), { openCount: 0 }));
    await assertFails(updateDoc(doc(supervisor(), 'salon/profile'), { name: 'Hacked' }));
  });

  test('unknown collections cannot be written by anyone', async () => {
    await assertFails(setDoc(doc(supervisor(), 'users/sup-1'), { role: 'owner' }));
    await assertFails(setDoc(doc(stranger(), 'anything/x'), { a: 1 }));
  });
});
