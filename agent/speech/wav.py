"""WAV files in and out of a voice call.

Read: RIFF/WAVE with integer PCM of 8, 16, 24 or 32 bits or 32/64-bit float (plain or
WAVE_FORMAT_EXTENSIBLE), any rate and channel count, is mixed down to mono and resampled to the call's
rate. Anything else — not a WAV, no audio, a file cut short — raises `WavError` saying what is wrong,
before the call starts.
"""
from __future__ import annotations

import struct
from pathlib import Path

import numpy as np
from livekit import rtc

PCM, FLOAT, EXTENSIBLE = 0x0001, 0x0003, 0xFFFE


class WavError(ValueError):
    pass


def _chunks(data: bytes, name: str):
    pos = 12
    while pos + 8 <= len(data):
        cid, size = data[pos:pos + 4], struct.unpack_from("<I", data, pos + 4)[0]
        body = data[pos + 8:pos + 8 + size]
        if len(body) < size:
            raise WavError(f"{name}: truncated ({cid.decode('latin-1')!r} chunk declares {size} bytes, "
                           f"{len(body)} present)")
        yield cid, body
        pos += 8 + size + (size & 1)


def read(path: str | Path, rate: int) -> np.ndarray:
    """The file's audio as int16 mono samples at `rate`."""
    name = str(path)
    try:
        data = Path(path).read_bytes()
    except OSError as err:
        raise WavError(f"{name}: {err.strerror}") from None
    if len(data) < 12 or data[:4] != b"RIFF" or data[8:12] != b"WAVE":
        raise WavError(f"{name}: not a WAV file (no RIFF/WAVE header)")
    fmt = audio = None
    for cid, body in _chunks(data, name):
        if cid == b"fmt ":
            fmt = body
        elif cid == b"data":
            audio = body
    if fmt is None or len(fmt) < 16:
        raise WavError(f"{name}: no format chunk")
    if audio is None:
        raise WavError(f"{name}: no data chunk (truncated?)")
    tag, channels, src_rate, _, align, bits = struct.unpack_from("<HHIIHH", fmt)
    if tag == EXTENSIBLE and len(fmt) >= 26:
        tag = struct.unpack_from("<H", fmt, 24)[0]   # the sub-format GUID starts with the real tag
    if channels < 1 or not 1000 <= src_rate <= 384000 or align != channels * ((bits + 7) // 8):
        raise WavError(f"{name}: inconsistent format ({channels} channels, {src_rate} Hz, {bits} bits)")
    frames = len(audio) // align
    if frames == 0:
        raise WavError(f"{name}: empty (no audio samples)")
    raw = audio[:frames * align]
    if tag == PCM and bits == 8:
        x = (np.frombuffer(raw, np.uint8).astype(np.float32) - 128) / 128
    elif tag == PCM and bits == 16:
        x = np.frombuffer(raw, "<i2").astype(np.float32) / 32768
    elif tag == PCM and bits == 24:
        b = np.frombuffer(raw, np.uint8).reshape(-1, 3).astype(np.int32)
        x = ((b[:, 0] | (b[:, 1] << 8) | (b[:, 2] << 16)) << 8 >> 8).astype(np.float32) / 8388608
    elif tag == PCM and bits == 32:
        x = np.frombuffer(raw, "<i4").astype(np.float32) / 2147483648
    elif tag == FLOAT and bits in (32, 64):
        x = np.nan_to_num(np.frombuffer(raw, "<f4" if bits == 32 else "<f8").astype(np.float32))
    else:
        raise WavError(f"{name}: unsupported encoding (format tag {tag:#06x}, {bits} bits); "
                       "use PCM or float WAV")
    mono = x.reshape(-1, channels).mean(axis=1)
    pcm = (np.clip(mono, -1, 1) * 32767).astype(np.int16)
    return resample(pcm, src_rate, rate)


def resample(pcm: np.ndarray, src_rate: int, rate: int) -> np.ndarray:
    if src_rate == rate:
        return pcm
    resampler = rtc.AudioResampler(src_rate, rate, num_channels=1,
                                   quality=rtc.AudioResamplerQuality.HIGH)
    frames = [*resampler.push(rtc.AudioFrame(pcm.tobytes(), src_rate, 1, len(pcm))),
              *resampler.flush()]
    return np.concatenate([np.frombuffer(f.data, np.int16) for f in frames]) if frames \
        else np.zeros(0, np.int16)


def write(path: str | Path, pcm: np.ndarray, rate: int) -> None:
    """16-bit mono PCM."""
    import wave
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(np.asarray(pcm, np.int16).astype("<i2").tobytes())
