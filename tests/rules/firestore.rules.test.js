// firestore.rules, case by case: each right allowed, each wrong denied.
//
//   tools/emulators-exec.sh "node --test tests/rules/"      (inside the Emulator Suite; `make test` runs it)
//
// Runs against the Firestore emulator named by FIRESTORE_EMULATOR_HOST, in a project of its own
// (demo-rules-test), so the rules it loads and the data it clears never touch the other suites' project.
import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import {
  assertFails, assertSucceeds, initializeTestEnvironment,
} from '@firebase/rules-unit-testing';
import {
  addDoc, collection, collectionGroup, deleteDoc, deleteField, doc, getDoc, getDocs, limit, orderBy, query,
  serverTimestamp, setDoc, setLogLevel, Timestamp, updateDoc, vector, where, writeBatch,
} from 'firebase/firestore';

setLogLevel('silent'); // denied writes are the point here; the SDK would log each one
const RULES = readFileSync(new URL('../../firestore.rules', import.meta.url), 'utf8');
const PROJECT = process.env.FRONTDESK_RULES_PROJECT || 'demo-rules-test';
const SUPERVISOR = 'sup-1';
const SUPERVISOR_EMAIL = 'supervisor@lumen.example';
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
    suggestions: [{ knowledgeId: 'kb-2', question: 'Can I buy a gift card?', answer: 'No.', score: 0.8, near: false }],
  },
  'help_requests/suggested': {
    ...pending(), question: 'Do you sell vouchers?',
    suggestions: ['kb-3', 'kb-2', 'kb-1'].map((knowledgeId) => ({
      knowledgeId, question: 'q', answer: 'a', score: 0.5, near: knowledgeId === 'kb-1' })),
  },
  'help_requests/resolved': {
    ...pending(), status: 'resolved', responseText: 'Yes.', respondedAt: at(2), answeredBy: OTHER_SUPERVISOR,
    followupSent: true,
  },
  'help_requests/callback': { ...pending(), question: 'Can I talk to a person?', kind: 'callback' },
  'help_requests/booking': {
    ...pending(), question: 'Book: haircut, tomorrow at 3pm, for Sam', kind: 'booking',
    booking: { action: 'book', service: 'haircut', when: 'tomorrow at 3pm', name: 'Sam' },
  },
  'help_requests/question-kind': { ...pending(), kind: 'question' },
  'knowledge_base/kb-1': {
    question: 'Do you sell gift cards?', answer: 'Yes, from $25.', createdAt: at(60),
    originatingRequestId: 'resolved', source: 'supervisor',
    phrasings: [{ text: 'Can I buy a voucher?', source: 'link', requestId: 'resolved', addedAt: at(30) }],
    reviewBy: null, conflictWith: [], distinctFrom: [],
  },
  'knowledge_base/kb-2': {
    question: 'Can I buy a gift card?', answer: 'No, we do not sell gift cards.', createdAt: at(20),
    originatingRequestId: null, source: 'supervisor', conflictWith: ['kb-1'],
  },
  'knowledge_base/kb-1/revisions/rev-1': {
    at: at(40), by: SUPERVISOR, byEmail: SUPERVISOR_EMAIL,
    before: { question: 'Gift cards?', answer: 'Yes.', reviewBy: null },
    after: { question: 'Do you sell gift cards?', answer: 'Yes, from $25.', reviewBy: null },
  },
  'knowledge_conflicts/kb-1__kb-2': {
    entries: ['kb-1', 'kb-2'], status: 'open', detectedAt: at(10), reason: 'Same question, different answer',
    keep: null, resolvedBy: null, resolvedAt: null,
  },
  'knowledge_conflicts/kb-1__kb-3': {
    entries: ['kb-1', 'kb-3'], status: 'resolved', detectedAt: at(50), reason: 'Same question, different answer',
    keep: 'both', resolvedBy: OTHER_SUPERVISOR, resolvedAt: at(45),
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
const supervisor = () => as(SUPERVISOR, { supervisor: true, email: SUPERVISOR_EMAIL });
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
  updatedAt: serverTimestamp(), updatedBy: SUPERVISOR, updatedByEmail: SUPERVISOR_EMAIL, ...overrides,
});
const withKnowledge = (knowledgeId, knowledgeAction, text = 'Yes, from $25.') => ({
  ...answer(text), knowledgeId, knowledgeAction,
});
const resolveConflict = (keep, overrides = {}) => ({
  status: 'resolved', keep, resolvedBy: SUPERVISOR, resolvedAt: serverTimestamp(), ...overrides,
});
const inDays = (days) => Timestamp.fromMillis(Date.now() + days * 86_400_000);

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

