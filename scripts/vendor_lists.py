"""The lists that name every vendor, written from what is there (``scripts/regenerate``
calls ``write_all``; with ``check`` it only compares), so that adding a vendor never means
editing them by hand:

* ``normalize/_live_names.py``: each live client class a vendor package's ``live.py``
  defines (a ``SyncClient`` or ``AsyncClient`` subclass), so that ``normalize`` and
  ``normalize.live`` can name them before importing them and type checkers see them;
* in ``pyproject.toml``, the generated client packages the wheel ships and the folders an
  editable install puts on ``sys.path``; in ``normalize/__init__.py`` and
  ``normalize/live/__init__.py``, the client classes in ``__all__`` (each list between
  ``# vendors: <what>`` and ``# vendors: end`` markers).
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

LIVE_NAMES_PATH = "normalize/_live_names.py"
MARKED_FILES = ("pyproject.toml", "normalize/__init__.py", "normalize/live/__init__.py")
_CLIENT_BASES = {"SyncClient", "AsyncClient"}


def live_clients(root: Path) -> dict[str, str]:
    """Client class name -> the vendor package that defines it in its ``live.py``."""
    found: dict[str, str] = {}
    for live in sorted((root / "normalize" / "vendors").glob("[!_]*/live.py")):
        tree = ast.parse(live.read_text(encoding="utf-8"))
        for node in tree.body:
            if (
                isinstance(node, ast.ClassDef)
                and not node.name.startswith("_")
                and any(isinstance(b, ast.Name) and b.id in _CLIENT_BASES for b in node.bases)
            ):
                found[node.name] = live.parent.name
    return dict(sorted(found.items()))


def live_names_text(root: Path) -> str:
    clients = live_clients(root)
    lines = [
        '"""The live client classes of every vendor package (``normalize/vendors/<vendor>/',
        "live.py``), by name. Written by ``scripts/regenerate`` (``--check`` compares): the",
        "live package loads the classes themselves on first use; this names them before",
        'that, for ``normalize``\'s lazy names and for type checkers."""',
        "",
        "from __future__ import annotations",
        "",
        "from typing import TYPE_CHECKING",
        "",
        "LIVE_CLIENTS: dict[str, str] = {",
        *(f'    "{name}": "{package}",' for name, package in clients.items()),
        "}",
        '"""Client class name -> the vendor package (``normalize.vendors.<package>``)."""',
        "",
        "if TYPE_CHECKING:",
    ]
    # One import per name, in the order (and the form) ruff's import sorting keeps.
    for name, package in sorted(clients.items(), key=lambda item: (item[1], item[0])):
        lines += [
            f"    from .vendors.{package}.live import (",
            f"        {name} as {name},",
            "    )",
        ]
    if not clients:
        lines.append("    pass")
    lines.append("")
    return "\n".join(lines)


_MARKED = re.compile(
    r"(?P<head>^(?P<indent>[ \t]*)# vendors: (?P<what>\w+)[^\n]*\n)(?P<body>.*?)"
    r"(?P<tail>^[ \t]*# vendors: end\n)",
    re.M | re.S,
)


def _generated_packages(root: Path) -> list[tuple[str, str]]:
    """(folder, package path) of every generated client package under generated/."""
    found = []
    for init in sorted((root / "generated").glob("*/*/__init__.py")):
        folder = init.parent.parent.relative_to(root).as_posix()
        found.append((folder, init.parent.relative_to(root).as_posix()))
    return found


def marked_text(root: Path, relative: str) -> str:
    """``relative`` with each ``# vendors: <what>`` ... ``# vendors: end`` block listing
    what is there: the ``packages``, their ``folders`` and ``modules`` under generated/, the
    live ``clients``."""
    text = (root / relative).read_text(encoding="utf-8")
    packages = _generated_packages(root)

    def fill(match: re.Match[str]) -> str:
        indent, what = match["indent"], match["what"]
        if what == "packages":
            items = [path for _, path in packages]
        elif what == "folders":
            items = [folder for folder, _ in packages]
        elif what == "modules":
            items = [f"{path.rsplit('/', 1)[1]}.*" for _, path in packages]
        elif what == "clients":
            names = "".join(f'    "{name}",\n' for name in live_clients(root))
            return match["head"] + f"__all__ += [\n{names}]\n" + match["tail"]
        else:
            return match.group(0)
        body = "".join(f'{indent}"{item}",\n' for item in items)
        return match["head"] + body + match["tail"]

    return _MARKED.sub(fill, text)


def write_all(root: Path, *, check: bool) -> list[str]:
    """Write each list from what is there; with ``check``, name the stale ones instead."""
    stale = []
    for relative in (LIVE_NAMES_PATH, *MARKED_FILES):
        path = root / relative
        if relative == LIVE_NAMES_PATH:
            if not path.parent.is_dir():
                continue
            text = live_names_text(root)
        elif path.exists():
            text = marked_text(root, relative)
        else:
            continue
        data = text.encode("utf-8")
        if path.exists() and path.read_bytes() == data:
            continue
        if check:
            stale.append(f"{relative}: does not list every vendor as it stands")
            continue
        path.write_bytes(data)
        print(f"wrote {relative}", flush=True)
    return stale
