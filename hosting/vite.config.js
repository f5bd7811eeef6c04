// Build the supervisor dashboard: `npm run build` at the repo root → hosting/dist (served by Hosting).
// Emulator hosts are baked in at build time: VITE_FIRESTORE_EMULATOR_HOST, VITE_AUTH_EMULATOR_HOST.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root,
  publicDir: false,
  build: {
    // A parallel emulator suite on other ports builds into its own folder (FRONTDESK_HOSTING_OUT).
    outDir: process.env.FRONTDESK_HOSTING_OUT || 'dist',
    emptyOutDir: true,
    // Firestore + Auth alone are ~550 kB minified; one chunk is fine for a small internal tool.
    chunkSizeWarningLimit: 800,
  },
});
