"""Inputs of the batch job: capture files (JSON Lines, plain, gzip or zstd) and folders of
raw response files, read in chunks with bounded memory.

Only regular files are read: a FIFO, a device or a socket is refused before it is opened. A
capture line (or raw file) longer than the cap is never held whole: its size and SHA-256
are taken while skipping it, and it becomes a ``BodyTooLarge`` reject.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import os
import stat
import zlib
from collections.abc import Iterator
from pathlib import Path

import attrs

from .._api import VENDORS
from ._convert import CaptureChunk, Oversized, RawFile

# Names of capture files inside a folder; every other file there is one raw response.
CAPTURE_SUFFIXES = (".jsonl", ".ndjson")
COMPRESSED_SUFFIXES = ("", ".gz", ".zst", ".zstd")
_GZIP_MAGIC = b"\x1f\x8b"
_ZSTD_MAGIC = b"\x28\xb5\x2f\xfd"
_BLOCK = 1 << 20

try:
    from zstandard import ZstdError as _ZstdError
except ImportError:  # pragma: no cover - zstandard is part of the batch extra

    class _ZstdError(Exception):  # type: ignore[no-redef]
        pass


class Unreadable(Exception):
    """An input that could not be read; ``reason`` says why in a few words."""

    def __init__(self, path: str, reason: str) -> None:
        self.path = path
        self.reason = reason
        super().__init__(f"{path}: {reason}")


@attrs.define
class InputFile:
    """One input file and what was read of it (for the manifest)."""

    path: str
    kind: str  # "capture" or "raw"
    vendor: str | None = None  # raw files: from --vendor or the folder name
    sha256: str | None = None
    bytes: int = 0
    lines: int = 0
    responses: int = 0


def is_capture(name: str) -> bool:
    return any(
        name.endswith(suffix + compressed)
        for suffix in CAPTURE_SUFFIXES
        for compressed in COMPRESSED_SUFFIXES
    )


def _regular(path: str) -> os.stat_result:
    try:
        info = os.stat(path)
    except OSError as exc:
        raise Unreadable(path, exc.strerror or str(exc)) from None
    if not stat.S_ISREG(info.st_mode):
        raise Unreadable(path, "not a regular file (a FIFO, device or socket is refused)")
    return info


def discover(inputs: list[str], vendor: str | None) -> tuple[list[InputFile], list[Unreadable]]:
    """The input files, in a fixed order: each INPUT as given; a folder walked recursively
    in sorted order, its capture files by name and every other file as a raw response."""
    found: list[InputFile] = []
    refused: list[Unreadable] = []
    for given in inputs:
        if os.path.isdir(given):
            for folder, dirs, files in os.walk(given):
                dirs.sort()
                for name in sorted(files):
                    path = os.path.join(folder, name)
                    if is_capture(name):
                        found.append(InputFile(path=path, kind="capture"))
                    else:
                        found.append(
                            InputFile(path=path, kind="raw", vendor=vendor or _folder_vendor(path))
                        )
            continue
        try:
            _regular(given)
        except Unreadable as exc:
            refused.append(exc)
            continue
        found.append(InputFile(path=given, kind="capture"))
    return found, refused


def _folder_vendor(path: str) -> str | None:
    for part in reversed(Path(path).parent.parts):
        if part in VENDORS:
            return part
    return None


class _Hashing(io.RawIOBase):
    """A raw file that hashes and counts every byte read through it."""

    def __init__(self, raw: io.FileIO) -> None:
        self.raw = raw
        self.sha = hashlib.sha256()
        self.size = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        count = self.raw.readinto(buffer)
        if count:
            self.sha.update(memoryview(buffer)[:count])
            self.size += count
        return count or 0


def read_capture(entry: InputFile, *, max_bytes: int, chunk_lines: int) -> Iterator[CaptureChunk]:
    """Chunks of a capture file's lines; ``entry`` gets its SHA-256, size and line count."""
    try:
        _regular(entry.path)
        raw = io.FileIO(entry.path, "r")
    except OSError as exc:
        raise Unreadable(entry.path, exc.strerror or str(exc)) from None
    hashing = _Hashing(raw)
    with raw, io.BufferedReader(hashing, _BLOCK) as buffered:
        try:
            magic = buffered.peek(4)[:4]
            stream: io.BufferedIOBase
            if magic.startswith(_GZIP_MAGIC):
                stream = gzip.GzipFile(fileobj=buffered, mode="rb")
            elif magic.startswith(_ZSTD_MAGIC):
                stream = io.BufferedReader(ZstdFrames(buffered), _BLOCK)
            else:
                stream = buffered
            number = 1
            lines: list[bytes | Oversized] = []
            while True:
                line = stream.readline(max_bytes + 1)
                if not line:
                    break
                if len(line) > max_bytes and not line.endswith(b"\n"):
                    lines.append(_skip_line(stream, line))
                else:
                    lines.append(line)
                if len(lines) >= chunk_lines:
                    yield CaptureChunk(entry.path, number, lines)
                    number += len(lines)
                    lines = []
            if lines:
                yield CaptureChunk(entry.path, number, lines)
                number += len(lines)
            entry.lines = number - 1
            while buffered.read(_BLOCK):  # hash what the decompressor left unread
                pass
        except (OSError, EOFError, ValueError, zlib.error, _ZstdError) as exc:
            # A truncated or corrupt gzip/zstd stream, or a read error part way.
            raise Unreadable(entry.path, f"read failed: {exc}") from None
    entry.sha256 = hashing.sha.hexdigest()
    entry.bytes = hashing.size


