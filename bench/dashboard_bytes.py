"""Bytes a supervisor's browser downloads from Firestore to show the Learned view, before and after the
vectors moved out of the entries (issue 16 item 8, the dashboard half).

  . tools/firebase-env.sh && flock /tmp/frontdesk-default-ports.lock \\
      firebase emulators:exec --only firestore,auth,hosting --project demo-test \\
      ".venv/bin/python -m bench.dashboard_bytes"

(The dashboard build bakes the default ports; no functions: nothing should react to the bench's writes.)
For each size, the knowledge base is written fresh in one of two layouts with the same entries:
"inline" as entries were stored before (question/answer vectors, model and stamp in the entry, a
vector in each phrasing) and "beside" as now (the same vectors in knowledge_vectors/{id}). A fresh
signed-in page opens the Learned view; counted are the body bytes Chromium received from the Firestore
host (bench/received.py) until every entry is listed. The rest of the database is empty, so that is the
knowledge base's listener, plus a few hundred bytes of the other views' empty listeners.
"""
from __future__ import annotations

import argparse
import os
import secrets
import sys
import time

import numpy as np
from playwright.sync_api import sync_playwright

from bench.received import FirestoreTraffic, vector_marks
from frontdesk_core import contract, embedding
from frontdesk_core.infra.firebase import db as client
from tests.emulator import clear_firestore
from tools.supervisors import ensure_supervisor

TOPICS = ["hair dye", "parking", "gift cards", "kids cuts", "beard trims", "perms", "nail art", "wax",
          "brows", "lashes", "massage", "facials", "extensions", "braids", "keratin", "toner"]


def unit(rng: np.random.Generator):
    v = rng.standard_normal(embedding.DIM).astype(np.float32)
    return embedding.to_firestore(v / np.linalg.norm(v))


def documents(n: int, phrasings: int, inline: bool, rng) -> list[tuple[str, str, dict]]:
    """(collection, id, data) of n entries with `phrasings` wordings each, and their vectors."""
    now, out = contract.utcnow(), []
    for i in range(n):
        topic = TOPICS[i % len(TOPICS)]
        entry = contract.new_knowledge_entry(f"Do you do {topic} for clients, question {i}?",
                                             f"Yes, {topic} from ${20 + i % 80}, book at the desk or online.", now=now)
        words = [contract.new_phrasing(f"Can I get {topic} done, wording {i}-{k}?", source="link", now=now)
                 for k in range(phrasings)]
        stored = {contract.EMBEDDING: unit(rng), contract.ANSWER_EMBEDDING: unit(rng),
                  contract.EMBEDDING_MODEL: embedding.MODEL_ID,
                  contract.EMBEDDED_FROM: contract.vectors_stamp(entry["question"], entry["answer"])}
        pvs = [unit(rng) for _ in words]
        if inline:
            out.append((contract.KNOWLEDGE_BASE, f"kb-{i:05d}", {
                **entry, **stored, contract.PHRASINGS: [{**p, contract.EMBEDDING: v} for p, v in zip(words, pvs)]}))
        else:
            out.append((contract.KNOWLEDGE_BASE, f"kb-{i:05d}", {**entry, contract.PHRASINGS: words}))
            out.append((contract.KNOWLEDGE_VECTORS, f"kb-{i:05d}", {**stored, contract.PHRASING_VECTORS: {
                contract.phrasing_key(p["text"]): v for p, v in zip(words, pvs)}}))
    return out


def write(db, docs) -> None:
    for start in range(0, len(docs), 200):
        batch = db.batch()
        for collection, doc_id, data in docs[start:start + 200]:
            batch.set(db.collection(collection).document(doc_id), data)
        batch.commit()


def received(browser, url: str, email: str, password: str, n: int) -> tuple[int, list[str]]:
    """Body bytes from Firestore until the Learned view lists n entries, and any vector marks seen."""
    context = browser.new_context(viewport={"width": 1100, "height": 800})
    try:
        page = context.new_page()
        traffic = FirestoreTraffic(page, os.environ["FIRESTORE_EMULATOR_HOST"])
        page.goto(url + "/#/learned")
        page.get_by_label("Email").fill(email)
        page.get_by_label("Password").fill(password)
        page.get_by_role("button", name="Sign in", exact=True).click()
        page.locator("#learned-view li[data-id]").nth(n - 1).wait_for(state="attached", timeout=120_000)
        page.wait_for_timeout(1500)   # let the stream settle (nothing more is expected)
        return traffic.bytes, vector_marks(traffic.text)
    finally:
        context.close()


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100,1000")
    parser.add_argument("--phrasings", type=int, default=2, help="wordings per entry")
    parser.add_argument("--hosting-url", default=os.environ.get("FRONTDESK_HOSTING_URL", "http://127.0.0.1:5000"))
    parser.add_argument("--chromium", default=os.environ.get("FRONTDESK_CHROMIUM", "/usr/bin/chromium"))
    args = parser.parse_args(argv)
    if not os.environ.get("FIRESTORE_EMULATOR_HOST"):
        sys.exit("run inside the emulators (see the module's docstring)")
    email, password = "bytes@frontdesk.test", secrets.token_urlsafe(12)
    db, rng = client(), np.random.default_rng(8)
    print(f"load average {os.getloadavg()[0]:.2f}; {args.phrasings} wordings per entry")
    print(f"{'entries':>8} {'layout':>7} | {'bytes received':>14} {'per entry':>9} | vector marks")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=args.chromium, headless=True,
                                     args=["--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"])
        try:
            for n in (int(x) for x in args.sizes.split(",")):
                for layout in ("inline", "beside"):
                    clear_firestore()
                    ensure_supervisor(email, password, display_name="Bench")
                    started = time.monotonic()
                    write(db, documents(n, args.phrasings, layout == "inline", rng))
                    got, marks = received(browser, args.hosting_url, email, password, n)
                    print(f"{n:>8} {layout:>7} | {got:>14,} {got / n:>9,.0f} | {' '.join(marks) or '-'}"
                          f"   ({time.monotonic() - started:.0f} s)", flush=True)
        finally:
            browser.close()
            clear_firestore()
    return 0


if __name__ == "__main__":
    sys.exit(main())
