"""The ``lexgraph`` command: a thin layer over the library.

Every error a user can cause ends in one line ``error: ...`` and a non-zero exit code
(1 for violations, 2 for bad input), never a traceback.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Any, TypeVar

import click

from lexgraph.core.errors import InputError, LexgraphError, NotBuilt
from lexgraph.core.paths import Layout
from lexgraph.core.progress import Progress
from lexgraph.core.version import __version__
from lexgraph.finder.basis import find_basis
from lexgraph.finder.gaps import dyad, gaps
from lexgraph.importers.articles import import_articles
from lexgraph.importers.coe import import_coe
from lexgraph.importers.countries import import_countries
from lexgraph.importers.records import import_records
from lexgraph.importers.sdg import import_sdg
from lexgraph.importers.untc import import_untc
from lexgraph.importers.wikidata import ENDPOINT as WIKIDATA_ENDPOINT
from lexgraph.importers.wikidata import import_wikidata
from lexgraph.publish.graphstore import publish as publish_build
from lexgraph.publish.ontodocs import write_docs
from lexgraph.publish.release import write_release
from lexgraph.publish.remote import DEFAULT_TIMEOUT_S, Endpoint, with_values
from lexgraph.render.basis import FORMATS as BASIS_FORMATS
from lexgraph.render.basis import render as render_basis
from lexgraph.render.basis import render_dyad, render_gaps
from lexgraph.render.brief import write_brief
from lexgraph.render.figures import (
    figure_format,
    matrix_figure,
    network_figure,
    network_title,
    save_figure,
    timeline_figure,
)
from lexgraph.render.formats import FORMATS, render_result
from lexgraph.render.site import write_site
from lexgraph.render.table import FORMATS as TABLE_FORMATS
from lexgraph.render.table import render_table
from lexgraph.render.viz import title_for, write_page
from lexgraph.serve.oxigraph import DEFAULT_TIMEOUT_S as DEFAULT_QUERY_TIMEOUT_S
from lexgraph.serve.policy import CACHE_BYTES, ERRORS_PER_MINUTE, MAX_CONCURRENT, TIME_PER_MINUTE_S
from lexgraph.store.build import build as run_build
from lexgraph.store.build import load, validate_dataset
from lexgraph.store.library import read_library
from lexgraph.store.query import execute, find_question, open_store, substitutions
from lexgraph.store.validate import Finding
from lexgraph.untrusted.gate import (
    DEFAULT_MAX_QUERY_BYTES,
    DEFAULT_MAX_ROWS,
    QueryRefused,
    QueryTimeout,
    check_query,
)
from lexgraph.untrusted.sandbox import run_isolated
from lexgraph.views.citation import citation_line
from lexgraph.views.context import caption_line
from lexgraph.views.instruments import instruments_table
from lexgraph.views.matrix import matrix_table, modality_matrix, participation_matrix
from lexgraph.views.parties import parties_table
from lexgraph.views.stats import compute_stats, render_stats
from lexgraph.views.subgraph import load_file, select
from lexgraph.views.timeline import timeline

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
@_remote_timeout(
    "Seconds to wait for a remote endpoint, or that a .rq FILE may run on the built graph."
)
@click.option(
    "--max-rows",
    type=click.IntRange(min=1),
    default=DEFAULT_MAX_ROWS,
    show_default=True,
    help="Rows a .rq FILE may return on the built graph; the rest are cut, with a warning.",
)
@user_errors
def run_query(
    name: str,
    params: tuple[str, ...],
    fmt: str,
    endpoint: str | None,
    timeout: float,
    max_rows: int,
) -> None:
    """Run a library question NAME, or a .rq FILE, on the built graph or a remote endpoint.

    A FILE is untrusted: on the built graph it is checked first (no SERVICE, no update, no
    FROM outside the build; see SECURITY.md) and runs in a child process stopped at --timeout.

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
    untrusted = Path(name).suffix == ".rq" and Path(name).is_file()  # as find_question reads it
    if endpoint is None and untrusted:
        store = open_store(layout.store)
        bound = substitutions(store, question, values)
        try:
            check_query(question.text)
            result = run_isolated(
                layout.store, question.text, bound, where=name, timeout_s=timeout, max_rows=max_rows
            )
        except (QueryRefused, QueryTimeout) as exc:
            raise type(exc)(f"{name}: {exc}") from None
        if result.truncated:
            click.echo(f"warning: only the first {max_rows} rows are shown (--max-rows)", err=True)
    elif endpoint is None:
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
    help="Seconds a query may run; past them it gets 503 and is stopped.",
)
@click.option(
    "--max-rows",
    type=click.IntRange(min=1),
    default=DEFAULT_MAX_ROWS,
    show_default=True,
    help="Rows (or triples) an answer holds at most; a cut answer says so.",
)
@click.option(
    "--max-query-bytes",
    type=click.IntRange(min=64),
    default=DEFAULT_MAX_QUERY_BYTES,
    show_default=True,
    help="Longest query accepted (413 past it).",
)
@click.option(
    "--rate",
    type=click.FloatRange(min=0),
    default=TIME_PER_MINUTE_S,
    show_default=True,
    help="Seconds of query time per minute for each client, bursting to twice that; 0: off.",
)
@click.option(
    "--max-errors",
    type=click.FloatRange(min=0),
    default=ERRORS_PER_MINUTE,
    show_default=True,
    help="Failed queries per minute for each client, bursting to twice that; 0: off.",
)
@click.option(
    "--max-concurrent",
    type=click.IntRange(min=0),
    default=MAX_CONCURRENT,
    show_default=True,
    help="Queries each client may have running at once; 0: no cap.",
)
@click.option(
    "--trust-proxy",
    multiple=True,
    metavar="ADDRESS",
    help="A reverse proxy whose X-Forwarded-For names the client; repeat for several.",
)
@click.option(
    "--cache-mb",
    type=click.IntRange(min=0),
    default=CACHE_BYTES // 2**20,
    show_default=True,
    help="Megabytes of whole answers kept for repeated queries; 0: none.",
)
@user_errors
def serve(
    host: str,
    port: int,
    timeout: int,
    max_rows: int,
    max_query_bytes: int,
    rate: float,
    max_errors: float,
    max_concurrent: int,
    trust_proxy: tuple[str, ...],
    cache_mb: int,
) -> None:
    """Serve the built graph read-only over SPARQL, behind lexgraph's limits, until Ctrl-C.

    Oxigraph answers on a loopback port of its own; clients reach a policy layer that
    refuses SERVICE, updates and FROM outside the build, caps sizes and rows, stops queries
    at --timeout and limits each client's rate (SECURITY.md). The union of the named graphs
    is the default graph; CORS is on; the query page at / needs no network; GET /health. It
    listens on loopback unless --host says otherwise; the access log goes to stderr.
    """
    from lexgraph.serve.app import GatewaySettings, log_to_stderr
    from lexgraph.serve.app import serve as run_gateway  # Starlette and uvicorn load only for serve

    layout = Layout.default()
    if not layout.store.exists():
        raise NotBuilt(str(layout.store))
    settings = GatewaySettings(
        layout.store.resolve(),
        host=host,
        port=port,
        timeout_s=timeout,
        max_rows=max_rows,
        max_query_bytes=max_query_bytes,
        max_body_bytes=3 * max_query_bytes + 1024,
        time_per_minute_s=rate,
        errors_per_minute=max_errors,
        max_concurrent=max_concurrent,
        trust_proxy=trust_proxy,
        cache_bytes=cache_mb * 2**20,
    )

    def ready(url: str) -> None:
        click.echo(f"lexgraph: SPARQL endpoint {url}/query, query page {url}/")
        click.echo("press Ctrl-C to stop")

    log_to_stderr()
    run_gateway(settings, ready)
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


