"""The optional packages: imported when a feature needs them, with an error
naming the extra that installs them when they are missing."""

from __future__ import annotations

import importlib
from types import ModuleType

#: The extra of ``mot-py/pyproject.toml`` that installs each optional package.
EXTRAS = {"pandas": "pandas", "polars": "polars", "matplotlib": "plot"}


def require(module: str) -> ModuleType:
    """Imports ``module`` (``"pandas"``, ``"polars"``, ``"matplotlib.pyplot"``).

    Raises:
        ModuleNotFoundError: the package is not installed; the message says
            which ``pip install`` installs it. A package that is installed
            but fails to import raises its own error unchanged.
    """
    package = module.split(".")[0]
    try:
        return importlib.import_module(module)
    except ModuleNotFoundError as e:
        if e.name is None or e.name.split(".")[0] != package:
            raise
        extra = EXTRAS[package]
        raise ModuleNotFoundError(
            f"{package} is not installed: `pip install {package}`, or install mot with "
            f'its `{extra}` extra (`pip install "./mot-py[{extra}]"`)',
            name=package,
        ) from e
