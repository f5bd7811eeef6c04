#!/usr/bin/env bash
# Run a command inside `firebase emulators:exec` and leave nothing behind.
# firebase-tools leaves the Python function workers running after exec ends, so the suite runs in its
# own process group and the whole group is stopped afterwards; the exit code is the command's.
# Usage: tools/emulators-exec.sh [--project demo-x] [--config firebase.x.json] [--import DIR]
#                                [--export-on-exit DIR] "command"
set -uo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
. tools/firebase-env.sh
project=demo-frontdesk
config=()
data=()
while [ $# -gt 1 ]; do
  case "$1" in
    --project) project="$2"; shift 2 ;;
    --config) config=(--config "$2"); shift 2 ;;
    --import|--export-on-exit) data+=("$1" "$2"); shift 2 ;;
    *) break ;;
  esac
done
# Tell the tests where this config's Functions and Hosting emulators listen.
eval "$(.venv/bin/python - "${config[1]:-firebase.json}" <<'PY'
import json, sys
emulators = json.load(open(sys.argv[1]))["emulators"]
print(f"export FRONTDESK_FUNCTIONS_URL=http://127.0.0.1:{emulators['functions']['port']}")
print(f"export FRONTDESK_HOSTING_URL=http://127.0.0.1:{emulators['hosting']['port']}")
PY
)"
setsid firebase "${config[@]}" emulators:exec --project "$project" --only firestore,auth,functions,hosting "${data[@]}" "$1" &
pid=$!
trap 'kill -TERM -- "-$pid" 2>/dev/null' INT TERM
rc=0; wait "$pid" || rc=$?
kill -TERM -- "-$pid" 2>/dev/null || true
sleep 1
kill -KILL -- "-$pid" 2>/dev/null || true
exit "$rc"