def _pair(func: F) -> F:
    """The --from, --to and --on options of the finder's commands."""
    func = click.option("--on", "on", metavar="YYYY-MM-DD", help="Date (default: today).")(func)
    func = click.option(
        "--to", "requested", required=True, metavar="STATE", help="Requested state."
    )(func)
    return click.option(
        "--from", "requesting", required=True, metavar="STATE", help="Requesting state."
    )(func)


@main.command("basis")
@_pair
@click.option("--crime", required=True, help="Crime type: key or label.")
@click.option("--modality", required=True, help="Cooperation modality: key or label.")
@click.option(
    "--format", "fmt", type=click.Choice(BASIS_FORMATS), default="table", show_default=True
)
@user_errors
def basis_cmd(
    requesting: str, requested: str, crime: str, modality: str, on: str | None, fmt: str
) -> None:
    """Which instruments let one state ask another for MODALITY for CRIME, and under what.

    States are ISO alpha-2 or alpha-3 codes or names. Each candidate instrument is shown with
    its verdict (basis, unknown, no basis), its articles, both states' acts with their
    sources, the reservations that matter, and why.
    """
    layout = Layout.default()
    answer = find_basis(requesting, requested, crime, modality, on, store=open_store(layout.store))
    click.echo(render_basis(answer, fmt, citation_line(layout)), nl=False)


