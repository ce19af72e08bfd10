"""The commands over the graph itself: build, validate, stats, queries, query.

The library loads inside each command, so ``lexgraph query NAME`` loads the engine and the
renderer, and not the SHACL validator that ``build`` needs.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from lexgraph.cli.common import Deferred, remote_timeout, user_errors
from lexgraph.core.errors import InputError
from lexgraph.core.paths import Layout
from lexgraph.render.formats import FORMATS

if TYPE_CHECKING:
    from lexgraph.store.validate import Finding

#: A library question on the built graph has no use for --timeout and --max-rows, nor for the
#: modules that hold their defaults: each is read on the path that uses it.
QUERY_TIMEOUT_S = Deferred("lexgraph.publish.remote", "DEFAULT_TIMEOUT_S", at_run=False)
MAX_ROWS = Deferred("lexgraph.untrusted.gate", "DEFAULT_MAX_ROWS", at_run=False)


def _show(findings: list[Finding]) -> None:
    for finding in findings:
        click.echo(finding.line(), err=True)


@click.command()
@user_errors
def build() -> None:
    """Build, validate and write build/ (TriG, Turtle, N-Triples, JSON-LD, Oxigraph store)."""
    from lexgraph.core.progress import Progress
    from lexgraph.store.build import build as run_build

    layout = Layout.default()
    result = run_build(layout, progress=Progress(0), on_findings=_show)
    click.echo(
        f"built {result.triples} triples ({result.quads} quads) from "
        f"{len(result.files)} files into {layout.relative(layout.build)}/"
        + (f", {len(result.warnings)} warning(s)" if result.warnings else "")
    )


@click.command()
@user_errors
def validate() -> None:
    """Report SHACL violations and failed checks; exit 1 on any violation."""
    from lexgraph.core.progress import Progress
    from lexgraph.store.build import load, validate_dataset

    layout = Layout.default()
    findings = validate_dataset(layout, load(layout, Progress(0)))
    _show(findings)
    errors = sum(f.severity == "error" for f in findings)
    warnings = len(findings) - errors
    click.echo(f"{errors} violation(s), {warnings} warning(s)")
    if errors:
        sys.exit(1)


@click.command()
@user_errors
def stats() -> None:
    """Print counts per class and per modality, and the facts without a source."""
    from lexgraph.store.query import open_store
    from lexgraph.views.stats import compute_stats, render_stats

    layout = Layout.default()
    click.echo(render_stats(compute_stats(open_store(layout.store))), nl=False)


@click.command("queries")
@user_errors
def list_queries() -> None:
    """List the library's questions with their summaries and parameters."""
    from lexgraph.store.library import read_library

    for q in read_library(Layout.default().questions):
        params = ", ".join(p.name + ("" if p.required else f"={p.default}") for p in q.params)
        click.echo(f"{q.name}" + (f" [{params}]" if params else "") + f"\n    {q.summary}")


@click.command("query")
@click.argument("name")
@click.option(
    "-p",
    "--param",
    "params",
    multiple=True,
    metavar="KEY=VALUE",
    help="A parameter of the question; repeat for several.",
)
@click.option(
    "--all",
    "free",
    is_flag=True,
    help="Leave every parameter free: the question's answer for every value at once.",
)
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="table", show_default=True)
@click.option(
    "--endpoint",
    metavar="URL",
    help="Run on this SPARQL 1.1 query endpoint instead of the embedded engine.",
)
@remote_timeout(
    "Seconds to wait for a remote endpoint, or that a .rq FILE may run on the built graph.",
    QUERY_TIMEOUT_S,
)
@click.option(
    "--max-rows",
    type=click.IntRange(min=1),
    default=MAX_ROWS,
    show_default=True,
    help="Rows a .rq FILE may return on the built graph; the rest are cut, with a warning.",
)
@user_errors
def run_query(
    name: str,
    params: tuple[str, ...],
    free: bool,
    fmt: str,
    endpoint: str | None,
    timeout: float | None,
    max_rows: int | None,
) -> None:
    """Run a library question NAME, or a .rq FILE, on the built graph or a remote endpoint.

    A FILE is untrusted: on the built graph it is checked first (no SERVICE, no update, no
    FROM outside the build; see SECURITY.md) and runs in a child process stopped at --timeout.

    Credentials for a remote endpoint come from LEXGRAPH_ENDPOINT_TOKEN, or from
    LEXGRAPH_ENDPOINT_USER and LEXGRAPH_ENDPOINT_PASSWORD.
    """
    from lexgraph.render.formats import render_result
    from lexgraph.store.query import (
        QueryDataset,
        execute,
        find_question,
        open_store,
        substitutions,
    )

    layout = Layout.default()
    values: dict[str, str] = {}
    for item in params:
        key, sep, value = item.partition("=")
        if not sep or not key:
            raise InputError(f"parameter {item!r} is not KEY=VALUE")
        values[key.strip()] = value
    if free and values:
        raise InputError("give parameters with -p, or leave them all free with --all, not both")
    question = find_question(layout.questions, name)
    untrusted = Path(name).suffix == ".rq" and Path(name).is_file()  # as find_question reads it
    if endpoint is None and untrusted:
        from lexgraph.untrusted.gate import QueryRefused, QueryTimeout, check_query
        from lexgraph.untrusted.sandbox import run_isolated

        store = open_store(layout.store)
        bound = {} if free else substitutions(store, question, values)
        max_rows = MAX_ROWS.value(max_rows)
        try:
            parsed = check_query(question.text)
            result = run_isolated(
                layout.store,
                question.text,
                bound,
                where=name,
                timeout_s=QUERY_TIMEOUT_S.value(timeout),
                max_rows=max_rows,
                dataset=QueryDataset(parsed.default_graphs, parsed.named_graphs),
            )
        except (QueryRefused, QueryTimeout) as exc:
            raise type(exc)(f"{name}: {exc}") from None
        if result.truncated:
            click.echo(f"warning: only the first {max_rows} rows are shown (--max-rows)", err=True)
    elif endpoint is None:
        store = open_store(layout.store)
        bound = {} if free else substitutions(store, question, values)
        result = execute(store, question.text, bound, name)
    else:
        from lexgraph.publish.remote import Endpoint, with_values

        remote = Endpoint(endpoint, timeout_s=QUERY_TIMEOUT_S.value(timeout))
        local = open_store(layout.store) if layout.store.exists() else None
        bound = {} if free else substitutions(local, question, values)
        result = remote.query(with_values(question.text, bound), question.name)
        if result.truncated:
            click.echo(
                f"warning: {endpoint} cut the answer at its row limit ({len(result.rows)} rows); "
                "page through it with LIMIT and OFFSET",
                err=True,
            )
    width = shutil.get_terminal_size().columns if sys.stdout.isatty() else None
    click.echo(render_result(result, fmt, width), nl=False)
