"""The research inputs of graph/research/ give the committed graph/imported/ files, byte for byte,
through the very import commands of the Makefile's `imports` target."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest
from click.testing import CliRunner

from lexgraph.cli import main

ROOT = Path(__file__).resolve().parent.parent
RESEARCH = ROOT / "graph" / "research"


def research_commands() -> list[list[str]]:
    """The `lexgraph import` commands of the Makefile that read ``$(RESEARCH)``, as arguments."""
    commands = []
    for line in (ROOT / "Makefile").read_text(encoding="utf-8").splitlines():
        match = re.match(r"\t\$\(BIN\)/lexgraph (import .*\$\(RESEARCH\)/.*)$", line)
        if match:
            commands.append(shlex.split(match.group(1).replace("$(RESEARCH)", str(RESEARCH))))
    return commands


def test_every_research_file_is_imported_by_the_makefile() -> None:
    """Each CSV of graph/research/ is read by one command of `make imports`, and no command
    reads a file that is not there."""
    read = {Path(args[2]).name for args in research_commands()}
    assert read == {path.name for path in RESEARCH.glob("*.csv")}
    assert {p.name for p in RESEARCH.iterdir()} == read | {"README.md"}  # nothing else there


@pytest.mark.parametrize("args", research_commands(), ids=lambda args: Path(args[2]).stem)
def test_research_file_gives_the_committed_turtle(
    args: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Importing a research CSV again writes exactly the committed file: an edited row that
    was not re-imported, or an importer change that was not applied, fails here."""
    from conftest import copy_project  # type: ignore[import-not-found]

    layout = copy_project(tmp_path / "project")
    monkeypatch.setenv("LEXGRAPH_ROOT", str(layout.root))
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    written = re.search(r"^wrote 1 file\(s\): (\S+)$", result.stdout, re.M)
    assert written, result.stdout  # the importer names the file it wrote, relative to the root
    target = written.group(1)
    committed = (ROOT / target).read_bytes()
    assert (layout.root / target).read_bytes() == committed, f"re-import {args[2]}: `make imports`"