@main.command("gaps")
@_pair
@click.option("--format", "fmt", type=click.Choice(("table", "json")), default="table")
@user_errors
def gaps_cmd(requesting: str, requested: str, on: str | None, fmt: str) -> None:
    """The crime type x modality pairs for which no shared instrument gives a basis."""
    layout = Layout.default()
    found = gaps(requesting, requested, on, store=open_store(layout.store))
    click.echo(render_gaps(found, fmt), nl=False)


@main.command("dyad")
@click.argument("first")
@click.argument("second")
@click.option("--on", "on", metavar="YYYY-MM-DD", help="Date (default: today).")
@click.option("--format", "fmt", type=click.Choice(("table", "json")), default="table")
@user_errors
def dyad_cmd(first: str, second: str, on: str | None, fmt: str) -> None:
    """The timeline of the instruments both states are bound by."""
    layout = Layout.default()
    shared = dyad(first, second, on, store=open_store(layout.store))
    click.echo(render_dyad(shared, fmt), nl=False)


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


@import_group.command("untc")
@click.argument("table", metavar="FILE|URL")
@click.option("--instrument", required=True, help="The instrument key the table is of.")
@click.option("--as-at", "as_at", metavar="YYYY-MM-DD", help="Status date (default: the page's).")
@click.option("--source", metavar="URL", help="The UNTC page to cite (default: from --ref).")
@click.option("--ref", metavar="XVIII-12", help="UNTC reference (default: lex:untcReference).")
@click.option("--note", help="A sentence to add to the generated file's header comment.")
@user_errors
def import_untc_cmd(
    table: str,
    instrument: str,
    as_at: str | None,
    source: str | None,
    ref: str | None,
    note: str | None,
) -> None:
    """Import a UN Treaty Collection status table (CSV, saved page or URL)."""
    layout = Layout.default()
    result = import_untc(table, layout, instrument, as_at=as_at, source=source, ref=ref, note=note)
    _wrote(layout, [result.path])
    click.echo(f"{result.signatures} signature(s), {result.consents} consent(s)")
    for name in result.skipped:
        click.echo(f"warning: skipped {name}: not a current State", err=True)
    for name in result.withdrawn:
        click.echo(f"warning: {name} is in brackets (withdrawn since)", err=True)


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


@main.command("release")
@user_errors
def release_cmd() -> None:
    """Write build/release/ from the built graph: dumps, VoID/DCAT description, SHA256SUMS."""
    layout = Layout.default()
    result = write_release(layout)
    click.echo(
        f"released {result.triples} triples ({result.quads} quads in {result.graphs} graphs) "
        f"as {len(result.files)} files in "
        f"{layout.relative(result.directory.parent)}/{result.directory.name}/"
    )


@main.command("docs")
@user_errors
def docs_cmd() -> None:
    """Write the ontology's documentation page, build/docs/index.html, with pyLODE."""
    layout = Layout.default()
    click.echo(f"wrote {layout.relative(write_docs(layout))}")


