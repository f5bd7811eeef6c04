"""Every salon's questions with their MiniLM shortlist (the K nearest entries by meaning), the input of
the trained models here.   .venv/bin/python bench/trained/shortlists.py   -> artifacts/trained/salons.json"""
import json
from common import ROOT, SALONS, ARTIFACTS
import numpy as np
from frontdesk_core.understanding import training
from frontdesk_core import embedding

K = 8
data = ROOT / "tests" / "data"
salons = training.load_all(data)
training.embed_salons(salons, lambda t: embedding.embed_many(t))
out = []
for s in salons:
    index = s.index()
    ents = {e["id"]: e for e in s.entries}
    items = [dict(q) for q in s.questions]
    items += [{"question": e["question"], "expect": "answer", "ids": [e["id"]], "split": "written"} for e in s.entries]
    for it in items:
        v = s.vectors.get(it["question"])
        if v is None:
            v = embedding.embed(it["question"])
        nearest, meaning, _ = index.search(np.asarray(v, np.float32), K)
        it["shortlist"] = [index.entries[int(j)].id for j in nearest]
        it["meaning"] = [float(m) for m in np.asarray(meaning)[:len(nearest)]] if np.ndim(meaning) else []
    groups = s.groups
    out.append({"name": s.name, "entries": s.entries, "questions": items, "groups": groups})
    print(s.name, len(items), sum(any(i in q["shortlist"][:1] for i in q.get("ids", [])) for q in items if q["expect"]=="answer"))
ARTIFACTS.mkdir(parents=True, exist_ok=True)
json.dump(out, open(SALONS, "w"))
