"""The run guarantees of ``python -m normalize batch INPUT... --out DIR``.

- A run that fails or is stopped (a missing input, no input at all, a cut gzip or zstd
  capture, SIGINT, SIGTERM, kill -9, a full disk, a failed DuckDB load) leaves DIR's tables
  and manifest byte for byte as they were; after kill -9 only its hidden partial folder and
  ``.lock`` are left, and the next run removes them. ``--allow-unreadable`` commits the
  rest, and the manifest still adds up.
- One run per DIR: a second one refuses at once, naming the holder; a lock file left by a
  dead process is taken over.
- ``--append`` adds loads (an input loaded before is skipped), giving what one run over
  everything gives; a run without it replaces only what runs wrote.
- The Parquet dataset reads the same in DuckDB, polars, pyarrow and Spark, and each of its
  files names the library, the schema and its load.

Runs in this process pass ``--jobs 1`` (this process has threads: no forking); ``--jobs 2``
runs are subprocesses. Slow runs (to interrupt) read a generated 150,000-line capture.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import signal
import subprocess
import sys
import time
import zlib
from collections import Counter
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import duckdb
import pyarrow.parquet as pq
import pytest
import zstandard
from batch_support import CAP, ROOT, TABLE_NAMES, TOKEN, manifest, read_tables, write_inputs
from processes import gone_in_time, group_members, launch, partial_bytes, snapshot

from normalize.__main__ import main as cli_main
from normalize._contract import schema_id
from normalize._version import __version__
from normalize.batch import _parts, _run, _store
from normalize.batch._specs import SPEC_VERSIONS

COMMAND = (sys.executable, "-m", "normalize", "batch")
EXAMPLE_CAPTURE = ROOT / "specs" / "capture" / "example.jsonl"
TOKEN_EXAMPLE = ROOT / "normalize" / "examples" / TOKEN / "BalanceSuccessful.json"
TIMEOUT = 120  # seconds; generous for a loaded 2-core machine
TOP_LEVEL = ("responses", "landed", "records", "rows", "internal_errors")

linux_only = pytest.mark.skipif(
    not Path("/proc/self/stat").exists(), reason="reads process groups from /proc"
)


# --- Running the command --------------------------------------------------------------------


def batch(*args: str | Path) -> subprocess.CompletedProcess[str]:
    """The command in a subprocess (``--jobs 2`` forks workers)."""
    return subprocess.run(
        [*COMMAND, *map(str, args)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=TIMEOUT,
        check=False,
    )


def cli(capsys: pytest.CaptureFixture[str], *args: str | Path) -> tuple[int, str, str]:
    """The command in this process, with ``--jobs 1``: (status, stdout, stderr)."""
    capsys.readouterr()
    code = cli_main(["batch", *map(str, args), "--jobs", "1"])
    printed = capsys.readouterr()
    return code, printed.out, printed.err


def left_by_a_dead_run(name: str) -> bool:
    return name == ".lock" or name.startswith(".partial-")


def multiset(rows: list[dict[str, Any]]) -> Counter[tuple[tuple[str, Any], ...]]:
    """Rows without order (row order is not promised)."""
    return Counter(tuple(sorted(row.items())) for row in rows)


def same_rows(left: Path, right: Path) -> None:
    """The three tables of two output folders hold the same rows (every column but
    load_id), whatever their order."""
    first, second = read_tables(left), read_tables(right)
    for name in TABLE_NAMES:
        assert multiset(first[name]) == multiset(second[name]), name
        assert first[name], name  # the sets give every table rows


def top_level(out: Path) -> dict[str, Any]:
    facts = manifest(out)
    return {key: facts[key] for key in TOP_LEVEL}


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def files_of(inputs: list[Path]) -> list[Path]:
    """The input files, each folder walked recursively in sorted order."""
    found: list[Path] = []
    for given in inputs:
        if not given.is_dir():
            found.append(given)
            continue
        for folder, dirs, names in os.walk(given):
            dirs.sort()
            found.extend(Path(folder) / name for name in sorted(names))
    return found


def table_counts(out: Path) -> dict[str, int]:
    """Rows in each table as it stands (DuckDB or Parquet)."""
    return {name: len(rows) for name, rows in read_tables(out).items()}


# --- Inputs ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def sets(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[Path]]:
    """The generated inputs (every vendor, landing and reject class) as two sets, A and B."""
    plain, gzipped, zstd, raw = write_inputs(tmp_path_factory.mktemp("sets"), CAP)
    return {"A": [plain, gzipped], "B": [zstd, raw]}


@pytest.fixture(scope="module")
def big_capture(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """150,000 responses: seconds of work, so a run can be caught part way."""
    envelope = json.dumps({"vendor": TOKEN, "body": TOKEN_EXAMPLE.read_text()})
    capture = tmp_path_factory.mktemp("big") / "big.jsonl"
    capture.write_text((envelope + "\n") * 150_000)
    return capture


def example_lines(copies: int) -> bytes:
    return EXAMPLE_CAPTURE.read_bytes() * copies


def cut_gzip(path: Path) -> Path:
    """A gzip capture cut short whose first part is valid: complete lines come out of it
    before the cut is found."""
    data = gzip.compress(example_lines(40), mtime=0)
    cut = data[: len(data) * 3 // 4]
    readable = zlib.decompressobj(31).decompress(cut)
    assert readable.count(b"\n") > 100  # the premise: many whole lines before the cut
    path.write_bytes(cut)
    return path


def cut_zstd(path: Path) -> Path:
    data = zstandard.ZstdCompressor().compress(example_lines(40))
    path.write_bytes(data[: len(data) * 3 // 4])
    return path


def first_run(
    capsys: pytest.CaptureFixture[str], out: Path, inputs: list[Path], to: str, *extra: str
) -> dict[str, bytes]:
    """A good run into DIR; DIR's files after it."""
    code, _, err = cli(
        capsys, *inputs, "--out", out, "--to", to, "--max-body-bytes", str(CAP), "--quiet", *extra
    )
    assert (code, err) == (0, "")
    return snapshot(out)


