"""Files to envelopes, the one reader of every door that reads files (``convert``,
``batch``, ``normalize.spark``).

One rule decides what a file is, wherever it is named (given directly or found in a
folder): a name ending in ``.jsonl`` or ``.ndjson`` (optionally ``.gz``, ``.zst``,
``.zstd``) is a **capture file**, JSON Lines of envelopes, plain, gzip or zstd (told by its
first bytes); any other file is one **raw response body**, of the vendor given or of the
nearest folder named for a vendor id, its content type from its suffix (``.xml``,
``.json``; otherwise the body says).

Only regular files are read: a FIFO, a device or a socket is refused before it is opened.
Capture lines are read by one line reader (``capture_lines``) from any binary stream, a
file or bytes in memory: a line's content is what comes before its ``\n`` or ``\r\n``;
one longer than the cap is never held whole: its size and SHA-256 are taken while
skipping it, and it becomes a ``BodyTooLarge`` problem.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import os
import stat
import zlib
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import attrs

from ._api import VENDORS
from ._envelope import Envelope, envelope_from_line
from ._errors import BodyTooLarge, InvalidEnvelope, MissingExtra, NormalizeError, UnreadableInput

# Names of capture files (given directly or found in a folder); any other file is a raw body.
CAPTURE_SUFFIXES = (".jsonl", ".ndjson")
COMPRESSED_SUFFIXES = ("", ".gz", ".zst", ".zstd")
_GZIP_MAGIC = b"\x1f\x8b"
_ZSTD_MAGIC = b"\x28\xb5\x2f\xfd"
# A zstd skippable frame (magic 0x184D2A50 to 0x184D2A5F, little-endian) may come first, as
# pzstd writes one.
_ZSTD_SKIPPABLE = b"\x2a\x4d\x18"


def _is_zstd(head: bytes) -> bool:
    return head.startswith(_ZSTD_MAGIC) or (
        len(head) >= 4 and head[0] & 0xF0 == 0x50 and head[1:4] == _ZSTD_SKIPPABLE
    )


_BLOCK = 1 << 20


@attrs.frozen
class Oversized:
    """A capture line or raw file larger than the cap: only its size and SHA-256 are kept."""

    size: int
    sha256: str


@attrs.frozen
class CaptureChunk:
    """Consecutive lines of one capture file (line ends removed; blank lines kept, so the
    numbering holds), the first being line ``first_line`` (from 1)."""

    source_file: str
    first_line: int
    lines: Sequence[bytes | Oversized]


@attrs.frozen
class RawFile:
    """One raw response file; ``vendor`` from the caller or its folder (None: unknown)."""

    source_file: str
    vendor: str | None
    body: bytes | Oversized


def is_blank(line: bytes) -> bool:
    """Whether a capture line holds only JSON whitespace (skipped, still counted)."""
    return not line.strip(b" \t\r\n")


def too_large(vendor: str | None, item: Oversized, cap: int) -> BodyTooLarge:
    """The error of a capture line or raw file over the cap (its vendor when known)."""
    return BodyTooLarge(vendor=vendor or "?", field="$", value=item.size, detail=f"cap {cap} bytes")


def raw_envelope(raw: RawFile, cap: int) -> Envelope | NormalizeError:
    """The envelope of a raw response file, or the error that stands for it: BodyTooLarge
    over the cap, InvalidEnvelope when no vendor was given and no folder names one. The
    one file-to-envelope rule of every door (content type from the name)."""
    if isinstance(raw.body, Oversized):
        return too_large(raw.vendor, raw.body, cap)
    if raw.vendor is None:
        return InvalidEnvelope(
            vendor="?",
            field="vendor",
            value=None,
            detail="no vendor given (--vendor) and no folder named for a vendor id",
        )
    return Envelope(
        vendor=raw.vendor,
        body=raw.body,
        content_type=content_type_of(raw.source_file),
        source_file=raw.source_file,
    )


def line_envelopes(
    chunk: CaptureChunk, cap: int
) -> Iterator[tuple[int, bytes | Oversized, Envelope | NormalizeError]]:
    """Each line of a chunk that is not blank: its number, the line as read, and its
    envelope or the error that stands for it (BodyTooLarge over the cap, InvalidEnvelope).
    The one capture-line-to-envelope rule of every door."""
    number = chunk.first_line
    for line in chunk.lines:
        if isinstance(line, Oversized):
            yield number, line, too_large(None, line, cap)
        elif not is_blank(line):  # blank lines are skipped, and still counted
            found: Envelope | NormalizeError
            try:
                found = envelope_from_line(line, source_file=chunk.source_file, source_line=number)
            except InvalidEnvelope as exc:
                # Kept without its traceback and the error it was raised from: their frames
                # would hold the chunk's lines until the cycle collector ran.
                found = exc.with_traceback(None)
                found.__context__ = found.__cause__ = None
            yield number, line, found
        number += 1


def content_type_of(name: str) -> str | None:
    """The content type a raw file's name says (``.xml``, ``.json``); None lets the body
    say."""
    if name.endswith(".xml"):
        return "application/xml"
    if name.endswith(".json"):
        return "application/json"
    return None


class Unreadable(Exception):
    """An input that could not be read; ``reason`` says why in a few words."""

    def __init__(self, path: str, reason: str) -> None:
        self.path = path
        self.reason = reason
        super().__init__(f"{path}: {reason}")

    def error(self, vendor: str | None = None) -> UnreadableInput:
        """The typed error a table row or a caller gets for it."""
        return UnreadableInput(vendor=vendor or "?", field="$", value=self.path, detail=self.reason)


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


def regular_size(path: str) -> int:
    """The size of a regular file; Unreadable for anything else (or none)."""
    return _regular(path).st_size


def decompressed_magic(path: str) -> bool:
    """Whether a capture file is gzip or zstd (its first bytes, as ``decompressed`` reads
    them); Unreadable when it cannot be opened."""
    try:
        with open(path, "rb") as file:
            head = file.read(4)
    except OSError as exc:
        raise Unreadable(path, exc.strerror or str(exc)) from None
    return head.startswith(_GZIP_MAGIC) or _is_zstd(head)


def check_whole(path: str) -> None:
    """Read a capture file to its end (decompressed, one block held at a time), so that a
    cut or corrupt one is found before any of its lines is used: Unreadable then."""
    try:
        _regular(path)
        with open(path, "rb") as file:
            stream = decompressed(file)
            while stream.read(_BLOCK):
                pass
    except READ_ERRORS as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise Unreadable(path, f"read failed: {reason}") from None


def input_file(path: str, vendor: str | None) -> InputFile:
    """What a file is, by the one rule: a capture file by its name, else a raw body."""
    if is_capture(os.path.basename(path)):
        return InputFile(path=path, kind="capture")
    return InputFile(path=path, kind="raw", vendor=vendor or folder_vendor(path))


def discover(inputs: list[str], vendor: str | None) -> tuple[list[InputFile], list[Unreadable]]:
    """The input files, in a fixed order: each INPUT as given; a folder walked recursively
    in sorted order. Each file is what ``input_file`` says."""
    found: list[InputFile] = []
    refused: list[Unreadable] = []
    for given in inputs:
        if os.path.isdir(given):
            for folder, dirs, files in os.walk(given):
                dirs.sort()
                for name in sorted(files):
                    found.append(input_file(os.path.join(folder, name), vendor))
            continue
        try:
            _regular(given)
        except Unreadable as exc:
            refused.append(exc)
            continue
        found.append(input_file(given, vendor))
    return found, refused


def folder_vendor(path: str) -> str | None:
    """The vendor id of the nearest folder above ``path`` named for one, if any."""
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


def decompressed(buffered: io.BufferedReader[Any]) -> io.BufferedIOBase:
    """The capture stream of ``buffered``: gzip or zstd when its first bytes say so (the
    one place the magic numbers are read), else ``buffered`` itself."""
    magic = buffered.peek(4)[:4]
    if magic.startswith(_GZIP_MAGIC):
        return gzip.GzipFile(fileobj=buffered, mode="rb")
    if _is_zstd(magic):
        return io.BufferedReader(ZstdFrames(buffered), _BLOCK)
    return buffered


def capture_lines(stream: io.BufferedIOBase, *, max_bytes: int) -> Iterator[bytes | Oversized]:
    """Each line's content (its ``\n`` or ``\r\n`` removed), or ``Oversized`` for one
    whose content is longer than ``max_bytes`` (never held whole)."""
    while True:
        line = stream.readline(max_bytes + 2)
        if not line:
            return
        if line.endswith(b"\n"):
            content = line[:-2] if line.endswith(b"\r\n") else line[:-1]
            yield content if len(content) <= max_bytes else _oversized(content)
        elif len(line) <= max_bytes:
            yield line  # the last line, without a line end
        else:
            yield _skip_line(stream, line)


def chunked(
    source_file: str, lines: Iterator[bytes | Oversized], chunk_lines: int
) -> Iterator[CaptureChunk]:
    """``lines`` in chunks of at most ``chunk_lines``, numbered from 1."""
    number = 1
    chunk: list[bytes | Oversized] = []
    for line in lines:
        chunk.append(line)
        if len(chunk) >= chunk_lines:
            yield CaptureChunk(source_file, number, chunk)
            number += len(chunk)
            chunk = []
    if chunk:
        yield CaptureChunk(source_file, number, chunk)


# What a cut or corrupt gzip/zstd stream, or a read error part way, raises while reading.
def _read_errors() -> tuple[type[BaseException], ...]:
    errors: tuple[type[BaseException], ...] = (OSError, EOFError, ValueError, zlib.error)
    try:
        from zstandard import ZstdError
    except ImportError:
        return errors
    return (*errors, ZstdError)


READ_ERRORS = _read_errors()


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
            count = 0
            stream = decompressed(buffered)
            for chunk in chunked(
                entry.path, capture_lines(stream, max_bytes=max_bytes), chunk_lines
            ):
                count += len(chunk.lines)
                yield chunk
            entry.lines = count
            while buffered.read(_BLOCK):  # hash what the decompressor left unread
                pass
        except READ_ERRORS as exc:
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
        try:
            import zstandard
        except ImportError:
            raise MissingExtra("batch", "zstandard") from None

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


def _oversized(content: bytes) -> Oversized:
    return Oversized(size=len(content), sha256=hashlib.sha256(content).hexdigest())


def _skip_line(stream: io.BufferedIOBase, start: bytes) -> Oversized:
    """Read past the rest of an oversized line; its content's size and SHA-256 (without
    its ``\n`` or ``\r\n``)."""
    sha = hashlib.sha256()
    size = 0
    part = start
    held = b""  # a trailing "\r" is held back until it is known not to end the line
    while part:
        part = held + part
        held = b""
        if part.endswith(b"\n"):
            part = part[:-2] if part.endswith(b"\r\n") else part[:-1]
            sha.update(part)
            size += len(part)
            break
        if part.endswith(b"\r"):
            part, held = part[:-1], b"\r"
        sha.update(part)
        size += len(part)
        part = stream.readline(_BLOCK)
    sha.update(held)
    size += len(held)
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


# --- Any binary stream, read once in bounded steps (normalize.spark's executors) ----------------


class HashingStream(io.RawIOBase):
    """A raw stream over ``source`` (anything with ``readinto``: an open file, a pyarrow
    file of a remote file system) that hashes and counts every byte read through it."""

    def __init__(self, source: Any) -> None:
        self.source = source
        self.sha = hashlib.sha256()
        self.size = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        count = self.source.readinto(buffer)
        if count:
            self.sha.update(memoryview(buffer)[:count])
            self.size += count
        return count or 0

    def sha256(self) -> str:
        """The SHA-256 of the bytes read so far."""
        return self.sha.hexdigest()


EMPTY_SHA256 = hashlib.sha256(b"").hexdigest()


def open_regular(path: str) -> io.FileIO:
    """A local regular file opened for reading; Unreadable when it is gone, is not a
    regular file (a FIFO, a device or a socket is refused before it is opened) or cannot be
    opened."""
    try:
        _regular(path)
        return io.FileIO(path, "r")
    except OSError as exc:
        raise Unreadable(path, exc.strerror or str(exc)) from None


def stream_capture(
    source_file: str, source: HashingStream, *, max_bytes: int, chunk_lines: int
) -> Iterator[CaptureChunk]:
    """Chunks of the capture lines read from ``source`` (plain, gzip or zstd, told by its
    first bytes, as ``read_capture`` reads a file), read once in steps of ``_BLOCK``: what
    is held is one chunk's lines, never the file. Unreadable when the stream is cut or
    corrupt or a read fails; ``source`` has then hashed every byte that could be read (past
    a decompression error, to the end of the input)."""
    buffered = io.BufferedReader(source, _BLOCK)
    try:
        stream = decompressed(buffered)
        yield from chunked(source_file, capture_lines(stream, max_bytes=max_bytes), chunk_lines)
        while buffered.read(_BLOCK):  # hash what the decompressor left unread
            pass
    except READ_ERRORS as exc:
        try:
            while buffered.read(_BLOCK):  # the rest of the input, hashed
                pass
        except READ_ERRORS:
            pass  # a read error: the bytes read before it are hashed
        raise Unreadable(source_file, f"read failed: {exc}") from None


def stream_body(
    source_file: str, vendor: str | None, source: HashingStream, *, max_bytes: int
) -> RawFile:
    """One raw response body read from ``source`` as ``read_raw`` reads a file: larger than
    ``max_bytes``, only its size and SHA-256, hashed as it streams by (never held whole).
    Unreadable when a read fails."""
    parts: list[bytes] | None = []
    try:
        while block := source.read(_BLOCK):
            if parts is not None:
                parts.append(block)
                if source.size > max_bytes:
                    parts = None  # over the cap: from here on only hashed
    except READ_ERRORS as exc:
        raise Unreadable(source_file, f"read failed: {exc}") from None
    if parts is None:
        return RawFile(source_file, vendor, Oversized(source.size, source.sha256()))
    return RawFile(source_file, vendor, b"".join(parts))
