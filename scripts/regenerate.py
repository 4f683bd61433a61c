"""Regenerate generated/<vendor>/ from specs/<vendor>/ with the pinned generators.

For every folder under specs/ that holds an ``openapi.yaml`` and a ``generator.yaml``, two
generators run into a scratch folder:

* openapi-python-client writes the httpx client package ``<package>/`` (attrs models,
  one module per operation), configured by ``specs/<vendor>/generator.yaml``;
* datamodel-code-generator writes ``<package>/wire.py``: msgspec structs of the same
  schemas with JSON numbers typed as ``Decimal``, which ``normalize`` decodes into exactly.

First, on its own and before any generator runs (so no generator failure can hide it), the
spec check (normalize/_spec_check.py): each vendor mapping's declaration (``SPEC_READS``)
and each generated module the code imports, against the specs, each break as
``vendor module : mapping function : spec location : what changed`` (exit status 1), and
each addition no mapping reads (a balance-shaped field, a media type, an operation) as a
warning in the same form (exit status unchanged). The check compares the declarations and
the code with the specs, not with generated/, so a break is reported on every run until the
code or the spec changes. A spec that does not parse is one line (the file and the parser's
message): nothing is generated, checked or written from it, and the other vendors go on.

Both generators' output is formatted with the pinned ruff in isolated mode, so ruff settings
in parent folders change nothing; lint rules fix what they can and never fail the run (a
``ruff check`` post hook of generator.yaml runs with ``--exit-zero``). A generator's warnings
are printed as warnings; only unusable output fails (exit status 2): a generator that exits
non-zero, a Python file that does not compile, or a generated operation module the code
imports left out. Without ``--check`` the scratch output replaces ``generated/<vendor>/``,
except where the spec check says that would remove a generated module or model class the
code imports (an operationId renamed, moved to another tag or gone; a schema the live code
imports renamed or gone): that vendor's tree is kept, so ``import normalize`` and
test collection keep working until the code names the new module, then the next run writes
it. With ``--check`` the output is compared with generated/ and the differing files are
listed (exit status 1).

Then, in both modes:

* what changed in each vendor's wire models (models, fields, types and enum values added,
  removed or changed), old generated/ against the new output;
* every example in each spec checked against its own schema;
* the canonical record's JSON Schema, specs/canonical/balance-record.schema.json, written
  from the record's definition (compared with it under ``--check``), and its copy shipped
  in the package, normalize/balance-record.schema.json (the same bytes; skipped when the
  project folder holds no normalize/).

Exit status: 2 when a generator's output is unusable (the other vendors are still
generated and every report still printed); else 1 when a mapping is broken, an example
breaks its schema, or generated/, the spec versions or the canonical schema are stale
(``--check``); else 0, warnings or not.
"""

from __future__ import annotations

import argparse
import ast
import filecmp
import functools
import importlib.util
import json
import os
import shlex
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from types import ModuleType
from typing import Any

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))
import vendor_lists  # scripts/vendor_lists.py

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent

# Options shared by every vendor's wire models; see the module docstring.
DATAMODEL_OPTIONS = [
    "--input-file-type=openapi",
    "--output-model-type=msgspec.Struct",
    "--target-python-version=3.11",
    "--type-mappings",
    "number+default=decimal",
    # RFC 3339 date-times stay text: msgspec would round sub-microsecond digits to the
    # nearest microsecond (23:59:59.9999999 becomes the next day); normalize truncates.
    "string+date-time=string",
    "--output-datetime-class=datetime",
    "--enum-field-as-literal=all",
    "--snake-case-field",
    "--use-standard-collections",
    "--use-union-operator",
    "--use-schema-description",
    "--strict-nullable",
    "--disable-timestamp",
    "--formatters",
    "builtin",
    # Constraints (patterns, bounds) are checked by normalize, which can name the vendor,
    # the field and the value; msgspec would only say that a pattern did not match.
    "--no-use-annotated",
]


class GeneratorError(RuntimeError):
    pass


def run(cmd: list[str], *, cwd: Path) -> list[str]:
    """Run a generator step; its warning lines, or GeneratorError when it fails."""
    print("+", shlex.join(cmd), flush=True)
    env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}"}
    # A Python warning is printed as one (never raised as an exception).
    env["PYTHONWARNINGS"] = "default"
    proc = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, check=False)
    output = (proc.stdout + proc.stderr).strip()
    if proc.returncode != 0:
        raise GeneratorError(f"{shlex.join(cmd)} (exit {proc.returncode}):\n{output}")
    return [line.strip() for line in output.splitlines() if "warning" in line.lower()]


