"""Issue 16 item 8 on the emulators: the functions' knowledge cache reads only what changed (counted
on the client's own RPCs, bench/readcount.py); the knowledge trigger records every write and delete;
a wiped database is read whole again."""
from __future__ import annotations

import pytest

from bench.readcount import ReadCounter
from frontdesk_core import contract
from frontdesk_core.infra.firebase import db as new_client
from frontdesk_core.understanding import kbcache
from tests.emulator import clear_firestore, vectors_of, wait_for
from tools.seed import seed

pytestmark = pytest.mark.emulator


def ids(index):
    return {e.id for e in index.entries}


def changed(db, entry_id, deleted):
    snap = db.collection(kbcache.CHANGES).document(entry_id).get()
    return snap.exists and snap.get("deleted") is deleted


def test_the_cache_reads_only_what_changed_and_follows_writes_deletes_and_wipes(salon_db):
    db = salon_db
    seeded = {s.id for s in db.collection(contract.KNOWLEDGE_BASE).stream()}
    wait_for(lambda: all(changed(db, i, False) for i in seeded), timeout=30)   # the seed's writes, recorded
    counter = ReadCounter(db)
    cache = kbcache.KnowledgeCache()
    first = cache.index(db)
    assert ids(first) == seeded
    counter.take()
    assert cache.index(db) is first and counter.take() == 2   # the generation, an empty query

    added = db.collection(contract.KNOWLEDGE_BASE).document("wifi")
    added.set({**contract.new_knowledge_entry("Do you have wifi?", "Yes, ask at the desk.", source="supervisor")})
    wait_for(lambda: changed(db, "wifi", False))
    wait_for(lambda: (vectors_of(db, "wifi") or {}).get(contract.EMBEDDING) is not None)   # its vectors too
    counter.take()
    assert "wifi" in ids(cache.index(db))
    assert counter.take() <= 2 + 2 * 2   # generation, the query's changes, each changed entry once
    db.collection(contract.KNOWLEDGE_BASE).document("seed-phone").delete()
    wait_for(lambda: changed(db, "seed-phone", True))
    assert ids(cache.index(db)) == seeded - {"seed-phone"} | {"wifi"}
    assert ids(cache.index(db, exclude=["wifi"])) == seeded - {"seed-phone"}

    clear_firestore()          # a wiped database: the generation is gone, the cache reads it whole
    seed(db)
    assert ids(cache.index(db)) == seeded


def test_a_new_client_sees_the_trigger_write_a_change_for_each_write(salon_db):
    entry = salon_db.collection(contract.KNOWLEDGE_BASE).document("late")
    entry.set(contract.new_knowledge_entry("Do you open late?", "Until 8pm on Thursdays.", source="supervisor"))
    wait_for(lambda: changed(salon_db, "late", False))
    before = salon_db.collection(kbcache.CHANGES).document("late").get().get("changedAt")
    entry.update({"answer": "Until 9pm on Thursdays.", "updatedAt": contract.utcnow(), "updatedBy": "sup"})
    wait_for(lambda: salon_db.collection(kbcache.CHANGES).document("late").get().get("changedAt") > before)
    cache = kbcache.KnowledgeCache()
    index = cache.index(new_client())
    assert next(e for e in index.entries if e.id == "late").answer == "Until 9pm on Thursdays."
