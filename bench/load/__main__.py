import sys

from .cli import main

if __name__ == "__main__":     # not in a job process (--processes spawns them, importing this as __mp_main__)
    sys.exit(main())
