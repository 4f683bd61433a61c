"""The documentation is checked with the code: README.md stays a short quick start with the two
commands first; the site (docs/mkdocs.yml) fails to build on a broken link; a failing code
block fails the code-block check (pytest-markdown-docs, which runs every Python block of
README.md and docs/pages/ in the suite); the vendor pages are made from the vendor modules'
declarations, so a page cannot say other than the code."""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from types import ModuleType, SimpleNamespace
from typing import Any

import pytest

from normalize.vendors import REGISTRY

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"


def _hook() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "vendor_pages", DOCS / "hooks" / "vendor_pages.py"
    )
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _build(docs: Path, site: Path) -> subprocess.CompletedProcess[str]:
    """``mkdocs build --strict`` of the docs folder ``docs``, run from the project folder (the
    snippets of CHANGELOG.md and the schema are read from there)."""
    return subprocess.run(
        [
            *(sys.executable, "-m", "mkdocs", "build", "--strict"),
            *("-f", str(docs / "mkdocs.yml"), "--site-dir", str(site)),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        check=False,
    )


def _copy_docs(tmp_path: Path) -> Path:
    copy = tmp_path / "docs"
    shutil.copytree(DOCS, copy, ignore=shutil.ignore_patterns("__pycache__"))
    return copy


# --- README.md: a quick start, the two commands first -----------------------------------------


def test_the_readme_is_short_with_the_two_commands_first() -> None:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    assert len(text.encode()) <= 12 * 1024
    sections = re.findall(r"^## (.+)$", text, flags=re.MULTILINE)
    assert sections[0] == "The two commands"
    first = text.split("\n## ")[1]
    assert "scripts/demo" in first
    assert "scripts/test" in first


def test_every_readme_link_into_the_site_names_a_page() -> None:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    links = re.findall(r"\]\((docs/[^)#]+)", text)
    assert links
    for link in links:
        assert (ROOT / link).is_file(), link


# --- The site: mkdocs build --strict fails on a broken link -----------------------------------


def test_the_site_builds_and_a_planted_broken_link_fails_it(tmp_path: Path) -> None:
    docs = _copy_docs(tmp_path)
    built = _build(docs, tmp_path / "site")
    assert built.returncode == 0, built.stderr
    # The generated vendor pages are in the site, made from the declarations.
    token = (tmp_path / "site" / "vendors" / "token-io" / "index.html").read_text()
    assert "balance.otherBalances" in token
    assert "MORE_SIGNATURES_NEEDED" in token

    page = docs / "pages" / "getting-started.md"
    page.write_text(page.read_text() + "\nSee [nowhere](no-such-page.md).\n")
    broken = _build(docs, tmp_path / "site-broken")
    assert broken.returncode != 0
    assert "no-such-page.md" in broken.stderr


def test_a_planted_broken_anchor_fails_the_build(tmp_path: Path) -> None:
    docs = _copy_docs(tmp_path)
    page = docs / "pages" / "getting-started.md"
    page.write_text(page.read_text() + "\nSee [nowhere](reading.md#no-such-section).\n")
    broken = _build(docs, tmp_path / "site")
    assert broken.returncode != 0
    assert "no-such-section" in broken.stderr


# --- Code blocks: a failing block fails the check ---------------------------------------------


def _run_blocks(page: Path) -> subprocess.CompletedProcess[str]:
    """The code-block check on one Markdown file, as the suite runs it (pyproject.toml's
    pytest options), outside this project's configuration."""
    return subprocess.run(
        [
            *(sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q"),
            *("--markdown-docs", "--markdown-docs-syntax=superfences", page.name),
        ],
        cwd=page.parent,
        capture_output=True,
        text=True,
        check=False,
    )


def test_a_planted_failing_code_block_fails_the_check(tmp_path: Path) -> None:
    docs = _copy_docs(tmp_path)
    page = docs / "pages" / "record.md"
    good = _run_blocks(page)
    assert good.returncode == 0, good.stdout
    assert " passed" in good.stdout

    failing = 'from normalize import normalize_response\n\nnormalize_response("token-io", b"[]")\n'
    page.write_text(page.read_text() + f"\n```python\n{failing}```\n")
    bad = _run_blocks(page)
    assert bad.returncode != 0
    assert "MalformedPayload" in bad.stdout


def test_no_python_block_is_an_interpreter_session() -> None:
    """``>>>`` blocks would not run as written; a session is a ``text`` block."""
    for page in [ROOT / "README.md", *sorted((DOCS / "pages").rglob("*.md"))]:
        text = page.read_text(encoding="utf-8")
        for block in re.findall(r"^```(?:python|\{\.python[^}]*\})\n(.*?)^```", text, re.M | re.S):
            assert ">>> " not in block, page


# --- Vendor pages: generated from the declarations -------------------------------------------


@pytest.mark.parametrize("vendor", sorted(REGISTRY))
def test_each_vendor_page_says_what_its_module_declares(vendor: str) -> None:
    module = REGISTRY[vendor]
    page = _hook().pages()[f"vendors/{vendor}.md"]
    for operation, freshness in module.OPERATIONS.items():
        assert f"| `{operation}` | `{freshness.value}` |" in page
    for read in module.SPEC_READS:  # type: ignore[attr-defined]
        for path in read["fields"]:
            assert f"| `{path}` |" in page
        for values in read.get("enums", {}).values():
            for value in values:
                assert f"`{value}`" in page
    for statuses in module.STATUS_CODES.values():
        for code in statuses.values():
            assert f"`{code.name}`" in page


def _changed(module: Any, **changes: Any) -> SimpleNamespace:
    names = ("VENDOR", "OPERATIONS", "OPERATION_ALIASES", "STATUS_CODES", "from_xml")
    fields = {name: getattr(module, name) for name in names}
    fields |= {"SPEC_READS": module.SPEC_READS, "__doc__": module.__doc__}
    fields |= {"__name__": module.__name__}
    return SimpleNamespace(**(fields | changes))


def test_a_changed_declaration_changes_the_page() -> None:
    hook = _hook()
    module = REGISTRY["token-io"]
    page = hook.vendor_page(module)
    assert hook.vendor_page(_changed(module)) == page

    reads = [dict(read) for read in module.SPEC_READS]  # type: ignore[attr-defined]
    reads[1] = {**reads[1], "fields": {**reads[1]["fields"], "balance.pendingBalance": "object?"}}
    with_a_field = hook.vendor_page(_changed(module, SPEC_READS=tuple(reads)))
    assert with_a_field != page
    assert "| `balance.pendingBalance` | `object?` |" in with_a_field

    operations = {**module.OPERATIONS, "getBalanceLive": next(iter(module.OPERATIONS.values()))}
    assert "`getBalanceLive`" in hook.vendor_page(_changed(module, OPERATIONS=operations))
    assert "Bodies: JSON and XML." in hook.vendor_page(_changed(module, from_xml=lambda b: b))
    changed_doc = hook.vendor_page(_changed(module, __doc__="Token.io.\n\nA new quirk."))
    assert "A new quirk." in changed_doc


def test_the_vendors_page_and_the_nav_list_every_vendor_module() -> None:
    pages = _hook().pages()
    assert set(pages) == {"vendors/index.md"} | {f"vendors/{v}.md" for v in REGISTRY}
    config = SimpleNamespace(nav=[{"Home": "index.md"}, {"Vendors": "vendors/index.md"}])
    nav = _hook().on_config(config).nav
    assert nav[1]["Vendors"] == ["vendors/index.md", *(f"vendors/{v}.md" for v in REGISTRY)]
