"""Commands the tests start in process groups of their own, and what is left of them: one
copy for every test that stops a run with a signal (tests/test_cli_exits.py,
tests/test_batch_runs.py)."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import time
from collections.abc import Iterator, Sequence
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
TIMEOUT = 120  # seconds; generous for a loaded 2-core machine


def group_members(pgid: int) -> set[int]:
    """The live (not zombie) processes of a process group."""
    members = set()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            text = (entry / "stat").read_text()
        except OSError:  # gone meanwhile
            continue
        state, _parent, group = text[text.rindex(")") + 2 :].split()[:3]
        if int(group) == pgid and state != "Z":
            members.add(int(entry.name))
    return members


@pytest.fixture
def started() -> Iterator[list[subprocess.Popen[bytes]]]:
    """Commands started in a process group of their own; whatever of them is left (a
    worker whose run was killed) is killed at the end."""
    processes: list[subprocess.Popen[bytes]] = []
    yield processes
    for process in processes:
        if process.poll() is None or group_members(process.pid):
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=TIMEOUT)


def _default_sigint() -> None:
    # A terminal's foreground job takes Ctrl-C; a job started in the background of a
    # non-interactive shell (as scripts/test runs pytest) inherits SIGINT ignored, which
    # the command rightly keeps ignored. The command under test is the foreground kind.
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def launch(
    started: list[subprocess.Popen[bytes]], command: Sequence[str]
) -> subprocess.Popen[bytes]:
    """``command`` as a terminal's foreground job: its own process group, SIGINT default."""
    process = subprocess.Popen(
        list(command),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=ROOT,
        start_new_session=True,
        preexec_fn=_default_sigint,
    )
    started.append(process)
    return process


def gone_in_time(pgid: int) -> bool:
    deadline = time.monotonic() + 30
    while group_members(pgid):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


def partial_bytes(out: Path) -> int:
    """Bytes written so far into the partial folders of DIR."""
    total = 0
    for path in out.glob(".partial-*/**/*"):
        with contextlib.suppress(FileNotFoundError):  # a DuckDB log checkpointed meanwhile
            if path.is_file():
                total += path.stat().st_size
    return total


def snapshot(out: Path) -> dict[str, bytes]:
    """Every file under DIR, hidden ones too (no lock or partial folder may be left)."""
    return {
        str(path.relative_to(out)): path.read_bytes() for path in out.rglob("*") if path.is_file()
    }
