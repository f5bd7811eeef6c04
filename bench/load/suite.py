"""The emulator's function workers (this suite's session only): how many, their memory, their CPU."""
from __future__ import annotations

import os
import threading
import time
from pathlib import Path


class WorkerSampler(threading.Thread):
    """Samples, once a second, the functions-framework processes of this Emulator Suite (same session
    as this process: tools/emulators-exec.sh starts the suite with setsid)."""

    def __init__(self):
        super().__init__(daemon=True)
        self.sid = os.getsid(0)
        self.peak_procs = 0
        self.peak_rss_mb = 0.0
        self.stop = threading.Event()

    def sample(self) -> tuple[int, float]:
        procs, rss = 0, 0
        page = os.sysconf("SC_PAGE_SIZE")
        for pid in filter(str.isdigit, os.listdir("/proc")):
            try:
                stat = Path(f"/proc/{pid}/stat").read_text()
                if int(stat.rsplit(")", 1)[1].split()[3]) != self.sid:
                    continue
                if b"functions-framework" not in Path(f"/proc/{pid}/cmdline").read_bytes():
                    continue
                procs += 1
                rss += int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * page
            except (OSError, ValueError, IndexError):
                continue
        return procs, rss / 2**20

    def cpu_seconds(self) -> float:
        """CPU time used so far by this suite's other processes (the emulators' node, the workers)."""
        total, me = 0, os.getpid()
        for pid in filter(str.isdigit, os.listdir("/proc")):
            try:
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
                if int(fields[3]) == self.sid and int(pid) != me:
                    total += int(fields[11]) + int(fields[12])
            except (OSError, ValueError, IndexError):
                continue
        return total / os.sysconf("SC_CLK_TCK")

    def settle(self, timeout: float, window: float = 2.0, busy: float = 0.15) -> float:
        """Wait (bounded) until the suite's processes use under `busy` of a core; returns the wait."""
        t0 = time.monotonic()
        before = self.cpu_seconds()
        while time.monotonic() - t0 < timeout:
            time.sleep(window)
            now = self.cpu_seconds()
            if now - before < busy * window:
                break
            before = now
        return time.monotonic() - t0

    def run(self) -> None:
        while not self.stop.wait(1.0):
            procs, rss = self.sample()
            self.peak_procs, self.peak_rss_mb = max(self.peak_procs, procs), max(self.peak_rss_mb, rss)
