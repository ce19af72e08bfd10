"""The ``lexgraph`` command: a thin layer over the library.

Every error a user can cause ends in one line ``error: ...`` and a non-zero exit code
(1 for violations, 2 for bad input), never a traceback.
"""

from __future__ import annotations

import signal
import sys
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Any, TypeVar

import click

from . import __version__
from .build import build as run_build
from .build import load, validate_dataset
from .errors import InputError, LexgraphError, NotBuilt
from .formats import FORMATS, render_result
from .importers.articles import import_articles
from .importers.coe import import_coe
from .importers.countries import import_countries
from .importers.records import import_records
from .importers.sdg import import_sdg
from .importers.wikidata import ENDPOINT as WIKIDATA_ENDPOINT
from .importers.wikidata import import_wikidata
from .library import read_library
from .paths import Layout
from .progress import Progress
from .publish import publish as publish_build
from .query import execute, find_question, open_store, substitutions
from .remote import DEFAULT_TIMEOUT_S, Endpoint, with_values
from .server import DEFAULT_TIMEOUT_S as DEFAULT_QUERY_TIMEOUT_S
from .server import ServerConfig, ServerError
from .server import start as start_server
from .server import stop as stop_server
from .stats import compute_stats, render_stats
from .validate import Finding

F = TypeVar("F", bound=Callable[..., Any])


def user_errors(func: F) -> F:
    """Turn a :class:`LexgraphError` into ``error: message`` and its exit code."""

    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except LexgraphError as exc:
            click.echo(f"error: {exc}", err=True)
            sys.exit(exc.exit_code)

    return wrapper  # type: ignore[return-value]


def _show(findings: list[Finding]) -> None:
    for finding in findings:
        click.echo(finding.line(), err=True)


def _remote_timeout(help_text: str) -> Callable[[F], F]:
    """The --timeout option of the commands that talk to a remote server."""
    return click.option(
        "--timeout",
        type=click.FloatRange(min=0.1),
        default=DEFAULT_TIMEOUT_S,
        show_default=True,
        help=help_text,
    )


@click.group()
@click.version_option(__version__, prog_name="lexgraph")
def main() -> None:
    """lexgraph: a knowledge graph of the international legal instruments against crime."""


@main.command()
@user_errors
def build() -> None:
    """Build, validate and write build/ (TriG, Turtle, N-Triples, JSON-LD, Oxigraph store)."""
    layout = Layout.default()
    result = run_build(layout, progress=Progress(0), on_findings=_show)
    click.echo(
        f"built {result.triples} triples ({result.quads} quads) from "
        f"{len(result.files)} files into {layout.relative(layout.build)}/"
        + (f", {len(result.warnings)} warning(s)" if result.warnings else "")
    )


@main.command()
@user_errors
def validate() -> None:
    """Report SHACL violations and failed checks; exit 1 on any violation."""
    layout = Layout.default()
    findings = validate_dataset(layout, load(layout, Progress(0)))
    _show(findings)
    errors = sum(f.severity == "error" for f in findings)
    warnings = len(findings) - errors
    click.echo(f"{errors} violation(s), {warnings} warning(s)")
    if errors:
        sys.exit(1)


@main.command()
@user_errors
def stats() -> None:
    """Print counts per class and per modality, and the facts without a source."""
    layout = Layout.default()
    click.echo(render_stats(compute_stats(open_store(layout.store))), nl=False)


@main.command("queries")
@user_errors
def list_queries() -> None:
    """List the library's questions with their summaries and parameters."""
    for q in read_library(Layout.default().questions):
        params = ", ".join(p.name + ("" if p.required else f"={p.default}") for p in q.params)
        click.echo(f"{q.name}" + (f" [{params}]" if params else "") + f"\n    {q.summary}")


@main.command("query")
@click.argument("name")
@click.option(
    "-p",
    "--param",
    "params",
    multiple=True,
    metavar="KEY=VALUE",
    help="A parameter of the question; repeat for several.",
)
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="table", show_default=True)
@click.option(
    "--endpoint",
    metavar="URL",
    help="Run on this SPARQL 1.1 query endpoint instead of the embedded engine.",
)
@_remote_timeout("Seconds to wait for a remote endpoint.")
@user_errors
def run_query(
    name: str, params: tuple[str, ...], fmt: str, endpoint: str | None, timeout: float
) -> None:
    """Run a library question NAME, or a .rq FILE, on the built graph or a remote endpoint.

    Credentials for a remote endpoint come from LEXGRAPH_ENDPOINT_TOKEN, or from
    LEXGRAPH_ENDPOINT_USER and LEXGRAPH_ENDPOINT_PASSWORD.
    """
    layout = Layout.default()
    values: dict[str, str] = {}
    for item in params:
        key, sep, value = item.partition("=")
        if not sep or not key:
            raise InputError(f"parameter {item!r} is not KEY=VALUE")
        values[key.strip()] = value
    question = find_question(layout.questions, name)
    if endpoint is None:
        store = open_store(layout.store)
        result = execute(store, question.text, substitutions(store, question, values), name)
    else:
        remote = Endpoint(endpoint, timeout_s=timeout)
        local = open_store(layout.store) if layout.store.exists() else None
        bound = substitutions(local, question, values)
        result = remote.query(with_values(question.text, bound), question.name)
    click.echo(render_result(result, fmt), nl=False)


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", type=int, default=7878, show_default=True, help="Port to listen on.")
@click.option(
    "--timeout",
    type=click.IntRange(min=1),
    default=DEFAULT_QUERY_TIMEOUT_S,
    show_default=True,
    help="Seconds a query may run before the server cancels it.",
)
@user_errors
def serve(host: str, port: int, timeout: int) -> None:
    """Serve the built graph read-only over SPARQL with the Oxigraph server, until Ctrl-C.

    The union of the named graphs is the default graph; CORS is on; the query page at / needs
    no network. It listens on loopback unless --host says otherwise.
    """
    layout = Layout.default()
    if not layout.store.exists():
        raise NotBuilt(str(layout.store))
    config = ServerConfig(layout.store.resolve(), host=host, port=port, timeout_s=timeout)
    process = start_server(config)
    click.echo(f"lexgraph: SPARQL endpoint {config.url}/query, query page {config.url}/")
    click.echo("press Ctrl-C to stop")

    def on_term(signum: int, frame: object) -> None:
        raise KeyboardInterrupt  # a service manager's stop is treated like Ctrl-C

    previous = signal.signal(signal.SIGTERM, on_term)
    try:
        code = process.wait()
    except KeyboardInterrupt:
        code = None
    finally:
        stop_server(process)
        signal.signal(signal.SIGTERM, previous)
    if code is not None:
        raise ServerError(f"the Oxigraph server stopped by itself with code {code}")
    click.echo("stopped")


