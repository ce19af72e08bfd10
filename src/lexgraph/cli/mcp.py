"""The ``mcp`` command: the graph's tools for AI assistants, over stdio.

The SDK (``pip install 'lexgraph[mcp]'``) loads only when the command runs.
"""

from __future__ import annotations

import click

from lexgraph.cli.common import user_errors
from lexgraph.core.errors import InputError
from lexgraph.core.paths import Layout


@click.command("mcp")
@user_errors
def mcp_cmd() -> None:
    """Serve the finder, the questions, search, describe and SPARQL as MCP tools on stdio.

    An assistant starts it as a subprocess and speaks the Model Context Protocol on its
    stdin and stdout; the README shows how to register it. It needs a build.
    """
    try:
        from lexgraph.mcp.server import run
    except ImportError as exc:
        raise InputError(
            f"the MCP SDK is not installed ({exc.name}): pip install 'lexgraph[mcp]'"
        ) from None
    run(Layout.default())
