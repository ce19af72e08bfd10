"""``lexgraph mcp``: the built graph as Model Context Protocol tools, over stdio.

Built on the official Python SDK (PyPI ``mcp``, 2.x: :class:`mcp.server.mcpserver.MCPServer`).
Every tool is read-only and answers from the built store, opened once; each answer is a JSON
object closing with ``sources``, ``as_at`` and ``citation`` (:mod:`lexgraph.mcp.answers`). A
user's mistake (an unknown state, a misspelt crime type, a refused query) comes back as a tool
error whose text says what was wrong and what was meant; nothing else escapes, and the SDK
turns an unexpected failure into "Error executing tool" without a traceback.

One tool per finder command (``basis``, ``gaps``, ``dyad``), since each has its own
parameters that an assistant should see in the schema; the library's questions are two tools,
``list_questions`` and ``run_question``, because there are many and they change with the
library.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Annotated, Any

from mcp.server.mcpserver import MCPServer
from mcp.server.mcpserver.exceptions import ToolError
from mcp.types import ToolAnnotations
from pydantic import Field

from lexgraph.core.errors import LexgraphError
from lexgraph.core.paths import Layout
from lexgraph.core.version import __version__
from lexgraph.mcp import answers
from lexgraph.mcp.answers import Graph

State = Annotated[str, Field(description="A state: ISO alpha-2 or alpha-3 code, or a name.")]
Day = Annotated[str | None, Field(description="The date asked about, YYYY-MM-DD (default: today).")]
_READ_ONLY = ToolAnnotations(read_only_hint=True, destructive_hint=False, open_world_hint=False)
INSTRUCTIONS = (
    "lexgraph is a knowledge graph of the international legal instruments against crime: "
    "instruments and their articles, crime types, cooperation modalities (extradition, mutual "
    "legal assistance, ...), the states that take part in them, with a source on every fact. "
    "Use `basis` for whether one state can ask another for a modality for a crime type; "
    "`search` to find the key of a state, instrument, crime type or modality; `describe` for "
    "what the graph says about one. Every answer ends with its sources, the as-at dates of "
    "its data and the citation: pass them on. 'unknown' never means 'not a party'."
)


def _tool(
    graph: Callable[[], Graph], fn: Callable[..., dict[str, Any]]
) -> Callable[..., dict[str, Any]]:
    """Wrap an answer function: open the graph on first use, make user errors tool errors."""

    @functools.wraps(fn)
    def call(*args: Any, **kwargs: Any) -> dict[str, Any]:
        try:
            return fn(graph(), *args, **kwargs)
        except LexgraphError as exc:
            raise ToolError(str(exc)) from None

    return call


def make_server(layout: Layout | None = None, graph: Graph | None = None) -> MCPServer:
    """The MCP server over the built graph of ``layout`` (or over ``graph``, for tests)."""
    opened: list[Graph] = [graph] if graph is not None else []

    def current() -> Graph:
        if not opened:
            opened.append(Graph.open(layout))
        return opened[0]

    server = MCPServer(
        name="lexgraph", version=__version__, instructions=INSTRUCTIONS, log_level="WARNING"
    )

    def add(fn: Callable[..., Any], description: str) -> None:
        server.add_tool(fn, description=description, annotations=_READ_ONLY)

    def basis(
        requesting: State,
        requested: State,
        crime: Annotated[str, Field(description="Crime type: key (`cybercrime`) or label.")],
        modality: Annotated[str, Field(description="Modality: key (`extradition`) or label.")],
        on: Day = None,
    ) -> dict[str, Any]:
        return _tool(current, answers.basis)(requesting, requested, crime, modality, on)

    def gaps(requesting: State, requested: State, on: Day = None) -> dict[str, Any]:
        return _tool(current, answers.gaps)(requesting, requested, on)

    def dyad(first: State, second: State, on: Day = None) -> dict[str, Any]:
        return _tool(current, answers.dyad)(first, second, on)

    def channels(
        first: State,
        second: State,
        modality: Annotated[
            str | None, Field(description="Only networks serving this modality: key or label.")
        ] = None,
    ) -> dict[str, Any]:
        return _tool(current, answers.channels)(first, second, modality)

    def list_questions() -> dict[str, Any]:
        return _tool(current, answers.questions)()

    def run_question(
        name: Annotated[str, Field(description="A question's name, from list_questions.")],
        params: Annotated[
            dict[str, str] | None,
            Field(description="Its parameters by name: keys, ISO codes or labels."),
        ] = None,
    ) -> dict[str, Any]:
        return _tool(current, answers.run_question)(name, params)

    def search(
        text: Annotated[str, Field(description="Text in the label, any case or accents.")],
        kind: Annotated[
            str | None,
            Field(description="Only this kind: state, instrument, crime, modality, region."),
        ] = None,
        limit: Annotated[int, Field(description="At most this many results (1-100).")] = 20,
    ) -> dict[str, Any]:
        return _tool(current, answers.search)(text, kind, limit)

    def describe(
        resource: Annotated[
            str,
            Field(description="An IRI, a key (`state/JPN`, `instrument/untoc`) or `lex:Term`."),
        ],
    ) -> dict[str, Any]:
        return _tool(current, answers.describe)(resource)

    def sparql(
        query: Annotated[str, Field(description="A SPARQL 1.1 SELECT, ASK or CONSTRUCT query.")],
    ) -> dict[str, Any]:
        return _tool(current, answers.sparql)(query)

    add(basis, "The legal-basis finder: which instruments let the requesting state ask the "
        "requested state for a cooperation modality in a case of a crime type, on a date: each "
        "candidate's verdict (basis, conditional, unknown, framework-only, no-basis), articles, "
        "both states' acts with sources, reservations, conditions and why.")  # fmt: skip
    add(gaps, "The crime type x modality pairs with no basis between two states: no-basis, "
        "conditional, unknown (missing data), or no-instrument.")  # fmt: skip
    add(dyad, "The instruments both states are bound by on a date, and since when.")
    add(channels, "The networks of competent authorities (European Judicial Network, asset-"
        "recovery networks, 24/7 networks...) that connect two states, for a modality or any: "
        "those both are recorded members of, those only one is, and those whose members the "
        "graph does not list.")  # fmt: skip
    add(list_questions, "The library's questions: name, summary, parameters with their kinds "
        "and defaults. Run one with run_question.")  # fmt: skip
    add(run_question, "Run a library question by name with its parameters; IRIs in the rows "
        "come with their key and label.")  # fmt: skip
    add(search, "Find states, instruments, crime types, modalities and other resources whose "
        "label contains the text; gives each one's key for the other tools.")  # fmt: skip
    add(describe, "Everything the graph states about one resource, with labels, the source "
        "file of each statement and the documents it cites.")  # fmt: skip
    add(sparql, f"Run a read-only SPARQL query on the graph (union of named graphs as default "
        f"graph), checked like the public server's (no SERVICE, no update), stopped after "
        f"{answers.TIMEOUT_S:g} s, at most {answers.MAX_ROWS} rows.")  # fmt: skip
    return server


def run(layout: Layout | None = None) -> None:
    """Serve the tools on stdin/stdout until the client closes them."""
    graph = Graph.open(layout)  # fail here, before the protocol starts, if there is no build
    make_server(layout, graph).run("stdio")