# --- Processes this test starts ---------------------------------------------------------------


def start(started: list[subprocess.Popen[bytes]], *args: str | Path) -> subprocess.Popen[bytes]:
    return launch(started, [*COMMAND, *map(str, args)])


# Bytes in the partial folder once rows are written (an empty one holds less than 15,000).
ROWS_WRITTEN = 50_000


def wait_until_under_way(process: subprocess.Popen[bytes], out: Path, processes: int) -> None:
    """Until rows are in the run's partial folder and ``processes`` of it run (the command
    and its workers)."""
    deadline = time.monotonic() + TIMEOUT
    while partial_bytes(out) <= ROWS_WRITTEN or len(group_members(process.pid)) < processes:
        assert process.poll() is None, process.communicate()
        assert time.monotonic() < deadline, "the run did not get under way in time"
        time.sleep(0.05)


def _cpu_ticks(pgid: int) -> int | None:
    """The CPU time used so far by a process group's live processes (None: none left)."""
    ticks, found = 0, False
    for pid in group_members(pgid):
        try:
            text = (Path("/proc") / str(pid) / "stat").read_text()
        except OSError:
            continue
        fields = text[text.rindex(")") + 2 :].split()
        ticks += int(fields[11]) + int(fields[12])  # utime, stime
        found = True
    return ticks if found else None


def idle_or_gone(pgid: int) -> bool:
    """Until a process group's processes are gone, or use no CPU for a second."""
    deadline = time.monotonic() + TIMEOUT
    last = _cpu_ticks(pgid)
    while last is not None and time.monotonic() < deadline:
        time.sleep(1.0)
        now = _cpu_ticks(pgid)
        if now == last:
            return True
        last = now
    return last is None


def one_line(stderr: str) -> str:
    assert "Traceback" not in stderr
    lines = stderr.splitlines()
    assert len(lines) == 1, lines
    return lines[0]


# --- Must show 1: a failed or stopped run changes nothing -----------------------------------

FAILURES = [
    ("missing-input", "duckdb"),
    ("missing-input", "parquet"),
    ("empty-folder", "duckdb"),
    ("empty-folder", "parquet"),
    ("cut-gzip", "duckdb"),
    ("cut-gzip", "parquet"),
    ("cut-zstd", "duckdb"),
    ("cut-zstd", "parquet"),
    ("full-disk", "duckdb"),
    ("full-disk", "parquet"),
    ("duckdb-load-fails", "duckdb"),
    ("commit-point-write-fails", "duckdb"),
    ("commit-point-write-fails", "parquet"),
]


@pytest.mark.parametrize("mode", ["replace", "append"])
@pytest.mark.parametrize(("failure", "to"), FAILURES)
def test_a_failed_run_leaves_dir_byte_identical(
    tmp_path: Path,
    sets: dict[str, list[Path]],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    failure: str,
    to: str,
    mode: str,
) -> None:
    out = tmp_path / "out"
    before = first_run(capsys, out, sets["A"], to)
    # A user's view: the copy a DuckDB append or replace works on is then a real copy.
    if to == "duckdb":
        with duckdb.connect(str(out / "balances.duckdb")) as connection:
            connection.execute("CREATE VIEW mine AS SELECT count(*) AS n FROM balances")
        before = snapshot(out)

    inputs: list[Path] = list(sets["B"])
    status, says = 1, ""
    if failure == "missing-input":
        missing = tmp_path / "gone.jsonl"
        inputs.append(missing)
        says = f"{missing}: cannot read: No such file or directory; nothing was written"
    elif failure == "empty-folder":
        (tmp_path / "empty").mkdir()
        inputs = [tmp_path / "empty"]
        status, says = 2, "no input files found"
    elif failure == "cut-gzip":
        cut = cut_gzip(tmp_path / "cut.jsonl.gz")
        inputs.append(cut)
        says = f"{cut}: cannot read: read failed: Compressed file ended"
    elif failure == "cut-zstd":
        cut = cut_zstd(tmp_path / "cut.jsonl.zst")
        inputs.insert(0, cut)
        says = f"{cut}: cannot read: read failed: the zstd stream ends inside a frame"
    elif failure == "full-disk":
        real_flush = _parts.Parts.flush
        calls: list[int] = []

        def full_disk(self: _parts.Parts) -> None:
            calls.append(1)
            if len(calls) == 3:  # once part files are written
                raise OSError(28, "No space left on device")
            real_flush(self)

        monkeypatch.setattr(_parts.Parts, "flush", full_disk)
        monkeypatch.setattr(_parts, "FLUSH_ROWS", 5)
        says = f"cannot write {out}: [Errno 28] No space left on device; nothing was written"
    elif failure == "commit-point-write-fails":
        # Everything is built; writing COMMIT.json (the commit point) fails.
        real_write_file = _store.write_file

        def write_file(path: Path, text: str) -> None:
            if path.name == _store.COMMIT:
                raise OSError(28, "No space left on device")
            real_write_file(path, text)

        monkeypatch.setattr(_store, "write_file", write_file)
        says = f"cannot write {out}: [Errno 28] No space left on device; nothing was written"
    else:

        def load_fails(load: dict[str, Any]) -> list[Any]:
            raise duckdb.IOException("Could not write file: No space left on device")

        monkeypatch.setattr(_store, "load_row", load_fails)
        says = f"cannot write {out}: DuckDB: Could not write file: No space left"

    append = ["--append"] if mode == "append" else []
    code, stdout, stderr = cli(
        capsys, *inputs, "--out", out, "--to", to, "--max-body-bytes", str(CAP), *append
    )

    assert (code, stdout) == (status, "")
    line = one_line(stderr)
    assert line.startswith("python -m normalize batch: ")
    assert says in line
    assert snapshot(out) == before


