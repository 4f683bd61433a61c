"""One page per vendor, written at build time from the vendor module's own declarations.

MkDocs runs this hook (``hooks:`` in docs/mkdocs.yml). For every module of
``normalize.vendors.REGISTRY`` it adds ``vendors/<vendor id>.md`` to the site, made from the
module's docstring, ``OPERATIONS``, ``OPERATION_ALIASES``, ``STATUS_CODES``, ``from_xml``,
``REQUEST_CONTEXT`` and ``SPEC_READS``, and ``vendors/index.md`` listing them. The pages
exist only in the built site, so none can say other than the code does.
"""

from __future__ import annotations

import re
from types import ModuleType
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files

from normalize.vendors import REGISTRY, request_context

_LITERAL = re.compile(r"``(.+?)``", re.DOTALL)
_URL = re.compile(r"(?<![<(])(https?://\S+?)(?=[).,;]?(?:\s|$))")


def _markdown(docstring: str) -> str:
    """A module docstring (reStructuredText literals) as Markdown: ``x`` becomes `x`, and a
    bare URL a link."""
    return _URL.sub(r"<\1>", _LITERAL.sub(r"`\1`", docstring.strip()))


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def _freshness_runs(parameter: Any) -> str:
    """``0: LIVE; 1 to 1440: UNKNOWN``: the freshness each value of the range gives."""
    runs: list[tuple[int, int, str]] = []
    for value in range(parameter.minimum, parameter.maximum + 1):
        freshness = parameter.freshness(value).value
        if runs and runs[-1][2] == freshness:
            runs[-1] = (runs[-1][0], value, freshness)
        else:
            runs.append((value, value, freshness))
    return "; ".join(
        f"{low}: `{f}`" if low == high else f"{low} to {high}: `{f}`" for low, high, f in runs
    )


def vendor_page(module: ModuleType | Any) -> str:
    """The Markdown page of one vendor module."""
    vendor: str = module.VENDOR
    doc = (module.__doc__ or "").strip()
    title, _, rest = doc.partition("\n")
    lines = [f"# {_cell(title.rstrip('.'))}", ""]
    lines += [
        f"Vendor id `{vendor}`, mapped by `{module.__name__}` "
        "(this page is generated from that module when the site is built).",
        "",
    ]
    if rest.strip():
        lines += [_markdown(rest), ""]

    lines += ["## Operations", "", "| operationId | freshness of its records |", "|---|---|"]
    lines += [f"| `{op}` | `{freshness.value}` |" for op, freshness in module.OPERATIONS.items()]
    lines.append("")
    aliases = dict(module.OPERATION_ALIASES)
    if aliases:
        lines += ["Also accepted:", ""]
        lines += [f"- `{alias}` for `{name}`" for alias, name in aliases.items()]
        lines.append("")
    lines += [
        "Bodies: " + ("JSON and XML." if module.from_xml is not None else "JSON only."),
        "",
    ]

    lines += ["## Status codes", ""]
    codes = {op: dict(mapping) for op, mapping in module.STATUS_CODES.items() if mapping}
    if codes:
        lines += [
            "What an HTTP status means for an operation when the body does not say:",
            "",
            "| operation | status | error code |",
            "|---|---|---|",
        ]
        for op, mapping in codes.items():
            lines += [
                f"| `{op}` | {status} | `{code.name}` |" for status, code in sorted(mapping.items())
            ]
    else:
        lines.append(
            "No operation gives a status its own meaning: an error status without the "
            "vendor's error body is coded from the status alone (see [Errors](../errors.md))."
        )
    lines.append("")

    parameters = request_context(module)
    if parameters:
        lines += [
            "## Request parameters",
            "",
            "An envelope's `request` may carry:",
            "",
            "| parameter | range | freshness of the records |",
            "|---|---|---|",
        ]
        lines += [
            f"| `{name}` | {p.minimum} to {p.maximum} | {_freshness_runs(p)} |"
            for name, p in parameters.items()
        ]
        lines.append("")

    lines += [
        "## What is read",
        "",
        "`SPEC_READS`: per mapping function, operation and response status, every property "
        "the mapping reads (a trailing `?`: it copes with the property absent or null) and "
        "every enumerated value it handles. Nothing else of a body is read "
        "(see [Reading responses](../reading.md#what-is-accepted-and-refused)).",
        "",
    ]
    for read in module.SPEC_READS:
        at = read.get("at", "")
        where = f", at `{at}`" if at else ""
        lines += [
            f"### `{read['function']}`: `{read['operation']}` {read['status']}",
            "",
            f"Body model `{read['model']}`{where}.",
            "",
            "| property | JSON types |",
            "|---|---|",
        ]
        lines += [f"| `{path}` | `{_cell(kind)}` |" for path, kind in read["fields"].items()]
        lines.append("")
        enums = read.get("enums", {})
        if enums:
            lines += ["| enumerated property | values handled |", "|---|---|"]
            lines += [
                f"| `{path}` | {', '.join(f'`{v}`' for v in values)} |"
                for path, values in enums.items()
            ]
            lines.append("")
    lines += [
        "## See also",
        "",
        "- [The canonical record: per vendor](../record.md#per-vendor): records, balance "
        "types, amount and sign, `as_of` and freshness of every vendor side by side",
        "- [Errors](../errors.md): the vendor errors and their canonical codes",
        "- [What the specs require, and whose word it is]"
        "(../maintaining.md#what-the-specs-require-and-whose-word-it-is): each decision in "
        "`specs/` with its source",
        "",
    ]
    return "\n".join(lines)


def vendors_index(modules: dict[str, ModuleType | Any]) -> str:
    lines = [
        "# Vendors",
        "",
        "One page per vendor module of `normalize.vendors`, generated from its declarations "
        "when the site is built.",
        "",
    ]
    for vendor, module in modules.items():
        title = (module.__doc__ or vendor).strip().partition("\n")[0].rstrip(".")
        lines.append(f"- [`{vendor}`]({vendor}.md): {title}")
    return "\n".join(lines) + "\n"


def pages(modules: dict[str, ModuleType | Any] | None = None) -> dict[str, str]:
    """Every generated page: its path under the docs folder -> its Markdown."""
    modules = dict(REGISTRY) if modules is None else modules
    found = {"vendors/index.md": vendors_index(modules)}
    for vendor, module in modules.items():
        found[f"vendors/{vendor}.md"] = vendor_page(module)
    return found


def on_files(files: Files, config: MkDocsConfig) -> Files:
    for path, content in pages().items():
        files.append(File.generated(config, path, content=content))
    return files


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    """The nav's ``Vendors`` section lists the generated pages, the index first: a vendor
    added under normalize/vendors/ gets its page in the nav with no edit here."""
    for entry in config.nav or []:
        if isinstance(entry, dict) and "Vendors" in entry:
            entry["Vendors"] = list(pages())
    return config
