"""How ``python -m normalize convert`` and ``batch`` end when they cannot finish normally.

A closed (``>&-``), gone (``| head -c 1``) or full (``/dev/full``) standard output: one line
on standard error and status 1. SIGINT (Ctrl-C, sent to the whole process group as a
terminal does): one line and status 130; SIGTERM: one line and status 143. Never a
traceback, and a stopped batch run leaves nothing in DIR: no table, no partial folder, no
worker process.

Every case runs the real command in a subprocess. The signal tests wait until the run is
demonstrably under way (records on standard output; rows in the batch job's partial folder
and its worker processes started), with bounded timeouts, before sending the signal.
"""

from __future__ import annotations

import json
import os
import select
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from processes import gone_in_time, group_members, launch, partial_bytes, snapshot

from normalize import normalize_response

ROOT = Path(__file__).resolve().parent.parent
TOKEN = "token-io"
EXAMPLE = ROOT / "normalize" / "examples" / TOKEN / "BalanceSuccessful.json"
COMMAND = (sys.executable, "-m", "normalize")
TIMEOUT = 120  # seconds; generous for a loaded 2-core machine

linux_only = pytest.mark.skipif(
    not Path("/proc/self/stat").exists(), reason="reads process groups from /proc"
)


def one_line(stderr: bytes) -> str:
    """The one line on standard error (and no traceback)."""
    text = stderr.decode()
    assert "Traceback" not in text
    lines = text.splitlines()
    assert len(lines) == 1, lines
    return lines[0]


def records_of(*paths: Path) -> list[dict[str, object]]:
    return [
        record.to_dict()
        for path in paths
        for record in normalize_response(TOKEN, path.read_bytes(), content_type="application/json")
    ]


def run_to(stdout: str, *args: str) -> subprocess.CompletedProcess[bytes]:
    """The command with its standard output ``closed`` (``>&-``), ``full`` (/dev/full) or a
    pipe whose reader is ``gone``."""
    command = [*COMMAND, *args]
    if stdout == "closed":
        return subprocess.run(
            ["bash", "-c", 'exec "$@" >&-', "bash", *command],
            stderr=subprocess.PIPE,
            cwd=ROOT,
            timeout=TIMEOUT,
            check=False,
        )
    if stdout == "full":
        with open("/dev/full", "wb") as full:
            return subprocess.run(
                command, stdout=full, stderr=subprocess.PIPE, cwd=ROOT, timeout=TIMEOUT, check=False
            )
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        return subprocess.run(
            command,
            stdout=write_end,
            stderr=subprocess.PIPE,
            cwd=ROOT,
            timeout=TIMEOUT,
            check=False,
        )
    finally:
        os.close(write_end)


REASONS = {"closed": "closed", "gone": "closed", "full": "No space left on device"}


def small_capture(folder: Path) -> Path:
    capture = folder / "in.jsonl"
    capture.write_text(json.dumps({"vendor": TOKEN, "body": EXAMPLE.read_text()}) + "\n")
    return capture


# --- Standard output closed, gone or full ---------------------------------------------------


@pytest.mark.parametrize("stdout", ["closed", "gone", "full"])
def test_convert_to_a_standard_output_it_cannot_write_is_one_line_and_exit_1(stdout: str) -> None:
    done = run_to(stdout, "convert", "--vendor", TOKEN, str(EXAMPLE))
    assert done.returncode == 1
    assert one_line(done.stderr) == (
        f"python -m normalize convert: cannot write standard output: {REASONS[stdout]}"
    )


@pytest.mark.parametrize("stdout", ["closed", "gone", "full"])
def test_batch_to_a_standard_output_it_cannot_write_is_one_line_and_exit_1(
    tmp_path: Path, stdout: str
) -> None:
    """The tables are written; only the summary could not be printed."""
    out = tmp_path / "out"
    done = run_to(stdout, "batch", str(small_capture(tmp_path)), "--out", str(out))
    assert done.returncode == 1
    assert one_line(done.stderr) == (
        f"python -m normalize batch: cannot write standard output: {REASONS[stdout]}"
    )
    assert sorted(path.name for path in out.iterdir()) == ["balances.duckdb", "manifest.json"]