@pytest.mark.parametrize("to", ["duckdb", "parquet"])
def test_allow_unreadable_commits_the_rest_and_the_manifest_adds_up(
    tmp_path: Path,
    sets: dict[str, list[Path]],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    to: str,
) -> None:
    """A cut gzip whose first part is valid, a cut zstd and a missing path are left out,
    each named with its reason and 0 responses; the tables hold exactly what a run over the
    readable inputs alone gives, though the cut gzip's first lines were written to part
    files (small chunks, a flush per chunk) before the cut was found."""
    gz = cut_gzip(tmp_path / "cut.jsonl.gz")
    zst = cut_zstd(tmp_path / "cut.jsonl.zst")
    missing = tmp_path / "gone.jsonl"
    discarded: list[int] = []
    real_discard = _parts.Parts.discard

    def discard(self: _parts.Parts) -> None:
        discarded.append(len(self.closed) + len(self.open))
        real_discard(self)

    monkeypatch.setattr(_parts.Parts, "discard", discard)
    monkeypatch.setattr(_parts, "FLUSH_ROWS", 1)
    inputs = [sets["A"][0], gz, *sets["B"], zst, missing]
    out = tmp_path / "out"
    summary = _run.run(
        list(map(str, inputs)),
        out,
        to=to,
        jobs=1,
        max_body_bytes=CAP,
        chunk_lines=4,
        allow_unreadable=True,
    )
    assert summary.exit_code == 0
    # Both cut files were read part way; the gzip one's first lines were written, then dropped.
    assert len(discarded) == 2
    assert discarded[0] > 0
    left_out = {str(gz): "read failed", str(zst): "read failed", str(missing): "No such file"}
    assert {item.path for item in summary.unreadable} == set(left_out)

    facts = manifest(out)
    for where in (facts["unreadable"], facts["loads"][0]["unreadable"]):
        assert sorted(item["path"] for item in where) == sorted(left_out)
        for item in where:
            assert left_out[item["path"]] in item["reason"]
            assert item["responses"] == 0
    assert {item["path"] for item in facts["inputs"]} == {
        str(path) for path in files_of([sets["A"][0], *sets["B"]])
    }

    tables = read_tables(out)
    for name, rows in tables.items():
        assert not {row["source_file"] for row in rows} & set(left_out), name
    # The manifest adds up.
    assert facts["responses"] == sum(item["responses"] for item in facts["inputs"])
    assert facts["responses"] == sum(facts["landed"].values())
    assert facts["rows"] == {name: len(rows) for name, rows in tables.items()}
    assert facts["records"] == len(tables["balances"])
    # And it is what the readable inputs alone give.
    clean = tmp_path / "clean"
    first_run(capsys, clean, [sets["A"][0], *sets["B"]], to)
    same_rows(out, clean)
    assert top_level(out) == top_level(clean)

    # The command names each input left out, and exits 0.
    code, _, err = cli(
        capsys,
        *(sets["A"][0], gz, missing),
        *("--out", tmp_path / "cli", "--to", to, "--max-body-bytes", str(CAP)),
        *("--allow-unreadable", "--quiet"),
    )
    assert code == 0
    assert err.splitlines() == [
        f"{gz}: cannot read: read failed: Compressed file ended before the end-of-stream "
        "marker was reached (left out)",
        f"{missing}: cannot read: No such file or directory (left out)",
    ]


STOPS = {
    "SIGINT": (signal.SIGINT, 130, "interrupted"),
    "SIGTERM": (signal.SIGTERM, 143, "terminated"),
}


@linux_only
@pytest.mark.parametrize(
    ("stop", "to", "mode"),
    [("SIGINT", "duckdb", "append"), ("SIGTERM", "parquet", "replace")],
)
def test_a_run_stopped_by_a_signal_leaves_dir_byte_identical(
    started: list[subprocess.Popen[bytes]],
    big_capture: Path,
    sets: dict[str, list[Path]],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    stop: str,
    to: str,
    mode: str,
) -> None:
    """Two workers; Ctrl-C reaches the whole process group, SIGTERM the command alone."""
    signum, status, word = STOPS[stop]
    out = tmp_path / "out"
    before = first_run(capsys, out, sets["A"], to)
    append = ["--append"] if mode == "append" else []
    process = start(
        started, big_capture, "--out", out, "--to", to, "--jobs", "2", "--quiet", *append
    )
    wait_until_under_way(process, out, processes=3)

    if stop == "SIGINT":
        os.killpg(process.pid, signum)
    else:
        process.send_signal(signum)
    stdout, stderr = process.communicate(timeout=TIMEOUT)

    assert process.returncode == status
    assert one_line(stderr.decode()) == f"python -m normalize batch: {word}"
    assert stdout == b""
    assert snapshot(out) == before
    assert gone_in_time(process.pid), "a worker process was left running"


@linux_only
@pytest.mark.parametrize(("to", "jobs"), [("duckdb", "1"), ("parquet", "2")])
def test_after_kill_9_only_the_partial_folder_and_lock_differ_and_the_next_run_clears_them(
    started: list[subprocess.Popen[bytes]],
    big_capture: Path,
    sets: dict[str, list[Path]],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    to: str,
    jobs: str,
) -> None:
    """kill -9 of the command alone (as the kernel's OOM killer does): with ``--jobs 2``
    its workers outlive it and go on with their tasks while the next run starts."""
    out = tmp_path / "out"
    before = first_run(capsys, out, sets["A"], to)
    process = start(started, big_capture, "--out", out, "--to", to, "--jobs", jobs, "--quiet")
    wait_until_under_way(process, out, processes=1 if jobs == "1" else 3)
    process.kill()
    process.wait(timeout=TIMEOUT)

    after = snapshot(out)
    assert {name for name in after if not left_by_a_dead_run(name.split("/")[0])} == set(before)
    assert {name: after[name] for name in before} == before
    assert after[".lock"] == f"{process.pid}\n".encode()
    assert any(name.startswith(".partial-") for name in after)

    # The next run takes the lock over, removes the partial folder and appends.
    code, _, err = cli(
        capsys, *sets["B"], "--out", out, "--to", to, "--max-body-bytes", str(CAP), "--append"
    )
    assert (code, err.count("\n")) == (0, 0), err
    # The dead run's workers went on with their tasks meanwhile; once they are done (or
    # gone), nothing of the dead run is in DIR.
    assert idle_or_gone(process.pid), "the dead run's workers went on working"
    assert sorted(name for name in os.listdir(out) if name.startswith(".")) == []
    reference = tmp_path / "reference"
    first_run(capsys, reference, [*sets["A"], *sets["B"]], to)
    same_rows(out, reference)
    assert top_level(out) == top_level(reference)