@main.command()
@click.option("--endpoint", required=True, metavar="URL", help="SPARQL query endpoint.")
@click.option(
    "--graph-store",
    metavar="URL",
    help="Graph Store Protocol URL (default: the endpoint's .../query replaced by .../store).",
)
@click.option(
    "--replace",
    is_flag=True,
    help="Also delete lexgraph source graphs on the server that the build no longer has.",
)
@_remote_timeout("Seconds to wait for each request.")
@user_errors
def publish(endpoint: str, graph_store: str | None, replace: bool, timeout: float) -> None:
    """Upload the build to a SPARQL 1.1 Graph Store, one named graph per source file.

    Credentials come from LEXGRAPH_ENDPOINT_TOKEN, or LEXGRAPH_ENDPOINT_USER and
    LEXGRAPH_ENDPOINT_PASSWORD; never from the command line.
    """
    layout = Layout.default()
    result = publish_build(
        open_store(layout.store),
        endpoint,
        graph_store,
        replace=replace,
        timeout_s=timeout,
        progress=Progress(0),
    )
    click.echo(
        f"published {result.triples} triples in {result.graphs} graphs; "
        "the server's counts match the build"
        + (f"; removed {len(result.removed)} stale graph(s)" if result.removed else "")
    )
    for graph in result.stale:
        click.echo(f"warning: the server also holds {graph}, not in this build", err=True)


def _wrote(layout: Layout, paths: list[Path]) -> None:
    """Say which files an importer wrote, relative to the project root."""
    click.echo(f"wrote {len(paths)} file(s): {', '.join(layout.relative(p) for p in paths)}")


@main.group("import")
def import_group() -> None:
    """Convert external files into graph/imported/."""


@import_group.command("articles")
@click.argument("csv_file", type=click.Path(path_type=Path))
@click.option("--instrument", "instruments", multiple=True, help="Only these instrument keys.")
@user_errors
def import_articles_cmd(csv_file: Path, instruments: tuple[str, ...]) -> None:
    """Import article numbers and headings from the article-headings CSV."""
    layout = Layout.default()
    keys = frozenset(k.lower() for k in instruments)
    _wrote(layout, import_articles(csv_file, layout.imported / "articles", keys))


@import_group.command("countries")
@click.argument("csv_file", type=click.Path(path_type=Path))
@user_errors
def import_countries_cmd(csv_file: Path) -> None:
    """Import states and M49 regions from the datahub country-codes CSV."""
    layout = Layout.default()
    _wrote(layout, import_countries(csv_file, layout.imported))


@import_group.command("sdg")
@click.argument("kos_file", type=click.Path(path_type=Path))
@user_errors
def import_sdg_cmd(kos_file: Path) -> None:
    """Import the SDG goals, targets and indicators lexgraph links to from the UN SDG KOS."""
    layout = Layout.default()
    _wrote(layout, import_sdg(kos_file, layout.imported))


@import_group.command("csv")
@click.argument("csv_file", type=click.Path(path_type=Path))
@user_errors
def import_csv_cmd(csv_file: Path) -> None:
    """Import participation records from a CSV in the format of docs/participation-csv.md."""
    layout = Layout.default()
    result = import_records(csv_file, layout)
    for warning in result.warnings:
        click.echo(f"warning: {warning}", err=True)
    _wrote(layout, [result.path])


@import_group.command("coe")
@click.argument("location", metavar="FILE|URL")
@click.option("--instrument", required=True, help="The instrument key the chart is of.")
@click.option("--source", help="The chart URL to cite (default: the URL read, or the chart's).")
@user_errors
def import_coe_cmd(location: str, instrument: str, source: str | None) -> None:
    """Import a Council of Europe chart of signatures and ratifications."""
    layout = Layout.default()
    _wrote(layout, [import_coe(location, instrument, layout, source).path])


@import_group.command("wikidata")
@click.option("--instrument", required=True, help="The instrument key to ask about.")
@click.option("--endpoint", default=WIKIDATA_ENDPOINT, show_default=True, help="SPARQL endpoint.")
@user_errors
def import_wikidata_cmd(instrument: str, endpoint: str) -> None:
    """Import an instrument's signatories and parties from Wikidata (a secondary source)."""
    layout = Layout.default()
    result = import_wikidata(instrument, layout, endpoint)
    for warning in result.warnings:
        click.echo(f"warning: {warning}", err=True)
    _wrote(layout, [result.path])