def lint_never_fails(config: dict[str, Any]) -> dict[str, Any]:
    """generator.yaml with ``--exit-zero`` on each ``ruff check`` post hook: lint rules fix
    what they can in generated code, and never block it."""
    hooks = [
        f"{hook} --exit-zero" if str(hook).split()[:2] == ["ruff", "check"] else str(hook)
        for hook in config.get("post_hooks") or ()
    ]
    return {**config, "post_hooks": hooks} if "post_hooks" in config else config


def unusable(package_dir: Path, imported: set[tuple[str, str]]) -> list[str]:
    """Why a generated package cannot be used, if it cannot: a file missing, a Python file
    that does not compile, an operation module the code imports left out."""
    out = [
        f"{name} missing"
        for name in ("__init__.py", "wire.py")
        if not (package_dir / name).is_file()
    ]
    for path in sorted(package_dir.rglob("*.py")):
        try:
            compile(path.read_text(encoding="utf-8"), str(path), "exec")
        except SyntaxError as exc:
            out.append(f"{path.relative_to(package_dir)} does not compile: {exc}")
    out += [
        f"api/{tag}/{name}.py not generated (the code imports it)"
        for tag, name in sorted(imported)
        if not (package_dir / "api" / tag / f"{name}.py").is_file()
    ]
    return out


def _packages(specs: list[Path]) -> dict[str, str]:
    """Vendor -> the generated client package its generator.yaml names (the spec check's
    reading of it)."""
    package_of = load_spec_check().package_of
    return {spec.name: str(package_of(spec)) for spec in specs}


def vendor_specs(root: Path) -> list[Path]:
    return sorted(
        path
        for path in (root / "specs").iterdir()
        if (path / "openapi.yaml").is_file() and (path / "generator.yaml").is_file()
    )


def generate(
    spec_dir: Path, out_dir: Path, imported: set[tuple[str, str]] | None = None
) -> list[str]:
    """Write the generated tree of one vendor into ``out_dir`` (which must not exist);
    return the generators' warnings. GeneratorError when the output is unusable."""
    config = yaml.safe_load((spec_dir / "generator.yaml").read_text())
    package = config["package_name_override"]
    out_dir.mkdir(parents=True)
    generator_config = out_dir.parent / f"{spec_dir.name}.generator.yaml"
    generator_config.write_text(yaml.safe_dump(lint_never_fails(config)), encoding="utf-8")
    warnings = run(
        [
            str(BIN / "openapi-python-client"),
            "generate",
            f"--path={spec_dir / 'openapi.yaml'}",
            f"--config={generator_config}",
            "--meta=none",
            f"--output-path={out_dir / package}",
        ],
        cwd=out_dir,
    )
    wire = out_dir / package / "wire.py"
    warnings += run(
        [
            str(BIN / "datamodel-codegen"),
            f"--input={spec_dir / 'openapi.yaml'}",
            f"--output={wire}",
            *DATAMODEL_OPTIONS,
        ],
        cwd=out_dir,
    )
    ruff = str(BIN / "ruff")
    run(
        [
            ruff,
            "check",
            "--isolated",
            "--no-cache",
            "--fix",
            "--extend-select=I",
            "--exit-zero",
            "--quiet",
            str(wire),
        ],
        cwd=out_dir,
    )
    run([ruff, "format", "--isolated", "--no-cache", "--quiet", str(wire)], cwd=out_dir)
    # The generator's own cache folders are not output.
    for cache in out_dir.rglob("__pycache__"):
        shutil.rmtree(cache)
    problems = unusable(out_dir / package, imported or set())
    if problems:
        raise GeneratorError("the output is unusable:\n" + "\n".join(problems))
    return warnings


def tree_files(top: Path) -> set[str]:
    if not top.exists():
        return set()
    return {
        str(path.relative_to(top))
        for path in top.rglob("*")
        if path.is_file() and "__pycache__" not in path.parts
    }


def differences(expected: Path, actual: Path) -> list[str]:
    """Relative paths that are missing, extra or different in ``actual``."""
    want, have = tree_files(expected), tree_files(actual)
    out = [f"missing: {{}}/{p}" for p in sorted(want - have)]
    out += [f"not generated: {{}}/{p}" for p in sorted(have - want)]
    out += [
        f"differs: {{}}/{p}"
        for p in sorted(want & have)
        if not filecmp.cmp(expected / p, actual / p, shallow=False)
    ]
    return out


