"""The analysis notebook runs from top to bottom."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

NOTEBOOK = Path(__file__).resolve().parents[2] / "examples" / "python" / "analyze_engagements.ipynb"


def test_the_analysis_notebook_runs_every_cell(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    # The kernel inherits this environment, so the notebook's temporary folder lands here.
    monkeypatch.setenv("TMPDIR", str(tmp_path))
    # Run from the notebook's own folder, as Jupyter does: without $COACHFLOW_CLI the notebook
    # falls back to `cargo run`, which needs to be inside the repository.
    resources = {"metadata": {"path": str(NOTEBOOK.parent)}}
    NotebookClient(notebook, timeout=600, kernel_name="python3", resources=resources).execute()
    outputs = [output for cell in notebook.cells if cell.cell_type == "code" for output in cell.get("outputs", [])]
    assert not [output for output in outputs if output.output_type == "error"]
    images = [output for output in outputs if "image/png" in output.get("data", {})]
    assert len(images) == 3, "the stage-duration, partnering-rate and outcome plots"
    text = "".join(output.get("text", "") for output in outputs)
    assert "engagements," in text and "events/s" in text and "sessions reviewed:" in text
    # The notebook wrote its 170 MB log into a folder of its own, and removed it at the end.
    assert f"written to {tmp_path}" in text
    assert not [path for path in tmp_path.iterdir() if path.name.startswith("coachflow-notebook-")]
