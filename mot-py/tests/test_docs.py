"""The examples users read are run: docstrings of the compiled classes and
functions (``pytest --doctest-modules`` only sees ``.py`` files), and every
Python block of the READMEs."""

from __future__ import annotations

import doctest
import inspect
import re

import pytest

import mot
from mot import _mot

from conftest import ROOT


def docstrings():
    """(name, docstring) of every public object of ``mot._mot`` and its members."""
    for name in _mot.__all__:
        obj = getattr(_mot, name)
        if obj.__doc__ and (inspect.isclass(obj) or callable(obj)):
            yield name, obj.__doc__
        if inspect.isclass(obj):
            for member, value in vars(obj).items():
                doc = getattr(value, "__doc__", None)
                if not member.startswith("_") and doc:
                    yield f"{name}.{member}", doc


EXAMPLES = [(name, doc) for name, doc in docstrings() if ">>>" in doc]


def test_the_compiled_module_has_examples():
    names = {name.split(".")[0] for name, _ in EXAMPLES}
    assert {"Dashboard", "Tracker", "Experience", "dashboard"} <= names


@pytest.mark.parametrize(("name", "doc"), EXAMPLES, ids=[n for n, _ in EXAMPLES])
def test_docstring_example(name, doc):
    test = doctest.DocTestParser().get_doctest(doc, {"mot": mot}, name, None, 0)
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    out: list[str] = []
    runner.run(test, out=out.append)
    assert runner.failures == 0, "".join(out)


def readme_blocks():
    for readme in (ROOT / "README.md", ROOT / "mot-py" / "README.md"):
        text = readme.read_text(encoding="utf-8")
        for i, block in enumerate(re.findall(r"```python\n(.*?)```", text, re.S)):
            yield pytest.param(block, id=f"{readme.parent.name}-README-{i}")


@pytest.mark.parametrize("block", list(readme_blocks()))
def test_readme_python_block(block, tmp_path, monkeypatch):
    matplotlib = pytest.importorskip("matplotlib")
    matplotlib.use("Agg")
    monkeypatch.chdir(tmp_path)
    # The READMEs read the repository's sample logs as from a clone's root.
    (tmp_path / "tests").symlink_to(ROOT / "tests")
    # As a script: a block guarded by `if __name__ == "__main__"` (the Dask
    # one, whose workers are processes) runs too.
    exec(compile(block, "README", "exec"), {"__name__": "__main__"})
    import matplotlib.pyplot as plt

    plt.close("all")
