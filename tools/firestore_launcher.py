"""Write the 342-byte launcher jar that lets firebase-tools run Debian's Firestore emulator.

firebase-tools starts the emulator with `java -jar <FIRESTORE_EMULATOR_BINARY_PATH>`, but the jar from
Debian's google-cloud-cli-firestore-emulator has no Main-Class; this jar only carries a manifest that
names the main class and puts the Debian jar on the class path. firebase-tools chmods the file it is
given, which is why it points at this project file and not at the system jar.
"""
import sys
import zipfile
from pathlib import Path

DEBIAN_JAR = Path("/usr/lib/google-cloud-sdk/platform/cloud-firestore-emulator/cloud-firestore-emulator.jar")
MAIN_CLASS = "com.google.cloud.datastore.emulator.firestore.CloudFirestore"


def manifest(jar: Path) -> str:
    lines = ["Manifest-Version: 1.0", f"Main-Class: {MAIN_CLASS}"]
    class_path = f"Class-Path: {jar.as_uri().removeprefix('file://')}"
    # Manifest lines are limited to 72 bytes; continuation lines start with one space.
    lines.append(class_path[:72])
    rest = class_path[72:]
    while rest:
        lines.append(" " + rest[:71])
        rest = rest[71:]
    return "\r\n".join(lines) + "\r\n\r\n"


def main(out: str) -> None:
    if not DEBIAN_JAR.exists():
        sys.exit(f"{DEBIAN_JAR} is missing: install Debian's google-cloud-cli-firestore-emulator package")
    target = Path(out)
    target.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(target, "w") as jar:
        jar.writestr("META-INF/MANIFEST.MF", manifest(DEBIAN_JAR))
    print(f"wrote {target}")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "tools/firestore-emulator-launcher.jar")
