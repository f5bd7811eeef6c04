// Preloaded into firebase-tools (NODE_OPTIONS, set by tools/firebase-env.sh and tools/demo.py): the
// Functions emulator forwards each event to the Python worker (functions-framework on gunicorn) over
// Node's global HTTP agent, which keeps connections alive for 5 s since Node 19; gunicorn closes an
// idle one after 2 s. An event sent on a connection gunicorn is closing is lost ("Request to function
// failed: socket hang up", and the emulator never redelivers). One connection per request avoids it.
const http = require('http');

http.globalAgent = new http.Agent({ keepAlive: false });
