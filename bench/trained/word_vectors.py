"""Contextual word vectors (MiniLM's last layer, word pieces averaged) for every text of every salon, with
content-word flags: the input of alignment.py.   .venv/bin/python bench/trained/word_vectors.py"""
import pickle, time
from common import ROOT, ARTIFACTS
import numpy as np
from frontdesk_core import embedding
from frontdesk_core.embedding import _layer_norm, _gelu
from frontdesk_core.understanding import training, language

class Tok(embedding.MiniLM):
    def states(self, text):
        enc = self.tokenizer.encode(text)
        ids = np.asarray([enc.ids], dtype=np.int64)
        types = np.zeros_like(ids)
        x = self.word[ids] + self.position[:ids.shape[1]] + self.token_type[types]
        x = _layer_norm(x, *self.ln)
        d = x.shape[-1]; h = self.heads; hd = d // h; scale = np.float32(1 / np.sqrt(hd)); B, L = ids.shape
        for wqkv, bqkv, wo, bo, g1, b1, wi, bi, wo2, bo2, g2, b2 in self.layers:
            qkv = x @ wqkv + bqkv
            q, k, v = (qkv[..., j * d:(j + 1) * d].reshape(B, L, h, hd).transpose(0, 2, 1, 3) for j in range(3))
            s = (q @ k.transpose(0, 1, 3, 2)) * scale
            s = np.exp(s - s.max(-1, keepdims=True)); s /= s.sum(-1, keepdims=True)
            att = (s @ v).transpose(0, 2, 1, 3).reshape(B, L, d)
            x = _layer_norm(att @ wo + bo + x, g1, b1)
            x = _layer_norm(_gelu(x @ wi + bi) @ wo2 + bo2 + x, g2, b2)
        x = x[0]
        content = []
        for wid, (a, b) in zip(enc.word_ids, enc.offsets):
            w = text[a:b]
            content.append(wid is not None and bool(language.content(w)))
        # merge word pieces: one vector per word (mean of its pieces)
        words, vecs, flags = [], [], []
        cur = None
        for i, wid in enumerate(enc.word_ids):
            if wid is None: continue
            if wid != cur:
                words.append(text[enc.offsets[i][0]:enc.offsets[i][1]]); vecs.append([x[i]]); flags.append(content[i]); cur = wid
            else:
                words[-1] += text[enc.offsets[i][0]:enc.offsets[i][1]]; vecs[-1].append(x[i])
        V = np.stack([np.mean(v, 0) for v in vecs]).astype(np.float32) if vecs else np.zeros((0, d), np.float32)
        V /= np.maximum(np.linalg.norm(V, axis=1, keepdims=True), 1e-9)
        flags = [bool(language.content(w)) for w in words]
        return {"words": words, "vecs": V.astype(np.float16), "content": np.array(flags)}

m = Tok()
salons = training.load_all(ROOT / "tests" / "data")
texts = sorted({t for s in salons for t in s.texts()})
out = {}
t0 = time.time()
for i, t in enumerate(texts):
    out[t] = m.states(t)
print(len(texts), time.time() - t0)
ARTIFACTS.mkdir(parents=True, exist_ok=True)
pickle.dump(out, open(ARTIFACTS / "word_vectors.pkl", "wb"))