# kill -9 of the command itself once its commit point is passed: after the moves, before
# the manifest (what is left to do is in its partial folder's COMMIT.json).
KILLED_PAST_THE_COMMIT_POINT = """
import os, signal, sys
from normalize.__main__ import main
from normalize.batch import _store

replace = os.replace

def killed_before_the_manifest(source, target):
    if str(target).endswith("manifest.json") and ".partial-" not in str(target):
        os.kill(os.getpid(), signal.SIGKILL)
    replace(source, target)

_store.os.replace = killed_before_the_manifest
sys.exit(main(sys.argv[1:]))
"""


@pytest.mark.parametrize("to", ["duckdb", "parquet"])
def test_a_run_killed_past_its_commit_point_is_finished_by_the_next_run(
    tmp_path: Path, sets: dict[str, list[Path]], capsys: pytest.CaptureFixture[str], to: str
) -> None:
    out = tmp_path / "out"
    first_run(capsys, out, sets["A"], to)
    common = ["--out", str(out), "--to", to, "--max-body-bytes", str(CAP), "--append"]
    killed = subprocess.run(
        [
            *(sys.executable, "-c", KILLED_PAST_THE_COMMIT_POINT, "batch"),
            *map(str, sets["B"]),
            *(*common, "--jobs", "1", "--quiet"),
        ],
        capture_output=True,
        cwd=ROOT,
        timeout=TIMEOUT,
        check=False,
    )
    assert killed.returncode == -signal.SIGKILL
    assert len(manifest(out)["loads"]) == 1  # the manifest was still to come

    # The next run finishes that commit before anything else: B is loaded already.
    code, stdout, _ = cli(capsys, *sets["B"], *common)
    assert code == 0
    assert stdout.startswith("nothing new")
    reference = tmp_path / "reference"
    first_run(capsys, reference, [*sets["A"], *sets["B"]], to)
    same_rows(out, reference)
    assert top_level(out) == top_level(reference)
    assert len(manifest(out)["loads"]) == 2
    assert set(snapshot(out)) == {*_store.written_by_runs(manifest(out)), "manifest.json"}


@pytest.mark.parametrize("to", ["duckdb", "parquet"])
def test_a_run_stopped_by_a_signal_past_its_commit_point_finishes_its_commit(
    tmp_path: Path,
    sets: dict[str, list[Path]],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    to: str,
) -> None:
    """Ctrl-C (KeyboardInterrupt, further ones ignored) after the moves, before the
    manifest: the run still ends with DIR whole, its tables and manifest this load's."""
    out = tmp_path / "out"
    first_run(capsys, out, sets["A"], to)
    real_prune = _store._prune
    stops: list[int] = []

    def interrupted(out: Path, folders: Any) -> None:
        if not stops:
            stops.append(1)
            raise KeyboardInterrupt
        real_prune(out, folders)

    monkeypatch.setattr(_store, "_prune", interrupted)
    with pytest.raises(KeyboardInterrupt):
        _run.run(list(map(str, sets["B"])), out, to=to, jobs=1, max_body_bytes=CAP)
    assert stops

    reference = tmp_path / "reference"
    first_run(capsys, reference, sets["B"], to)
    same_rows(out, reference)
    assert top_level(out) == top_level(reference)
    assert set(snapshot(out)) == {*_store.written_by_runs(manifest(out)), "manifest.json"}


# --- Must show 2: one run per DIR -----------------------------------------------------------

# The second run in a process of its own, its refusal timed from the call (the interpreter
# and the library already loaded): the time it takes to refuse, not to start Python.
SECOND = """
import sys, time
from normalize.__main__ import main
import normalize.batch._run
started = time.monotonic()
code = main(sys.argv[1:])
print(f"{time.monotonic() - started:.3f}")
sys.exit(code)
"""


