"""Regenerate generated/<vendor>/ from specs/<vendor>/ with the pinned generators.

For every folder under specs/ that holds an ``openapi.yaml`` and a ``generator.yaml``, two
generators run into a scratch folder:

* openapi-python-client writes the httpx client package ``<package>/`` (attrs models,
  one module per operation), configured by ``specs/<vendor>/generator.yaml``;
* datamodel-code-generator writes ``<package>/wire.py``: msgspec structs of the same
  schemas with JSON numbers typed as ``Decimal``, which ``normalize`` decodes into exactly.

Both are formatted with the pinned ruff in isolated mode, so ruff settings in parent folders
change nothing, and any generator warning fails the run. Without ``--check`` the scratch
output replaces ``generated/<vendor>/``; with ``--check`` it is compared with it and the
differing files are listed (exit status 1).
"""

from __future__ import annotations

import argparse
import filecmp
import os
import shlex
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import yaml

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


def run(cmd: list[str], *, cwd: Path) -> None:
    print("+", shlex.join(cmd), flush=True)
    env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}"}
    # Any Python warning a generator prints counts as a failure.
    env["PYTHONWARNINGS"] = "error::UserWarning"
    proc = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, check=False)
    output = (proc.stdout + proc.stderr).strip()
    if proc.returncode != 0 or "warning" in output.lower():
        raise GeneratorError(f"{shlex.join(cmd)} (exit {proc.returncode}):\n{output}")


def vendor_specs(root: Path) -> list[Path]:
    return sorted(
        path
        for path in (root / "specs").iterdir()
        if (path / "openapi.yaml").is_file() and (path / "generator.yaml").is_file()
    )


def generate(spec_dir: Path, out_dir: Path) -> None:
    """Write the generated tree of one vendor into ``out_dir`` (which must not exist)."""
    config = yaml.safe_load((spec_dir / "generator.yaml").read_text())
    package = config["package_name_override"]
    out_dir.mkdir(parents=True)
    run(
        [
            str(BIN / "openapi-python-client"),
            "generate",
            f"--path={spec_dir / 'openapi.yaml'}",
            f"--config={spec_dir / 'generator.yaml'}",
            "--meta=none",
            f"--output-path={out_dir / package}",
            "--fail-on-warning",
        ],
        cwd=out_dir,
    )
    wire = out_dir / package / "wire.py"
    run(
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
            "--quiet",
            str(wire),
        ],
        cwd=out_dir,
    )
    run([ruff, "format", "--isolated", "--no-cache", "--quiet", str(wire)], cwd=out_dir)
    # The generator's own cache folders are not output.
    for cache in out_dir.rglob("__pycache__"):
        shutil.rmtree(cache)


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
    with tempfile.TemporaryDirectory(prefix="regenerate-") as scratch:
        for spec_dir in specs:
            vendor = spec_dir.name
            fresh = Path(scratch) / vendor
            try:
                generate(spec_dir, fresh)
            except GeneratorError as exc:
                print(f"{vendor}: generation failed: {exc}", file=sys.stderr)
                return 2
            committed = root / "generated" / vendor
            if args.check:
                problems += [
                    line.format(f"generated/{vendor}") for line in differences(fresh, committed)
                ]
            else:
                if committed.exists():
                    shutil.rmtree(committed)
                shutil.copytree(fresh, committed)
                print(f"wrote generated/{vendor}/", flush=True)
    if problems:
        print("generated/ is not what specs/ produce:", file=sys.stderr)
        for line in problems:
            print(f"  {line}", file=sys.stderr)
        print("run scripts/regenerate to rewrite it", file=sys.stderr)
        return 1
    if args.check:
        print("generated/ is up to date with specs/")
    return 0


if __name__ == "__main__":
    sys.exit(main())