@main.command("viz")
@click.option("--crime", help="Crime type in focus: key or label.")
@click.option("--instrument", help="Instrument in focus: key or label.")
@click.option("--modality", help="Modality in focus: key or label.")
@click.option("--state", help="State in focus: ISO alpha-2 or alpha-3 code or name.")
@click.option("--depth", type=click.IntRange(min=0), default=1, show_default=True)
@click.option("--with-states", is_flag=True, help="Also draw the states and their parties.")
@click.option(
    "--input",
    "input_file",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Draw this .ttl, .nt, .nq or .trig file instead of the built graph.",
)
@click.option("--seed", type=int, default=7, show_default=True, help="Seed of the layout.")
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path, dir_okay=False),
    required=True,
    metavar="FILE.html",
    help="The page to write.",
)
@user_errors
def viz_cmd(
    crime: str | None, instrument: str | None, modality: str | None, state: str | None,
    depth: int, with_states: bool, input_file: Path | None, seed: int, output: Path,
) -> None:  # fmt: skip
    """Write an interactive page of the graph, or of a focus, that works offline.

    One self-contained HTML file (no network needed): search, filters by class, crime type,
    instrument and modality, and a node's neighbourhood highlighted on click.
    """
    layout = Layout.default()
    if output.suffix.lower() not in (".html", ".htm"):
        raise InputError(f"{output}: the page must be an .html file")
    store = open_store(layout.store) if input_file is None else load_file(input_file)
    sub = select(store, crime=crime, instrument=instrument, modality=modality, state=state,
                 depth=depth, with_states=with_states)  # fmt: skip
    if not sub.nodes:
        raise InputError(f"{input_file or layout.store}: no node of a class lexgraph draws")
    cite = citation_line(layout) if input_file is None else f"Data: {input_file.name}."
    title = title_for(sub, depth=depth, with_states=with_states)
    write_page(sub, output, title=title, citation=cite, seed=seed)
    click.echo(f"wrote {output}: {len(sub.nodes)} nodes, {len(sub.edges)} edges")


# ---------------------------------------------------------------------------------------------
# Figures, tables, briefs and the site (issue 6)


def _out_option(help_text: str, required: bool = True) -> Callable[[F], F]:
    return click.option(
        "-o", "--output", "output", type=click.Path(path_type=Path), required=required,
        help=help_text,
    )  # fmt: skip


def _one_of(**given: str | None) -> None:
    """Require exactly one of the named options."""
    if sum(v is not None for v in given.values()) != 1:
        names = " or ".join(f"--{k}" for k in given)
        raise InputError(f"give one of {names}")


@main.group("figure")
def figure_group() -> None:
    """Static figures for briefs: SVG, PNG or PDF, as the -o suffix says."""


@figure_group.command("network")
@click.option("--crime", help="Crime type in focus: key or label.")
@click.option("--instrument", help="Instrument in focus: key or label.")
@click.option("--modality", help="Modality in focus: key or label.")
@click.option("--state", help="State in focus: ISO code or name.")
@click.option("--depth", type=click.IntRange(min=0), default=1, show_default=True)
@click.option("--max-nodes", type=click.IntRange(min=1), default=40, show_default=True)
@click.option("--seed", type=int, default=7, show_default=True, help="Seed of the layout.")
@_out_option("The figure file: .svg, .png or .pdf.")
@user_errors
def figure_network_cmd(
    crime: str | None, instrument: str | None, modality: str | None, state: str | None,
    depth: int, max_nodes: int, seed: int, output: Path,
) -> None:  # fmt: skip
    """A focus subgraph drawn with labels that do not overlap, and the citation."""
    layout = Layout.default()
    figure_format(output)
    if not (crime or instrument or modality or state):
        raise InputError("figure network: give --crime, --instrument, --modality or --state")
    store = open_store(layout.store)
    sub = select(store, crime=crime, instrument=instrument, modality=modality, state=state,
                 depth=depth, max_nodes=max_nodes)  # fmt: skip
    fig = network_figure(
        sub, caption=caption_line(layout, store), title=network_title(sub, depth), seed=seed
    )
    click.echo(f"wrote {save_figure(fig, output)} ({len(sub.nodes)} nodes)")


@figure_group.command("matrix")
@click.option("--crime", help="Instrument x modality for this crime type.")
@click.option("--region", help="State x instrument for this M49 region (m49-150 or a name).")
@_out_option("The figure file: .svg, .png or .pdf.")
@user_errors
def figure_matrix_cmd(crime: str | None, region: str | None, output: Path) -> None:
    """A heatmap: articles per modality for a crime type, or participation in a region."""
    _one_of(crime=crime, region=region)
    figure_format(output)
    matrix = modality_matrix(crime) if crime else participation_matrix(str(region))
    click.echo(f"wrote {save_figure(matrix_figure(matrix), output)}")