@linux_only
def test_a_second_run_refuses_at_once_naming_the_holder_and_the_first_completes(
    started: list[subprocess.Popen[bytes]],
    big_capture: Path,
    tmp_path: Path,
) -> None:
    out = tmp_path / "out"
    first = start(started, big_capture, "--out", out, "--jobs", "2", "--quiet")
    wait_until_under_way(first, out, processes=3)

    second = subprocess.run(
        [sys.executable, "-c", SECOND, "batch", str(EXAMPLE_CAPTURE), "--out", str(out)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=TIMEOUT,
        check=False,
    )
    assert first.poll() is None  # the first was still running: the second did not wait
    assert second.returncode == 1
    assert one_line(second.stderr) == (
        f"python -m normalize batch: {out} is being written by process {first.pid} "
        f"(lock {out / '.lock'}); nothing was written"
    )
    assert float(second.stdout) < 1.0

    stdout, stderr = first.communicate(timeout=TIMEOUT)
    assert (first.returncode, stdout, stderr) == (0, b"", b"")
    facts = manifest(out)
    assert facts["responses"] == 150_000
    assert facts["records"] == 300_000
    with duckdb.connect(str(out / "balances.duckdb"), read_only=True) as connection:
        counts = {
            name: connection.execute(f"SELECT count(*) FROM {name}").fetchall()[0][0]
            for name in TABLE_NAMES
        }
    assert counts == facts["rows"]
    assert sorted(os.listdir(out)) == ["balances.duckdb", "manifest.json"]


def test_a_lock_file_left_by_a_dead_process_is_taken_over(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    dead = subprocess.Popen(["true"])
    dead.wait()
    out = tmp_path / "out"
    out.mkdir()
    (out / ".lock").write_text(f"{dead.pid}\n")
    code, _, err = cli(capsys, EXAMPLE_CAPTURE, "--out", out, "--quiet")
    assert (code, err) == (0, "")
    assert sorted(os.listdir(out)) == ["balances.duckdb", "manifest.json"]
    assert manifest(out)["responses"] == len(EXAMPLE_CAPTURE.read_bytes().splitlines())


# --- Must show 3: --append, and what a replace run removes -----------------------------------


def _append_a_then_b_twice(
    out: Path, sets: dict[str, list[Path]], to: str, jobs: str, capsys: pytest.CaptureFixture[str]
) -> tuple[str, str, dict[str, bytes], dict[str, bytes]]:
    """Run A, append B, append B again: the third run's stdout and stderr, DIR before and
    after it."""
    common = ["--to", to, "--max-body-bytes", str(CAP)]

    def run(*args: str | Path) -> tuple[int, str, str]:
        if jobs == "1":
            return cli(capsys, *args, *common)
        done = batch(*args, *common, "--jobs", jobs)
        return done.returncode, done.stdout, done.stderr

    assert run(*sets["A"], "--out", out, "--quiet") == (0, "", "")
    assert run(*sets["B"], "--out", out, "--append", "--quiet") == (0, "", "")
    before = snapshot(out)
    code, stdout, stderr = run(*sets["B"], "--out", out, "--append")
    assert code == 0
    return stdout, stderr, before, snapshot(out)


@pytest.mark.parametrize("to", ["duckdb", "parquet"])
def test_append_gives_what_one_run_over_everything_gives(
    tmp_path: Path, sets: dict[str, list[Path]], capsys: pytest.CaptureFixture[str], to: str
) -> None:
    reference = tmp_path / "one-run"
    first_run(capsys, reference, [*sets["A"], *sets["B"]], to)

    outs = {}
    for jobs in ("1", "2"):
        out = outs[jobs] = tmp_path / f"jobs-{jobs}"
        stdout, stderr, before, after = _append_a_then_b_twice(out, sets, to, jobs, capsys)
        # The third run: every input skipped, nothing committed.
        assert after == before
        assert stdout == (
            f"nothing new: every input was loaded before; {out / 'manifest.json'} unchanged\n"
        )
        second_load = manifest(out)["loads"][1]["load_id"]
        assert stderr.splitlines() == [
            f"{path}: already loaded by {second_load} (skipped)" for path in files_of(sets["B"])
        ]
        same_rows(out, reference)
        assert top_level(out) == top_level(reference)

    same_rows(outs["1"], outs["2"])
    out = outs["1"]
    facts = manifest(out)
    loads = facts["loads"]
    assert [load["mode"] for load in loads] == ["replace", "append"]
    assert len({load["load_id"] for load in loads}) == 2
    # The loads' inputs together are A and B, each with its SHA-256, load id and counts.
    for load, given in zip(loads, (sets["A"], sets["B"]), strict=True):
        assert [(item["path"], item["sha256"]) for item in load["inputs"]] == [
            (str(path), sha256(path)) for path in files_of(given)
        ]
        assert {item["load_id"] for item in load["inputs"]} == {load["load_id"]}
        assert load["responses"] == sum(item["responses"] for item in load["inputs"])
        assert load["responses"] == sum(load["landed"].values())
        assert load["records"] == load["rows"]["balances"]
        assert load["skipped"] == []
        assert load["unreadable"] == []
    assert facts["inputs"] == [item for load in loads for item in load["inputs"]]
    # Per-load counts add up to the totals, which are the tables' row counts.
    assert facts["responses"] == sum(load["responses"] for load in loads)
    for kind in facts["landed"]:
        assert facts["landed"][kind] == sum(load["landed"][kind] for load in loads)
    for name in TABLE_NAMES:
        assert facts["rows"][name] == sum(load["rows"][name] for load in loads)
    assert facts["internal_errors"] == sum(load["internal_errors"] for load in loads)
    assert facts["rows"] == table_counts(out)
    # Each row carries its load's id.
    if to == "duckdb":
        with duckdb.connect(str(out / "balances.duckdb"), read_only=True) as connection:
            connection.execute("SET TimeZone = 'UTC'")
            by_load = dict(
                connection.sql("SELECT load_id, count(*) FROM balances GROUP BY 1").fetchall()
            )
            cursor = connection.execute("SELECT * FROM loads ORDER BY started_at")
            columns = [column[0] for column in cursor.description]
            history = [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]
        assert len(history) == len(loads)
        for stored, load in zip(history, loads, strict=True):
            assert stored == {
                "load_id": load["load_id"],
                "mode": load["mode"],
                "started_at": datetime.fromisoformat(load["started_at"]),
                "finished_at": datetime.fromisoformat(load["finished_at"]),
                "library_version": load["library"]["version"],
                "schema_id": load["schema_id"],
                "spec_versions": stored["spec_versions"],
                "inputs": stored["inputs"],
                "skipped": stored["skipped"],
                "unreadable": stored["unreadable"],
                "responses": load["responses"],
                **{f"landed_{kind}": count for kind, count in load["landed"].items()},
                **{f"rows_{name}": count for name, count in load["rows"].items()},
                "internal_errors": load["internal_errors"],
            }
            for column in ("spec_versions", "inputs", "skipped", "unreadable"):
                assert json.loads(stored[column]) == load[column], column
    else:
        import pyarrow.dataset as ds

        table = ds.dataset(out / "balances", format="parquet").to_table(columns=["load_id"])
        by_load = dict(Counter(table.column("load_id").to_pylist()))
    assert by_load == {load["load_id"]: load["rows"]["balances"] for load in loads}


def test_a_users_view_and_table_in_the_database_survive_append_and_replace(
    tmp_path: Path, sets: dict[str, list[Path]], capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    first_run(capsys, out, sets["A"], "duckdb")
    database = out / "balances.duckdb"
    with duckdb.connect(str(database)) as connection:
        connection.execute("CREATE VIEW balance_count AS SELECT count(*) AS n FROM balances")
        connection.execute("CREATE TABLE notes AS SELECT 'mine' AS note")

    def users_objects() -> tuple[int, list[tuple[str]]]:
        with duckdb.connect(str(database), read_only=True) as connection:
            ((count,),) = connection.execute("SELECT n FROM balance_count").fetchall()
            return count, connection.execute("SELECT note FROM notes").fetchall()

    first_run(capsys, out, sets["B"], "duckdb", "--append")
    assert users_objects() == (manifest(out)["rows"]["balances"], [("mine",)])
    first_run(capsys, out, sets["B"], "duckdb")  # replace
    assert users_objects() == (manifest(out)["rows"]["balances"], [("mine",)])
    assert len(manifest(out)["loads"]) == 1
    reference = tmp_path / "reference"
    first_run(capsys, reference, sets["B"], "duckdb")
    same_rows(out, reference)


@pytest.mark.parametrize("to", ["duckdb", "parquet"])
def test_a_replace_run_removes_only_what_runs_wrote(
    tmp_path: Path, sets: dict[str, list[Path]], capsys: pytest.CaptureFixture[str], to: str
) -> None:
    out = tmp_path / "out"
    first_run(capsys, out, sets["A"], to)
    first_run(capsys, out, sets["B"], to, "--append")
    users = {"notes.txt": b"mine", "balances/_notes.txt": b"mine too"}
    for name, content in users.items():
        (out / name).parent.mkdir(exist_ok=True)
        (out / name).write_bytes(content)
    written_before = set(_store.written_by_runs(manifest(out)))

    first_run(capsys, out, sets["B"], to)

    reference = tmp_path / "reference"
    first_run(capsys, reference, sets["B"], to)
    same_rows(out, reference)
    assert top_level(out) == top_level(reference)
    after = snapshot(out)
    assert {name: after[name] for name in users} == users
    written = set(_store.written_by_runs(manifest(out)))
    assert set(after) == written | set(users) | {"manifest.json"}
    if to == "parquet":
        assert not written & written_before  # every earlier part file is gone


@pytest.mark.parametrize(
    ("first", "then"),
    [
        (["--to", "duckdb"], ["--to", "parquet"]),
        (["--to", "parquet"], ["--to", "duckdb"]),
        (["--to", "parquet"], ["--to", "parquet", "--partition-by", "vendor"]),
        (["--to", "parquet", "--partition-by", "vendor"], ["--to", "parquet"]),
        (
            ["--to", "parquet", "--partition-by", "vendor"],
            ["--to", "parquet", "--partition-by", "vendor,as_of"],
        ),
    ],
)
def test_appending_with_another_layout_is_a_usage_error_that_changes_nothing(
    tmp_path: Path,
    sets: dict[str, list[Path]],
    capsys: pytest.CaptureFixture[str],
    first: list[str],
    then: list[str],
) -> None:
    out = tmp_path / "out"
    before = first_run(capsys, out, sets["A"], first[1], *first[2:])
    code, stdout, stderr = cli(capsys, *sets["B"], "--out", out, "--append", *then)
    assert (code, stdout) == (2, "")
    assert one_line(stderr).startswith("python -m normalize batch: ")
    assert snapshot(out) == before


def test_appending_with_the_same_partitions_named_in_another_order_is_accepted(
    tmp_path: Path, sets: dict[str, list[Path]], capsys: pytest.CaptureFixture[str]
) -> None:
    """``as_of,vendor`` and ``vendor,as_of`` are one layout (vendor=…/as_of_date=…)."""
    out = tmp_path / "out"
    first_run(capsys, out, sets["A"], "parquet", "--partition-by", "as_of,vendor")
    first_run(capsys, out, sets["B"], "parquet", "--partition-by", "vendor,as_of", "--append")
    reference = tmp_path / "reference"
    first_run(capsys, reference, [*sets["A"], *sets["B"]], "parquet")
    same_rows(out, reference)
    assert top_level(out) == top_level(reference)


# --- Must show 4: the Parquet dataset in every reader ----------------------------------------


@pytest.fixture(scope="module")
def datasets(
    tmp_path_factory: pytest.TempPathFactory, sets: dict[str, list[Path]]
) -> dict[str, Path]:
    """A Parquet dataset of two loads (A, then B appended), unpartitioned and partitioned by
    vendor and as_of; and the same loads into DuckDB."""
    folders = {}
    for name, to, partition in (
        ("plain", "parquet", ()),
        ("partitioned", "parquet", ("vendor", "as_of")),
        ("duckdb", "duckdb", ()),
    ):
        out = folders[name] = tmp_path_factory.mktemp(name) / "out"
        for inputs, append in ((sets["A"], False), (sets["B"], True)):
            _run.run(
                list(map(str, inputs)),
                out,
                to=to,
                jobs=1,
                max_body_bytes=CAP,
                append=append,
                partition_by=partition,
            )
    return folders


HIVE_NULL = "__HIVE_DEFAULT_PARTITION__"
PARTITION_COLUMNS = ("vendor", "as_of_date")


def _value(column: str, value: Any) -> Any:
    if column in PARTITION_COLUMNS and value is not None:
        value = value.isoformat() if isinstance(value, date) else str(value)
        return None if value == HIVE_NULL else value
    if isinstance(value, datetime):
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
    if isinstance(value, bytearray | memoryview):
        return bytes(value)
    return value


def normalized(rows: list[dict[str, Any]]) -> Counter[tuple[tuple[str, Any], ...]]:
    return multiset([{key: _value(key, value) for key, value in row.items()} for row in rows])


def without(
    rows: Counter[tuple[tuple[str, Any], ...]], *columns: str
) -> Counter[tuple[tuple[str, Any], ...]]:
    kept: Counter[tuple[tuple[str, Any], ...]] = Counter()
    for row, count in rows.items():
        kept[tuple(item for item in row if item[0] not in columns)] += count
    return kept


def read_with(reader: str, folder: Path, spark: Any) -> list[dict[str, Any]]:
    glob = f"{folder}/**/*.parquet"
    if reader == "duckdb":
        with duckdb.connect() as connection:
            connection.execute("SET TimeZone = 'UTC'")
            return (
                connection.sql(f"SELECT * FROM read_parquet('{glob}', hive_partitioning = true)")
                .to_arrow_table()
                .to_pylist()
            )
    if reader == "polars":
        import polars as pl

        return pl.scan_parquet(glob, hive_partitioning=True).collect().to_dicts()
    if reader == "pyarrow":
        import pyarrow.dataset as ds

        return ds.dataset(folder, format="parquet", partitioning="hive").to_table().to_pylist()
    rows: list[dict[str, Any]] = spark.read.parquet(str(folder)).toArrow().to_pylist()
    return rows


@pytest.mark.parametrize("layout", ["plain", "partitioned"])
def test_every_reader_gives_the_same_rows(
    datasets: dict[str, Path], spark: Any, layout: str
) -> None:
    out = datasets[layout]
    facts = manifest(out)
    for name in TABLE_NAMES:
        found = {
            reader: normalized(read_with(reader, out / name, spark))
            for reader in ("duckdb", "polars", "pyarrow", "spark")
        }
        expected = found.pop("pyarrow")
        assert sum(expected.values()) == facts["rows"][name] > 0, name
        for reader, rows in found.items():
            assert rows == expected, (name, reader)
        columns = {column for row in expected for column, _ in row}
        stored = {field.name for field in _parts.STORED[name]}
        partitioned = set(_parts.partition_columns(name, tuple(facts["partition_by"])))
        assert columns == stored | partitioned, name
        # The rows of the DuckDB tables the same loads give (load ids and the as_of_date
        # partition column aside).
        in_duckdb = normalized(read_tables(datasets["duckdb"])[name])
        assert without(expected, "load_id", "as_of_date") == in_duckdb, name
        if "as_of_date" in columns:
            for row in read_with("pyarrow", out / name, spark):
                at = row["as_of"]
                as_of_date = None if at is None else at.date().isoformat()
                assert _value("as_of_date", row["as_of_date"]) == as_of_date


@pytest.mark.parametrize("layout", ["plain", "partitioned"])
def test_every_part_file_names_the_library_the_schema_and_its_load(
    datasets: dict[str, Path], layout: str
) -> None:
    out = datasets[layout]
    facts = manifest(out)
    loads = [load["load_id"] for load in facts["loads"]]
    assert len(loads) == 2
    listed = {output["path"]: output for output in facts["outputs"] if isinstance(output, dict)}
    files = {
        str(path.relative_to(out))
        for name in TABLE_NAMES
        for path in (out / name).rglob("*.parquet")
    }
    assert files == set(listed)
    assert (
        schema_id()
        == json.loads((ROOT / "specs/canonical/balance-record.schema.json").read_text())["$id"]
    )
    seen = set()
    for relative in sorted(files):
        metadata = pq.read_metadata(out / relative).metadata
        assert metadata[b"balance_normalize.library_version"] == __version__.encode()
        assert metadata[b"balance_normalize.schema_id"] == schema_id().encode()
        assert json.loads(metadata[b"balance_normalize.spec_versions"]) == SPEC_VERSIONS
        load_id = metadata[b"balance_normalize.load_id"].decode()
        assert load_id == listed[relative]["load_id"]
        name = relative.split("/")[0]
        assert listed[relative]["table"] == name
        table = pq.read_table(out / relative, partitioning=None)
        # The partition columns are in the path only.
        in_path = _parts.partition_columns(name, tuple(facts["partition_by"]))
        assert table.column_names == [
            field.name for field in _parts.STORED[name] if field.name not in in_path
        ]
        assert set(table.column("load_id").to_pylist()) <= {load_id}
        assert table.num_rows == listed[relative]["rows"]
        seen.add(load_id)
    assert seen == set(loads)


# --- Edges: nothing readable, a first --append, strays, an edited manifest, a late failure -


@pytest.mark.parametrize("to", ["duckdb", "parquet"])
def test_nothing_readable_commits_nothing_even_with_allow_unreadable(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, to: str
) -> None:
    out = tmp_path / "out"
    before = first_run(capsys, out, [EXAMPLE_CAPTURE], to)
    cut = cut_gzip(tmp_path / "cut.jsonl.gz")
    code, _, err = cli(
        capsys, tmp_path / "missing.jsonl", cut, "--out", out, "--to", to, "--allow-unreadable"
    )
    assert code == 1
    assert "(no input could be read); nothing was written" in one_line(err)
    assert snapshot(out) == before


@pytest.mark.parametrize("to", ["duckdb", "parquet"])
def test_a_first_append_into_an_empty_dir_is_the_first_load(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, to: str
) -> None:
    appended, replaced = tmp_path / "appended", tmp_path / "replaced"
    first_run(capsys, appended, [EXAMPLE_CAPTURE], to, "--append")
    first_run(capsys, replaced, [EXAMPLE_CAPTURE], to)
    assert read_tables(appended) == read_tables(replaced)
    assert [load["mode"] for load in manifest(appended)["loads"]] == ["append"]


@pytest.mark.parametrize("stray", ["balances.duckdb", "balances"])
def test_tables_no_manifest_describes_are_refused_and_left_alone(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, stray: str
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    if stray == "balances.duckdb":
        connection = duckdb.connect(str(out / stray))
        connection.execute("CREATE TABLE balances AS SELECT 1 AS mine")
        connection.close()
    else:
        (out / stray).mkdir()
        (out / stray / "mine.parquet").write_bytes(b"PAR1")
    before = snapshot(out)
    to = "duckdb" if stray.endswith(".duckdb") else "parquet"
    code, _, err = cli(capsys, EXAMPLE_CAPTURE, "--out", out, "--to", to)
    assert code == 2
    assert f"DIR holds {stray} but no manifest.json says a run wrote it" in one_line(err)
    assert snapshot(out) == before


def test_an_edited_manifest_never_makes_a_run_remove_files_outside_dir(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    out = tmp_path / "out"
    first_run(capsys, out, [EXAMPLE_CAPTURE], "parquet")
    outside = tmp_path / "precious.txt"
    outside.write_text("keep")
    facts = manifest(out)
    facts["outputs"] += [{"path": "../precious.txt"}, {"path": str(outside)}]
    (out / "manifest.json").write_text(json.dumps(facts))
    first_run(capsys, out, [EXAMPLE_CAPTURE], "parquet")
    assert outside.read_text() == "keep"


def test_a_failure_past_the_commit_point_says_the_load_is_committed(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    real_finish = _store._finish
    calls: list[int] = []

    def failing_once(out: Path, journal: dict[str, Any]) -> None:
        calls.append(1)
        if len(calls) == 1:
            raise OSError(5, "Input/output error")
        real_finish(out, journal)

    monkeypatch.setattr(_store, "_finish", failing_once)
    code, _, err = cli(capsys, EXAMPLE_CAPTURE, "--out", out, "--to", "parquet")
    assert code == 1
    assert one_line(err) == (
        f"python -m normalize batch: {out}: the load is committed, but putting it in place "
        "failed ([Errno 5] Input/output error); the next run into DIR finishes it"
    )
    # The run's own clean-up finished it (its second try): the tables are all there.
    assert manifest(out)["responses"] == 23
    assert not list(out.glob(".partial-*"))


# --- What an attack found ---------------------------------------------------------------------


def test_a_zstd_file_that_starts_with_a_skippable_frame_is_zstd(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    import struct

    skippable = struct.pack("<II", 0x184D2A50, 4) + b"note"  # as pzstd writes one first
    packed = tmp_path / "in.jsonl.zst"
    packed.write_bytes(
        skippable + zstandard.ZstdCompressor().compress(EXAMPLE_CAPTURE.read_bytes())
    )
    first_run(capsys, tmp_path / "zst", [packed], "duckdb")
    first_run(capsys, tmp_path / "plain", [EXAMPLE_CAPTURE], "duckdb")
    assert top_level(tmp_path / "zst") == top_level(tmp_path / "plain")


def test_dir_inside_an_input_folder_is_never_an_input(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    for to in ("duckdb", "parquet"):
        folder = tmp_path / f"captures-{to}"
        folder.mkdir()
        (folder / "a.jsonl").write_bytes(EXAMPLE_CAPTURE.read_bytes())
        out = folder / "tables"
        first_run(capsys, out, [folder], to)
        first_run(capsys, out, [folder], to)  # DIR's tables, manifest and lock exist now
        assert [item["path"] for item in manifest(out)["inputs"]] == [str(folder / "a.jsonl")]
        assert manifest(out)["responses"] == 23


def test_jobs_beyond_what_can_be_used_start_no_more_workers(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    done = batch(EXAMPLE_CAPTURE, "--out", tmp_path / "out", "--jobs", "100000", "--quiet")
    assert done.returncode == 0, done.stderr
    used = manifest(tmp_path / "out")["loads"][0]["options"]["jobs"]
    assert used <= min(4 * (os.cpu_count() or 1), 3)  # one small file: at most 3 tasks


@pytest.mark.parametrize(
    "text",
    [
        '{"to": "duckdb", "manifest_version": 2, "outputs": 5}',
        '{"to": "duckdb", "manifest_version": 2}',
        '{"to": "duckdb", "manifest_version": 2, "partition_by": 5, "outputs": [],'
        ' "inputs": [], "loads": [], "unreadable": []}',
        '{"to": "duckdb", "manifest_version": 2, "partition_by": [], "outputs": [],'
        ' "inputs": [], "loads": [{"responses": 1}], "unreadable": []}',
    ],
)
def test_a_manifest_of_the_wrong_shape_is_one_line_and_changes_nothing(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, text: str
) -> None:
    out = tmp_path / "out"
    first_run(capsys, out, [EXAMPLE_CAPTURE], "duckdb")
    (out / "manifest.json").write_text(text)
    before = snapshot(out)
    for extra in ((), ("--append",)):
        code, _, err = cli(capsys, EXAMPLE_CAPTURE, "--out", out, *extra)
        assert code == 2
        assert "is not a manifest this library wrote" in one_line(err)
        assert snapshot(out) == before


def test_a_vendor_no_folder_name_can_hold_is_kept_under_the_null_partition(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    capture = tmp_path / "hostile.jsonl"
    lines = [
        json.dumps({"vendor": "银" * 28, "body": "{}"}),
        json.dumps({"vendor": "x" * 300, "body": "{}"}),
    ]
    capture.write_text("\n".join([*lines, *EXAMPLE_CAPTURE.read_text().splitlines()]) + "\n")
    out = tmp_path / "out"
    first_run(capsys, out, [capture], "parquet", "--partition-by", "vendor")
    assert manifest(out)["landed"]["rejected"] == 5 + 2
    folders = {path.name for path in (out / "rejects").iterdir()}
    assert "vendor=__HIVE_DEFAULT_PARTITION__" in folders
    assert all(len(name.encode()) <= 255 for name in folders)
