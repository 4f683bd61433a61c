"""The package version, and with it the version of the canonical record's contract.

The one place it is written: pyproject.toml reads it from here (``[tool.hatch.version]``),
``normalize.__version__`` is this, and the published JSON Schema's ``$id`` carries it.
What a patch, minor and major version may change is the stability policy in docs/pages/contract.md.
"""

__version__ = "0.4.2"