class ZstdFrames(io.RawIOBase):
    """The zstd frames of ``source`` decompressed one after another. EOFError when the
    input ends inside a frame (a cut file), where a stream reader would just stop. The
    input goes in small steps, so one step's output stays bounded however well a frame
    compresses."""

    _STEP = 1024

    def __init__(self, source: io.BufferedIOBase | io.BytesIO) -> None:
        import zstandard

        self._source = source
        self._new = zstandard.ZstdDecompressor().decompressobj
        self._frame = self._new()
        self._in_frame = False
        self._out = b""
        self._at = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        while self._at == len(self._out):
            step = self._source.read(self._STEP)
            if not step:
                if self._in_frame:
                    raise EOFError("the zstd stream ends inside a frame")
                return 0
            parts = []
            while step:
                self._in_frame = True
                parts.append(self._frame.decompress(step))
                step = b""
                if self._frame.eof:
                    step = self._frame.unused_data  # the next frame's start, if any
                    self._frame = self._new()
                    self._in_frame = False
            self._out, self._at = b"".join(parts), 0
        count = min(len(buffer), len(self._out) - self._at)
        buffer[:count] = self._out[self._at : self._at + count]
        self._at += count
        return count


def _skip_line(stream: io.BufferedIOBase, start: bytes) -> Oversized:
    """Read past the rest of an oversized line; its size and SHA-256 without the newline."""
    sha = hashlib.sha256()
    size = 0
    part = start
    while part:
        if part.endswith(b"\n"):
            part = part[:-1]
            sha.update(part)
            size += len(part)
            break
        sha.update(part)
        size += len(part)
        part = stream.readline(_BLOCK)
    return Oversized(size=size, sha256=sha.hexdigest())


def read_raw(entry: InputFile, *, max_bytes: int) -> RawFile:
    """One raw response file; larger than ``max_bytes``, only its size and hash."""
    try:
        info = _regular(entry.path)
        with open(entry.path, "rb") as file:
            if info.st_size > max_bytes:
                sha = hashlib.sha256()
                size = 0
                while block := file.read(_BLOCK):
                    sha.update(block)
                    size += len(block)
                entry.sha256, entry.bytes = sha.hexdigest(), size
                return RawFile(entry.path, entry.vendor, Oversized(size, entry.sha256))
            body = file.read(max_bytes + 1)
    except OSError as exc:
        raise Unreadable(entry.path, exc.strerror or str(exc)) from None
    entry.sha256, entry.bytes = hashlib.sha256(body).hexdigest(), len(body)
    if len(body) > max_bytes:  # grew since stat
        return RawFile(entry.path, entry.vendor, Oversized(len(body), entry.sha256))
    return RawFile(entry.path, entry.vendor, body)
