// Firebase app, Auth and Firestore. The config comes from Hosting's /__/firebase/init.json (served by
// Firebase Hosting and by its emulator), so a real project needs no code change. On 127.0.0.1 or
// localhost the SDKs talk to the emulators whose hosts were baked in at build time.
import { initializeApp } from 'firebase/app';
import { connectAuthEmulator, getAuth } from 'firebase/auth';
import { connectFirestoreEmulator, getFirestore } from 'firebase/firestore';

const FALLBACK_CONFIG = { projectId: 'demo-frontdesk', apiKey: 'demo-api-key' };
const FIRESTORE_EMULATOR = import.meta.env.VITE_FIRESTORE_EMULATOR_HOST || '127.0.0.1:8080';
const AUTH_EMULATOR = import.meta.env.VITE_AUTH_EMULATOR_HOST || '127.0.0.1:9099';

async function loadConfig() {
  try {
    const res = await fetch('/__/firebase/init.json', { cache: 'no-store' });
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    const config = await res.json(); // an HTML fallback page throws here
    if (!config || !config.projectId) throw new Error('no projectId');
    return config;
  } catch (err) {
    console.info('Using the fallback Firebase config:', err.message);
    return FALLBACK_CONFIG;
  }
}

function splitHost(hostPort) {
  const i = hostPort.lastIndexOf(':');
  return [hostPort.slice(0, i), Number(hostPort.slice(i + 1))];
}

export function onEmulators(hostname = location.hostname) {
  return hostname === '127.0.0.1' || hostname === 'localhost';
}

export async function initFirebase() {
  const config = await loadConfig();
  const app = initializeApp(config);
  const auth = getAuth(app);
  const db = getFirestore(app);
  if (onEmulators()) {
    const [host, port] = splitHost(FIRESTORE_EMULATOR);
    connectFirestoreEmulator(db, host, port);
    connectAuthEmulator(auth, `http://${AUTH_EMULATOR}`, { disableWarnings: true });
  }
  return { app, auth, db, projectId: config.projectId };
}
