"""``lexgraph mcp``: the tools answer through the SDK's own client, errors come back as text."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Awaitable, Callable
from typing import Any

import anyio
import pyoxigraph as ox
import pytest

from conftest import run_in_thread  # type: ignore[import-not-found]
from lexgraph.core.paths import Layout
from lexgraph.store.build import BuildResult

mcp = pytest.importorskip("mcp")
from mcp import Client, StdioServerParameters  # noqa: E402

from lexgraph.mcp.answers import Graph  # noqa: E402
from lexgraph.mcp.server import make_server  # noqa: E402

TOOLS = {
    "basis", "gaps", "dyad", "channels", "list_questions", "run_question", "search", "describe",
    "sparql",
}  # fmt: skip
#: One call of each tool, with arguments that have an answer in the shipped graph.
CALLS: dict[str, dict[str, Any]] = {
    "basis": {"requesting": "FR", "requested": "Japan", "crime": "cybercrime",
              "modality": "extradition", "on": "2020-01-01"},
    "gaps": {"requesting": "FRA", "requested": "DEU", "on": "2020-01-01"},
    "dyad": {"first": "FRA", "second": "DEU", "on": "2020-01-01"},
    "channels": {"first": "France", "second": "DEU", "modality": "asset recovery"},
    "list_questions": {},
    "run_question": {"name": "instruments-providing-modality",
                     "params": {"modality": "extradition"}},
    "search": {"text": "cote d'ivoire", "kind": "state"},
    "describe": {"resource": "instrument/untoc"},
    "sparql": {"query": "SELECT ?i WHERE { ?i a <https://w3id.org/lexgraph/ontology#Convention> }"
                        " ORDER BY ?i LIMIT 3"},
}  # fmt: skip


@pytest.fixture(scope="module")
def connect(
    graph: tuple[Layout, ox.Store],
) -> Callable[[Callable[[Client], Awaitable[Any]]], Any]:
    """Run a coroutine against the server with an in-process client (JSON-RPC framing)."""
    layout, store = graph
    server = make_server(layout, Graph(store, layout))

    def run(body: Callable[[Client], Awaitable[Any]]) -> Any:
        async def session() -> Any:
            async with Client(server, mode="legacy") as client:
                return await body(client)

        return run_in_thread(lambda: anyio.run(session))

    return run


def _call(connect: Any, name: str, arguments: dict[str, Any]) -> Any:
    async def body(client: Client) -> Any:
        return await client.call_tool(name, arguments)

    return connect(body)


def test_tools_are_listed_with_schemas(connect: Any) -> None:
    """The nine tools are listed, read-only, each with its parameters described."""

    async def body(client: Client) -> Any:
        return (await client.list_tools()).tools

    tools = connect(body)
    assert {t.name for t in tools} == TOOLS
    basis = next(t for t in tools if t.name == "basis")
    assert set(basis.input_schema["required"]) == {"requesting", "requested", "crime", "modality"}
    assert all(t.annotations and t.annotations.read_only_hint for t in tools)


@pytest.mark.parametrize("name", sorted(TOOLS))
def test_each_tool_answers_with_its_citation(connect: Any, name: str) -> None:
    """Every tool answers without error, and the answer carries the dataset's citation."""
    result = _call(connect, name, CALLS[name])
    assert not result.is_error, result.content[0].text
    answer = json.loads(result.content[0].text)
    assert answer["citation"].startswith("Source: ") and "lexgraph" in answer["citation"]
    if name != "list_questions":
        assert isinstance(answer["sources"], list) and isinstance(answer["as_at"], list)


def test_basis_answer_carries_sources_and_as_at_dates(connect: Any) -> None:
    """The finder's answer names the depositaries' pages it rests on and their as-at dates."""
    answer = json.loads(_call(connect, "basis", CALLS["basis"]).content[0].text)
    assert answer["schema"] == "https://w3id.org/lexgraph/schema/basis/2.3"
    assert answer["sources"] and all(s.startswith("http") for s in answer["sources"])
    assert answer["as_at"]
    assert answer["names"]["https://w3id.org/lexgraph/id/state/JPN"] == "Japan"


def test_unknown_state_gets_suggestions(connect: Any) -> None:
    """A misspelt state is a tool error that suggests the states meant, with no traceback."""
    arguments = {**CALLS["basis"], "requested": "Jpan"}
    result = _call(connect, "basis", arguments)
    assert result.is_error
    text = result.content[0].text
    assert "unknown state 'Jpan'" in text and "Japan (JPN)" in text
    assert "Traceback" not in text


def test_refused_query_gives_the_reason(connect: Any) -> None:
    """A query the gate refuses (SERVICE, an update) is a tool error saying why."""
    service = _call(connect, "sparql", {"query": "SELECT * { SERVICE <http://x/> { ?s ?p ?o } }"})
    update = _call(connect, "sparql", {"query": "DELETE WHERE { ?s ?p ?o }"})
    assert service.is_error and "SERVICE" in service.content[0].text
    assert update.is_error and "read-only" in update.content[0].text


def test_unknown_question_and_parameter_are_named(connect: Any) -> None:
    """A misspelt question or parameter is a tool error that names the ones that exist."""
    wrong = _call(connect, "run_question", {"name": "instruments-providing-modalty"})
    assert wrong.is_error and "instruments-providing-modality" in wrong.content[0].text
    param = {"name": "instruments-providing-modality", "params": {"mode": "x"}}
    result = _call(connect, "run_question", param)
    assert result.is_error and "allowed: modality (modality)" in result.content[0].text


def test_describe_unknown_resource_suggests_keys(connect: Any) -> None:
    """Describing a key the graph does not hold says so and suggests close keys."""
    result = _call(connect, "describe", {"resource": "instrument/untok"})
    assert result.is_error and "instrument/untoc" in result.content[0].text


def test_question_rows_give_keys_and_labels(connect: Any) -> None:
    """IRIs in a question's rows come with the key the tools take and a human label."""
    answer = json.loads(_call(connect, "run_question", CALLS["run_question"]).content[0].text)
    first = answer["rows"][0]["instrument"]
    assert set(first) == {"iri", "key", "label"} and first["iri"].endswith("/" + first["key"])


def test_command_serves_over_stdio(built: tuple[Layout, BuildResult]) -> None:
    """``lexgraph mcp`` speaks the protocol on stdio to the SDK's client (memory capped)."""
    layout, _ = built
    env = {**os.environ, "LEXGRAPH_ROOT": str(layout.root)}
    env["PYTHONPATH"] = os.pathsep.join(p for p in sys.path if p)
    params = StdioServerParameters(
        command="prlimit",
        args=["--as=4000000000", sys.executable, "-m", "lexgraph", "mcp"],
        env=env,
    )

    async def session() -> Any:
        async with Client(params) as client:
            tools = await client.list_tools()
            found = await client.call_tool("search", {"text": "extradition", "kind": "modality"})
            return tools, found

    tools, found = run_in_thread(lambda: anyio.run(session))
    assert {t.name for t in tools.tools} == TOOLS
    assert "modality/extradition" in found.content[0].text
