"""The ``lexgraph`` command: a thin layer over the library.

Every error a user can cause ends in one line ``error: ...`` and a non-zero exit code
(1 for violations, 2 for bad input), never a traceback (:func:`~lexgraph.cli.common.user_errors`).

The commands live in one module per part of the library, and a command's module is imported
only when that command runs (or when ``--help`` lists them all), so that a one-shot command
starts in about the time the engine needs.
"""

from __future__ import annotations

import importlib

import click

#: Each command, and the module and attribute that define it.
COMMANDS: dict[str, tuple[str, str]] = {
    "build": ("graph", "build"),
    "validate": ("graph", "validate"),
    "stats": ("graph", "stats"),
    "queries": ("graph", "list_queries"),
    "query": ("graph", "run_query"),
    "basis": ("finder", "basis_cmd"),
    "gaps": ("finder", "gaps_cmd"),
    "dyad": ("finder", "dyad_cmd"),
    "channels": ("finder", "channels_cmd"),
    "figure": ("views", "figure_group"),
    "table": ("views", "table_group"),
    "brief": ("views", "brief_cmd"),
    "site": ("views", "site_cmd"),
    "viz": ("views", "viz_cmd"),
    "publish": ("publish", "publish"),
    "release": ("publish", "release_cmd"),
    "docs": ("publish", "docs_cmd"),
    "serve": ("serve", "serve"),
    "mcp": ("mcp", "mcp_cmd"),
    "import": ("imports", "import_group"),
    "update": ("update", "update_cmd"),
    "changes": ("update", "changes_cmd"),
}


class _Commands(click.Group):
    """A group that imports a command's module when the command is asked for."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in COMMANDS:
            return None
        module, attribute = COMMANDS[cmd_name]
        command = getattr(importlib.import_module(f"lexgraph.cli.{module}"), attribute)
        assert isinstance(command, click.Command)
        return command


def _version(ctx: click.Context, param: click.Parameter, value: bool) -> None:
    """Print the version, read only when asked for (it costs a look at the installed files)."""
    if not value or ctx.resilient_parsing:
        return
    from lexgraph.core.version import __version__

    click.echo(f"lexgraph, version {__version__}")
    ctx.exit()


@click.group(cls=_Commands)
@click.option(
    "--version",
    is_flag=True,
    expose_value=False,
    is_eager=True,
    callback=_version,
    help="Show the version and exit.",
)
def main() -> None:
    """lexgraph: a knowledge graph of the international legal instruments against crime."""
