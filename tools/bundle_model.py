"""Copy all-MiniLM-L6-v2 into functions/model/ before a deploy (firebase.json `predeploy`).

The Cloud Functions build installs functions/requirements.txt, which cannot carry the model package
(its declared dependency drags a multi-GB torch in), so the model's files travel with the source;
frontdesk_core.embedding finds them in functions/model/. Git-ignored; the emulator doesn't need it.
"""
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET = ROOT / "functions" / "model"
FILES = ("model.safetensors", "tokenizer.json", "config.json")


def main() -> None:
    sys.path.insert(0, str(ROOT / "functions"))
    from frontdesk_core.embedding import model_dir
    source = model_dir()
    if source.resolve() == TARGET.resolve():
        print(f"{TARGET} already holds the model")
        return
    TARGET.mkdir(exist_ok=True)
    for name in FILES:
        shutil.copy2(source / name, TARGET / name)
    print(f"copied {', '.join(FILES)} from {source} to {TARGET}")


if __name__ == "__main__":
    main()
