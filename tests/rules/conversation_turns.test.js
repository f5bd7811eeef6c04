// firestore.rules for a conversation's turns (conversations/{id}/turns/{turnId}, issue 16 item 10):
// a supervisor reads them, as the conversation itself; nobody else reads them; nobody writes them.
//
//   tools/emulators-exec.sh "node --test tests/rules/"      (inside the Emulator Suite; `make test` runs it)
//
// A project of its own (node --test runs the files of tests/rules/ side by side, each clearing its data).
import { after, before, beforeEach, describe, test } from 'node:test';
import { readFileSync } from 'node:fs';
import { assertFails, assertSucceeds, initializeTestEnvironment } from '@firebase/rules-unit-testing';
import {
  collection, deleteDoc, doc, getDoc, getDocs, orderBy, query, setDoc, setLogLevel, Timestamp, updateDoc,
} from 'firebase/firestore';

setLogLevel('silent');
const RULES = readFileSync(new URL('../../firestore.rules', import.meta.url), 'utf8');
const PROJECT = 'demo-rules-turns';
const TURN = 'conversations/conv-1/turns/000001';

function emulatorHost() {
  const hostPort = process.env.FIRESTORE_EMULATOR_HOST;
  if (!hostPort) throw new Error('FIRESTORE_EMULATOR_HOST is not set: run inside the Emulator Suite');
  const i = hostPort.lastIndexOf(':');
  return { host: hostPort.slice(0, i), port: Number(hostPort.slice(i + 1)) };
}

let env;
const supervisor = () => env.authenticatedContext('sup-1', { supervisor: true, email: 'supervisor@lumen.example' }).firestore();
const stylist = () => env.authenticatedContext('stylist-1', {}).firestore();
const stranger = () => env.unauthenticatedContext().firestore();

before(async () => {
  env = await initializeTestEnvironment({ projectId: PROJECT, firestore: { rules: RULES, ...emulatorHost() } });
});

beforeEach(async () => {
  await env.clearFirestore();
  await env.withSecurityRulesDisabled(async (ctx) => {
    const db = ctx.firestore();
    await setDoc(doc(db, 'conversations/conv-1'), {
      customerPhone: '+15550100', channel: 'text', room: null, startedAt: Timestamp.now(), endedAt: null,
      helpRequestIds: [],
    });
    await setDoc(doc(db, TURN), { role: 'caller', text: 'Do you do eyelash extensions?', at: Timestamp.now(), seq: 1 });
  });
});

after(async () => {
  await env?.cleanup();
});

describe("a conversation's turns", () => {
  test('a supervisor reads them, one by one and in order', async () => {
    await assertSucceeds(getDoc(doc(supervisor(), TURN)));
    await assertSucceeds(getDocs(query(collection(supervisor(), 'conversations/conv-1/turns'), orderBy('at'))));
  });

  test('signed out or without the supervisor claim: not read', async () => {
    for (const db of [stranger(), stylist()]) {
      await assertFails(getDoc(doc(db, TURN)));
      await assertFails(getDocs(collection(db, 'conversations/conv-1/turns')));
    }
  });

  test('nobody writes them from a browser, not even a supervisor', async () => {
    const db = supervisor();
    await assertFails(setDoc(doc(db, 'conversations/conv-1/turns/000002'), { role: 'agent', text: 'Hi', at: Timestamp.now() }));
    await assertFails(updateDoc(doc(db, TURN), { text: 'something else' }));
    await assertFails(deleteDoc(doc(db, TURN)));
  });
});
