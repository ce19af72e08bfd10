"""The notebooks run top to bottom on a built graph and are committed without outputs."""

from __future__ import annotations

import json
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from lexgraph.core.paths import Layout
from lexgraph.store.build import BuildResult

NOTEBOOKS = sorted((Path(__file__).resolve().parents[1] / "notebooks").glob("*.ipynb"))
TIMEOUT_S = 120


def test_there_are_the_four_notebooks() -> None:
    """The tour, SPARQL, visual and brief notebooks are all there."""
    assert [p.stem for p in NOTEBOOKS] == [
        "01-tour",
        "02-sparql-for-researchers",
        "03-explore-visually",
        "04-figures-for-a-brief",
    ]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_is_committed_without_outputs(path: Path) -> None:
    """No code cell stores an output or an execution count."""
    book = json.loads(path.read_text(encoding="utf-8"))
    code = [c for c in book["cells"] if c["cell_type"] == "code"]
    assert code and all(c["outputs"] == [] and c["execution_count"] is None for c in code)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_opens_with_its_question_and_the_cli(path: Path) -> None:
    """The first cell asks the notebook's question and shows the command-line equivalent."""
    first = nbformat.read(path, as_version=4).cells[0]
    assert first.cell_type == "markdown"
    assert first.source.startswith("# ") and "?" in first.source.splitlines()[0]
    assert "```sh\nlexgraph " in first.source


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_runs_without_errors(
    path: Path,
    built: tuple[Layout, BuildResult],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Every cell runs, in order, on the session's built graph, with no error output."""
    layout, _ = built
    monkeypatch.setenv("LEXGRAPH_ROOT", str(layout.root))
    book = nbformat.read(path, as_version=4)
    client = NotebookClient(
        book, timeout=TIMEOUT_S, kernel_name="python3", resources={"metadata": {"path": tmp_path}}
    )
    client.execute()
    errors = [
        output
        for cell in book.cells
        if cell.cell_type == "code"
        for output in cell.outputs
        if output.output_type == "error"
    ]
    assert errors == []