describe('closing a call back or booking request with a note', () => {
  test('supervisor closes a call back or a booking with a note', async () => {
    await assertSucceeds(updateDoc(doc(supervisor(), 'help_requests/callback'), answer('Called her back at 3pm.')));
    await assertSucceeds(updateDoc(doc(supervisor(), 'help_requests/booking'), answer('Booked Sam in for 3pm.')));
  });

  test('a note teaches nothing: no knowledge choice on a call back or booking', async () => {
    for (const id of ['callback', 'booking']) {
      for (const knowledgeAction of ['link', 'update', 'new']) {
        await assertFails(updateDoc(doc(supervisor(), `help_requests/${id}`), {
          ...answer('Yes, from $25.'), knowledgeAction, knowledgeId: 'kb-1',
        }));
      }
    }
  });

  test('a question of kind "question" may still carry a knowledge choice', async () => {
    await assertSucceeds(updateDoc(doc(supervisor(), 'help_requests/question-kind'), {
      ...answer('Yes, from $25.'), knowledgeAction: 'link', knowledgeId: 'kb-1',
    }));
  });

  test("the kind and the booking details are the agent's: a supervisor cannot change them", async () => {
    await assertFails(updateDoc(doc(supervisor(), 'help_requests/callback'), { ...answer(), kind: 'question' }));
    await assertFails(updateDoc(doc(supervisor(), 'help_requests/pending'), { kind: 'callback' }));
    await assertFails(updateDoc(doc(supervisor(), 'help_requests/booking'), {
      ...answer('Booked.'), booking: { action: 'cancel', service: null, when: null, name: null },
    }));
  });

  test('without the claim: cannot close one', async () => {
    await assertFails(updateDoc(doc(stylist(), 'help_requests/callback'), answer('Called back.', STYLIST)));
    await assertFails(updateDoc(doc(stranger(), 'help_requests/booking'), answer('Booked.')));
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

  test('edit: only question, answer, review date and the stamps', async () => {
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
    // issue 16 item 11: a delete goes with its record (a plain delete is refused: next describe)
    await assertSucceeds(deleteWithRecord(supervisor(), 'kb-1'));
  });
});

// The record as the dashboard writes it, in one batch with the delete (hosting/src/knowledge.js).
const millis = (t) => t.seconds * 1000 + Math.floor(t.nanoseconds / 1e6);
const deletionId = (id) => `${id}@${millis(SEED[`knowledge_base/${id}`].createdAt)}`;
const deletionRecord = (id, overrides = {}) => ({
  entryId: id, question: SEED[`knowledge_base/${id}`].question, answer: SEED[`knowledge_base/${id}`].answer,
  deletedAt: serverTimestamp(), deletedBy: SUPERVISOR, deletedByEmail: SUPERVISOR_EMAIL, ...overrides,
});
function deleteWithRecord(db, id, { record = deletionRecord(id), recordId = deletionId(id), remove = true } = {}) {
  const batch = writeBatch(db);
  batch.set(doc(db, 'knowledge_deletions', recordId), record);
  if (remove) batch.delete(doc(db, 'knowledge_base', id));
  return batch.commit();
}

describe('deleting a knowledge entry leaves a record (issue 16 item 11)', () => {
  test('the delete and its record, in one write: who, when, what', async () => {
    await assertSucceeds(deleteWithRecord(supervisor(), 'kb-1'));
    const record = (await getDoc(doc(supervisor(), `knowledge_deletions/${deletionId('kb-1')}`))).data();
    assert.equal(record.question, 'Do you sell gift cards?');
    assert.equal(record.answer, 'Yes, from $25.');
    assert.equal(record.deletedBy, SUPERVISOR);
    assert.equal(record.deletedByEmail, SUPERVISOR_EMAIL);
    assert.ok(record.deletedAt instanceof Timestamp);
  });

  test('a delete without its record is refused', async () => {
    await assertFails(deleteDoc(doc(supervisor(), 'knowledge_base/kb-1')));
    // another entry's record does not cover it
    const batch = writeBatch(supervisor());
    batch.set(doc(supervisor(), 'knowledge_deletions', deletionId('kb-2')), deletionRecord('kb-2'));
    batch.delete(doc(supervisor(), 'knowledge_base/kb-1'));
    await assertFails(batch.commit());
  });

  test('the record must say what was deleted, by whom, when, under its id', async () => {
    for (const record of [
      deletionRecord('kb-1', { question: 'Something else?' }),
      deletionRecord('kb-1', { answer: 'No.' }),
      deletionRecord('kb-1', { deletedBy: OTHER_SUPERVISOR }),
      deletionRecord('kb-1', { deletedByEmail: 'someone@else.example' }),
      deletionRecord('kb-1', { deletedAt: at(5) }),
      deletionRecord('kb-1', { entryId: 'kb-2' }),
      deletionRecord('kb-1', { reason: 'extra field' }),
    ]) {
      await assertFails(deleteWithRecord(supervisor(), 'kb-1', { record }));
    }
    const { deletedByEmail, ...noEmail } = deletionRecord('kb-1');
    await assertFails(deleteWithRecord(supervisor(), 'kb-1', { record: noEmail }));
    for (const recordId of ['kb-1', `kb-1@${millis(SEED['knowledge_base/kb-1'].createdAt) + 1}`, 'anything']) {
      await assertFails(deleteWithRecord(supervisor(), 'kb-1', { recordId }));
    }
  });

  test('a record without the delete is refused; a record is never changed or removed', async () => {
    await assertFails(deleteWithRecord(supervisor(), 'kb-1', { remove: false }));
    await assertSucceeds(deleteWithRecord(supervisor(), 'kb-1'));
    const ref = doc(supervisor(), `knowledge_deletions/${deletionId('kb-1')}`);
    await assertFails(updateDoc(ref, { deletedBy: OTHER_SUPERVISOR }));
    await assertFails(deleteDoc(ref));
  });

  test('not without the claim; records are read by supervisors only', async () => {
    await assertFails(deleteWithRecord(stylist(), 'kb-1', { record: deletionRecord('kb-1', { deletedBy: STYLIST }) }));
    await assertSucceeds(deleteWithRecord(supervisor(), 'kb-2'));
    await assertFails(getDocs(collection(stylist(), 'knowledge_deletions')));
    await assertFails(getDocs(collection(stranger(), 'knowledge_deletions')));
    await assertSucceeds(getDocs(collection(supervisor(), 'knowledge_deletions')));
  });

  test("an entry cannot be created under a help request's id (where its answer is learned)", async () => {
    await assertFails(setDoc(doc(supervisor(), 'knowledge_base/pending'), newEntry()));
    await assertFails(setDoc(doc(supervisor(), 'knowledge_base/resolved'), newEntry()));
    await assertSucceeds(setDoc(doc(supervisor(), 'knowledge_base/parking'), newEntry()));
  });

  test('a collection-group read of revisions (every entry\'s history at once) is denied', async () => {
    await assertFails(getDocs(collectionGroup(supervisor(), 'revisions')));
    await assertFails(getDocs(query(collectionGroup(supervisor(), 'revisions'), orderBy('at', 'desc'), limit(5))));
    await assertSucceeds(getDocs(collection(supervisor(), 'knowledge_base/kb-1/revisions')));
  });
});

describe('knowledge entries: review date, editor email, server-only fields', () => {
  test('create with a review date, or an explicit none', async () => {
    const kb = collection(supervisor(), 'knowledge_base');
    await assertSucceeds(addDoc(kb, newEntry({ reviewBy: inDays(30) })));
    await assertSucceeds(addDoc(kb, newEntry({ reviewBy: null })));
  });

  test('create: a review date that is not a time is denied', async () => {
    const kb = collection(supervisor(), 'knowledge_base');
    for (const reviewBy of ['2030-01-01', 1893456000000, true, { seconds: 1 }]) {
      await assertFails(addDoc(kb, newEntry({ reviewBy })));
    }
  });

  test('create: phrasings, conflictWith, distinctFrom are the server\'s', async () => {
    const kb = collection(supervisor(), 'knowledge_base');
    for (const extra of [{ phrasings: [] }, { phrasings: [{ text: 'x', source: 'seed', requestId: null }] },
      { conflictWith: [] }, { conflictWith: ['kb-1'] }, { distinctFrom: ['kb-1'] }, { answerEmbedding: [0] },
      { embeddingModel: 'x' }, { updatedByEmail: SUPERVISOR_EMAIL }]) {
      await assertFails(addDoc(kb, newEntry(extra)));
    }
  });

  test('edit sets, changes and clears the review date; phrasings stay untouched', async () => {
    const ref = doc(supervisor(), 'knowledge_base/kb-1');
    await assertSucceeds(updateDoc(ref, edit({ reviewBy: inDays(90) })));
    await assertSucceeds(updateDoc(ref, edit({ reviewBy: null })));
    await assertSucceeds(updateDoc(ref, edit({ reviewBy: deleteField() })));
    await assertFails(updateDoc(ref, edit({ reviewBy: 'next month' })));
  });

  test("edit: updatedByEmail is the editor's own email, and required", async () => {
    const ref = doc(supervisor(), 'knowledge_base/kb-1');
    await assertFails(updateDoc(ref, edit({ updatedByEmail: 'someone@else.example' })));
    await assertFails(updateDoc(ref, edit({ updatedByEmail: null })));
    const { updatedByEmail, ...noEmail } = edit();
    await assertFails(updateDoc(ref, noEmail));
    // A token without an email cannot be stamped.
    const noEmailSupervisor = as('sup-3', { supervisor: true });
    await assertFails(updateDoc(doc(noEmailSupervisor, 'knowledge_base/kb-1'),
      edit({ updatedBy: 'sup-3', updatedByEmail: null })));
  });

  test('edit: phrasings, conflictWith, distinctFrom cannot be changed or removed', async () => {
    const ref = doc(supervisor(), 'knowledge_base/kb-1');
    for (const extra of [{ phrasings: [] }, { phrasings: deleteField() },
      { phrasings: [{ text: 'Anything?', source: 'link', requestId: null, addedAt: at(0) }] },
      { conflictWith: ['kb-2'] }, { conflictWith: deleteField() }, { distinctFrom: ['kb-2'] },
      { answerEmbedding: [0] }, { embeddingModel: 'x' }]) {
      await assertFails(updateDoc(ref, edit(extra)));
    }
    // A held entry cannot release itself.
    await assertFails(updateDoc(doc(supervisor(), 'knowledge_base/kb-2'),
      edit({ question: 'Can I buy a gift card?', conflictWith: [] })));
    await assertSucceeds(updateDoc(doc(supervisor(), 'knowledge_base/kb-2'),
      edit({ question: 'Can I buy a gift card?', answer: 'Yes, from $25.' })));
  });

  test('revisions: supervisors read them, nobody writes them', async () => {
    await assertSucceeds(getDoc(doc(supervisor(), 'knowledge_base/kb-1/revisions/rev-1')));
    await assertSucceeds(getDocs(query(collection(supervisor(), 'knowledge_base/kb-1/revisions'),
      orderBy('at', 'desc'))));
    await assertFails(getDoc(doc(stylist(), 'knowledge_base/kb-1/revisions/rev-1')));
    await assertFails(getDocs(collection(stranger(), 'knowledge_base/kb-1/revisions')));
    const rev = { at: serverTimestamp(), by: SUPERVISOR, byEmail: SUPERVISOR_EMAIL,
      before: { question: 'a', answer: 'b', reviewBy: null }, after: { question: 'a', answer: 'c', reviewBy: null } };
    await assertFails(setDoc(doc(supervisor(), 'knowledge_base/kb-1/revisions/rev-2'), rev));
    await assertFails(addDoc(collection(supervisor(), 'knowledge_base/kb-1/revisions'), rev));
    await assertFails(updateDoc(doc(supervisor(), 'knowledge_base/kb-1/revisions/rev-1'), { byEmail: 'x@y.z' }));
    await assertFails(deleteDoc(doc(supervisor(), 'knowledge_base/kb-1/revisions/rev-1')));
  });
});

describe('knowledge_vectors: server only (issue 16 item 8, the dashboard half)', () => {
  const vectors = () => ({
    embedding: vector(Array.from({ length: 384 }, (_, i) => i / 384)), answerEmbedding: vector(Array(384).fill(0.05)),
    embeddingModel: 'sentence-transformers/all-MiniLM-L6-v2', embeddedFrom: 'abc', phrasings: {},
  });
  beforeEach(async () => {
    await env.withSecurityRulesDisabled(async (ctx) => setDoc(doc(ctx.firestore(), 'knowledge_vectors/kb-1'), vectors()));
  });

  test('nobody reads them: by id or by query, supervisor or not', async () => {
    for (const db of [supervisor(), stylist(), stranger()]) {
      await assertFails(getDoc(doc(db, 'knowledge_vectors/kb-1')));
      await assertFails(getDocs(collection(db, 'knowledge_vectors')));
      await assertFails(getDocs(query(collection(db, 'knowledge_vectors'), limit(1))));
    }
  });

  test('nobody writes them: create, overwrite, update, delete', async () => {
    for (const db of [supervisor(), stylist(), stranger()]) {
      await assertFails(setDoc(doc(db, 'knowledge_vectors/parking'), vectors()));
      await assertFails(setDoc(doc(db, 'knowledge_vectors/kb-1'), vectors()));
      await assertFails(updateDoc(doc(db, 'knowledge_vectors/kb-1'), { phrasings: {} }));
      await assertFails(deleteDoc(doc(db, 'knowledge_vectors/kb-1')));
    }
    // ...not even in the same write as an entry change the supervisor may make
    const batch = writeBatch(supervisor());
    batch.update(doc(supervisor(), 'knowledge_base/kb-1'), edit());
    batch.set(doc(supervisor(), 'knowledge_vectors/kb-1'), vectors());
    await assertFails(batch.commit());
  });

  test('entries stay writable as before: create, edit, remove a wording (no vectors in them)', async () => {
    await assertSucceeds(setDoc(doc(supervisor(), 'knowledge_base/parking'), newEntry()));
    await assertSucceeds(updateDoc(doc(supervisor(), 'knowledge_base/kb-1'), edit()));
    const read = (await getDoc(doc(supervisor(), 'knowledge_base/kb-1'))).data().phrasings;
    await assertSucceeds(updateDoc(doc(supervisor(), 'knowledge_base/kb-1'), {
      phrasings: read.slice(1), updatedAt: serverTimestamp(), updatedBy: SUPERVISOR, updatedByEmail: SUPERVISOR_EMAIL,
    }));
    // and vectors may not be put into an entry either
    await assertFails(updateDoc(doc(supervisor(), 'knowledge_base/kb-1'), edit({ embedding: vectors().embedding })));
  });
});

describe('removing one wrong wording (phrasing) from an entry', () => {
  // 384 floats like the functions' embeddings, different per wording (0.1 and friends are not exact
  // in binary: equality must hold on the doubles as stored).
  const embedding = (seed) => Array.from({ length: 384 }, (_, i) => Math.sin(seed * 1000 + i) / 7 + 0.1);
  const wording = (text, source, seed, requestId = null) => ({
    text, source, requestId, addedAt: Timestamp.fromMillis(1_750_000_000_000 + seed * 60_000),
    embedding: vector(embedding(seed)),
  });
  const THREE = [
    wording('Can I buy a voucher?', 'seed', 1),
    wording('What would a skin fade cost?', 'link', 2, 'req-wrong'),
    wording('Do you do gift certificates?', 'group', 3, 'req-3'),
  ];
  const PATH = 'knowledge_base/kb-words';
  const stamps = (overrides = {}) => ({
    updatedAt: serverTimestamp(), updatedBy: SUPERVISOR, updatedByEmail: SUPERVISOR_EMAIL, ...overrides,
  });
  // What the dashboard writes: the other elements exactly as read (VectorValue included), plus the stamps.
  async function readPhrasings(db = supervisor()) {
    return (await getDoc(doc(db, PATH))).data().phrasings;
  }
  const without = (list, i) => list.filter((_, j) => j !== i);

  beforeEach(async () => {
    await env.withSecurityRulesDisabled(async (ctx) => {
      await setDoc(doc(ctx.firestore(), PATH), {
        question: 'Do you sell gift cards?', answer: 'Yes, from $25.', createdAt: at(90),
        originatingRequestId: null, source: 'supervisor', createdBy: SUPERVISOR, phrasings: THREE,
        conflictWith: [], distinctFrom: [], embedding: vector(embedding(9)), reviewBy: null,
      });
    });
  });

  test('vectors inside the phrasings round-trip: read back equal, as VectorValues', async () => {
    const read = await readPhrasings();
    assert.equal(read.length, 3);
    assert.ok(read[1].embedding.isEqual(vector(embedding(2))));
    assert.deepEqual(read[1].embedding.toArray(), embedding(2));
  });

  test('supervisor removes the middle one, the others as read', async () => {
    const read = await readPhrasings();
    await assertSucceeds(updateDoc(doc(supervisor(), PATH), { phrasings: without(read, 1), ...stamps() }));
  });

  test('the first or the last one; the only one (leaving an empty list)', async () => {
    await assertSucceeds(updateDoc(doc(supervisor(), PATH), { phrasings: THREE.slice(1), ...stamps() }));
    await assertSucceeds(updateDoc(doc(supervisor(), PATH), { phrasings: THREE.slice(1, 2), ...stamps() }));
    await assertSucceeds(updateDoc(doc(supervisor(), PATH), { phrasings: [], ...stamps() }));
  });

  test('the remaining ones rebuilt from the same values are equal too (vectors compared by value)', async () => {
    const rebuilt = [wording('Can I buy a voucher?', 'seed', 1),
      wording('Do you do gift certificates?', 'group', 3, 'req-3')];
    await assertSucceeds(updateDoc(doc(supervisor(), PATH), { phrasings: rebuilt, ...stamps() }));
  });

  test('removing two is denied', async () => {
    const read = await readPhrasings();
    await assertFails(updateDoc(doc(supervisor(), PATH), { phrasings: read.slice(0, 1), ...stamps() }));
    await assertFails(updateDoc(doc(supervisor(), PATH), { phrasings: [], ...stamps() }));
  });

  test('adding one, or removing one and adding another, is denied', async () => {
    const read = await readPhrasings();
    const extra = wording('Anything?', 'link', 7, 'req-7');
    await assertFails(updateDoc(doc(supervisor(), PATH), { phrasings: [...read, extra], ...stamps() }));
    await assertFails(updateDoc(doc(supervisor(), PATH), { phrasings: [read[0], extra], ...stamps() }));
    // One wording traded for a second copy of another: same size, every element was there before.
    await assertFails(updateDoc(doc(supervisor(), PATH), { phrasings: [read[0], read[0]], ...stamps() }));
    // (The same list back with the stamps is an edit that changes nothing, which isEntryEdit allows.)
  });

  test('a remaining one changed is denied: its text, source, request, time, or one float of its vector', async () => {
    const read = await readPhrasings();
    const changedVector = embedding(3);
    changedVector[200] += 1e-9;
    for (const change of [{ text: 'Do you do gift certificates' }, { source: 'seed' }, { requestId: null },
      { addedAt: at(1) }, { embedding: vector(changedVector) }, { embedding: embedding(3) },
      { embedding: vector(embedding(3).slice(1)) }, { note: 'x' }]) {
      await assertFails(updateDoc(doc(supervisor(), PATH),
        { phrasings: [read[0], { ...read[2], ...change }], ...stamps() }));
    }
    const { requestId, ...noRequest } = read[2];
    await assertFails(updateDoc(doc(supervisor(), PATH), { phrasings: [read[0], noRequest], ...stamps() }));
  });

  test('order of the remaining ones may change; not with a change', async () => {
    const read = await readPhrasings();
    await assertFails(updateDoc(doc(supervisor(), PATH),
      { phrasings: [{ ...read[2], text: 'Gift certificates?' }, read[0]], ...stamps() }));
    await assertSucceeds(updateDoc(doc(supervisor(), PATH), { phrasings: [read[2], read[0]], ...stamps() }));
  });

  test('any other field changed along is denied', async () => {
    const read = await readPhrasings();
    for (const extra of [{ answer: 'Yes, from $30.' }, { question: 'Gift cards?' }, { reviewBy: inDays(30) },
      { conflictWith: ['kb-2'] }, { distinctFrom: ['kb-2'] }, { embedding: vector(embedding(8)) },
      { source: 'seed' }, { createdBy: OTHER_SUPERVISOR }, { conflictWith: deleteField() }, { note: 'oops' }]) {
      await assertFails(updateDoc(doc(supervisor(), PATH), { phrasings: without(read, 1), ...stamps(), ...extra }));
    }
  });

  test('stamped with the server time, own uid and own email, all three required', async () => {
    const ref = doc(supervisor(), PATH);
    const phrasings = without(await readPhrasings(), 1);
    for (const wrong of [{ updatedAt: at(0) }, { updatedBy: OTHER_SUPERVISOR }, { updatedByEmail: 'x@else.example' },
      { updatedByEmail: null }, { updatedBy: null }]) {
      await assertFails(updateDoc(ref, { phrasings, ...stamps(wrong) }));
    }
    await assertFails(updateDoc(ref, { phrasings }));
    const { updatedByEmail, ...noEmail } = stamps();
    await assertFails(updateDoc(ref, { phrasings, ...noEmail }));
    const noEmailSupervisor = as('sup-3', { supervisor: true });
    await assertFails(updateDoc(doc(noEmailSupervisor, PATH),
      { phrasings, ...stamps({ updatedBy: 'sup-3', updatedByEmail: null }) }));
  });

  test('not without the claim, not signed out; deleting the field is no removal', async () => {
    const read = await readPhrasings();
    await assertFails(updateDoc(doc(stylist(), PATH),
      { phrasings: without(read, 1), ...stamps({ updatedBy: STYLIST, updatedByEmail: null }) }));
    await assertFails(updateDoc(doc(stranger(), PATH), { phrasings: without(read, 1), ...stamps() }));
    await assertFails(updateDoc(doc(supervisor(), PATH), { phrasings: deleteField(), ...stamps() }));
    await assertFails(updateDoc(doc(supervisor(), 'knowledge_base/kb-2'), { phrasings: [], ...stamps() }));
  });
});

describe('answering with an existing entry (knowledgeId, knowledgeAction)', () => {
  test('"link": the answer is that entry\'s current answer', async () => {
    await assertSucceeds(updateDoc(doc(supervisor(), 'help_requests/pending'), withKnowledge('kb-1', 'link')));
  });

  test('"link" with any other text is denied', async () => {
    const ref = doc(supervisor(), 'help_requests/pending');
    await assertFails(updateDoc(ref, withKnowledge('kb-1', 'link', 'Yes, from $30.')));
    await assertFails(updateDoc(ref, withKnowledge('kb-1', 'link', 'No, we do not sell gift cards.')));
  });

  test('"update" and "new" carry the supervisor\'s own text', async () => {
    await assertSucceeds(updateDoc(doc(supervisor(), 'help_requests/pending'),
      withKnowledge('kb-1', 'update', 'Yes, from $30 now.')));
    await assertSucceeds(updateDoc(doc(supervisor(), 'help_requests/unresolved'),
      withKnowledge('kb-2', 'new', 'Gift cards only at Christmas.')));
  });

  test('the entry must exist', async () => {
    const ref = doc(supervisor(), 'help_requests/pending');
    for (const action of ['link', 'update', 'new']) {
      await assertFails(updateDoc(ref, withKnowledge('kb-gone', action)));
    }
  });

  test('both fields or neither', async () => {
    const ref = doc(supervisor(), 'help_requests/pending');
    await assertFails(updateDoc(ref, { ...answer('Yes, from $25.'), knowledgeId: 'kb-1' }));
    await assertFails(updateDoc(ref, { ...answer('Yes, from $25.'), knowledgeAction: 'link' }));
    await assertFails(updateDoc(ref, withKnowledge(null, 'new')));
    await assertFails(updateDoc(ref, withKnowledge('kb-1', null)));
  });

  test('only the three actions; the id is a plain document id', async () => {
    const ref = doc(supervisor(), 'help_requests/pending');
    for (const action of ['merge', 'LINK', '', 'delete']) {
      await assertFails(updateDoc(ref, withKnowledge('kb-1', action, 'Yes.')));
    }
    for (const id of ['', 'kb-1/revisions/rev-1', 42, ['kb-1']]) {
      await assertFails(updateDoc(ref, withKnowledge(id, 'update', 'Yes.')));
    }
  });

  test('the rest of an answer still holds: stamps, text, from pending or unresolved only', async () => {
    await assertFails(updateDoc(doc(supervisor(), 'help_requests/resolved'), withKnowledge('kb-1', 'link')));
    await assertFails(updateDoc(doc(supervisor(), 'help_requests/pending'),
      { ...withKnowledge('kb-1', 'link'), answeredBy: OTHER_SUPERVISOR }));
    await assertFails(updateDoc(doc(supervisor(), 'help_requests/pending'),
      { ...withKnowledge('kb-1', 'update', ' untrimmed') }));
    await assertFails(updateDoc(doc(stylist(), 'help_requests/pending'),
      { ...withKnowledge('kb-1', 'link'), answeredBy: STYLIST }));
  });

  test('not with a mark-unresolved', async () => {
    await assertFails(updateDoc(doc(supervisor(), 'help_requests/pending'),
      { ...markUnresolved(), knowledgeId: 'kb-1', knowledgeAction: 'new' }));
  });

  test('"new" names only an entry among the request\'s suggestions (issue 16 item 11)', async () => {
    await env.withSecurityRulesDisabled((ctx) => setDoc(doc(ctx.firestore(), 'knowledge_base/kb-3'),
      { ...SEED['knowledge_base/kb-2'], question: 'Do you do vouchers?' }));
    for (const id of ['kb-3', 'kb-2', 'kb-1']) {   // each of the three places
      await assertSucceeds(updateDoc(doc(supervisor(), 'help_requests/suggested'),
        withKnowledge(id, 'new', 'Vouchers at the desk.')));
      await env.withSecurityRulesDisabled((ctx) => setDoc(doc(ctx.firestore(), 'help_requests/suggested'),
        SEED['help_requests/suggested']));
    }
    await env.withSecurityRulesDisabled((ctx) => setDoc(doc(ctx.firestore(), 'knowledge_base/kb-4'),
      { ...SEED['knowledge_base/kb-2'], question: 'Unrelated?' }));
    await assertFails(updateDoc(doc(supervisor(), 'help_requests/suggested'),
      withKnowledge('kb-4', 'new', 'Vouchers at the desk.')));        // exists, but was not suggested
    await assertFails(updateDoc(doc(supervisor(), 'help_requests/pending'),
      withKnowledge('kb-1', 'new', 'Vouchers at the desk.')));        // no suggestions at all
    // "link" and "update" may name any entry (found by search)
    await assertSucceeds(updateDoc(doc(supervisor(), 'help_requests/suggested'),
      withKnowledge('kb-4', 'update', 'Vouchers at the desk.')));
  });

  test('suggestions are the server\'s: not with an answer, not alone', async () => {
    const ref = doc(supervisor(), 'help_requests/pending');
    const suggestions = [{ knowledgeId: 'kb-1', question: 'Do you sell gift cards?', answer: 'Yes, from $25.',
      score: 0.9, near: true }];
    await assertFails(updateDoc(ref, { ...answer(), suggestions }));
    await assertFails(updateDoc(ref, { ...withKnowledge('kb-1', 'link'), suggestions: [] }));
    await assertFails(updateDoc(ref, { suggestions }));
  });
});

describe('conflicting answers (knowledge_conflicts)', () => {
  const open = 'knowledge_conflicts/kb-1__kb-2';

  test('supervisors read them, by id and open ones by query; others do not', async () => {
    await assertSucceeds(getDoc(doc(supervisor(), open)));
    await assertSucceeds(getDocs(query(collection(supervisor(), 'knowledge_conflicts'),
      where('status', '==', 'open'))));
    await assertFails(getDoc(doc(stylist(), open)));
    await assertFails(getDocs(collection(stranger(), 'knowledge_conflicts')));
  });

  test('keep either answer', async () => {
    await assertSucceeds(updateDoc(doc(supervisor(), open), resolveConflict('kb-2')));
  });

  test('keep the first answer', async () => {
    await assertSucceeds(updateDoc(doc(supervisor(), open), resolveConflict('kb-1')));
  });

  test('both are right (different questions)', async () => {
    await assertSucceeds(updateDoc(doc(supervisor(), open), resolveConflict('both')));
  });

  test('keep must be one of its two entries or "both"', async () => {
    const ref = doc(supervisor(), open);
    for (const keep of ['kb-3', 'Both', '', null, ['kb-1'], 1]) {
      await assertFails(updateDoc(ref, resolveConflict(keep)));
    }
  });

  test("stamped with the server's time and the supervisor's own uid", async () => {
    const ref = doc(supervisor(), open);
    await assertFails(updateDoc(ref, resolveConflict('kb-1', { resolvedAt: at(0) })));
    await assertFails(updateDoc(ref, resolveConflict('kb-1', { resolvedBy: OTHER_SUPERVISOR })));
    await assertFails(updateDoc(ref, resolveConflict('kb-1', { resolvedBy: null })));
    const { resolvedAt, ...noTime } = resolveConflict('kb-1');
    await assertFails(updateDoc(ref, noTime));
  });

  test('nothing else changes', async () => {
    const ref = doc(supervisor(), open);
    for (const extra of [{ entries: ['kb-1', 'kb-3'] }, { reason: 'x' }, { detectedAt: serverTimestamp() },
      { note: 'checked' }, { status: 'open' }, { status: 'dismissed' }]) {
      await assertFails(updateDoc(ref, resolveConflict('kb-1', extra)));
    }
  });

  test('only an open conflict, and only once', async () => {
    await assertFails(updateDoc(doc(supervisor(), 'knowledge_conflicts/kb-1__kb-3'), resolveConflict('kb-1')));
    await assertFails(updateDoc(doc(supervisor(), 'knowledge_conflicts/kb-1__kb-3'), { status: 'open' }));
  });

  test('never created or deleted from a browser; not resolved without the claim', async () => {
    await assertFails(setDoc(doc(supervisor(), 'knowledge_conflicts/kb-2__kb-9'), {
      entries: ['kb-2', 'kb-9'], status: 'open', detectedAt: serverTimestamp(), reason: 'x',
      keep: null, resolvedBy: null, resolvedAt: null,
    }));
    await assertFails(deleteDoc(doc(supervisor(), open)));
    await assertFails(updateDoc(doc(stylist(), open), resolveConflict('kb-1', { resolvedBy: STYLIST })));
    await assertFails(updateDoc(doc(stranger(), open), resolveConflict('kb-1')));
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
