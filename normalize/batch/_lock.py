"""One run per output folder: ``DIR/.lock``.

A run holds a POSIX record lock (``lockf``) on ``DIR/.lock``, which holds its process id,
for as long as it may touch DIR. The kernel drops the lock when the process ends, however
it ends (kill -9 included), so a lock file left by a dead process is simply taken over;
worker processes forked by the run do not hold it. A second run finds the lock held and
refuses at once, naming the holder. On release the file is removed while still locked; a
run that opened the old file meanwhile sees that it is gone and tries again.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import time
from collections.abc import Iterator
from pathlib import Path

LOCK_FILE = ".lock"


class RunLocked(Exception):
    """Another live process holds DIR's lock."""

    def __init__(self, out: Path, holder: int | None) -> None:
        self.out = out
        self.holder = holder
        who = f"process {holder}" if holder is not None else "another process"
        super().__init__(f"{out} is being written by {who} (lock {out / LOCK_FILE})")


def _holder(fd: int) -> int | None:
    """The process id in a held lock file (written just after it is locked: wait a little
    for it)."""
    for _ in range(50):
        text = os.pread(fd, 32, 0).decode("ascii", "replace").strip()
        if text.isdigit():
            return int(text)
        time.sleep(0.01)
    return None


@contextlib.contextmanager
def run_lock(out: Path) -> Iterator[None]:
    """Hold DIR's lock for the block; RunLocked when another live process holds it."""
    path = out / LOCK_FILE
    while True:
        fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
        try:
            fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            holder = _holder(fd) if exc.errno in (errno.EACCES, errno.EAGAIN) else None
            os.close(fd)
            if exc.errno in (errno.EACCES, errno.EAGAIN):
                raise RunLocked(out, holder) from None
            raise
        try:
            current = os.stat(path).st_ino
        except FileNotFoundError:
            current = None
        if current == os.fstat(fd).st_ino:
            break
        os.close(fd)  # released by its holder (and removed) between open and lock
    try:
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode("ascii"), 0)
        yield
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(path)
        os.close(fd)
