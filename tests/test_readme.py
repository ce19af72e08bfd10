"""The README documents every command, and its first two commands are the make targets."""

from __future__ import annotations

import re
from pathlib import Path

import click

from lexgraph.cli import main

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def _commands(group: click.Group, prefix: str = "lexgraph") -> list[str]:
    names = []
    for name, command in sorted(group.commands.items()):
        if isinstance(command, click.Group):
            names += _commands(command, f"{prefix} {name}")
        else:
            names.append(f"{prefix} {name}")
    return names


def test_every_command_is_in_the_commands_table() -> None:
    """Each CLI command has a row in the README's Commands table."""
    documented: set[str] = set()
    for row in README.splitlines():
        found = re.match(r"\| `lexgraph ((?:[a-z-]+(?:\\\|[a-z-]+)* ?)+)", row)
        if not found:
            continue
        words = found[1].split()
        for n in range(1, len(words) + 1):  # `figure network\|matrix` names both
            *head, last = words[:n]
            documented.update(" ".join(["lexgraph", *head, alt]) for alt in last.split("\\|"))
    missing = [c for c in _commands(main) if c not in documented]
    assert missing == []


def test_readme_opens_with_demo_and_test() -> None:
    """The README's first commands are `make demo` and `make test`."""
    block = README.split("```sh", 1)[1].split("```", 1)[0]
    assert [line.split("#")[0].strip() for line in block.strip().splitlines()] == [
        "make demo",
        "make test",
    ]