# --- what changed in the wire models -----------------------------------------------------------


def wire_models(path: Path) -> dict[str, dict[str, str]]:
    """The models of a generated wire.py: struct name -> {field: "type (wire name)"}, and
    each type alias (enumerations are ``Literal`` aliases) -> {"=": its type}."""
    if not path.is_file():
        return {}
    models: dict[str, dict[str, str]] = {}
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.ClassDef):
            fields = {}
            for item in node.body:
                if isinstance(item, ast.AnnAssign) and isinstance(item.target, ast.Name):
                    kind = ast.unparse(item.annotation)
                    wire_name = _wire_name(item.value)
                    fields[item.target.id] = kind + (f" (as {wire_name!r})" if wire_name else "")
            models[node.name] = fields
        elif isinstance(node, ast.AnnAssign | ast.Assign) and node.value is not None:
            target = node.target if isinstance(node, ast.AnnAssign) else node.targets[0]
            if isinstance(target, ast.Name):
                models[target.id] = {"=": ast.unparse(node.value)}
    return models


def _wire_name(value: ast.expr | None) -> str | None:
    if isinstance(value, ast.Call):
        for keyword in value.keywords:
            if keyword.arg == "name" and isinstance(keyword.value, ast.Constant):
                return str(keyword.value.value)
    return None


def _literal_values(kind: str) -> list[str] | None:
    try:
        node = ast.parse(kind, mode="eval").body
    except SyntaxError:
        return None
    if isinstance(node, ast.Subscript) and ast.unparse(node.value) == "Literal":
        items = node.slice.elts if isinstance(node.slice, ast.Tuple) else [node.slice]
        return [ast.unparse(item) for item in items]
    return None


def model_changes(old: dict[str, dict[str, str]], new: dict[str, dict[str, str]]) -> list[str]:
    """Readable lines: models, fields, types and enum values added, removed or changed."""
    out = [f"model {name} added" for name in new if name not in old]
    out += [f"model {name} removed" for name in old if name not in new]
    for name in (n for n in new if n in old):
        before, after = old[name], new[name]
        if "=" in before or "=" in after:
            was, now = before.get("=", ""), after.get("=", "")
            if was == now:
                continue
            old_values, new_values = _literal_values(was), _literal_values(now)
            if old_values is not None and new_values is not None:
                added = [v for v in new_values if v not in old_values]
                removed = [v for v in old_values if v not in new_values]
                if added:
                    out.append(f"enum {name}: value(s) added: {', '.join(added)}")
                if removed:
                    out.append(f"enum {name}: value(s) removed: {', '.join(removed)}")
            else:
                out.append(f"type {name}: {was} -> {now}")
            continue
        gone = [f for f in before if f not in after]
        came = [f for f in after if f not in before]
        for field in gone:
            out.append(f"model {name}: field {field} removed (was {before[field]})")
        for field in came:
            out.append(f"model {name}: field {field} added: {after[field]}")
        for field in (f for f in after if f in before and after[f] != before[f]):
            out.append(f"model {name}: field {field}: {before[field]} -> {after[field]}")
    return out


def wire_file(tree: Path) -> Path | None:
    found = sorted(tree.glob("*/wire.py"))
    return found[0] if found else None


# --- the checks that read normalize (from this checkout, by file: no install needed) -------------


