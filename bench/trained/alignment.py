"""Leave-one-salon-out with four contextual-alignment features appended to the answer features (MaxSim of
the caller's content words over the entry's, both ways, and its gap to the other candidates).
  .venv/bin/python bench/trained/alignment.py [--salon uk-barber us-nails ...]   (after word_vectors.py)"""
import pickle, time, argparse
from common import ROOT, ARTIFACTS
import numpy as np
from frontdesk_core.understanding import features, decision, model as models, training, language
from bench.understanding import cached_embed, base_model
import dataclasses

ap = argparse.ArgumentParser(); ap.add_argument("--salon", nargs="*"); ap.add_argument("--extra", default="all")
args = ap.parse_args()
TS = pickle.load(open(ARTIFACTS / "word_vectors.pkl", "rb"))
EXTRA = ("align_q", "align_min", "align_e", "align_gap")
orig = features.answer_features
_cache = {}

def content_vecs(text):
    s = TS[text]
    v = s["vecs"].astype(np.float32)
    c = s["content"]
    words = [w for w, f in zip(s["words"], c) if f]
    return (v[c] if c.any() else v), words

def align(question, entry, idf):
    key = (question, entry.id, id(entry))
    if key in _cache: return _cache[key]
    qv, qw = content_vecs(question)
    ev = np.concatenate([content_vecs(t)[0] for t in (entry.question, entry.answer or "", *(p.text for p in entry.phrasings))])
    sims = qv @ ev.T  # (q, e)
    best = sims.max(1)
    w = np.array([idf(next(iter(language.content(x)), x)) for x in qw]) if qw else np.ones(len(best))
    if len(w) != len(best): w = np.ones(len(best))
    aq = float((best * w).sum() / w.sum())
    amin = float(best.min())
    # entry question words -> caller words (best over wordings)
    ae = 0.0
    for t in (entry.question, *(p.text for p in entry.phrasings)):
        wv, _ = content_vecs(t)
        ae = max(ae, float((wv @ qv.T).max(1).mean()) if len(wv) and len(qv) else 0.0)
    r = (aq, amin, ae)
    _cache[key] = r
    return r

def answer_features(question, vec, index, j, rank, meaning, ranked):
    x = orig(question, vec, index, j, rank, meaning, ranked)
    aq, amin, ae = align(question, index.entries[j], index.idf)
    others = [align(question, index.entries[i], index.idf)[0] for i in ranked if i != j and index.entries[i].answer != index.entries[j].answer]
    gap = aq - max(others) if others else 0.3
    return np.concatenate([x, [aq, amin, ae, gap]])

if args.extra != "none":
    features.answer_features = answer_features
    decision.answer_features = answer_features
    models.ANSWER_FEATURES = features.ANSWER_FEATURES + EXTRA
salons = training.load_all(ROOT / "tests" / "data")
training.embed_salons(salons, cached_embed)
base = base_model()
if args.extra != "none":
    base = dataclasses.replace(base, answer_weights=(0.0,) * len(models.ANSWER_FEATURES))
t0 = time.time()
tot = [0, 0, 0]
for s in salons:
    if args.salon and s.name not in args.salon: continue
    m = training.fit([o for o in salons if o is not s], base)
    sc = training.score(s, s.index(), s.questions, m)
    b, a = training.learning_curve(s, m)
    print(f"{s.name:12s} {sc.summary()}  links {100*b.answered_share:.1f}->{100*a.answered_share:.1f} ({a.wrong} wrong) at {m.answer_at:.3f}  {time.time()-t0:.0f}s", flush=True)
    tot[0] += sc.wrong
