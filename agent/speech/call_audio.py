"""Audio I/O for a spoken call with no room: the caller's voice from samples, the agent's to a tape.

`CallerAudio` is the session's `io.AudioInput`: 20 ms frames paced in real time, silence between what
the caller says (`say`), as a phone line would carry. `AgentTape` is its `io.AudioOutput`: it "plays"
the agent's speech in real time on the call's clock (a segment ends when its audio would have been
heard; `clear_buffer`, on an interruption, cuts it there) and keeps it for a recording.
"""
from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass

import numpy as np
from livekit import rtc
from livekit.agents.voice import io

CALLER_RATE = 16000
FRAME = CALLER_RATE // 50          # 20 ms


@dataclass
class Utterance:
    """What the caller said and when (`time.time()`), known once it has been played."""
    samples: np.ndarray
    started_at: float | None = None
    ended_at: float | None = None

    @property
    def duration(self) -> float:
        return len(self.samples) / CALLER_RATE


class CallerAudio(io.AudioInput):
    def __init__(self) -> None:
        super().__init__(label="caller")
        self._queue: list[tuple[Utterance, asyncio.Future]] = []
        self._current: tuple[Utterance, asyncio.Future] | None = None
        self._pos = 0
        self._next: float | None = None
        self._closed = False

    def say(self, samples: np.ndarray) -> asyncio.Future:
        """Queue int16 mono 16 kHz samples; the future resolves with the `Utterance` once played."""
        done = asyncio.get_running_loop().create_future()
        self._queue.append((Utterance(np.asarray(samples, np.int16)), done))
        return done

    @property
    def speaking(self) -> bool:
        return self._current is not None or bool(self._queue)

    def close(self) -> None:
        self._closed = True

    async def __anext__(self) -> rtc.AudioFrame:
        if self._closed:
            raise StopAsyncIteration
        now = time.monotonic()
        self._next = now if self._next is None or self._next < now - 0.2 else self._next
        await asyncio.sleep(max(0.0, self._next - now))
        self._next += FRAME / CALLER_RATE
        return rtc.AudioFrame(self._chunk().tobytes(), CALLER_RATE, 1, FRAME)

    def _chunk(self) -> np.ndarray:
        if self._current is None and self._queue:
            self._current, self._pos = self._queue.pop(0), 0
            self._current[0].started_at = time.time()
        if self._current is None:
            return np.zeros(FRAME, np.int16)
        utterance, done = self._current
        chunk = utterance.samples[self._pos:self._pos + FRAME]
        self._pos += FRAME
        if self._pos >= len(utterance.samples):
            utterance.ended_at = time.time()
            self._current = None
            if not done.done():
                done.set_result(utterance)
        return np.pad(chunk, (0, FRAME - len(chunk)))


@dataclass
class Segment:
    """One thing the agent said: when its audio started and ended (time.time()), whether it was cut."""
    started_at: float
    samples: np.ndarray
    rate: int
    interrupted: bool = False

    @property
    def ended_at(self) -> float:
        return self.started_at + len(self.samples) / self.rate


class AgentTape(io.AudioOutput):
    def __init__(self, sample_rate: int) -> None:
        super().__init__(label="agent-tape", capabilities=io.AudioOutputCapabilities(pause=False),
                         sample_rate=sample_rate)
        self.rate = sample_rate
        self.segments: list[Segment] = []
        self._frames: list[np.ndarray] = []
        self._start: float | None = None        # wall time the current segment started playing
        self._cleared = asyncio.Event()
        self._waiter: asyncio.Task | None = None

    async def capture_frame(self, frame: rtc.AudioFrame) -> None:
        await super().capture_frame(frame)
        if self._start is None:
            # Audio starts playing when it arrives, or when the previous segment has played out.
            previous_end = self.segments[-1].ended_at if self.segments else 0.0
            self._start = max(time.time(), previous_end)
            self._cleared.clear()
            self.on_playback_started(created_at=self._start)
        pcm = np.frombuffer(frame.data, np.int16).reshape(-1, frame.num_channels)[:, 0]
        self._frames.append(pcm.copy())

    def flush(self) -> None:
        super().flush()
        if self._start is None:
            return
        segment = Segment(self._start, np.concatenate(self._frames), self.rate)
        self.segments.append(segment)
        self._frames, self._start = [], None
        self._waiter = asyncio.ensure_future(self._play_out(segment))

    async def _play_out(self, segment: Segment) -> None:
        try:
            await asyncio.wait_for(self._cleared.wait(), max(0.0, segment.ended_at - time.time()))
        except asyncio.TimeoutError:
            self.on_playback_finished(playback_position=len(segment.samples) / self.rate,
                                      interrupted=False)
            return
        played = min(max(0.0, time.time() - segment.started_at), len(segment.samples) / self.rate)
        segment.samples = segment.samples[:int(played * self.rate)]
        segment.interrupted = True
        self.on_playback_finished(playback_position=played, interrupted=True)

    def clear_buffer(self) -> None:
        if self._start is not None:           # cut before its flush: nothing more of it is heard
            self.flush()
        self._cleared.set()

    @property
    def playing(self) -> bool:
        """Audio is arriving, or what arrived has not finished playing."""
        return self._start is not None or (bool(self.segments)
                                            and time.time() < self.segments[-1].ended_at)

    def recording(self, since: float) -> np.ndarray:
        """The agent's side of the call from `since` (wall time), silence where it did not speak."""
        if not self.segments:
            return np.zeros(0, np.int16)
        end = max(s.ended_at for s in self.segments)
        out = np.zeros(int((end - since) * self.rate) + 1, np.int16)
        for s in self.segments:
            at = max(0, int((s.started_at - since) * self.rate))
            part = s.samples[:len(out) - at]
            out[at:at + len(part)] = part
        return out
