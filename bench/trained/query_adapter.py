"""<train venv>/bin/python bench/trained/query_adapter.py --out artifacts/trained/fold1.npz --holdout <salons>

Fine-tune all-MiniLM-L6-v2 with LoRA on salons' caller questions (a bi-encoder: the index stays a
cosine search). Loss per step, on one salon: softmax over that salon's entries plus a 'none' slot for
questions the base does not answer; and groups' wordings pulled together."""
import json, time, random, argparse
from common import MODEL as _MODEL, SALONS
import numpy as np, torch, torch.nn as nn
from transformers import BertModel, BertTokenizerFast
MODEL = str(_MODEL)
ap = argparse.ArgumentParser()
ap.add_argument("--holdout", nargs="*", default=[])
ap.add_argument("--epochs", type=float, default=2)
ap.add_argument("--rank", type=int, default=16)
ap.add_argument("--lr", type=float, default=5e-4)
ap.add_argument("--bs", type=int, default=32)
ap.add_argument("--out", required=True)
ap.add_argument("--data", default=str(SALONS))
a = ap.parse_args()
torch.manual_seed(0); random.seed(0); torch.set_num_threads(1)
salons = [s for s in json.load(open(a.data)) if s["name"] not in a.holdout]
tok = BertTokenizerFast.from_pretrained(MODEL)
bert = BertModel.from_pretrained(MODEL, add_pooling_layer=False)
for p in bert.parameters(): p.requires_grad_(False)

class LoRA(nn.Module):
    def __init__(self, base, r):
        super().__init__(); self.base = base
        self.A = nn.Parameter(torch.randn(r, base.in_features) * 0.01)
        self.B = nn.Parameter(torch.zeros(base.out_features, r))
    def forward(self, x):
        return self.base(x) + (x @ self.A.T) @ self.B.T
names = []
for i, layer in enumerate(bert.encoder.layer):
    att = layer.attention
    for mod, attr in ((att.self, "query"), (att.self, "key"), (att.self, "value"), (att.output, "dense"),
                      (layer.intermediate, "dense"), (layer.output, "dense")):
        setattr(mod, attr, LoRA(getattr(mod, attr), a.rank))
params = [p for p in bert.parameters() if p.requires_grad]
scale = nn.Parameter(torch.tensor(20.0)); none_at = nn.Parameter(torch.tensor(0.55))
opt = torch.optim.AdamW(params + [none_at], lr=a.lr, weight_decay=0.0)

def enc(texts, maxlen=128):
    e = tok(texts, truncation=True, max_length=maxlen, padding=True, return_tensors="pt")
    h = bert(**e).last_hidden_state
    m = e["attention_mask"].unsqueeze(-1).float()
    v = (h * m).sum(1) / m.sum(1).clamp(min=1e-9)
    return nn.functional.normalize(v, dim=-1)

# the stored vectors stay the base model's: entries' side computed once, before any step (B = 0)
ENTRY = []
with torch.no_grad():
    for s in salons:
        ev = enc([e["question"] for e in s["entries"]]); av = enc([e["answer"] for e in s["entries"]])
        ENTRY.append((ev + av) / 2)   # as the index: mean of the two cosines
print("entries embedded", flush=True)
# work items: (salon index, kind, payload)
steps = []
for si, s in enumerate(salons):
    qs = [q for q in s["questions"]]
    random.shuffle(qs)
    for b in range(0, len(qs), a.bs):
        steps.append((si, "q", qs[b:b + a.bs]))
    groups = {}
    for g in s["groups"]: groups.setdefault(g["group"], []).append(g["question"])
    if groups: steps.append((si, "g", groups))
total = int(len(steps) * a.epochs)
print("steps/epoch", len(steps), "total", total, flush=True)
sched = torch.optim.lr_scheduler.LambdaLR(opt, lambda i: min(1.0, (i + 1) / (0.1 * total)) * max(0.02, (total - i) / total))
t0 = time.time(); i = 0
bert.train()
while i < total:
    order = steps[:]; random.shuffle(order)
    for si, kind, payload in order:
        if i >= total: break
        s = salons[si]
        if kind == "q":
            ents = s["entries"]; ids = [e["id"] for e in ents]
            combined = ENTRY[si]   # the base model's entry vectors: only callers' questions are adapted   # the index's meaning: mean of the two cosines
            qv = enc([q["question"] for q in payload])
            logits = scale * (qv @ combined.T)                      # (B, E)
            null = (scale * none_at).expand(len(payload), 1)
            full = torch.cat([logits, null], 1)
            # a question several entries answer: any of them (log-sum-exp over the right ones)
            loss = 0
            for r, q in enumerate(payload):
                right = [ids.index(x) for x in (q.get("ids") or []) if x in ids] if q["expect"] == "answer" else [len(ids)]
                lse_all = torch.logsumexp(full[r], 0)
                loss = loss + lse_all - torch.logsumexp(full[r, right], 0)
            loss = loss / len(payload)
        else:
            texts, labels = [], []
            for k, (g, ws) in enumerate(payload.items()):
                texts += ws; labels += [k] * len(ws)
            v = enc(texts); lab = torch.tensor(labels)
            sim = scale * (v @ v.T)
            sim = sim - 1e4 * torch.eye(len(texts))
            same = (lab[:, None] == lab[None, :]) & ~torch.eye(len(texts), dtype=torch.bool)
            loss = (torch.logsumexp(sim, 1) - torch.logsumexp(sim.masked_fill(~same, -1e4), 1)).mean()
        loss.backward(); torch.nn.utils.clip_grad_norm_(params, 1.0)
        opt.step(); sched.step(); opt.zero_grad(); i += 1
        if i % 20 == 0: print(f"step {i}/{total} {kind} loss {loss.item():.3f} none_at {none_at.item():.3f} {time.time()-t0:.0f}s", flush=True)
print("train time", time.time() - t0, flush=True)
# save the merged deltas: W' = W + B A for each adapted Linear, as float32 deltas of rank r (A, B)
out = {}
for li, layer in enumerate(bert.encoder.layer):
    att = layer.attention
    for key, mod in ((f"encoder.layer.{li}.attention.self.query", att.self.query), (f"encoder.layer.{li}.attention.self.key", att.self.key),
                     (f"encoder.layer.{li}.attention.self.value", att.self.value), (f"encoder.layer.{li}.attention.output.dense", att.output.dense),
                     (f"encoder.layer.{li}.intermediate.dense", layer.intermediate.dense), (f"encoder.layer.{li}.output.dense", layer.output.dense)):
        out[key + ".lora_A"] = mod.A.detach().numpy().astype(np.float32)
        out[key + ".lora_B"] = mod.B.detach().numpy().astype(np.float32)
np.savez(a.out, **out)
print("saved", a.out)
