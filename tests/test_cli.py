"""The command line: exit codes and one-line messages, never a traceback."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from lexgraph.cli import main
from lexgraph.core.paths import Layout


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def test_build_succeeds_with_exit_0(runner: CliRunner, project: Layout) -> None:
    """`lexgraph build` on the shipped sources exits 0 and says what it built."""
    result = runner.invoke(main, ["build"])
    assert result.exit_code == 0, result.output
    assert "built" in result.stdout


def test_validate_exits_1_on_a_violation(runner: CliRunner, project: Layout) -> None:
    """`lexgraph validate` reports a violation with its node and shape, and exits 1."""
    (project.graph / "bad.ttl").write_text(
        "@prefix lex: <https://w3id.org/lexgraph/ontology#> .\n"
        "<https://w3id.org/lexgraph/id/instrument/x> a lex:Convention .\n"
    )
    result = runner.invoke(main, ["validate"])
    assert result.exit_code == 1
    assert "https://w3id.org/lexgraph/id/instrument/x" in result.stderr
    assert "lex-sh" in result.stderr or "shapes#" in result.stderr


def test_validate_exits_0_on_the_shipped_graph(runner: CliRunner, project: Layout) -> None:
    """`lexgraph validate` finds no violation in the shipped sources."""
    result = runner.invoke(main, ["validate"])
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("0 violation(s)")


def test_malformed_turtle_gives_one_line_and_exit_2(runner: CliRunner, project: Layout) -> None:
    """A malformed Turtle file gives `error: FILE:LINE:COL: what` and exit 2."""
    (project.graph / "broken.ttl").write_text(
        "@prefix ex: <http://e/> .\nex:a ex:b ex:c\nex:d ex:e ex:f .\n"
    )
    result = runner.invoke(main, ["build"])
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("error: graph/broken.ttl:3:")
    assert "Traceback" not in result.output


def test_stats_before_build_is_a_clear_error(runner: CliRunner, project: Layout) -> None:
    """`lexgraph stats` without a build says to build first, exit 2."""
    result = runner.invoke(main, ["stats"])
    assert result.exit_code == 2
    assert "lexgraph build" in result.stderr


def test_stats_counts_classes_modalities_and_unsourced(
    runner: CliRunner, project_built: Layout
) -> None:
    """`lexgraph stats` prints class counts, modality counts and unsourced facts."""
    result = runner.invoke(main, ["stats"])
    assert result.exit_code == 0
    assert "Provision" in result.stdout and "extradition" in result.stdout
    assert "facts without a source" in result.stdout


def test_build_is_quiet_when_not_a_terminal(runner: CliRunner, project: Layout) -> None:
    """No progress line is written when stderr is not a terminal."""
    result = runner.invoke(main, ["build"])
    assert result.stderr == ""
