"""A sixth vendor is declared in one place: its spec, its vendor package, its fixtures.

A copy of this project (its working tree) gets a small made-up vendor, Tiny Bank, from
``tests/sixth_vendor/`` (laid out as the project is): ``specs/tiny-bank/`` (the OpenAPI
document and the generator settings), ``normalize/vendors/tiny_bank/`` (the mapping with its
declarations, and ``live.py``, its live description and clients) and
``tests/fixtures/tiny-bank/`` (each fixture with its call context in ``.envelope``). Then,
in the copy, with no other file touched by hand:

* ``scripts/regenerate`` generates the client and writes every list that names the vendors
  (only generated files change, and ``--check`` passes after);
* ``parse_response`` gives the records the vendor's document says;
* the batch job loads the fixtures into Parquet, every response accounted for;
* the live client calls the vendor's mock server (Prism serving its spec) and gets the
  spec's example as records;
* the copy's own tests that cover every vendor (snapshots, specs, spec check, documentation,
  bad input and documented errors, generated clients, live clients, properties, the public
  names) collect and pass with the vendor in them (the snapshots written once, then
  checked: each value below was checked by hand against the fixtures).

One copy and one regeneration for the module (about a minute: the generators run for every
vendor).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
ADDED = ROOT / "tests" / "sixth_vendor"
VENDOR = "tiny-bank"
SKIPPED = {".git", ".venv", ".venv-3.13", "node_modules", "__pycache__", ".pytest_cache"}


def _files(top: Path) -> dict[str, str]:
    found = {}
    for path in sorted(top.rglob("*")):
        relative = path.relative_to(top)
        if path.is_file() and not SKIPPED & set(relative.parts):
            found[relative.as_posix()] = hashlib.sha256(path.read_bytes()).hexdigest()
    return found


def _copy_tree(project: Path) -> None:
    listed = subprocess.run(
        ["git", "ls-files", "-co", "--exclude-standard", "-z"],
        cwd=ROOT,
        capture_output=True,
        check=True,
    ).stdout.split(b"\0")
    for name in filter(None, listed):
        source = ROOT / name.decode()
        if source.is_file() and not SKIPPED & set(Path(name.decode()).parts):
            target = project / name.decode()
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)


class Copy:
    def __init__(self, project: Path) -> None:
        self.project = project
        generated = sorted(str(p) for p in (project / "generated").iterdir() if p.is_dir())
        self.env = {
            **os.environ,
            # The copy's package and generated clients, ahead of the installed ones.
            "PYTHONPATH": os.pathsep.join([str(project), *generated]),
            "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
        }

    def run(self, *args: str, timeout: float = 600) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            args,
            cwd=self.project,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )

    def python(self, code: str) -> subprocess.CompletedProcess[str]:
        return self.run(sys.executable, "-c", code)


@pytest.fixture(scope="module")
def copy(tmp_path_factory: pytest.TempPathFactory) -> tuple[Copy, dict[str, str]]:
    """The copy with the vendor added and regenerated; and what regenerating changed."""
    project = tmp_path_factory.mktemp("sixth") / "project"
    _copy_tree(project)
    if (ROOT / "node_modules").is_dir():
        (project / "node_modules").symlink_to(ROOT / "node_modules")
    added = _files(ADDED)
    for relative in added:
        target = project / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ADDED / relative, target)
    before = _files(project)
    regenerated = subprocess.run(
        [sys.executable, "scripts/regenerate.py"],
        cwd=project,
        env={
            **os.environ,
            "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
        },
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    assert regenerated.returncode == 0, regenerated.stdout + regenerated.stderr
    after = _files(project)
    changed = {
        name: "added" if name not in before else "changed"
        for name in after
        if before.get(name) != after[name]
    }
    return Copy(project), changed


def test_the_vendor_is_its_spec_its_package_and_its_fixtures() -> None:
    assert {name.split("/")[0] for name in _files(ADDED)} == {"specs", "normalize", "tests"}
    assert {str(Path(name).parent) for name in _files(ADDED)} == {
        "specs/tiny-bank",
        "normalize/vendors/tiny_bank",
        "tests/fixtures/tiny-bank",
    }


def test_regenerate_writes_only_generated_files_and_check_passes_after(
    copy: tuple[Copy, dict[str, str]],
) -> None:
    project, changed = copy
    written = {name for name in changed if not name.startswith("generated/tiny-bank/")}
    assert written == {
        "normalize/_live_names.py",
        "normalize/__init__.py",
        "normalize/live/__init__.py",
        "normalize/batch/_specs.py",
        "pyproject.toml",
    }
    assert all(changed[name] == "changed" for name in written)
    assert "generated/tiny-bank/tiny_bank_client/wire.py" in changed
    assert "generated/tiny-bank/tiny_bank_client/api/balances/get_balances.py" in changed
    checked = project.run(sys.executable, "scripts/regenerate.py", "--check")
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "every mapping's declaration holds" in checked.stdout
    pyproject = (project.project / "pyproject.toml").read_text()
    assert '"generated/tiny-bank/tiny_bank_client",' in pyproject
    assert '"tiny_bank_client.*",' in pyproject


def test_parse_response_gives_the_records_the_document_says(
    copy: tuple[Copy, dict[str, str]],
) -> None:
    project, _ = copy
    shown = project.python(
        "import json, pathlib, normalize\n"
        "body = pathlib.Path('tests/fixtures/tiny-bank/balances-overdrawn.json').read_bytes()\n"
        "outcome = normalize.parse_response('tiny-bank', body, operation='getBalances')\n"
        "print(json.dumps([r.to_dict() for r in outcome.records]))\n"
        "print(outcome.kind, 'tiny-bank' in normalize.VENDORS, normalize.TinyBank.__name__)\n"
    )
    assert shown.returncode == 0, shown.stderr
    records_line, summary = shown.stdout.splitlines()
    records = json.loads(records_line)
    # 120.50 with side debit is -120.50; 0.00 credit stays 0.00; the +01:00 time is 07:00Z.
    assert [
        (r["balance_type"], r["amount"], r["credit_debit"], r["currency"], r["as_of"])
        for r in records
    ] == [
        ("INTERIM_BOOKED", "-120.50", "DEBIT", "EUR", "2026-11-30T23:59:59Z"),
        ("INTERIM_AVAILABLE", "0.00", "CREDIT", "EUR", "2026-12-01T07:00:00.500000Z"),
    ]
    assert {r["freshness"] for r in records} == {"LIVE"}
    assert summary == "records True TinyBank"


def test_the_batch_job_loads_the_fixtures(
    copy: tuple[Copy, dict[str, str]], tmp_path: Path
) -> None:
    project, _ = copy
    fixtures = project.project / "tests" / "fixtures" / VENDOR
    lines = []
    for body in sorted(fixtures.glob("*.json")):
        context_file = body.with_name(body.name + ".envelope")
        context = json.loads(context_file.read_text()) if context_file.exists() else {}
        lines.append(json.dumps({"vendor": VENDOR, "body": body.read_text(), **context}))
    capture = tmp_path / "capture.jsonl"
    capture.write_text("\n".join(lines) + "\n")
    out = tmp_path / "out"
    ran = project.run(
        sys.executable, "-m", "normalize", "batch", str(capture), "--out", str(out),
        "--to", "parquet", "--jobs", "1",
    )  # fmt: skip
    assert ran.returncode == 0, ran.stdout + ran.stderr
    manifest = json.loads((out / "manifest.json").read_text())
    # Three responses: two balances from the overdrawn one, one from the one with an
    # unknown currency (its other balance is a reject), and the 404 a vendor error.
    assert manifest["responses"] == 3
    assert manifest["spec_versions"][VENDOR] == "0.1.0"
    assert manifest["rows"] == {"balances": 3, "rejects": 1, "vendor_errors": 1}
    assert manifest["landed"] == {"records": 1, "partial": 1, "vendor_error": 1, "rejected": 0}


def test_the_live_client_calls_the_vendors_mock_server(
    copy: tuple[Copy, dict[str, str]], tmp_path: Path
) -> None:
    project, _ = copy
    code = (
        "import sys\n"
        "sys.path.insert(0, 'tests')\n"
        "import prism, normalize\n"
        "with prism.running(__import__('pathlib').Path(sys.argv[1]), ['tiny-bank']) as up:\n"
        "    client = normalize.TinyBank(base_url=up['tiny-bank'].base_url, jwt='e30.e30.c2ln')\n"
        "    for r in client.balances('acc-1'):\n"
        "        print(r.account_id, r.amount, r.credit_debit.value, r.operation)\n"
    )
    shown = project.run(sys.executable, "-c", code, str(tmp_path))
    assert shown.returncode == 0, shown.stdout + shown.stderr
    # The spec's example, as the parse of the same body gives it.
    assert shown.stdout.splitlines() == [
        "acc-1 -120.50 DEBIT getBalances",
        "acc-1 0.00 CREDIT getBalances",
    ]


def test_the_copys_own_tests_take_the_vendor_in(copy: tuple[Copy, dict[str, str]]) -> None:
    project, _ = copy
    files = [
        "tests/test_snapshots.py",
        "tests/test_specs.py",
        "tests/test_contract_spec_check.py",
        "tests/test_docs.py::test_the_vendors_page_and_the_nav_list_every_vendor_module",
        "tests/test_bad_input.py",
        "tests/test_cli.py",
        "tests/test_generated_clients.py",
        "tests/test_live_errors.py",
        "tests/test_live_faults.py",
        "tests/test_live_outcome.py",
        "tests/test_live_secrets.py",
        "tests/test_properties.py",
        "tests/test_record.py",
    ]
    # The tests that name no vendor but cover each: the vendor lists, the error tables, the
    # shipped examples and the batch job's spec versions.
    generic = (
        "vendors_page or every_vendor or error_table or every_documented_error or public_names"
        " or all_is_pinned or examples_folder or declares_what_it_reads"
    )
    options = ["-q", "-p", "no:cacheprovider", "-k", f"tiny or {generic}"]
    written = project.run(sys.executable, "-m", "pytest", *files, *options, "--snapshot-update")
    assert "tiny-bank" in written.stdout or written.returncode == 0, written.stdout
    checked = project.run(sys.executable, "-m", "pytest", *files, *options)
    assert checked.returncode == 0, checked.stdout[-4000:] + checked.stderr[-2000:]
    snapshots = project.project / "tests" / "__snapshots__" / "test_snapshots"
    overdrawn = (
        snapshots / "test_snapshot[tiny-bank.fixtures.balances-overdrawn.json].txt"
    ).read_text()
    assert 'amount: "-120.50"' in overdrawn
    assert 'credit_debit: "DEBIT"' in overdrawn
    unknown = (
        snapshots / "test_snapshot[tiny-bank.fixtures.balances-one-unknown-currency.json].txt"
    ).read_text()
    assert 'amount: "7"' in unknown
    assert "UnknownCurrency" in unknown
    assert "XYZ" in unknown
    not_found = (
        snapshots / "test_snapshot[tiny-bank.fixtures.error-not-found.json].txt"
    ).read_text()
    assert "NOT_FOUND" in not_found
    assert "ACCOUNT_NOT_FOUND" in not_found