def test_a_quiet_batch_needs_no_standard_output(tmp_path: Path) -> None:
    out = tmp_path / "out"
    done = run_to("closed", "batch", str(small_capture(tmp_path)), "--out", str(out), "--quiet")
    assert (done.returncode, done.stderr) == (0, b"")
    assert sorted(path.name for path in out.iterdir()) == ["balances.duckdb", "manifest.json"]


def test_convert_into_head_c_1_is_one_line_and_exit_1() -> None:
    """Far more output than a pipe holds, so the reader is gone before the writing ends."""
    done = subprocess.run(
        ["bash", "-c", 'set -o pipefail; "$@" | head -c 1 >/dev/null', "bash", *COMMAND]
        + ["convert", "--vendor", TOKEN]
        + [str(EXAMPLE)] * 1_000,
        stderr=subprocess.PIPE,
        cwd=ROOT,
        timeout=TIMEOUT,
        check=False,
    )
    assert done.returncode == 1
    assert (
        one_line(done.stderr) == "python -m normalize convert: cannot write standard output: closed"
    )


def test_convert_with_no_standard_input_says_it_cannot_read_it() -> None:
    done = subprocess.run(
        ["bash", "-c", 'exec "$@" <&-', "bash", *COMMAND, "convert", "--vendor", TOKEN],
        capture_output=True,
        cwd=ROOT,
        timeout=TIMEOUT,
        check=False,
    )
    assert done.returncode == 1
    assert done.stdout == b""
    assert one_line(done.stderr) == "<stdin>: cannot read: closed"


def test_convert_with_no_standard_error_keeps_problems_out_of_standard_output(
    tmp_path: Path,
) -> None:
    """Without a standard error the problem lines go nowhere, never into the JSON Lines."""
    bad = tmp_path / "bad.json"
    bad.write_text('{"balance": {"accountId": ')
    command = [*COMMAND, "convert", "--vendor", TOKEN, str(bad), str(EXAMPLE)]
    done = subprocess.run(
        ["bash", "-c", 'exec "$@" 2>&-', "bash", *command],
        stdout=subprocess.PIPE,
        cwd=ROOT,
        timeout=TIMEOUT,
        check=False,
    )
    assert done.returncode == 1
    assert [json.loads(line) for line in done.stdout.decode().splitlines()] == records_of(EXAMPLE)


# --- SIGINT and SIGTERM -----------------------------------------------------------------------

STOPS = {
    "SIGINT": (signal.SIGINT, 130, "interrupted"),
    "SIGTERM": (signal.SIGTERM, 143, "terminated"),
}


def send(process: subprocess.Popen[bytes], signum: int, to: str) -> None:
    """``signum`` to the command alone or, as Ctrl-C in a terminal does, its whole group."""
    if to == "group":
        os.killpg(process.pid, signum)
    else:
        process.send_signal(signum)


def start(started: list[subprocess.Popen[bytes]], *args: str) -> subprocess.Popen[bytes]:
    return launch(started, [*COMMAND, *args])


@linux_only
@pytest.mark.parametrize("stop", ["SIGINT", "SIGTERM"])
def test_convert_stopped_by_a_signal_is_one_line_and_its_status(
    started: list[subprocess.Popen[bytes]], stop: str
) -> None:
    signum, status, word = STOPS[stop]
    # Far more output than a pipe holds: once records come out and nobody reads further, it
    # is blocked in the middle of its run when the signal arrives.
    process = start(started, "convert", "--vendor", TOKEN, *[str(EXAMPLE)] * 2_000)
    assert process.stdout is not None
    ready, _, _ = select.select([process.stdout], [], [], TIMEOUT)
    assert ready, "no record came out in time"
    first = os.read(process.stdout.fileno(), 1)
    assert first == b"{"

    send(process, signum, "group")
    stdout, stderr = process.communicate(timeout=TIMEOUT)

    assert process.returncode == status
    assert one_line(stderr) == f"python -m normalize convert: {word}"
    assert stdout  # what it had buffered still came out
    assert gone_in_time(process.pid)