@figure_group.command("timeline")
@click.option("--state", help="A state's participation; without it, the instruments' dates.")
@_out_option("The figure file: .svg, .png or .pdf.")
@user_errors
def figure_timeline_cmd(state: str | None, output: Path) -> None:
    """A state's participation over time, or the instruments' adoption and entry into force."""
    figure_format(output)
    click.echo(f"wrote {save_figure(timeline_figure(timeline(state)), output)}")


_TABLE_SUFFIXES = {".csv": "csv", ".md": "md", ".html": "html", ".htm": "html", ".tex": "latex"}


def _emit_table(table: Any, fmt: str | None, output: Path | None) -> None:
    chosen = fmt or (_TABLE_SUFFIXES.get(output.suffix.lower()) if output else None) or "csv"
    text = render_table(table, chosen)
    if output is None:
        click.echo(text, nl=False)
        return
    try:
        output.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise InputError(f"{output}: cannot write: {exc.strerror}") from None
    click.echo(f"wrote {output}")


def _table_options(func: F) -> F:
    func = _out_option("Write to this file (default: standard output).", required=False)(func)
    return click.option(
        "--format", "fmt", type=click.Choice(TABLE_FORMATS),
        help="Default: from the -o suffix (.csv, .md, .html, .tex), else csv.",
    )(func)  # fmt: skip


@main.group("table")
def table_group() -> None:
    """The figures' views as tables (CSV, Markdown, HTML, LaTeX), each with the citation."""


@table_group.command("matrix")
@click.option("--crime", help="Instrument x modality for this crime type.")
@click.option("--region", help="State x instrument for this M49 region (m49-150 or a name).")
@_table_options
@user_errors
def table_matrix_cmd(
    crime: str | None, region: str | None, fmt: str | None, output: Path | None
) -> None:
    """Articles per modality for a crime type, or participation in a region."""
    _one_of(crime=crime, region=region)
    matrix = modality_matrix(crime) if crime else participation_matrix(str(region))
    _emit_table(matrix_table(matrix), fmt, output)


@table_group.command("instruments")
@click.option("--crime", help="Only the instruments covering this crime type, with articles.")
@_table_options
@user_errors
def table_instruments_cmd(crime: str | None, fmt: str | None, output: Path | None) -> None:
    """The instruments (covering a crime type, with their articles by modality)."""
    _emit_table(instruments_table(crime), fmt, output)


@table_group.command("parties")
@click.option("--instrument", help="The records of this instrument.")
@click.option("--state", help="The records of this state.")
@click.option("--region", help="With --instrument: only the states of this M49 region.")
@_table_options
@user_errors
def table_parties_cmd(
    instrument: str | None, state: str | None, region: str | None, fmt: str | None,
    output: Path | None,
) -> None:  # fmt: skip
    """Participation records, each with its date, source and the source's as-at date."""
    _one_of(instrument=instrument, state=state)
    _emit_table(parties_table(instrument, state, region), fmt, output)


@main.command("brief")
@click.option("--crime", required=True, help="Crime type: key or label.")
@click.option("--region", help="Also count the parties among this M49 region's states.")
@_out_option("The brief: .html (one page, figure inline) or .md (figure beside it).")
@user_errors
def brief_cmd(crime: str, region: str | None, output: Path) -> None:
    """A printable one-page brief on a crime type, made only of what the graph holds."""
    paths = write_brief(crime, output, region)
    click.echo(f"wrote {', '.join(str(p) for p in paths)}")


@main.command("site")
@_out_option("The site's directory (default: build/site).", required=False)
@user_errors
def site_cmd(output: Path | None) -> None:
    """A static site: an index and a page per instrument, crime type, modality and state."""
    layout = Layout.default()
    result = write_site(output or layout.build / "site", layout=layout)
    click.echo(
        f"wrote {result.pages} pages, {result.graphs} graphs and {result.queries} queries into "
        f"{layout.relative(result.directory)}/ in {result.seconds:.1f} s"
    )