@functools.cache
def load_spec_check() -> ModuleType:
    path = ROOT / "normalize" / "_spec_check.py"
    spec = importlib.util.spec_from_file_location("normalize_spec_check", path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def canonical_schema(root: Path, *, check: bool) -> list[str]:
    """Write (or, with ``check``, compare) specs/canonical/balance-record.schema.json and
    the package's copy of it, normalize/balance-record.schema.json."""
    # This checkout's normalize and its generated clients, ahead of any installed copy.
    sys.path[:0] = [str(ROOT), *(str(p) for p in sorted((ROOT / "generated").glob("*/")))]
    try:
        from normalize import _contract
    except Exception as exc:  # reported, as a failure, with the reason
        return [f"normalize cannot be imported to export the canonical schema: {exc!r}"]
    path = root / _contract.SCHEMA_PATH
    published = path.read_text(encoding="utf-8") if path.is_file() else ""
    # The package's copy, when this project folder holds the package.
    packaged = root / _contract.PACKAGED_SCHEMA_PATH if (root / "normalize").is_dir() else None
    if check:
        drift: list[str] = _contract.schema_drift(published)
        stale = [f"{_contract.SCHEMA_PATH}: {line}" for line in drift]
        if packaged is not None and _bytes(packaged) != _bytes(path):
            stale.append(f"{_contract.PACKAGED_SCHEMA_PATH}: not the same bytes as the published")
        return stale
    # Bytes, not text: no newline translation, so the two files are the same bytes.
    data = _contract.render(_contract.json_schema()).encode("utf-8")
    for target, relative in (
        (path, _contract.SCHEMA_PATH),
        (packaged, _contract.PACKAGED_SCHEMA_PATH),
    ):
        if target is not None and _bytes(target) != data:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
            print(f"wrote {relative}", flush=True)
    return []


SPEC_VERSIONS_PATH = "normalize/batch/_specs.py"


def spec_versions_text(root: Path) -> str:
    """``normalize/batch/_specs.py`` as the specs say it: each vendor spec's
    ``info.version``, which the batch manifest and the Parquet files report."""
    versions = {
        spec.name: str(yaml.safe_load((spec / "openapi.yaml").read_text())["info"]["version"])
        for spec in vendor_specs(root)
    }
    lines = [
        '"""The ``info.version`` of each vendor spec (``specs/<vendor>/openapi.yaml``) this',
        "library was built from, for the batch manifest and the Parquet files' metadata.",
        "Written by ``scripts/regenerate`` from the specs (``--check`` compares): an installed",
        'wheel ships no ``specs/``, and no one keeps this copy by hand."""',
        "",
        "from __future__ import annotations",
        "",
        "SPEC_VERSIONS: dict[str, str] = {",
        *(
            f"    {json.dumps(vendor)}: {json.dumps(version)},"
            for vendor, version in versions.items()
        ),
        "}",
        "",
    ]
    return "\n".join(lines)


def spec_versions(root: Path, *, check: bool) -> list[str]:
    """Write (or, with ``check``, compare) normalize/batch/_specs.py."""
    path = root / SPEC_VERSIONS_PATH
    if not path.parent.is_dir():
        return []
    text = spec_versions_text(root).encode("utf-8")
    if _bytes(path) == text:
        return []
    if check:
        return [f"{SPEC_VERSIONS_PATH}: not the specs' info.version"]
    path.write_bytes(text)
    print(f"wrote {SPEC_VERSIONS_PATH}", flush=True)
    return []


def _bytes(path: Path) -> bytes | None:
    return path.read_bytes() if path.is_file() else None


def report(title: str, lines: list[str], *, stream: Any = sys.stdout) -> None:
    print(title, file=stream, flush=True)
    for line in lines:
        print(f"    {line}", file=stream, flush=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--check",
        action="store_true",
        help="compare generated/ with what specs/ produce; change nothing",
    )
    parser.add_argument(
        "--root", type=Path, default=ROOT, help="project folder (default: this checkout)"
    )
    args = parser.parse_args(argv)
    root: Path = args.root.resolve()

    specs = vendor_specs(root)
    problems = [
        f"generated/{path.name}/ has no specs/{path.name}/"
        for path in sorted((root / "generated").glob("*/"))
        if path.name not in {spec.name for spec in specs}
    ]
    # The spec check first, on its own: nothing a generator does can hide it.
    spec_check = load_spec_check()
    own = root / "normalize" / "vendors"
    vendors_dir = own if own.is_dir() else ROOT / "normalize" / "vendors"
    breaks = spec_check.check(root, vendors_dir)
    failing = [str(line) for line in spec_check.errors(breaks)]
    # A spec that does not parse: one line (the check's, when a vendor module reads it), and
    # nothing else is made from it; the other vendors go on.
    unreadable: set[str] = set()
    for spec_dir in specs:
        label = f"specs/{spec_dir.name}/openapi.yaml"
        try:
            spec_check.load_spec(spec_dir / "openapi.yaml")
        except ValueError as exc:
            unreadable.add(spec_dir.name)
            if not any(line.location == label for line in breaks):
                failing.append(f"- : - : {label} : the spec does not parse: {exc}")
    if failing:
        report(
            "mappings broken by the specs (module : function : spec location : what changed);"
            " update each mapping and its SPEC_READS, then rerun:",
            failing,
            stream=sys.stderr,
        )
    else:
        print("every mapping's declaration holds against specs/")
    added = [str(line) for line in breaks if line.warning]
    if added:
        report(
            "warning: additions no mapping reads (module : function : spec location : what"
            " changed):",
            added,
        )
    failed = bool(failing)
    # Writing these would remove a generated module or model class the code imports: kept.
    kept = {line.blocks for line in spec_check.errors(breaks) if line.blocks}
    uses = spec_check.generated_uses(vendors_dir.parent, _packages(specs).values())

    unusable_output = False
    changes: dict[str, list[str]] = {}
    with tempfile.TemporaryDirectory(prefix="regenerate-") as scratch:
        for spec_dir in specs:
            vendor = spec_dir.name
            if vendor in unreadable:
                print(
                    f"{'would keep' if args.check else 'kept'} generated/{vendor}/ as it was:"
                    " its spec does not parse",
                    file=sys.stderr,
                    flush=True,
                )
                continue
            fresh = Path(scratch) / vendor
            package = _packages([spec_dir])[vendor]
            imported = {use.operation_module for use in uses if use.package == package}
            if vendor in kept:
                # What the code imports is not in the new output: checked by the spec check.
                imported = set()
            try:
                warnings = generate(spec_dir, fresh, imported)
            except GeneratorError as exc:
                print(f"{vendor}: generation failed: {exc}", file=sys.stderr)
                unusable_output = True
                continue
            if warnings:
                report(f"warning: {vendor}: the generators warn (the output is used):", warnings)
            committed = root / "generated" / vendor
            old_wire, new_wire = wire_file(committed), wire_file(fresh)
            changes[vendor] = model_changes(
                wire_models(old_wire) if old_wire else {},
                wire_models(new_wire) if new_wire else {},
            )
            if args.check:
                problems += [
                    line.format(f"generated/{vendor}") for line in differences(fresh, committed)
                ]
                if vendor in kept:
                    print(
                        f"generated/{vendor}/ would be kept as it is: the new output lacks a"
                        " module or model class the code imports (see the breaks above); once"
                        " the code names the new one, run scripts/regenerate to write it",
                        file=sys.stderr,
                        flush=True,
                    )
            elif vendor in kept:
                print(
                    f"kept generated/{vendor}/ as it was: the new output lacks a module the code"
                    " imports (see the breaks above)",
                    file=sys.stderr,
                    flush=True,
                )
            else:
                if committed.exists():
                    shutil.rmtree(committed)
                shutil.copytree(fresh, committed)
                print(f"wrote generated/{vendor}/", flush=True)
    for vendor, lines in changes.items():
        if lines:
            heading = "would change" if args.check else "changed"
            report(f"{vendor}: wire models {heading} (old generated/ -> new):", lines)
    failed = failed or bool(problems)
    if problems:
        print("generated/ is not what specs/ produce:", file=sys.stderr)
        for line in problems:
            print(f"  {line}", file=sys.stderr)
        print("run scripts/regenerate to rewrite it", file=sys.stderr)
    elif args.check:
        print("generated/ is up to date with specs/")

    bad_examples = []
    for spec_dir in specs:
        if spec_dir.name in unreadable:
            continue
        label = f"specs/{spec_dir.name}/openapi.yaml"
        bad_examples += spec_check.example_problems(
            spec_check.load_spec(spec_dir / "openapi.yaml"), label
        )
    if bad_examples:
        report("spec examples that break their own schema:", bad_examples, stream=sys.stderr)
        failed = True
    else:
        print("every spec example matches its schema")

    stale = spec_versions(root, check=args.check) if not unreadable else []
    if unreadable:
        print(
            f"{SPEC_VERSIONS_PATH} left as it was: a spec does not parse",
            file=sys.stderr,
            flush=True,
        )
    elif stale:
        report("the spec versions are stale; run scripts/regenerate:", stale, stream=sys.stderr)
        failed = True
    elif args.check:
        print("the spec versions are up to date")

    stale = vendor_lists.write_all(root, check=args.check)
    if stale:
        report("the vendor lists are stale; run scripts/regenerate:", stale, stream=sys.stderr)
        failed = True
    elif args.check:
        print("the vendor lists name every vendor")

    stale = canonical_schema(root, check=args.check)
    if stale:
        report(
            "the canonical record's schema is stale; run scripts/regenerate:",
            stale,
            stream=sys.stderr,
        )
        failed = True
    elif args.check:
        print("the canonical record's schema is up to date")
    if unusable_output:
        return 2
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