@pytest.fixture(scope="module")
def big_capture(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """200,000 responses: several seconds of work, the first rows written after a sixth."""
    envelope = json.dumps({"vendor": TOKEN, "body": EXAMPLE.read_text()})
    capture = tmp_path_factory.mktemp("big") / "big.jsonl"
    capture.write_text((envelope + "\n") * 200_000)
    return capture


# Bytes in the partial folder once rows are written (an empty one holds less than 15,000).
ROWS_WRITTEN = 50_000


def wait_until_under_way(process: subprocess.Popen[bytes], out: Path) -> None:
    """Until rows are in the partial folder and the command and its two workers run."""
    deadline = time.monotonic() + TIMEOUT
    while partial_bytes(out) <= ROWS_WRITTEN or len(group_members(process.pid)) < 3:
        assert process.poll() is None, process.communicate()
        assert time.monotonic() < deadline, "the run did not get under way in time"
        time.sleep(0.05)


@linux_only
@pytest.mark.parametrize(
    ("stop", "to", "table_format"),
    [
        ("SIGINT", "group", "parquet"),
        ("SIGINT", "process", "duckdb"),
        ("SIGTERM", "process", "parquet"),
        ("SIGTERM", "group", "duckdb"),
    ],
)
def test_batch_stopped_by_a_signal_is_one_line_its_status_and_leaves_nothing(
    started: list[subprocess.Popen[bytes]],
    big_capture: Path,
    tmp_path: Path,
    stop: str,
    to: str,
    table_format: str,
) -> None:
    """Two workers; Ctrl-C to the whole group gives no traceback from any of them."""
    signum, status, word = STOPS[stop]
    out = tmp_path / "out"
    process = start(
        started,
        "batch",
        str(big_capture),
        "--out",
        str(out),
        "--to",
        table_format,
        "--jobs",
        "2",
        "--quiet",
    )
    wait_until_under_way(process, out)

    send(process, signum, to)
    stdout, stderr = process.communicate(timeout=TIMEOUT)

    assert process.returncode == status
    assert one_line(stderr) == f"python -m normalize batch: {word}"
    assert stdout == b""
    assert list(out.iterdir()) == []  # no table, no manifest, no partial folder
    assert gone_in_time(process.pid), "a worker process was left running"


@linux_only
@pytest.mark.parametrize("table_format", ["parquet", "duckdb"])
def test_a_run_stopped_by_sigterm_leaves_the_last_good_output_intact(
    started: list[subprocess.Popen[bytes]], big_capture: Path, tmp_path: Path, table_format: str
) -> None:
    """A good run's tables and manifest, then a second run into the same folder stopped
    part way: the first run's files are there, byte for byte, and nothing else."""
    out = tmp_path / "out"
    example = ROOT / "specs" / "capture" / "example.jsonl"
    first = start(started, "batch", str(example), "--out", str(out), "--to", table_format)
    first.communicate(timeout=TIMEOUT)
    assert first.returncode == 0
    before = snapshot(out)
    assert "manifest.json" in before

    process = start(
        started,
        *("batch", str(big_capture), "--out", str(out), "--to", table_format),
        *("--jobs", "2", "--quiet"),
    )
    wait_until_under_way(process, out)
    send(process, signal.SIGTERM, "process")
    process.communicate(timeout=TIMEOUT)

    assert process.returncode == 143
    assert snapshot(out) == before


@linux_only
def test_batch_workers_of_a_killed_run_still_end_on_sigterm(
    started: list[subprocess.Popen[bytes]], big_capture: Path, tmp_path: Path
) -> None:
    """Workers leave SIGTERM to the command while it runs; once it is gone (SIGKILL), a
    SIGTERM ends them."""
    out = tmp_path / "out"
    process = start(started, "batch", str(big_capture), "--out", str(out), "--jobs", "2", "--quiet")
    wait_until_under_way(process, out)
    process.kill()
    process.wait(timeout=TIMEOUT)
    assert group_members(process.pid)  # the workers outlive it
    os.killpg(process.pid, signal.SIGTERM)
    assert gone_in_time(process.pid), "a worker process was left running"
