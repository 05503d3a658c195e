"""The examples in ``examples/`` run: the notebook (top to bottom, with
nbclient, no network) and, where pyspark and Java are installed, the Spark
``mapInArrow`` script."""

from __future__ import annotations

import shutil
import subprocess
import sys

import pytest

from conftest import ROOT

EXAMPLES = ROOT / "examples"


def test_notebook_runs_top_to_bottom():
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    pytest.importorskip("ipykernel")
    pytest.importorskip("matplotlib")
    nb = nbformat.read(EXAMPLES / "tour.ipynb", as_version=4)
    assert all(not c.get("outputs") for c in nb.cells if c.cell_type == "code"), "commit the notebook without outputs"
    nbclient.NotebookClient(nb, timeout=180, kernel_name="python3", resources={"metadata": {"path": str(EXAMPLES)}}).execute()
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    kinds = {k for o in outputs for k in o.get("data", {})}
    assert {"text/html", "image/png"} <= kinds, "the dashboard report and the plots are shown"
    text = "".join(o.get("text", "") for o in outputs)
    assert "BadRowError" in text and "unknown-mot" in text


@pytest.mark.skipif(shutil.which("java") is None, reason="Spark needs Java")
def test_spark_example_merges_to_the_single_machine_dashboard():
    pytest.importorskip("pyspark")
    run = subprocess.run(
        [sys.executable, str(EXAMPLES / "spark_mapinarrow.py"), "--journeys", "3000", "--partitions", "4"],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert run.returncode == 0, run.stderr[-3000:]
    assert '"equal_to_single_machine": true' in run.stdout
